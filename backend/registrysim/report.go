package registrysim

// report.go: the one resource the registries take from their clients, the kiosk's
// reports of the certificates it issued. A report is a FHIR R4 Communication created
// with POST [base]/Communication, usually as a conditional create (If-None-Exist, FHIR
// R4 http.html "Conditional create") so that a report sent again is stored once; a
// read and a search by identifier show what was stored.

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// reportType is the resource type of a report.
const reportType = "Communication"

// maxReportBody caps the body of a POST Communication. The kiosk's reports are a few
// hundred bytes; the cap only stops a runaway client.
const maxReportBody = 64 << 10

// reportVersion is the version of every stored report: reports are never updated.
const reportVersion = "1"

// eventStatus reports whether s is a code of Communication.status (FHIR R4 valueset
// event-status).
func eventStatus(s string) bool {
	switch s {
	case "preparation", "in-progress", "not-done", "on-hold", "stopped", "completed", "entered-in-error", "unknown":
		return true
	}
	return false
}

// identifierToken is the value of an identifier search parameter: system|value, where an
// empty system matches any.
type identifierToken struct {
	system, value string
}

// parseIdentifierToken reads system|value, or a bare value that matches any system.
func parseIdentifierToken(token string) (identifierToken, error) {
	system, value, found := strings.Cut(token, "|")
	if !found {
		system, value = "", token
	}
	if value == "" {
		return identifierToken{}, badRequest("identifier %q has no value", token)
	}
	return identifierToken{system: system, value: value}, nil
}

// written is a resource type the registries take from their clients: its name, the
// search parameter that finds it by identifier (and that its conditional create
// names), and what checks a body and makes it ready to store.
type written struct {
	typ   string
	param string
	parse func(body []byte, id string, now time.Time) (newReport, error)
}

// communications are the kiosk's reports of the certificates it issued.
var communications = written{typ: reportType, param: "identifier", parse: parseReport}

// serveReports answers GET and HEAD under [base]/{k.typ}: the search (rest empty),
// the read ({id}) and the read of the one version ({id}/_history/1).
func (e *endpoint) serveReports(w http.ResponseWriter, req *http.Request, k written, rest []string, params url.Values) error {
	pretty := params.Get("_pretty") == "true"
	if len(rest) == 0 {
		if err := onlyParams(params, k.typ+" search", k.param); err != nil {
			return err
		}
		token := params.Get(k.param)
		if token == "" {
			return badRequest("a %s search needs %s=system|value", k.typ, k.param)
		}
		ident, err := parseIdentifierToken(token)
		if err != nil {
			return err
		}
		found, err := e.reg.reports(req.Context(), e.registry, k.typ, ident)
		if err != nil {
			return err
		}
		origin := requestOrigin(req)
		b := fhirBundle{ResourceType: "Bundle", Type: "searchset", Total: len(found)}
		b.Link = append(b.Link, fhirLink{Relation: "self", URL: origin + req.URL.RequestURI()})
		for _, s := range found {
			b.Entry = append(b.Entry, fhirEntry{FullURL: origin + e.prefix + "/" + s.typ + "/" + s.id, Resource: s.body, Search: fhirSearch{Mode: "match"}})
		}
		return writeJSON(w, http.StatusOK, pretty, b)
	}
	id := rest[0]
	versioned := len(rest) == 3 && rest[1] == "_history" && rest[2] != ""
	if id == "" || len(rest) != 1 && !versioned {
		return &requestError{http.StatusNotFound, "not-found", fmt.Sprintf("nothing at %s", req.URL.Path)}
	}
	if err := onlyParams(params, k.typ+" read"); err != nil {
		return err
	}
	s, err := e.reg.readReport(req.Context(), e.registry, k.typ, id)
	if errors.Is(err, errNotFound) || err == nil && versioned && rest[2] != reportVersion {
		return &requestError{http.StatusNotFound, "not-found", fmt.Sprintf("%s is not in the %s registry", strings.Join(append([]string{k.typ}, rest...), "/"), e.registry)}
	}
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `W/"`+reportVersion+`"`)
	return writeJSON(w, http.StatusOK, pretty, s.body)
}

