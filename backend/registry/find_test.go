package registry

// find_test.go: Find against servers good and bad, identifiers, and the search set fuzz test.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestFind(t *testing.T) {
	reg := petrov()
	srv := httptest.NewServer(reg)
	defer srv.Close()
	c, waits := newTestClient(t, srv.URL+"/fhir/", Options{Source: SourceFederal})

	rec, err := c.Find(context.Background(), Identifier{SystemSNILS, "112-233-445 95"})
	if err != nil {
		t.Fatalf("Find(SNILS) = %v", err)
	}
	p := rec.Patient
	if p.ID != "ru-2001" || p.FamilyName != "Петров" || !slices.Equal(p.GivenNames, []string{"Иван"}) || p.BirthDate != "1970-04-12" {
		t.Errorf("Find(SNILS).Patient = %+v, want ru-2001 Петров Иван 1970-04-12", p)
	}

	type dose struct {
		id, performer, country string
		n                      int
	}
	var doses []dose
	for _, im := range rec.Immunizations {
		doses = append(doses, dose{im.ID, im.Performer, im.Country, im.DoseNumber})
	}
	wantDoses := []dose{{"imm-1", "ГБУЗ ГП № 1", "RU", 1}, {"imm-2", "ГБУЗ ГП № 2", "RU", 2}, {"imm-3", "ГБУЗ ГП № 1", "RU", 3}}
	if !slices.Equal(doses, wantDoses) {
		t.Errorf("Find(SNILS) doses = %v, want %v", doses, wantDoses)
	}
	if len(rec.Observations) != 2 || rec.Observations[0].Result.Code != SNOMEDDetected || rec.Observations[1].Result.Code != SNOMEDNotDetected {
		t.Errorf("Find(SNILS).Observations = %+v, want obs-pos detected, obs-neg not detected", rec.Observations)
	}
	if want := time.Date(2026, 5, 2, 6, 30, 0, 0, time.UTC); len(rec.Observations) > 0 && !rec.Observations[0].Effective.Equal(want) {
		t.Errorf("Find(SNILS).Observations[0].Effective = %v, want %v", rec.Observations[0].Effective, want)
	}
	if len(rec.Conditions) != 1 || !slices.Equal(rec.Conditions[0].Evidence, []string{"obs-pos"}) || rec.Conditions[0].Abatement == nil {
		t.Errorf("Find(SNILS).Conditions = %+v, want U07.1 recovered resting on obs-pos", rec.Conditions)
	}
	for _, src := range sources(rec) {
		if src != SourceFederal {
			t.Errorf("Find(SNILS) resource Source = %q, want %q", src, SourceFederal)
		}
	}

	pages := map[string]int{"Patient": 1, "Immunization": 3, "Observation": 2, "Condition": 1}
	for rt, want := range pages {
		if got := reg.requested(rt); len(got) != want {
			t.Errorf("%s requests = %v, want %d pages", rt, got, want)
		}
	}
	if got := reg.requested("Patient"); len(got) > 0 && got[0].Query().Get("identifier") != "urn:ru:snils|11223344595" {
		t.Errorf("Patient search identifier = %q, want urn:ru:snils|11223344595", got[0].Query().Get("identifier"))
	}
	if len(waits.recorded()) != 0 {
		t.Errorf("waits = %v, want none", waits.recorded())
	}
}

func sources(rec *Record) []Source {
	var s []Source
	for _, im := range rec.Immunizations {
		s = append(s, im.Source)
	}
	for _, o := range rec.Observations {
		s = append(s, o.Source)
	}
	for _, c := range rec.Conditions {
		s = append(s, c.Source)
	}
	return s
}

func TestFindNotFound(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"total 0", func(w http.ResponseWriter, r *http.Request) {
			serveFHIR(w, http.StatusOK, `{"resourceType":"Bundle","type":"searchset","total":0}`)
		}},
		{"no total, no entry", func(w http.ResponseWriter, r *http.Request) {
			serveFHIR(w, http.StatusOK, `{"resourceType":"Bundle","type":"searchset","entry":[]}`)
		}},
		{"only an outcome", func(w http.ResponseWriter, r *http.Request) {
			serveFHIR(w, http.StatusOK, `{"resourceType":"Bundle","type":"searchset","entry":[
				{"resource":{"resourceType":"OperationOutcome","issue":[]},"search":{"mode":"outcome"}}]}`)
		}},
		{"404", func(w http.ResponseWriter, r *http.Request) {
			serveFHIR(w, http.StatusNotFound, outcome("no such patient"))
		}},
		{"fake registry", petrov().ServeHTTP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c, _ := newTestClient(t, srv.URL+"/fhir", Options{})
			_, err := c.Find(context.Background(), Identifier{SystemSNILS, "223-344-556 39"})
			if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrBadResponse) || errors.Is(err, ErrUnreachable) {
				t.Errorf("Find(unknown SNILS) = %v, want ErrNotFound only", err)
			}
			if err != nil && strings.Contains(err.Error(), "22334455639") {
				t.Errorf("Find(unknown SNILS) = %v, which shows the identifier", err)
			}
		})
	}
}

