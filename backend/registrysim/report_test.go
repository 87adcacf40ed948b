package registrysim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// reportBody is a Communication as the kiosk's reporter sends it, with identifier key.
func reportBody(key string) string {
	return `{"resourceType":"Communication","identifier":[{"system":"urn:certkiosk:report","value":"` + key + `"}],` +
		`"status":"completed","category":[{"coding":[{"system":"urn:certkiosk:communication-category","code":"certificates-issued"}]}],` +
		`"subject":{"identifier":{"system":"https://www.sk.ee/personal-code","value":"46003150224"}},` +
		`"sent":"2026-11-22T10:00:00Z","sender":{"display":"CertKiosk (EE)"},` +
		`"payload":[{"contentString":"URN:UVCI:01:EE:TEST1"}]}`
}

// ifNoneExist is the If-None-Exist header the kiosk's reporter sends for key.
func ifNoneExist(key string) string {
	return "identifier=" + url.QueryEscape("urn:certkiosk:report|"+key)
}

// post sends body to h at target with the content type and, when cond is not empty,
// If-None-Exist: cond.
func post(t *testing.T, h http.Handler, target, contentType, cond, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, testOrigin+target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if cond != "" {
		req.Header.Set("If-None-Exist", cond)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// reportRows counts the reports stored in registry, and their identifiers.
func reportRows(t *testing.T, r *Registry, registry string) (reports, identifiers int) {
	t.Helper()
	if err := r.db.QueryRow(`SELECT count(*) FROM report WHERE registry = ?`, registry).Scan(&reports); err != nil {
		t.Fatal(err)
	}
	if err := r.db.QueryRow(`SELECT count(*) FROM report_identifier WHERE registry = ?`, registry).Scan(&identifiers); err != nil {
		t.Fatal(err)
	}
	return reports, identifiers
}

type testReport struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	Meta         struct {
		VersionID   string `json:"versionId"`
		LastUpdated string `json:"lastUpdated"`
	} `json:"meta"`
	Status     string `json:"status"`
	Identifier []struct {
		System string `json:"system"`
		Value  string `json:"value"`
	} `json:"identifier"`
	Payload []struct {
		ContentString string `json:"contentString"`
	} `json:"payload"`
}

func decodeReport(t *testing.T, data []byte) testReport {
	t.Helper()
	var c testReport
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("the answer is not a Communication: %v: %s", err, data)
	}
	return c
}

// outcomeOf checks w is an OperationOutcome with the status and returns its diagnostics.
func outcomeOf(t *testing.T, w *httptest.ResponseRecorder, status int) string {
	t.Helper()
	if w.Code != status || w.Header().Get("Content-Type") != fhirJSON {
		t.Fatalf("status %d %q, want %d %q: %s", w.Code, w.Header().Get("Content-Type"), status, fhirJSON, w.Body)
	}
	var o fhirOutcome
	if err := json.Unmarshal(w.Body.Bytes(), &o); err != nil || o.ResourceType != "OperationOutcome" || len(o.Issue) != 1 {
		t.Fatalf("the answer is not an OperationOutcome of one issue: %s", w.Body)
	}
	return o.Issue[0].Diagnostics
}

