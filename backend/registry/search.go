package registry

// search.go: a FHIR search (R4 RESTful API, "search"), one searchset Bundle per page, along the next links.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

const (
	// maxPages bounds the pages read of one search: a record that needs more is not one
	// person's COVID-19 record, and a server that keeps sending next links is broken.
	maxPages = 50
	// pageSize is the _count asked for.
	pageSize = 50
)

// searchPage is one page of a search set.
type searchPage struct {
	url     string // as displayed in errors
	total   *int
	entries []fhirSearchEntry
}

// search runs a search of resourceType with the parameters q and returns its pages,
// following next links within the base URL's origin.
func (c *Client) search(ctx context.Context, resourceType string, q url.Values) ([]searchPage, error) {
	u := c.base.JoinPath(resourceType)
	u.RawQuery = q.Encode()
	seen := map[string]bool{}
	var pages []searchPage
	for {
		seen[u.String()] = true
		body, err := c.get(ctx, u)
		if err != nil {
			return nil, err
		}
		b, err := decodeSearchPage(body)
		if err != nil {
			return nil, badBundle(displayURL(u), err)
		}
		pages = append(pages, searchPage{url: displayURL(u), total: b.Total, entries: b.Entry})
		next, err := c.nextPage(u, b.Link)
		switch {
		case err != nil:
			return nil, err
		case next == nil:
			return pages, nil
		case seen[next.String()]:
			return nil, &BadResponseError{URL: displayURL(u), Problem: "next link leads back to a page already read"}
		case len(pages) == maxPages:
			return nil, &BadResponseError{URL: displayURL(u), Problem: fmt.Sprintf("search has more than %d pages", maxPages)}
		}
		u = next
	}
}

// decodeSearchPage reads one page of a search set, with the same checks and error
// texts as ParseBundle.
func decodeSearchPage(data []byte) (*fhirSearchBundle, error) {
	var b fhirSearchBundle
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&b); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadBundle, err)
	}
	if err := checkBundleType(b.ResourceType, b.Type, "searchset"); err != nil {
		return nil, err
	}
	return &b, nil
}

// nextPage returns the page a search set's next link leads to, or nil on the last
// page. A link to another origin is refused (see Client).
func (c *Client) nextPage(page *url.URL, links []fhirLink) (*url.URL, error) {
	for _, l := range links {
		if l.Relation != "next" {
			continue
		}
		ref, err := url.Parse(l.URL)
		if err != nil {
			return nil, &BadResponseError{URL: displayURL(page), Problem: fmt.Sprintf("next link: %v", err)}
		}
		next := page.ResolveReference(ref)
		next.Fragment = ""
		if !sameOrigin(next, c.base) {
			return nil, &BadResponseError{URL: displayURL(page), Problem: fmt.Sprintf("next link leads to %s, another origin than %s", origin(next), origin(c.base))}
		}
		return next, nil
	}
	return nil, nil
}

// badBundle turns a bundle the parser refused into the client's error.
func badBundle(where string, err error) error {
	return &BadResponseError{URL: where, Problem: strings.TrimPrefix(err.Error(), "registry: "), Err: err}
}

// The search set shapes (FHIR R4 Bundle: total, link, entry.search.mode).

type fhirSearchBundle struct {
	ResourceType string            `json:"resourceType"`
	Type         string            `json:"type"`
	Total        *int              `json:"total"`
	Link         []fhirLink        `json:"link"`
	Entry        []fhirSearchEntry `json:"entry"`
}

type fhirLink struct {
	Relation string `json:"relation"`
	URL      string `json:"url"`
}

type fhirSearchEntry struct {
	fhirEntry
	Search *struct {
		Mode string `json:"mode"`
	} `json:"search"`
}

// mode returns the entry's search mode; an entry without one counts as a match.
func (e *fhirSearchEntry) mode() string {
	if e.Search == nil || e.Search.Mode == "" {
		return "match"
	}
	return e.Search.Mode
}
