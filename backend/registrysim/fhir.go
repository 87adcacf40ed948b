package registrysim

// fhir.go: the FHIR R4 REST subset both registries answer (the shared FHIR conventions):
// metadata, read, and the searches the kiosk's client makes, with paging and
// OperationOutcome errors. The writes, POST Communication and POST AuditEvent, are in
// report.go and auditevent.go.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// fhirJSON is the media type of every FHIR answer (FHIR R4 http.html, "Content Types
// and encodings"; FHIR JSON is always UTF-8).
const fhirJSON = "application/fhir+json"

// Page sizes: _count when the request gives none, and the most a page holds.
const (
	defaultCount = 20
	maxCount     = 100
)

// servedType reports whether typ is a resource type with read and search.
func servedType(typ string) bool {
	switch typ {
	case "Patient", "Immunization", "Observation", "Condition":
		return true
	}
	return false
}

// includePerformer is the only _include served: the Organizations that gave the doses.
const includePerformer = "Immunization:performer"

// Handler serves the local registry under /fhir/, the federal one under
// /federal/fhir/, and the fault switches at /admin/faults.
func (r *Registry) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/fhir/", r.withFaults(Local, &endpoint{reg: r, registry: Local, prefix: "/fhir"}))
	mux.Handle("/federal/fhir/", r.withFaults(Federal, &endpoint{reg: r, registry: Federal, prefix: "/federal/fhir"}))
	mux.HandleFunc("/admin/faults", r.serveFaults)
	mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		writeOutcome(w, http.StatusNotFound, "not-found",
			fmt.Sprintf("nothing at %s: the registries are at /fhir and /federal/fhir", req.URL.Path))
	})
	return mux
}

// endpoint is one registry's FHIR base.
type endpoint struct {
	reg      *Registry
	registry string // Local or Federal
	prefix   string // the base URL's path
}

// requestError is a request the endpoint refuses, with the OperationOutcome's issue
// code (FHIR R4 valueset issue-type) and HTTP status.
type requestError struct {
	status int
	code   string
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &requestError{http.StatusBadRequest, "invalid", fmt.Sprintf(format, args...)}
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var err error
	k, reports := writable(strings.TrimPrefix(req.URL.Path, e.prefix+"/"))
	switch {
	case req.Method == http.MethodGet || req.Method == http.MethodHead:
		err = e.serve(w, req)
	case req.Method == http.MethodPost && reports:
		err = e.create(w, req, k)
	case reports:
		w.Header().Set("Allow", "GET, HEAD, POST")
		writeOutcome(w, http.StatusMethodNotAllowed, "not-supported", req.Method+" "+req.URL.Path+" is not served: reports are created with POST")
		return
	default:
		w.Header().Set("Allow", "GET, HEAD")
		writeOutcome(w, http.StatusMethodNotAllowed, "not-supported",
			"the demo registry is read-only but for reports and audit entries (POST "+e.prefix+"/"+reportType+", "+auditType+"): "+req.Method+" is not served")
		return
	}
	var re *requestError
	switch {
	case err == nil:
	case errors.As(err, &re):
		writeOutcome(w, re.status, re.code, re.msg)
	case req.Context().Err() != nil:
		// The client has gone, or the server is stopping: close the connection
		// rather than answer with half an answer.
		panic(http.ErrAbortHandler)
	default:
		writeOutcome(w, http.StatusInternalServerError, "exception", "registrysim: "+err.Error())
	}
}

func (e *endpoint) serve(w http.ResponseWriter, req *http.Request) error {
	params, err := url.ParseQuery(req.URL.RawQuery)
	if err != nil {
		return badRequest("the query is malformed: %v", err)
	}
	if err := checkFormat(params); err != nil {
		return err
	}
	pretty := params.Get("_pretty") == "true"
	rest := strings.TrimPrefix(req.URL.Path, e.prefix+"/")
	parts := strings.Split(rest, "/")
	switch {
	case rest == "metadata":
		return writeJSON(w, http.StatusOK, pretty, e.capability(req))
	case rest == "":
		return badRequest("a search names a resource type: %s/Patient?identifier=…", e.prefix)
	case parts[0] == reportType || parts[0] == auditType:
		k, _ := writable(parts[0])
		return e.serveReports(w, req, k, parts[1:], params)
	case !servedType(parts[0]):
		return &requestError{http.StatusBadRequest, "not-supported",
			fmt.Sprintf("resource type %q is not served: this registry serves Patient, Immunization, Observation, Condition, Communication and AuditEvent", parts[0])}
	case len(parts) == 1:
		return e.search(w, req, parts[0], params)
	case len(parts) == 2 && parts[1] != "":
		if err := onlyParams(params, parts[0]+" read"); err != nil {
			return err
		}
		s, err := e.reg.read(req.Context(), e.registry, parts[0], parts[1])
		if errors.Is(err, errNotFound) {
			return &requestError{http.StatusNotFound, "not-found", fmt.Sprintf("%s/%s is not in the %s registry", parts[0], parts[1], e.registry)}
		}
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, pretty, s.body)
	}
	return &requestError{http.StatusNotFound, "not-found", fmt.Sprintf("nothing at %s", req.URL.Path)}
}