// page returns a searchset page holding the resources given.
func page(resources ...string) string {
	var entries []string
	for _, r := range resources {
		entries = append(entries, `{"resource":`+r+`}`)
	}
	return `{"resourceType":"Bundle","type":"searchset","entry":[` + strings.Join(entries, ",") + `]}`
}

const (
	tammPatient = `{"resourceType":"Patient","id":"ee-1001","identifier":[{"system":"urn:ee:personal-code","value":"46003150224"}],
		"name":[{"family":"Tamm","given":["Mari"]}],"birthDate":"1960-03-15"}`
	otherPatient = `{"resourceType":"Patient","id":"ee-9999","identifier":[{"system":"urn:ee:personal-code","value":"37605030299"}],
		"name":[{"family":"Teine"}],"birthDate":"1976-05-03"}`
	dateless = `{"resourceType":"Immunization","id":"imm-b","status":"completed","patient":{"reference":"Patient/ee-1001"},
		"vaccineCode":{"coding":[{"code":"EU/1/20/1528"}]},"protocolApplied":[{"doseNumberPositiveInt":2}]}`
	goodDose = `{"resourceType":"Immunization","id":"imm-a","status":"completed","patient":{"reference":"Patient/ee-1001"},
		"vaccineCode":{"coding":[{"code":"EU/1/20/1528"}]},"occurrenceDateTime":"2026-07-25","protocolApplied":[{"doseNumberPositiveInt":1}]}`
)

// byResource answers each search with the page given for its resource type and page
// number ("Immunization", "Immunization?page=1"); an empty search set otherwise.
func byResource(pages map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		if p := r.URL.Query().Get("page"); p != "" {
			key += "?page=" + p
		}
		body, ok := pages[key]
		if !ok {
			body = page()
		}
		body = strings.ReplaceAll(body, "{server}", "http://"+r.Host)
		serveFHIR(w, http.StatusOK, body)
	}
}

