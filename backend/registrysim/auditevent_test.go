package registrysim

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// auditBody is an AuditEvent as the kiosk's reporter ships an audit entry with hash.
func auditBody(hash string) string {
	return `{"resourceType":"AuditEvent","type":{"system":"urn:certkiosk:audit-action","code":"issued"},"action":"E",` +
		`"recorded":"2026-11-22T10:00:00.000000001Z","outcome":"0",` +
		`"agent":[{"type":{"coding":[{"system":"urn:certkiosk:actor-kind","code":"resident-session"}]},` +
		`"who":{"identifier":{"system":"urn:certkiosk:actor","value":"s-1"}},"requestor":true}],` +
		`"source":{"site":"kiosk-1","observer":{"display":"CertKiosk"}},` +
		`"entity":[{"what":{"identifier":{"system":"urn:certkiosk:audit-entry","value":"` + hash + `"}},` +
		`"detail":[{"type":"seq","valueString":"1"}]}]}`
}

// auditCond is the If-None-Exist header the kiosk sends for an entry's hash.
func auditCond(hash string) string {
	return "entity:identifier=" + url.QueryEscape("urn:certkiosk:audit-entry|"+hash)
}

// TestAuditEventConditionalCreate: an audit entry sent twice is stored once; it is
// found by its entity's identifier and read back; it is not taken for a report.
func TestAuditEventConditionalCreate(t *testing.T) {
	r := openTest(t, testStart)
	h := r.Handler()
	base := basePath(Local)
	first := post(t, h, base+"/AuditEvent", fhirJSON, auditCond("H1"), auditBody("H1"))
	if first.Code != http.StatusCreated || !strings.HasPrefix(first.Body.String(), `{"resourceType":"AuditEvent","id":`) {
		t.Fatalf("POST AuditEvent = %d: %s, want 201", first.Code, first.Body)
	}
	again := post(t, h, base+"/AuditEvent", fhirJSON, auditCond("H1"), auditBody("H1"))
	if again.Code != http.StatusOK || again.Body.String() != first.Body.String() {
		t.Errorf("POST AuditEvent again = %d: %s, want 200 with the one stored", again.Code, again.Body)
	}
	if n, _ := reportRows(t, r, Local); n != 1 {
		t.Errorf("the registry holds %d resources, want 1", n)
	}
	b := decodeBundle(t, get(t, h, base+"/AuditEvent?entity:identifier="+url.QueryEscape("urn:certkiosk:audit-entry|H1")))
	if b.Total != 1 || len(b.Entry) != 1 || !strings.Contains(b.Entry[0].FullURL, "/AuditEvent/") {
		t.Fatalf("search = %+v, want the event", b)
	}
	if read := get(t, h, strings.TrimPrefix(b.Entry[0].FullURL, testOrigin)); read.Code != http.StatusOK || read.Body.String() != first.Body.String() {
		t.Errorf("read = %d %s", read.Code, read.Body)
	}
	if b := decodeBundle(t, get(t, h, base+"/Communication?identifier=H1")); b.Total != 0 {
		t.Errorf("a Communication search finds %d audit events, want 0", b.Total)
	}
	if w := post(t, h, base+"/AuditEvent", fhirJSON, auditCond("H2"), auditBody("H2")); w.Code != http.StatusCreated {
		t.Errorf("POST another entry = %d, want 201", w.Code)
	}
	if n, _ := reportRows(t, r, Local); n != 2 {
		t.Errorf("the registry holds %d resources, want 2", n)
	}
}

func TestAuditEventMalformed(t *testing.T) {
	r := openTest(t, testStart)
	h := r.Handler()
	base := basePath(Local)
	good := auditBody("H1")
	for name, tc := range map[string]struct{ body, cond, want string }{
		"communication":  {reportBody("K"), "", "takes an AuditEvent"},
		"no agent":       {strings.Replace(good, `"agent":[`, `"agents":[`, 1), "", "no agent"},
		"no requestor":   {strings.Replace(good, `,"requestor":true`, ``, 1), "", "no requestor"},
		"no observer":    {strings.Replace(good, `"observer"`, `"watcher"`, 1), "", "no source.observer"},
		"bad recorded":   {strings.Replace(good, `2026-11-22T10:00:00.000000001Z`, `yesterday`, 1), "", "not an instant"},
		"no entity":      {strings.Replace(good, `"what":{"identifier"`, `"what":{"reference"`, 1), "", "names no entity"},
		"wrong criteria": {good, "identifier=urn:certkiosk:audit-entry|H1", "entity:identifier"},
		"not json":       {"{", "", "not a JSON object"},
	} {
		t.Run(name, func(t *testing.T) {
			w := post(t, h, base+"/AuditEvent", fhirJSON, tc.cond, tc.body)
			if msg := outcomeOf(t, w, http.StatusBadRequest); !strings.Contains(msg, tc.want) {
				t.Errorf("POST = %q, want %q in it", msg, tc.want)
			}
		})
	}
	if n, _ := reportRows(t, r, Local); n != 0 {
		t.Errorf("the registry holds %d resources after refusals, want 0", n)
	}
}

// TestFileMode: the demo registry's file, which keeps what kiosks send, is the
// kiosk user's alone (docs/PRIVACY.md, finding 6).
func TestFileMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	r, err := Open(path, testStart)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	post(t, r.Handler(), "/fhir/AuditEvent", fhirJSON, auditCond("H1"), auditBody("H1"))
	for _, name := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(name); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s = %v, %v; want mode 0600", filepath.Base(name), fi, err)
		}
	}
}
