package registrysim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"certkiosk/backend/registry"
)

// serveTest serves a fresh registry on a loopback port: drops and resets need a real
// connection.
func serveTest(t *testing.T) (*Registry, *httptest.Server) {
	t.Helper()
	r := openTest(t, testStart)
	srv := httptest.NewServer(r.Handler())
	t.Cleanup(srv.Close)
	return r, srv
}

// testClient opens a new connection for every request, so one request's fault never
// meets another's reused connection, and gives up well before the test's deadline.
func testClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 20 * time.Second}
}

// fetch GETs url and returns the status and body, or the transport's error.
func fetch(c *http.Client, url string) (int, []byte, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

const marisImmunizations = "/Immunization?patient=Patient/ee-1001&_include=Immunization:performer"

func TestFaults(t *testing.T) {
	r, srv := serveTest(t)
	c := testClient()
	local, federal := srv.URL+"/fhir", srv.URL+"/federal/fhir"

	t.Run("healthy", func(t *testing.T) {
		if status, _, err := fetch(c, local+"/metadata"); err != nil || status != 200 {
			t.Fatalf("GET metadata = %d, %v; want 200", status, err)
		}
	})
	t.Run("latency", func(t *testing.T) {
		const latency = 150 * time.Millisecond
		r.SetFaults(Local, Faults{Latency: latency})
		defer r.SetFaults(Local, Faults{})
		began := time.Now()
		status, body, err := fetch(c, local+marisImmunizations)
		if took := time.Since(began); took < latency {
			t.Errorf("the answer took %v, want at least %v", took, latency)
		}
		if err != nil || status != 200 || !json.Valid(body) {
			t.Errorf("slow answer = %d, %v; want 200 with the bundle", status, err)
		}
	})
	t.Run("status", func(t *testing.T) {
		r.SetFaults(Local, Faults{Status: http.StatusServiceUnavailable})
		defer r.SetFaults(Local, Faults{})
		status, body, err := fetch(c, local+"/Patient?identifier=urn:ee:personal-code%7C46003150224")
		var oo struct {
			ResourceType string
			Issue        []struct{ Code string }
		}
		json.Unmarshal(body, &oo)
		if err != nil || status != 503 || oo.ResourceType != "OperationOutcome" || oo.Issue[0].Code != "transient" {
			t.Errorf("answer = %d %s, %v; want 503 with a transient OperationOutcome", status, body, err)
		}
	})
	t.Run("drop", func(t *testing.T) {
		r.SetFaults(Local, Faults{Drop: true})
		defer r.SetFaults(Local, Faults{})
		status, _, err := fetch(c, local+"/metadata")
		if err == nil {
			t.Fatalf("a dropped request was answered %d", status)
		}
		if errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("a dropped connection was reset (%v), want it closed", err)
		}
	})
	t.Run("down", func(t *testing.T) {
		r.SetFaults(Local, Faults{Down: true})
		defer r.SetFaults(Local, Faults{})
		status, _, err := fetch(c, local+"/metadata")
		if err == nil {
			t.Fatalf("a registry that is down answered %d", status)
		}
		if !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("error %v, want a connection reset", err)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		r.SetFaults(Local, Faults{Garbage: true})
		defer r.SetFaults(Local, Faults{})
		resp, err := c.Get(local + marisImmunizations)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != fhirJSON || json.Valid(body) {
			t.Errorf("answer = %d %s %q; want 200 %s with a body that is not JSON", resp.StatusCode, resp.Header.Get("Content-Type"), body, fhirJSON)
		}
		if _, err := registry.ParseBundle(body); !errors.Is(err, registry.ErrBadBundle) {
			t.Errorf("ParseBundle(garbage) = %v, want ErrBadBundle", err)
		}
	})
	t.Run("times", func(t *testing.T) {
		r.SetFaults(Local, Faults{Status: 502, Times: 2})
		var got []int
		for range 3 {
			status, _, err := fetch(c, local+"/metadata")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, status)
		}
		if got[0] != 502 || got[1] != 502 || got[2] != 200 {
			t.Errorf("statuses %v, want [502 502 200]", got)
		}
	})
	t.Run("each registry has its own switches", func(t *testing.T) {
		r.SetFaults(Federal, Faults{Status: 503})
		defer r.SetFaults(Federal, Faults{})
		fs, _, ferr := fetch(c, federal+"/metadata")
		ls, _, lerr := fetch(c, local+"/metadata")
		if ferr != nil || lerr != nil || fs != 503 || ls != 200 {
			t.Errorf("federal %d (%v), local %d (%v); want 503 and 200", fs, ferr, ls, lerr)
		}
	})
	t.Run("admin endpoint is never faulty", func(t *testing.T) {
		r.SetFaults(Local, Faults{Down: true})
		r.SetFaults(Federal, Faults{Down: true})
		defer r.SetFaults(Local, Faults{})
		defer r.SetFaults(Federal, Faults{})
		if status, _, err := fetch(c, srv.URL+"/admin/faults"); err != nil || status != 200 {
			t.Errorf("GET /admin/faults = %d, %v; want 200", status, err)
		}
	})
}