// create answers POST [base]/{k.typ}: it stores the resource in the body, or, when
// If-None-Exist names an identifier a stored one has, answers 200 with that one.
func (e *endpoint) create(w http.ResponseWriter, req *http.Request, k written) error {
	params, err := url.ParseQuery(req.URL.RawQuery)
	if err != nil {
		return badRequest("the query is malformed: %v", err)
	}
	if err := checkFormat(params); err != nil {
		return err
	}
	if err := onlyParams(params, k.typ+" create"); err != nil {
		return err
	}
	if err := checkBodyType(req.Header.Get("Content-Type")); err != nil {
		return err
	}
	var cond *identifierToken
	if h := req.Header.Values("If-None-Exist"); len(h) > 0 {
		ident, err := parseIfNoneExist(h, k.param)
		if err != nil {
			return err
		}
		cond = &ident
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxReportBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &requestError{http.StatusRequestEntityTooLarge, "too-costly",
			fmt.Sprintf("the body is larger than %d KiB", maxReportBody>>10)}
	}
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	rep, err := k.parse(body, rand.Text(), now)
	if err != nil {
		return err
	}
	s, created, err := e.reg.createReport(req.Context(), e.registry, k.typ, rep, cond)
	if errors.Is(err, errMultipleMatches) {
		return &requestError{http.StatusPreconditionFailed, "multiple-matches",
			fmt.Sprintf("If-None-Exist matches more than one %s in the %s registry", k.typ, e.registry)}
	}
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `W/"`+reportVersion+`"`)
	status := http.StatusOK // the report was stored already: nothing was written
	if created {
		w.Header().Set("Location", requestOrigin(req)+e.prefix+"/"+k.typ+"/"+s.id+"/_history/"+reportVersion)
		w.Header().Set("Last-Modified", now.Format(http.TimeFormat))
		status = http.StatusCreated
	}
	return writeJSON(w, status, params.Get("_pretty") == "true", s.body)
}