func TestReportCreate(t *testing.T) {
	r := openTest(t, testStart)
	h := r.Handler()
	for _, reg := range []string{Local, Federal} {
		base := basePath(reg)
		w := post(t, h, base+"/Communication", fhirJSON, "", reportBody("K1-"+reg))
		if w.Code != http.StatusCreated || w.Header().Get("Content-Type") != fhirJSON {
			t.Fatalf("%s: POST Communication = %d %q, want 201: %s", reg, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
		c := decodeReport(t, w.Body.Bytes())
		if c.ResourceType != "Communication" || c.ID == "" || c.Meta.VersionID != "1" || c.Meta.LastUpdated == "" ||
			c.Status != "completed" || len(c.Identifier) != 1 || c.Identifier[0].Value != "K1-"+reg ||
			len(c.Payload) != 1 || c.Payload[0].ContentString != "URN:UVCI:01:EE:TEST1" {
			t.Errorf("%s: created %+v", reg, c)
		}
		if !strings.HasPrefix(w.Body.String(), `{"resourceType":"Communication","id":`) {
			t.Errorf("%s: the answer does not start with resourceType and id: %s", reg, w.Body)
		}
		loc := w.Header().Get("Location")
		if want := testOrigin + base + "/Communication/" + c.ID + "/_history/1"; loc != want {
			t.Errorf("%s: Location %q, want %q", reg, loc, want)
		}
		read := get(t, h, loc)
		if read.Code != http.StatusOK || decodeReport(t, read.Body.Bytes()).ID != c.ID {
			t.Errorf("%s: GET Location = %d %s", reg, read.Code, read.Body)
		}
		if read := get(t, h, base+"/Communication/"+c.ID); read.Code != http.StatusOK || read.Body.String() != w.Body.String() {
			t.Errorf("%s: read = %d %s, want the created report", reg, read.Code, read.Body)
		}
		if read := get(t, h, base+"/Communication/"+c.ID+"/_history/2"); read.Code != http.StatusNotFound {
			t.Errorf("%s: read of version 2 = %d, want 404", reg, read.Code)
		}
		b := decodeBundle(t, get(t, h, base+"/Communication?identifier="+url.QueryEscape("urn:certkiosk:report|K1-"+reg)))
		if b.Total != 1 || len(b.Entry) != 1 || b.Entry[0].FullURL != testOrigin+base+"/Communication/"+c.ID {
			t.Errorf("%s: search by identifier = %+v, want the report", reg, b)
		}
		if b := decodeBundle(t, get(t, h, base+"/Communication?identifier=K1-"+reg)); b.Total != 1 {
			t.Errorf("%s: search by value alone = total %d, want 1", reg, b.Total)
		}
		if b := decodeBundle(t, get(t, h, base+"/Communication?identifier=urn:other|K1-"+reg)); b.Total != 0 {
			t.Errorf("%s: search in another system = total %d, want 0", reg, b.Total)
		}
		if n, ids := reportRows(t, r, reg); n != 1 || ids != 1 {
			t.Errorf("%s holds %d reports, %d identifiers; want 1, 1", reg, n, ids)
		}
	}
	// Each registry holds its own reports only.
	if b := decodeBundle(t, get(t, h, "/fhir/Communication?identifier=K1-"+Federal)); b.Total != 0 {
		t.Errorf("the local registry finds the federal report: total %d", b.Total)
	}
}

func TestReportConditionalCreate(t *testing.T) {
	r := openTest(t, testStart)
	h := r.Handler()
	first := post(t, h, "/fhir/Communication", fhirJSON, ifNoneExist("K1"), reportBody("K1"))
	if first.Code != http.StatusCreated {
		t.Fatalf("first POST = %d, want 201: %s", first.Code, first.Body)
	}
	again := post(t, h, "/fhir/Communication", fhirJSON+"; charset=utf-8", ifNoneExist("K1"), reportBody("K1"))
	if again.Code != http.StatusOK || again.Header().Get("Location") != "" || again.Body.String() != first.Body.String() {
		t.Errorf("POST again = %d, Location %q: %s; want 200 with the stored report", again.Code, again.Header().Get("Location"), again.Body)
	}
	// The unescaped form of the header matches as well.
	if w := post(t, h, "/fhir/Communication", fhirJSON, "identifier=urn:certkiosk:report|K1", reportBody("K1")); w.Code != http.StatusOK {
		t.Errorf("POST with an unescaped If-None-Exist = %d, want 200: %s", w.Code, w.Body)
	}
	if n, ids := reportRows(t, r, Local); n != 1 || ids != 1 {
		t.Fatalf("after three sends the registry holds %d reports, %d identifiers; want 1, 1", n, ids)
	}

	// Sent at once from many connections: stored once.
	var wg sync.WaitGroup
	codes := make([]int, 12)
	for i := range codes {
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodPost, testOrigin+"/fhir/Communication", strings.NewReader(reportBody("K2")))
			req.Header.Set("Content-Type", fhirJSON)
			req.Header.Set("If-None-Exist", ifNoneExist("K2"))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			codes[i] = w.Code
		})
	}
	wg.Wait()
	created := 0
	for _, c := range codes {
		switch c {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Errorf("a concurrent POST = %d, want 200 or 201", c)
		}
	}
	if n, _ := reportRows(t, r, Local); created != 1 || n != 2 {
		t.Errorf("%d concurrent sends: %d created, registry holds %d reports; want 1 created, 2 reports", len(codes), created, n)
	}

	// A create without the condition always stores; then the condition matches two.
	if w := post(t, h, "/fhir/Communication", fhirJSON, "", reportBody("K1")); w.Code != http.StatusCreated {
		t.Fatalf("POST without If-None-Exist = %d, want 201", w.Code)
	}
	if msg := outcomeOf(t, post(t, h, "/fhir/Communication", fhirJSON, ifNoneExist("K1"), reportBody("K1")), http.StatusPreconditionFailed); !strings.Contains(msg, "more than one") {
		t.Errorf("If-None-Exist matching two reports: %q", msg)
	}
	if n, _ := reportRows(t, r, Local); n != 3 {
		t.Errorf("registry holds %d reports, want 3", n)
	}
}

