package registry

// fakeregistry_test.go: a small FHIR R4 search API for the tests, serving one person in pages.

import (
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeEntry is a resource of a search set and the resources included with it. In
// resources, "{base}" stands for the server's base URL.
type fakeEntry struct {
	resource string
	include  []string
}

// fakeRegistry answers the searches of the FHIR conventions for one Patient, pageSize
// entries (and their includes) per page, and records the requests it gets.
type fakeRegistry struct {
	token     string // the identifier search token the Patient is found by
	patientID string
	patient   string
	resources map[string][]fakeEntry // by resource type
	pageSize  int
	// noFullURL leaves out the entries' fullUrl, so that absolute references resolve
	// only through the client's base URL.
	noFullURL bool

	mu       sync.Mutex
	requests []*url.URL
}

func (f *fakeRegistry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.URL)
	f.mu.Unlock()
	if got := r.Header.Get("Accept"); got != mediaFHIRJSON {
		serveFHIR(w, http.StatusNotAcceptable, outcome("Accept is "+got))
		return
	}
	base := "http://" + r.Host + "/fhir"
	if r.TLS != nil {
		base = "https://" + r.Host + "/fhir"
	}
	q := r.URL.Query()
	subject := "Patient/" + f.patientID
	var matches []fakeEntry
	switch rt := path.Base(r.URL.Path); rt {
	case "metadata":
		serveFHIR(w, http.StatusOK, `{"resourceType":"CapabilityStatement","status":"active","fhirVersion":"4.0.1","format":["json"]}`)
		return
	case "Patient":
		if q.Get("identifier") == f.token {
			matches = []fakeEntry{{resource: f.patient}}
		}
	case "Immunization":
		if q.Get("patient") == subject && q.Get("_include") == "Immunization:performer" {
			matches = f.resources[rt]
		}
	case "Observation", "Condition":
		if q.Get("subject") == subject {
			matches = f.resources[rt]
		}
	default:
		serveFHIR(w, http.StatusBadRequest, outcome("unknown resource type "+rt))
		return
	}
	size := f.pageSize
	if size == 0 {
		size = 100
	}
	page, _ := strconv.Atoi(q.Get("page"))
	lo, hi := min(page*size, len(matches)), min((page+1)*size, len(matches))
	var entries []any
	add := func(res, mode string) {
		res = strings.ReplaceAll(res, "{base}", base)
		var head resourceHead
		json.Unmarshal([]byte(res), &head)
		e := map[string]any{"resource": json.RawMessage(res), "search": map[string]string{"mode": mode}}
		if !f.noFullURL {
			e["fullUrl"] = base + "/" + head.ResourceType + "/" + head.ID
		}
		entries = append(entries, e)
	}
	for _, m := range matches[lo:hi] {
		add(m.resource, "match")
		for _, inc := range m.include {
			add(inc, "include")
		}
	}
	bundle := map[string]any{"resourceType": "Bundle", "type": "searchset", "total": len(matches), "entry": entries}
	if hi < len(matches) {
		q.Set("page", strconv.Itoa(page+1))
		next := *r.URL
		next.Scheme, next.Host, next.RawQuery = "http", r.Host, q.Encode()
		if r.TLS != nil {
			next.Scheme = "https"
		}
		bundle["link"] = []map[string]string{{"relation": "next", "url": next.String()}}
	}
	data, err := json.Marshal(bundle)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	serveFHIR(w, http.StatusOK, string(data))
}

// requested returns the requests received for a resource type.
func (f *fakeRegistry) requested(resourceType string) []*url.URL {
	f.mu.Lock()
	defer f.mu.Unlock()
	var us []*url.URL
	for _, u := range f.requests {
		if path.Base(u.Path) == resourceType {
			us = append(us, u)
		}
	}
	return us
}