func TestFindBadResponse(t *testing.T) {
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	endless := func(w http.ResponseWriter, r *http.Request) {
		n := len(r.URL.Query().Get("page"))
		serveFHIR(w, http.StatusOK, `{"resourceType":"Bundle","type":"searchset","entry":[],
			"link":[{"relation":"next","url":"http://`+r.Host+`/fhir/Patient?page=`+strings.Repeat("x", n+1)+`"}]}`)
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		urlPart string // in BadResponseError.URL
		problem string // in BadResponseError.Problem
		status  int
		bundle  bool // wraps ErrBadBundle
	}{
		{"garbage", func(w http.ResponseWriter, r *http.Request) {
			serveFHIR(w, http.StatusOK, "\x00\x01garbage")
		}, "/fhir/Patient?identifier=urn:ee:personal-code|***", "malformed FHIR bundle: invalid character", 0, true},
		{"html page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<html><body>Service temporarily moved</body></html>")
		}, "/fhir/Patient", `content type "text/html; charset=utf-8", want application/fhir+json`, 0, false},
		{"no content type", func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = nil
			io.WriteString(w, page())
		}, "/fhir/Patient", "no content type, want application/fhir+json", 0, false},
		{"not a bundle", func(w http.ResponseWriter, r *http.Request) {
			serveFHIR(w, http.StatusOK, tammPatient)
		}, "/fhir/Patient", `resourceType is "Patient", want "Bundle"`, 0, true},
		{"collection", func(w http.ResponseWriter, r *http.Request) {
			serveFHIR(w, http.StatusOK, `{"resourceType":"Bundle","type":"collection"}`)
		}, "/fhir/Patient", `type is "collection", want "searchset"`, 0, true},
		{"400 with outcome", func(w http.ResponseWriter, r *http.Request) {
			serveFHIR(w, http.StatusBadRequest, outcome("unknown search parameter 'identifer'"))
		}, "/fhir/Patient", "HTTP 400 Bad Request: unknown search parameter 'identifer'", http.StatusBadRequest, false},
		{"403 html", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "forbidden", http.StatusForbidden)
		}, "/fhir/Patient", "HTTP 403 Forbidden", http.StatusForbidden, false},
		{"two patients", byResource(map[string]string{"Patient": page(tammPatient, otherPatient)}),
			"/fhir/Patient", "2 Patients match the identifier, want one", 0, false},
		{"somebody else", byResource(map[string]string{"Patient": page(otherPatient)}),
			"/fhir/Patient", "entry 0 (Patient/ee-9999): identifier: the Patient does not carry the urn:ee:personal-code searched for", 0, true},
		{"total without entry", byResource(map[string]string{"Patient": `{"resourceType":"Bundle","type":"searchset","total":1}`}),
			"/fhir/Patient", "total is 1, but no Patient entry matches", 0, false},
		{"patient without birth date", byResource(map[string]string{"Patient": page(strings.Replace(tammPatient, `"birthDate"`, `"deceased"`, 1))}),
			"/fhir/Patient", "malformed FHIR bundle: entry 0 (Patient/ee-1001): birthDate: missing", 0, true},
		{"dose without date on page 2", byResource(map[string]string{
			"Patient":             page(tammPatient),
			"Immunization":        strings.Replace(page(goodDose), `"entry"`, `"link":[{"relation":"next","url":"{server}/fhir/Immunization?page=1"}],"entry"`, 1),
			"Immunization?page=1": page(dateless),
		}), "/fhir/Immunization?page=1", "malformed FHIR bundle: entry 0 (Immunization/imm-b): occurrenceDateTime: missing", 0, true},
		{"dose of somebody else", byResource(map[string]string{
			"Patient":      page(tammPatient),
			"Immunization": page(otherPatient, strings.Replace(goodDose, "Patient/ee-1001", "Patient/ee-9999", 1)),
		}), "/fhir/Immunization?", `entry 1 (Immunization/imm-a): patient: refers to "Patient/ee-9999", not to the bundle's Patient`, 0, true},
		{"next link to another host", byResource(map[string]string{
			"Patient": page(tammPatient),
			"Observation": `{"resourceType":"Bundle","type":"searchset","entry":[],
				"link":[{"relation":"next","url":"` + strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + `/fhir/Observation?page=1"}]}`,
		}), "/fhir/Observation?", "next link leads to http://localhost:", 0, false},
		{"next link looping", byResource(map[string]string{
			"Patient": page(tammPatient),
			"Condition": `{"resourceType":"Bundle","type":"searchset","entry":[],
				"link":[{"relation":"next","url":"{server}/fhir/Condition?page=1"}]}`,
			"Condition?page=1": `{"resourceType":"Bundle","type":"searchset","entry":[],
				"link":[{"relation":"next","url":"{server}/fhir/Condition?page=1"}]}`,
		}), "/fhir/Condition?page=1", "next link leads back to a page already read", 0, false},
		{"endless pages", endless, "/fhir/Patient?page=" + strings.Repeat("x", maxPages-1), "search has more than 50 pages", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				tt.handler(w, r)
			}))
			defer srv.Close()
			c, waits := newTestClient(t, srv.URL+"/fhir", Options{})
			_, err := c.Find(context.Background(), Identifier{SystemEEPersonalCode, "46003150224"})
			var bad *BadResponseError
			if !errors.As(err, &bad) || !errors.Is(err, ErrBadResponse) || errors.Is(err, ErrUnreachable) || errors.Is(err, ErrNotFound) {
				t.Fatalf("Find() = %v, want a *BadResponseError", err)
			}
			t.Logf("Find() = %v", err)
			if !strings.Contains(bad.URL, tt.urlPart) || !strings.Contains(bad.Problem, tt.problem) || bad.StatusCode != tt.status {
				t.Errorf("Find() = {URL %q, Problem %q, StatusCode %d}, want URL with %q, Problem with %q, StatusCode %d",
					bad.URL, bad.Problem, bad.StatusCode, tt.urlPart, tt.problem, tt.status)
			}
			if got := errors.Is(err, ErrBadBundle); got != tt.bundle {
				t.Errorf("errors.Is(Find(), ErrBadBundle) = %v, want %v", got, tt.bundle)
			}
			if strings.Contains(err.Error(), "46003150224") {
				t.Errorf("Find() = %v, which shows the identifier", err)
			}
			if w := waits.recorded(); len(w) != 0 {
				t.Errorf("Find() waited %v before retrying a bad answer, want no retry", w)
			}
			if tt.name == "endless pages" && hits.Load() != maxPages {
				t.Errorf("endless search read %d pages, want %d", hits.Load(), maxPages)
			}
		})
	}
}