func TestReportMalformed(t *testing.T) {
	r := openTest(t, testStart)
	h := r.Handler()
	valid := reportBody("K1")
	tests := []struct {
		name, contentType, cond, body string
		status                        int
		diag                          string
	}{
		{"empty", fhirJSON, "", "", 400, "empty"},
		{"not JSON", fhirJSON, "", "<html>", 400, "not a JSON object"},
		{"array", fhirJSON, "", "[" + valid + "]", 400, "not a JSON object"},
		{"null", fhirJSON, "", "null", 400, "not a JSON object"},
		{"truncated", fhirJSON, "", valid[:len(valid)-5], 400, "not a JSON object"},
		{"trailing", fhirJSON, "", valid + "{}", 400, "more after"},
		{"not UTF-8", fhirJSON, "", strings.Replace(valid, "CertKiosk", "Cert\xffKiosk", 1), 400, "UTF-8"},
		{"other type", fhirJSON, "", strings.Replace(valid, `"Communication"`, `"Patient"`, 1), 400, `resourceType "Patient"`},
		{"no type", fhirJSON, "", strings.Replace(valid, `"resourceType":"Communication",`, "", 1), 400, `resourceType ""`},
		{"no status", fhirJSON, "", strings.Replace(valid, `"status":"completed",`, "", 1), 400, "no status"},
		{"bad status", fhirJSON, "", strings.Replace(valid, `"completed"`, `"done"`, 1), 400, `status "done"`},
		{"status not a string", fhirJSON, "", strings.Replace(valid, `"completed"`, `7`, 1), 400, "not a valid Communication"},
		{"no identifier", fhirJSON, "", strings.Replace(valid, `"identifier":[{"system":"urn:certkiosk:report","value":"K1"}],`, "", 1), 400, "no identifier"},
		{"empty identifier", fhirJSON, "", strings.Replace(valid, `"value":"K1"`, `"value":" "`, 1), 400, "identifier[0] has no value"},
		{"identifier not a list", fhirJSON, "", strings.Replace(valid, `[{"system":"urn:certkiosk:report","value":"K1"}]`, `"K1"`, 1), 400, "not a valid Communication"},
		{"meta not an object", fhirJSON, "", strings.Replace(valid, `"status"`, `"meta":[],"status"`, 1), 400, "meta"},
		{"no content type", "", "", valid, 415, "no Content-Type"},
		{"XML", "application/fhir+xml", "", valid, 415, "application/fhir+json"},
		{"Latin-1", fhirJSON + "; charset=iso-8859-1", "", valid, 415, "charset"},
		{"too large", fhirJSON, "", strings.Replace(valid, `"status"`, `"note":[{"text":"`+strings.Repeat("x", maxReportBody)+`"}],"status"`, 1), 413, "larger than"},
		{"condition without identifier", fhirJSON, "status=completed", valid, 400, "If-None-Exist"},
		{"condition without value", fhirJSON, "identifier=urn:certkiosk:report|", valid, 400, "no value"},
		{"condition empty", fhirJSON, "identifier=", valid, 400, "names no identifier"},
		{"condition malformed", fhirJSON, "identifier=%zz", valid, 400, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := outcomeOf(t, post(t, h, "/fhir/Communication", tt.contentType, tt.cond, tt.body), tt.status)
			if !strings.Contains(msg, tt.diag) {
				t.Errorf("diagnostics %q, want it to mention %q", msg, tt.diag)
			}
		})
	}
	if w := post(t, h, "/fhir/Communication?_format=xml", fhirJSON, "", valid); w.Code != http.StatusNotAcceptable {
		t.Errorf("POST ?_format=xml = %d, want 406", w.Code)
	}
	if w := post(t, h, "/fhir/Communication?foo=1", fhirJSON, "", valid); w.Code != http.StatusBadRequest {
		t.Errorf("POST ?foo=1 = %d, want 400", w.Code)
	}
	for _, reg := range []string{Local, Federal} {
		if n, ids := reportRows(t, r, reg); n != 0 || ids != 0 {
			t.Errorf("%s holds %d reports, %d identifiers after malformed requests; want none", reg, n, ids)
		}
	}
	// The search and the read refuse what they do not serve.
	for target, status := range map[string]int{
		"/fhir/Communication":                        400,
		"/fhir/Communication?identifier=":            400,
		"/fhir/Communication?identifier=a&subject=b": 400,
		"/fhir/Communication/nope":                   404,
		"/fhir/Communication/":                       404,
		"/fhir/Communication/x/y":                    404,
	} {
		outcomeOf(t, get(t, h, target), status)
	}
}