// TestFaultsWhileServing flips the switches while requests run (run with -race).
func TestFaultsWhileServing(t *testing.T) {
	r, srv := serveTest(t)
	c := testClient()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				status, _, err := fetch(c, srv.URL+"/fhir/metadata")
				if err == nil && status != 200 && status != 503 {
					t.Errorf("status %d, want 200 or 503", status)
				}
			}
		}()
	}
	for i := range 20 {
		if i%2 == 0 {
			r.SetFaults(Local, Faults{Status: 503, Times: 1})
		} else {
			r.SetFaults(Local, Faults{})
		}
	}
	wg.Wait()
}

func TestSetFaultsRefusesNonsense(t *testing.T) {
	r := openTest(t, testStart)
	for _, tt := range []struct {
		reg string
		f   Faults
	}{
		{"regional", Faults{}},
		{Local, Faults{Latency: -time.Second}},
		{Local, Faults{Status: 200}},
		{Federal, Faults{Times: -1}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SetFaults(%q, %+v) did not panic", tt.reg, tt.f)
				}
			}()
			r.SetFaults(tt.reg, tt.f)
		}()
	}
}

func TestFaultsJSON(t *testing.T) {
	tests := []struct {
		in   string
		want Faults
	}{
		{`{}`, Faults{}},
		{`{"latency":"250ms","status":503,"times":3}`, Faults{Latency: 250 * time.Millisecond, Status: 503, Times: 3}},
		{`{"latency":1500}`, Faults{Latency: 1500 * time.Millisecond}},
		{`{"drop":true}`, Faults{Drop: true}},
		{`{"down":true,"garbage":true}`, Faults{Down: true, Garbage: true}},
	}
	for _, tt := range tests {
		var f Faults
		if err := json.Unmarshal([]byte(tt.in), &f); err != nil || f != tt.want {
			t.Errorf("Unmarshal(%s) = %+v, %v; want %+v", tt.in, f, err, tt.want)
			continue
		}
		out, _ := json.Marshal(f)
		var back Faults
		if err := json.Unmarshal(out, &back); err != nil || back != f {
			t.Errorf("Marshal(%+v) = %s, which reads back as %+v, %v", f, out, back, err)
		}
	}
	for _, bad := range []string{`{"statsu":503}`, `{"latency":"soon"}`, `{"latency":true}`, `[]`} {
		var f Faults
		if err := json.Unmarshal([]byte(bad), &f); err == nil {
			t.Errorf("Unmarshal(%s) = %+v, want an error", bad, f)
		}
	}
}

func TestAdminEndpoint(t *testing.T) {
	_, srv := serveTest(t)
	c := testClient()
	admin := srv.URL + "/admin/faults"
	do := func(method, url, body string) (int, map[string]json.RawMessage) {
		t.Helper()
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]json.RawMessage
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatalf("%s %s: the answer is not a JSON object: %v", method, url, err)
		}
		return resp.StatusCode, m
	}

	if status, m := do("GET", admin, ""); status != 200 || string(m[Local]) != "{}" || string(m[Federal]) != "{}" {
		t.Fatalf("GET = %d %v, want both registries healthy", status, m)
	}
	status, m := do("POST", admin+"?registry=federal", `{"status":503,"latency":"20ms"}`)
	if status != 200 || string(m[Federal]) != `{"latency":"20ms","status":503}` || string(m[Local]) != "{}" {
		t.Fatalf("POST = %d %v, want federal's faults set", status, m)
	}
	if status, _, err := fetch(c, srv.URL+"/federal/fhir/Patient?identifier=urn:ru:snils%7C33445566784"); err != nil || status != 503 {
		t.Errorf("the federal registry answered %d (%v) with its faults set, want 503", status, err)
	}
	if status, _, err := fetch(c, srv.URL+"/fhir/metadata"); err != nil || status != 200 {
		t.Errorf("the local registry answered %d (%v), want 200", status, err)
	}
	if status, m := do("POST", admin+"?registry=federal", ""); status != 200 || string(m[Federal]) != "{}" {
		t.Errorf("POST with no body = %d %v, want federal healed", status, m)
	}
	do("POST", admin+"?registry=local", `{"drop":true}`)
	if status, m := do("DELETE", admin, ""); status != 200 || string(m[Local]) != "{}" {
		t.Errorf("DELETE = %d %v, want all healed", status, m)
	}

	for _, tt := range []struct {
		method, query, body string
		status              int
	}{
		{"POST", "?registry=regional", `{"status":503}`, 400},
		{"POST", "", `{"status":503}`, 400},
		{"POST", "?registry=local", `{"status":200}`, 400},
		{"POST", "?registry=local", `{"statsu":503}`, 400},
		{"POST", "?registry=local", `not json`, 400},
		{"POST", "?registry=local", `{"latency":"-1s"}`, 400},
		{"PUT", "?registry=local", `{}`, 405},
	} {
		status, m := do(tt.method, admin+tt.query, tt.body)
		if status != tt.status || len(m["error"]) == 0 {
			t.Errorf("%s %s %s = %d %v, want %d with an error", tt.method, tt.query, tt.body, status, m, tt.status)
		}
	}
	if _, m := do("GET", admin, ""); string(m[Local]) != "{}" || string(m[Federal]) != "{}" {
		t.Errorf("refused requests changed the faults: %v", m)
	}
}