func serveFHIR(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", mediaFHIRJSON)
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func outcome(diagnostics string) string {
	data, _ := json.Marshal(map[string]any{
		"resourceType": "OperationOutcome",
		"issue":        []map[string]string{{"severity": "error", "code": "invalid", "diagnostics": diagnostics}},
	})
	return string(data)
}

// petrov is Иван Петров of the demo registry: two Sputnik V components given by two
// Moscow polyclinics and a third dose by the first, a positive and a negative PCR, and
// a recovered U07.1 resting on the positive one. Served one entry per page, his record
// takes three Immunization pages, each including its Organization, and two
// Observation pages.
func petrov() *fakeRegistry {
	const org1 = `{"resourceType":"Organization","id":"org-gp1","name":"ГБУЗ ГП № 1","address":[{"country":"RU","state":"Москва"}]}`
	const org2 = `{"resourceType":"Organization","id":"org-gp2","name":"ГБУЗ ГП № 2","address":[{"country":"RU","state":"Москва"}]}`
	dose := func(id, date string, n int, org string) string {
		return `{"resourceType":"Immunization","id":"` + id + `","status":"completed",
			"vaccineCode":{"coding":[{"system":"https://id.uvci.eu/valuesets/vaccine-medicinal-product","code":"Sputnik-V"}]},
			"patient":{"reference":"Patient/ru-2001"},"occurrenceDateTime":"` + date + `","lotNumber":"L` + id + `",
			"performer":[{"actor":{"reference":"Organization/` + org + `"}}],
			"protocolApplied":[{"doseNumberPositiveInt":` + strconv.Itoa(n) + `,"seriesDosesPositiveInt":2}]}`
	}
	return &fakeRegistry{
		token:     "urn:ru:snils|11223344595",
		patientID: "ru-2001",
		patient: `{"resourceType":"Patient","id":"ru-2001",
			"identifier":[{"system":"urn:ru:snils","value":"11223344595"}],
			"name":[{"use":"official","family":"Петров","given":["Иван"]}],"birthDate":"1970-04-12"}`,
		pageSize:  1,
		noFullURL: true,
		resources: map[string][]fakeEntry{
			"Immunization": {
				{resource: dose("imm-1", "2026-09-03", 1, "org-gp1"), include: []string{org1}},
				{resource: dose("imm-2", "2026-09-24", 2, "org-gp2"), include: []string{org2}},
				{resource: dose("imm-3", "2026-11-01", 3, "org-gp1"), include: []string{org1}},
			},
			"Observation": {
				{resource: `{"resourceType":"Observation","id":"obs-pos","status":"final",
					"code":{"coding":[{"system":"http://loinc.org","code":"94309-2"}]},
					"subject":{"reference":"{base}/Patient/ru-2001"},"effectiveDateTime":"2026-05-02T09:30:00+03:00",
					"valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"260373001"}]},
					"performer":[{"display":"Лаборатория Гемотест"}]}`},
				{resource: `{"resourceType":"Observation","id":"obs-neg","status":"final",
					"code":{"coding":[{"system":"http://loinc.org","code":"94309-2"}]},
					"subject":{"reference":"Patient/ru-2001"},"effectiveDateTime":"2026-05-20T10:00:00+03:00",
					"valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"260415000"}]},
					"performer":[{"display":"Лаборатория Гемотест"}]}`},
			},
			"Condition": {
				{resource: `{"resourceType":"Condition","id":"cond-1",
					"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"U07.1"}]},
					"subject":{"reference":"Patient/ru-2001"},"onsetDateTime":"2026-05-02","abatementDateTime":"2026-05-20",
					"evidence":[{"detail":[{"reference":"Observation/obs-pos"}]}]}`},
			},
		},
	}
}

// sleeper stands in for Options.Sleep: it records the waits and returns at once.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

func (s *sleeper) recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// newTestClient returns a client of base that records its waits instead of sleeping,
// with a seeded jitter and a 5 s time limit unless o says otherwise.
func newTestClient(t *testing.T, base string, o Options) (*Client, *sleeper) {
	t.Helper()
	s := &sleeper{}
	if o.Sleep == nil {
		o.Sleep = s.sleep
	}
	if o.Rand == nil {
		o.Rand = rand.New(rand.NewPCG(1, 2))
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	c, err := NewClient(base, o)
	if err != nil {
		t.Fatalf("NewClient(%q) = %v", base, err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c, s
}

// checkWaits checks that the waits recorded are n, each within its backoff ceiling.
func checkWaits(t *testing.T, c *Client, waits []time.Duration, n int) {
	t.Helper()
	if len(waits) != n {
		t.Fatalf("waits = %v, want %d of them", waits, n)
	}
	for i, w := range waits {
		if ceiling := backoffCeiling(c.opts.BackoffBase, c.opts.BackoffCap, i); w < 0 || w > ceiling {
			t.Errorf("wait %d = %v, want within [0, %v]", i, w, ceiling)
		}
	}
}