func TestReportMethods(t *testing.T) {
	h := openTest(t, testStart).Handler()
	for _, tt := range []struct{ method, path, allow string }{
		{http.MethodPut, "/fhir/Communication", "GET, HEAD, POST"},
		{http.MethodDelete, "/federal/fhir/Communication", "GET, HEAD, POST"},
		{http.MethodPost, "/fhir/Patient", "GET, HEAD"},
		{http.MethodPost, "/fhir/Communication/abc", "GET, HEAD"},
	} {
		req := httptest.NewRequest(tt.method, testOrigin+tt.path, strings.NewReader(reportBody("K1")))
		req.Header.Set("Content-Type", fhirJSON)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		outcomeOf(t, w, http.StatusMethodNotAllowed)
		if got := w.Header().Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.path, got, tt.allow)
		}
	}
}

func TestReportFaults(t *testing.T) {
	r, srv := serveTest(t)
	c := testClient()
	send := func(base, key string) (int, error) {
		req, err := http.NewRequest(http.MethodPost, base+"/Communication", strings.NewReader(reportBody(key)))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Content-Type", fhirJSON)
		req.Header.Set("If-None-Exist", ifNoneExist(key))
		resp, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	local, federal := srv.URL+"/fhir", srv.URL+"/federal/fhir"
	for _, tt := range []struct {
		name   string
		faults Faults
		status int // 0: no answer
	}{
		{"status", Faults{Status: http.StatusServiceUnavailable}, http.StatusServiceUnavailable},
		{"drop", Faults{Drop: true}, 0},
		{"down", Faults{Down: true}, 0},
		{"garbage", Faults{Garbage: true}, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r.SetFaults(Local, tt.faults)
			defer r.SetFaults(Local, Faults{})
			status, err := send(local, "K-"+tt.name)
			if tt.status == 0 && err == nil || tt.status != 0 && (err != nil || status != tt.status) {
				t.Errorf("POST with %+v = %d, %v; want %d", tt.faults, status, err, tt.status)
			}
			if n, _ := reportRows(t, r, Local); n != 0 {
				t.Errorf("the registry stored %d reports behind a fault, want 0", n)
			}
			// The other registry is healthy.
			if status, err := send(federal, "K-"+tt.name); err != nil || status != http.StatusCreated {
				t.Errorf("POST to the federal registry = %d, %v; want 201", status, err)
			}
		})
	}
	// Faults for a number of requests: the report waits, then is stored once.
	r.SetFaults(Local, Faults{Status: http.StatusServiceUnavailable, Times: 2})
	var got []int
	for range 4 {
		status, err := send(local, "K-times")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, status)
	}
	if fmt.Sprint(got) != "[503 503 201 200]" {
		t.Errorf("four sends with 2 faults = %v, want [503 503 201 200]", got)
	}
	if n, _ := reportRows(t, r, Local); n != 1 {
		t.Errorf("the registry holds %d reports, want 1", n)
	}
}

func TestReportsSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	r, err := Open(path, testStart)
	if err != nil {
		t.Fatal(err)
	}
	if w := post(t, r.Handler(), "/fhir/Communication", fhirJSON, ifNoneExist("K1"), reportBody("K1")); w.Code != http.StatusCreated {
		t.Fatalf("POST = %d, want 201: %s", w.Code, w.Body)
	}
	r.Close()
	r, err = Open(path, testStart)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := r.Handler()
	if w := post(t, h, "/fhir/Communication", fhirJSON, ifNoneExist("K1"), reportBody("K1")); w.Code != http.StatusOK {
		t.Errorf("POST after reopening = %d, want 200 (the report is kept)", w.Code)
	}
	if n, _ := reportRows(t, r, Local); n != 1 {
		t.Errorf("after reopening the registry holds %d reports, want 1", n)
	}
}