func TestFindInvalidIdentifier(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1/fhir", Options{})
	for _, id := range []Identifier{{SystemSNILS, "112-233-445"}, {SystemSNILS, "112-233-445 9X"}, {"", "46003150224"}, {SystemFIN, ""}} {
		_, err := c.Find(context.Background(), id)
		if err == nil || errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnreachable) || errors.Is(err, ErrBadResponse) {
			t.Errorf("Find(%v) = %v, want an error about the identifier", id, err)
		}
	}
}

func TestStoredValue(t *testing.T) {
	tests := []struct {
		id      Identifier
		want    string
		wantErr string
	}{
		{Identifier{SystemSNILS, "112-233-445 95"}, "11223344595", ""},
		{Identifier{SystemSNILS, "11223344595"}, "11223344595", ""},
		{Identifier{SystemSNILS, "112 233 445\u00a095"}, "11223344595", ""},
		{Identifier{SystemSNILS, "112-233-445"}, "", "9 digits, want 11"},
		{Identifier{SystemSNILS, "112.233.445 95"}, "", `holds '.'`},
		{Identifier{SystemEEPersonalCode, "46003150224"}, "46003150224", ""},
		{Identifier{SystemFIN, "5ZJ7K2M"}, "5ZJ7K2M", ""},
		{Identifier{SystemOMS, "7700 0000 0000 0000"}, "7700 0000 0000 0000", ""},
		{Identifier{"", "46003150224"}, "", "no system"},
		{Identifier{SystemFIN, ""}, "", "no value"},
	}
	for _, tt := range tests {
		t.Run(tt.id.System+" "+tt.id.Value, func(t *testing.T) {
			got, err := storedValue(tt.id)
			switch {
			case tt.wantErr == "" && (err != nil || got != tt.want):
				t.Errorf("storedValue(%v) = %q, %v, want %q", tt.id, got, err, tt.want)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("storedValue(%v) = %q, %v, want an error with %q", tt.id, got, err, tt.wantErr)
			}
		})
	}
}

func TestSearchToken(t *testing.T) {
	tests := []struct{ system, value, want string }{
		{SystemEEPersonalCode, "46003150224", "urn:ee:personal-code|46003150224"},
		{"urn:x", `a|b,c$d\e`, `urn:x|a\|b\,c\$d\\e`},
	}
	for _, tt := range tests {
		if got := searchToken(tt.system, tt.value); got != tt.want {
			t.Errorf("searchToken(%q, %q) = %q, want %q", tt.system, tt.value, got, tt.want)
		}
	}
}

// fuzzTransport answers every request with the same page.
type fuzzTransport []byte

func (page fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {mediaFHIRJSON}},
		Body:          io.NopCloser(bytes.NewReader(page)),
		ContentLength: int64(len(page)),
		Request:       r,
	}, nil
}

// FuzzParseSearchBundle runs Find against a registry that answers every search with
// the same page: whatever the page, Find must not panic, must answer ErrNotFound or a
// bad response (nothing here is unreachable), and must return only a record of the
// person searched for, with a name and a birth date.
func FuzzParseSearchBundle(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(page(tammPatient, goodDose)))
	f.Add([]byte(page(tammPatient, dateless)))
	f.Add([]byte(`{"resourceType":"Bundle","type":"searchset","total":1,"entry":[{"resource":` + tammPatient + `,"search":{"mode":"match"}}],
		"link":[{"relation":"next","url":"http://registry.test/fhir/Patient?page=2"}]}`))
	f.Add([]byte(`{"resourceType":"Bundle","type":"searchset","total":0}`))
	id := Identifier{SystemEEPersonalCode, "46003150224"}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := NewClient("http://registry.test/fhir", Options{
			HTTPClient: &http.Client{Transport: fuzzTransport(data)},
			Retries:    -1,
			Timeout:    5 * time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := c.Find(context.Background(), id)
		if err != nil {
			if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrBadResponse) {
				t.Fatalf("Find() = %v, want ErrNotFound or ErrBadResponse", err)
			}
			return
		}
		p := rec.Patient
		if p.BirthDate == "" || (p.FamilyName == "" && len(p.GivenNames) == 0) {
			t.Fatalf("Find() accepted a patient without name or birth date: %+v", p)
		}
		if !slices.Contains(p.Identifiers, id) {
			t.Fatalf("Find(%v) returned a patient with identifiers %v", id, p.Identifiers)
		}
		for _, src := range sources(rec) {
			if src != SourceLocal {
				t.Fatalf("Find() resource Source = %q, want %q", src, SourceLocal)
			}
		}
	})
}