// controlParam reports whether name is a general parameter, one every interaction
// accepts (FHIR R4 http.html, "General parameters").
func controlParam(name string) bool {
	return name == "_format" || name == "_pretty" || name == "_total"
}

// checkFormat refuses a _format other than JSON: the registry serves nothing else.
func checkFormat(params url.Values) error {
	f := params.Get("_format")
	switch {
	case f == "", f == "json", strings.HasPrefix(f, "application/json"), strings.HasPrefix(f, fhirJSON):
		return nil
	}
	return &requestError{http.StatusNotAcceptable, "not-supported", fmt.Sprintf("_format %q: the registry serves JSON only", f)}
}

// onlyParams refuses any parameter beyond the control parameters and allowed, and any
// parameter given more than once.
func onlyParams(params url.Values, what string, allowed ...string) error {
	for name, values := range params {
		known := controlParam(name)
		for _, a := range allowed {
			known = known || name == a
		}
		if !known {
			if len(allowed) == 0 {
				return badRequest("%s takes no parameter %q", what, name)
			}
			return badRequest("%s: unknown parameter %q (served: %s)", what, name, strings.Join(allowed, ", "))
		}
		if len(values) > 1 {
			return badRequest("%s: parameter %q given %d times", what, name, len(values))
		}
	}
	return nil
}

// search answers GET [base]/[type]?… with a searchset Bundle.
func (e *endpoint) search(w http.ResponseWriter, req *http.Request, typ string, params url.Values) error {
	var q query
	include := false
	what := typ + " search"
	switch typ {
	case "Patient":
		if err := onlyParams(params, what, "identifier", "_count", "_offset"); err != nil {
			return err
		}
		token := params.Get("identifier")
		if token == "" {
			return badRequest("a Patient search needs identifier=system|value")
		}
		system, value, found := strings.Cut(token, "|")
		if !found {
			system, value = "", token // a bare value matches any system
		}
		value = normalizeIdentifier(system, value)
		if value == "" {
			return badRequest("identifier %q has no value", token)
		}
		q = patientQuery(e.registry, system, value)
	case "Immunization":
		if err := onlyParams(params, what, "patient", "_include", "_count", "_offset"); err != nil {
			return err
		}
		if inc := params.Get("_include"); inc != "" {
			if inc != includePerformer {
				return badRequest("_include %q: only %s is served", inc, includePerformer)
			}
			include = true
		}
		id, err := patientParam(params, "patient")
		if err != nil {
			return err
		}
		q = recordQuery(e.registry, typ, id)
	default: // Observation, Condition
		if err := onlyParams(params, what, "subject", "patient", "_count", "_offset"); err != nil {
			return err
		}
		if params.Has("subject") && params.Has("patient") {
			return badRequest("%s: give subject or patient, not both", what)
		}
		name := "subject"
		if params.Has("patient") {
			name = "patient"
		}
		id, err := patientParam(params, name)
		if err != nil {
			return err
		}
		q = recordQuery(e.registry, typ, id)
	}
	count, err := intParam(params, "_count", defaultCount)
	if err != nil {
		return err
	}
	count = min(count, maxCount)
	offset, err := intParam(params, "_offset", 0)
	if err != nil {
		return err
	}

	total, found, err := e.reg.page(req.Context(), q, offset, count)
	if err != nil {
		return err
	}
	origin := requestOrigin(req)
	base := origin + e.prefix
	b := fhirBundle{ResourceType: "Bundle", Type: "searchset", Total: total}
	b.Link = append(b.Link, fhirLink{Relation: "self", URL: origin + req.URL.RequestURI()})
	if count > 0 && offset+count < total {
		next := make(url.Values, len(params)+2)
		for k, v := range params {
			next[k] = v
		}
		next.Set("_count", strconv.Itoa(count))
		next.Set("_offset", strconv.Itoa(offset+count))
		b.Link = append(b.Link, fhirLink{Relation: "next", URL: origin + req.URL.Path + "?" + next.Encode()})
	}
	for _, s := range found {
		b.Entry = append(b.Entry, fhirEntry{FullURL: base + "/" + s.typ + "/" + s.id, Resource: s.body, Search: fhirSearch{Mode: "match"}})
	}
	if include {
		orgs, err := e.performers(req.Context(), found)
		if err != nil {
			return err
		}
		for _, s := range orgs {
			b.Entry = append(b.Entry, fhirEntry{FullURL: base + "/" + s.typ + "/" + s.id, Resource: s.body, Search: fhirSearch{Mode: "include"}})
		}
	}
	return writeJSON(w, http.StatusOK, params.Get("_pretty") == "true", b)
}

