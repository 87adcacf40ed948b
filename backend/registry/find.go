package registry

// find.go: Find, a person's record gathered from the Patient, Immunization, Observation and Condition searches.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Find searches the registry for the Patient with the identifier id, then for that
// person's Immunization (with the Organizations that performed them), Observation and
// Condition resources, and returns them as a Record with every resource's Source set to
// the client's. A SNILS is searched without its separators; other values as given.
//
// The whole search is bounded by Options.Timeout. An error wraps one of ErrNotFound,
// ErrUnreachable and ErrBadResponse; or ctx's error when ctx is cancelled; or none of
// them for an identifier without system or value, or a SNILS that is not 11 digits.
func (c *Client) Find(ctx context.Context, id Identifier) (*Record, error) {
	value, err := storedValue(id)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()

	patient, err := c.findPatient(ctx, Identifier{System: id.System, Value: value})
	if err != nil {
		return nil, err
	}
	g := gathered{seen: map[string]bool{}}
	g.add(patient)
	ref := "Patient/" + patient.id
	count := strconv.Itoa(pageSize)
	searches := []struct {
		resourceType string
		params       url.Values
	}{
		{"Immunization", url.Values{"patient": {ref}, "_include": {"Immunization:performer"}, "_count": {count}}},
		{"Observation", url.Values{"subject": {ref}, "_count": {count}}},
		{"Condition", url.Values{"subject": {ref}, "_count": {count}}},
	}
	for _, s := range searches {
		pages, err := c.search(ctx, s.resourceType, s.params)
		if err != nil {
			return nil, err
		}
		for _, pg := range pages {
			for i := range pg.entries {
				// The Patient is the one found; another Patient here is ignored, and a
				// resource that refers to it is refused by the parser.
				e := &pg.entries[i]
				if h := peek(e.Resource); e.mode() != "outcome" && h.ResourceType != "Patient" {
					g.add(sourcedEntry{entry: e.fhirEntry, page: pg.url, index: i, head: h})
				}
			}
		}
	}
	rec, err := parseEntries(g.entries, c.base.String())
	if err != nil {
		var bad *badEntryError
		if errors.As(err, &bad) {
			// Name the entry by its place on the page it was read from.
			at := g.from[bad.index]
			return nil, badBundle(at.page, &badEntryError{index: at.index, ref: bad.ref, problem: bad.problem})
		}
		return nil, badBundle(patient.page, err)
	}
	rec.SetSource(c.opts.Source)
	return rec, nil
}

// sourcedEntry is a search set entry and where it was read.
type sourcedEntry struct {
	entry fhirEntry
	page  string // the page's URL, as displayed
	index int    // the entry's index on its page
	head  resourceHead
	id    string // the Patient's id, for the Patient found
}

// gathered is the entries of all searches of one record, each resource once.
type gathered struct {
	entries []fhirEntry
	from    []sourcedEntry
	seen    map[string]bool // "Type/id" of the resources kept
}

// add keeps e unless a resource of the same type and id was kept already: a server may
// include the same Organization on several pages. An entry without a readable type and
// id is kept, for the parser to name its fault.
func (g *gathered) add(e sourcedEntry) {
	if e.head.ResourceType != "" && e.head.ID != "" {
		key := e.head.ResourceType + "/" + e.head.ID
		if g.seen[key] {
			return
		}
		g.seen[key] = true
	}
	g.entries = append(g.entries, e.entry)
	g.from = append(g.from, e)
}

// resourceHead is what every resource has.
type resourceHead struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
}

// peek reads a resource's type and id; both are "" when it cannot be read.
func peek(raw json.RawMessage) resourceHead {
	var h resourceHead
	if json.Unmarshal(raw, &h) != nil {
		return resourceHead{}
	}
	return h
}

// findPatient runs the Patient search and returns the one Patient entry matched.
func (c *Client) findPatient(ctx context.Context, id Identifier) (sourcedEntry, error) {
	pages, err := c.search(ctx, "Patient", url.Values{"identifier": {searchToken(id.System, id.Value)}})
	var bad *BadResponseError
	if errors.As(err, &bad) && bad.StatusCode == http.StatusNotFound {
		return sourcedEntry{}, fmt.Errorf("%w (%s; the Patient search answered HTTP 404)", ErrNotFound, id.System)
	}
	if err != nil {
		return sourcedEntry{}, err
	}
	var matches []sourcedEntry
	for _, pg := range pages {
		for i := range pg.entries {
			e := &pg.entries[i]
			if h := peek(e.Resource); e.mode() == "match" && h.ResourceType == "Patient" {
				matches = append(matches, sourcedEntry{entry: e.fhirEntry, page: pg.url, index: i, head: h})
			}
		}
	}
	first := pages[0]
	switch {
	case len(matches) == 0 && first.total != nil && *first.total > 0:
		return sourcedEntry{}, &BadResponseError{URL: first.url, Problem: fmt.Sprintf("total is %d, but no Patient entry matches", *first.total)}
	case len(matches) == 0:
		return sourcedEntry{}, fmt.Errorf("%w (%s)", ErrNotFound, id.System)
	case len(matches) > 1:
		return sourcedEntry{}, &BadResponseError{URL: first.url, Problem: fmt.Sprintf("%d Patients match the identifier, want one", len(matches))}
	}
	m := matches[0]
	ref := "Patient/" + m.head.ID
	pt, err := parsePatient(m.entry.Resource)
	if err != nil {
		// Refused here rather than by the parser at the end, to spare the other searches.
		return sourcedEntry{}, badBundle(m.page, entryError(m.index, ref, "%v", err))
	}
	if !validID(pt.ID) {
		return sourcedEntry{}, badBundle(m.page, entryError(m.index, ref, "id: %q is not a FHIR id", pt.ID))
	}
	if !carries(pt.Identifiers, id) {
		// A registry that answers with somebody else must not have that person's
		// record printed.
		return sourcedEntry{}, badBundle(m.page, entryError(m.index, ref, "identifier: the Patient does not carry the %s searched for", id.System))
	}
	m.id = pt.ID
	return m, nil
}

// carries reports whether ids hold id, the values compared as stored.
func carries(ids []Identifier, id Identifier) bool {
	for _, have := range ids {
		if have.System != id.System {
			continue
		}
		if v, err := storedValue(have); err == nil && v == id.Value {
			return true
		}
	}
	return false
}

// validID reports whether s is a FHIR id: 1 to 64 letters, digits, '-' and '.'
// (FHIR R4 datatypes, "id").
func validID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}