// checkBodyType refuses a body that is not FHIR JSON (or plain JSON).
func checkBodyType(contentType string) error {
	if contentType == "" {
		return &requestError{http.StatusUnsupportedMediaType, "not-supported", "the body has no Content-Type: send " + fhirJSON}
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != fhirJSON && mt != "application/json" {
		return &requestError{http.StatusUnsupportedMediaType, "not-supported",
			fmt.Sprintf("Content-Type %q: the registry takes %s only", contentType, fhirJSON)}
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return &requestError{http.StatusUnsupportedMediaType, "not-supported",
			fmt.Sprintf("charset %q: FHIR JSON is UTF-8", cs)}
	}
	return nil
}

// parseIfNoneExist reads the If-None-Exist header: the query part of a search URL
// (FHIR R4 http.html "Conditional create"), of which the registry serves one
// parameter, param: identifier (or, for an AuditEvent, entity:identifier).
func parseIfNoneExist(header []string, param string) (identifierToken, error) {
	if len(header) > 1 {
		return identifierToken{}, badRequest("If-None-Exist is given %d times", len(header))
	}
	crit, err := url.ParseQuery(strings.TrimPrefix(strings.TrimSpace(header[0]), "?"))
	if err != nil {
		return identifierToken{}, badRequest("If-None-Exist %q is malformed: %v", header[0], err)
	}
	if err := onlyParams(crit, "If-None-Exist", param); err != nil {
		return identifierToken{}, err
	}
	token := crit.Get(param)
	if token == "" {
		return identifierToken{}, badRequest("If-None-Exist %q names no identifier: give %s=system|value", header[0], param)
	}
	return parseIdentifierToken(token)
}

// reportFields are the elements of a Communication the registry checks.
type reportFields struct {
	ResourceType string           `json:"resourceType"`
	Status       string           `json:"status"`
	Identifier   []fhirIdentifier `json:"identifier"`
}

// parseReport checks that body is a FHIR JSON Communication with a status and at least
// one identifier, and returns it as it is stored: with the id given and the meta of
// its first version (FHIR R4 http.html "create": the server assigns both).
func parseReport(body []byte, id string, now time.Time) (newReport, error) {
	elems, err := decodeObject(body, reportType)
	if err != nil {
		return newReport{}, err
	}
	var f reportFields
	if err := json.Unmarshal(body, &f); err != nil {
		return newReport{}, badRequest("the body is not a valid Communication: %v", err)
	}
	switch {
	case f.ResourceType != reportType:
		return newReport{}, badRequest("resourceType %q: the registry takes a Communication here", f.ResourceType)
	case f.Status == "":
		return newReport{}, badRequest("the Communication has no status")
	case !eventStatus(f.Status):
		return newReport{}, badRequest("status %q is not a Communication status (event-status)", f.Status)
	case len(f.Identifier) == 0:
		return newReport{}, badRequest("the Communication has no identifier: a report needs one to be found again")
	}
	for i, ident := range f.Identifier {
		if strings.TrimSpace(ident.Value) == "" {
			return newReport{}, badRequest("identifier[%d] has no value", i)
		}
	}

	out, err := storedBody(reportType, id, elems, now)
	if err != nil {
		return newReport{}, err
	}
	return newReport{id: id, identifiers: f.Identifier, body: out}, nil
}

// decodeObject reads a body that must be one JSON object, a resource of type typ,
// into its elements.
func decodeObject(body []byte, typ string) (map[string]json.RawMessage, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, badRequest("the body is empty: send a %s", typ)
	}
	if !utf8.Valid(body) {
		return nil, badRequest("the body is not UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var elems map[string]json.RawMessage
	if err := dec.Decode(&elems); err != nil || elems == nil {
		return nil, badRequest("the body is not a JSON object: send a %s", typ)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("the body has more after its JSON object")
	}
	return elems, nil
}

// storedBody returns a created resource of type typ, whose elements are elems, as it
// is stored: with the id given and the meta of its first version (FHIR R4 http.html
// "create": the server assigns both), resourceType, id and meta first, the rest by
// name.
func storedBody(typ, id string, elems map[string]json.RawMessage, now time.Time) ([]byte, error) {
	meta := map[string]json.RawMessage{}
	if raw, ok := elems["meta"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &meta); err != nil || meta == nil {
			return nil, badRequest("meta is not a JSON object")
		}
	}
	meta["versionId"] = json.RawMessage(`"` + reportVersion + `"`)
	meta["lastUpdated"] = json.RawMessage(`"` + now.Format(time.RFC3339Nano) + `"`)
	delete(elems, "resourceType")
	delete(elems, "id") // the server's id replaces any the client gave
	delete(elems, "meta")

	var buf bytes.Buffer
	buf.WriteString(`{"resourceType":` + mustJSON(typ) + `,"id":` + mustJSON(id) + `,"meta":` + objectJSON(meta))
	for _, k := range slices.Sorted(maps.Keys(elems)) {
		buf.WriteString("," + mustJSON(k) + ":")
		buf.Write(elems[k])
	}
	buf.WriteByte('}')
	var out bytes.Buffer
	if err := json.Compact(&out, buf.Bytes()); err != nil {
		return nil, fmt.Errorf("registrysim: the stored %s: %w", typ, err)
	}
	return out.Bytes(), nil
}

// objectJSON writes m as a JSON object with its keys sorted.
func objectJSON(m map[string]json.RawMessage) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(mustJSON(k) + ":")
		b.Write(m[k])
	}
	b.WriteByte('}')
	return b.String()
}

// mustJSON is s as a JSON string; marshalling a string cannot fail.
func mustJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