// performers returns the Organizations the Immunizations name as performers, each once.
func (e *endpoint) performers(ctx context.Context, imms []stored) ([]stored, error) {
	var ids []string
	seen := map[string]bool{}
	for _, s := range imms {
		var im struct {
			Performer []fhirPerformer `json:"performer"`
		}
		if err := json.Unmarshal(s.body, &im); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", s.typ, s.id, err)
		}
		for _, p := range im.Performer {
			id, ok := strings.CutPrefix(p.Actor.Reference, "Organization/")
			if ok && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return e.reg.readAll(ctx, e.registry, "Organization", ids)
}

// patientParam reads a reference search parameter that names a Patient: "Patient/id",
// an absolute URL ending in Patient/id, or a bare id.
func patientParam(params url.Values, name string) (string, error) {
	ref := strings.TrimSpace(params.Get(name))
	if ref == "" {
		return "", badRequest("the search needs %s=Patient/{id}: the registry does not list everyone's records", name)
	}
	id := ref
	if i := strings.LastIndex(ref, "Patient/"); i >= 0 {
		id = ref[i+len("Patient/"):]
	}
	if id == "" || strings.ContainsAny(id, "/?#") {
		return "", badRequest("%s=%q is not a Patient reference", name, ref)
	}
	return id, nil
}

// intParam reads a non-negative integer parameter.
func intParam(params url.Values, name string, def int) (int, error) {
	s := params.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, badRequest("%s=%q is not a non-negative integer", name, s)
	}
	return n, nil
}

// requestOrigin is the scheme and host the client addressed, for absolute links.
func requestOrigin(req *http.Request) string {
	scheme := "http"
	if req.TLS != nil {
		scheme = "https"
	}
	host := req.Host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host
}

// capability is the CapabilityStatement of GET [base]/metadata (FHIR R4
// capabilitystatement.html): the four seeded resource types, each with read and its
// searches, and Communication, the reports, and AuditEvent, the audit entries, with
// conditional create.
func (e *endpoint) capability(req *http.Request) fhirCapability {
	rw := []fhirInteraction{{"read"}, {"search-type"}}
	ref := func(names ...string) []fhirSearchParam {
		var out []fhirSearchParam
		for _, n := range names {
			out = append(out, fhirSearchParam{n, "reference"})
		}
		return out
	}
	c := fhirCapability{
		ResourceType: "CapabilityStatement",
		Status:       "active",
		Date:         e.reg.start.UTC().Format(time.RFC3339),
		Publisher:    "CertKiosk",
		Kind:         "instance",
		FHIRVersion:  "4.0.1",
		Format:       []string{"json"},
	}
	c.Software.Name = "CertKiosk registry-sim"
	c.Implementation.Description = "CertKiosk demo registry (" + e.registry + ")"
	c.Implementation.URL = requestOrigin(req) + e.prefix
	c.Rest = []fhirRest{{Mode: "server", Resource: []fhirRestResource{
		{Type: "Patient", Interaction: rw, SearchParam: []fhirSearchParam{{"identifier", "token"}}},
		{Type: "Immunization", Interaction: rw, SearchInclude: []string{includePerformer}, SearchParam: ref("patient")},
		{Type: "Observation", Interaction: rw, SearchParam: ref("subject", "patient")},
		{Type: "Condition", Interaction: rw, SearchParam: ref("subject", "patient")},
		{Type: reportType, Interaction: []fhirInteraction{{"create"}, {"read"}, {"vread"}, {"search-type"}},
			ConditionalCreate: true, SearchParam: []fhirSearchParam{{"identifier", "token"}}},
		{Type: auditType, Interaction: []fhirInteraction{{"create"}, {"read"}, {"vread"}, {"search-type"}},
			ConditionalCreate: true, SearchParam: ref("entity")},
	}}}
	return c
}

// writeJSON writes v as the answer, with its length, so a client never sees half a body.
func writeJSON(w http.ResponseWriter, status int, pretty bool, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if pretty {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", fhirJSON)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

// writeOutcome answers with an OperationOutcome of one error issue.
func writeOutcome(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, false, fhirOutcome{
		ResourceType: "OperationOutcome",
		Issue:        []fhirIssue{{Severity: "error", Code: code, Diagnostics: msg}},
	})
}
