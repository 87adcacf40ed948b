package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/registrysim"
)

// demoAuditEvents returns the AuditEvents the demo registry at base holds for the
// entry hash: what GET {base}/AuditEvent?entity:identifier=urn:certkiosk:audit-entry|HASH
// finds.
func demoAuditEvents(t *testing.T, base string, hash audit.Hash) []fhirAuditEvent {
	t.Helper()
	resp, err := http.Get(base + "/AuditEvent?entity:identifier=" + url.QueryEscape(AuditSystem+"|"+hash.String()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b struct {
		Total int `json:"total"`
		Entry []struct {
			Resource fhirAuditEvent `json:"resource"`
		} `json:"entry"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil || resp.StatusCode != http.StatusOK || b.Total != len(b.Entry) {
		t.Fatalf("search for audit entry %s = HTTP %d, %v", hash, resp.StatusCode, err)
	}
	var out []fhirAuditEvent
	for _, e := range b.Entry {
		out = append(out, e.Resource)
	}
	return out
}

// appendEntry appends an issued event about a demo person to l.
func appendEntry(t *testing.T, l *audit.Log, i int) audit.Entry {
	t.Helper()
	e, err := l.Append(audit.Event{
		Actor:   audit.Actor{Kind: audit.ActorResidentSession, ID: fmt.Sprintf("s-%d", i)},
		Action:  audit.ActionIssued,
		Person:  audit.Identifier{System: "urn:ee:personal-code", Value: "46003150224"},
		Details: map[string]string{audit.DetailUVCI: fmt.Sprintf("URN:UVCI:01:EE:AUDIT%d#K", i), audit.DetailKind: "vaccination"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestShipAudit: the audit log's entries reach the demo registry as AuditEvents, each
// once: an entry appended while the registry is down is shipped after it returns;
// shipping again, a worker dying after the registry took an entry, and an entry sent
// again all leave one AuditEvent per entry.
func TestShipAudit(t *testing.T) {
	ctx := context.Background()
	rig := newRig(t, Options{Backoff: Backoff{Base: time.Second, Cap: time.Minute}, LeaseTTL: time.Minute, Retention: time.Hour})
	reporter := &FHIRReporter{BaseURL: rig.sim.LocalURL, Site: "kiosk-1"}
	rig.w.Reporter = reporter
	auditDir := t.TempDir()
	log, err := audit.Open(ctx, auditDir, audit.Options{Now: rig.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	// The worker reads the folder, as a worker in another process than the kiosk's.
	rig.w.Audit = audit.Dir(auditDir)
	rig.w.AuditEvery = time.Second

	var entries []audit.Entry
	entries = append(entries, appendEntry(t, log, 1))
	rig.runUntilEmpty(t)
	if got := demoAuditEvents(t, rig.sim.LocalURL, entries[0].Hash); len(got) != 1 {
		t.Fatalf("the registry holds %d AuditEvents for entry 1, want 1", len(got))
	}

	// The registry goes down; an entry is appended meanwhile.
	rig.sim.Registry.SetFaults(registrysim.Local, registrysim.Faults{Down: true})
	entries = append(entries, appendEntry(t, log, 2))
	for range 20 {
		rig.w.shipAudit(ctx)
		rig.runSome(t, 5)
		rig.clock.Advance(10 * time.Second)
	}
	key2 := AuditKeyPrefix + entries[1].Hash.String()
	if j := jobsByKey(t, rig.q)[key2]; j.State != StatePending || j.Attempts < 2 || j.Failures != 0 || !strings.Contains(j.LastError, "unreachable") {
		t.Fatalf("entry 2's job with the registry down = %s, attempts %d, failures %d, %q; want pending, retried, unreachable",
			j.State, j.Attempts, j.Failures, j.LastError)
	}

	// Back: it is shipped, once.
	rig.sim.Registry.SetFaults(registrysim.Local, registrysim.Faults{})
	rig.clock.Advance(time.Minute)
	rig.runUntilEmpty(t)
	if j := jobsByKey(t, rig.q)[key2]; j.State != StateDone {
		t.Fatalf("entry 2's job after the registry returned = %s (%s), want done", j.State, j.LastError)
	}
	got := demoAuditEvents(t, rig.sim.LocalURL, entries[1].Hash)
	if len(got) != 1 {
		t.Fatalf("the registry holds %d AuditEvents for entry 2, want 1", len(got))
	}
	ev := got[0]
	if ev.Type.Code != "issued" || ev.Source.Site != "kiosk-1" || len(ev.Agent) != 1 || ev.Agent[0].Who.Identifier.Value != "s-2" ||
		len(ev.Entity) != 2 || ev.Entity[1].What.Identifier.Value != entries[1].Subject {
		t.Errorf("stored AuditEvent = %+v", ev)
	}
	var line []byte
	for _, d := range ev.Entity[0].Detail {
		if d.Type == "line" {
			line = d.ValueBase64Binary
		}
	}
	var shipped audit.Entry
	if err := json.Unmarshal(line, &shipped); err != nil || shipped.ComputeHash() != entries[1].Hash || shipped.Prev != entries[0].Hash {
		t.Errorf("the AuditEvent's line = %s (%v): want entry 2, whose hash the registry can recompute", line, err)
	}
	body, _ := json.Marshal(ev)
	for _, secret := range []string{"46003150224", "Tamm"} {
		if strings.Contains(string(body), secret) {
			t.Errorf("the AuditEvent holds %q", secret)
		}
	}

	// Shipping again queues nothing; the mark is the last entry.
	if n, err := rig.q.ShipAudit(ctx, log); n != 0 || err != nil {
		t.Errorf("ShipAudit() again = %d, %v; want 0, nil", n, err)
	}
	if h, err := rig.q.AuditShipped(ctx); err != nil || h != entries[1].Head() {
		t.Errorf("AuditShipped() = %v, %v; want %v", h, err, entries[1].Head())
	}

	// A worker that dies after the registry took entry 3, before it recorded the job
	// done: the next worker sends it again, and the registry keeps one.
	entries = append(entries, appendEntry(t, log, 3))
	if n, err := rig.q.ShipAudit(ctx, log); n != 1 || err != nil {
		t.Fatalf("ShipAudit() = %d, %v; want 1", n, err)
	}
	l, ok, err := rig.q.claim(ctx, []Kind{KindReport})
	if err != nil || !ok || l.Key != AuditKeyPrefix+entries[2].Hash.String() {
		t.Fatalf("claim() = %s, %v, %v; want entry 3's job", l.Key, ok, err)
	}
	if err := reporter.Report(ctx, Report{Key: l.Key, Entry: &entries[2]}); err != nil {
		t.Fatalf("Report(entry 3) by the worker that dies = %v", err)
	}
	rig.clock.Advance(time.Minute) // the lease runs out
	rig.runUntilEmpty(t)
	if j := jobsByKey(t, rig.q)[l.Key]; j.State != StateDone || j.Attempts != 2 {
		t.Errorf("entry 3's job = %s, attempts %d; want done at the second attempt", j.State, j.Attempts)
	}
	for i, e := range entries {
		if n := len(demoAuditEvents(t, rig.sim.LocalURL, e.Hash)); n != 1 {
			t.Errorf("the registry holds %d AuditEvents for entry %d, want 1", n, i+1)
		}
	}
	if n := len(demoReports(t, rig.sim.LocalURL, l.Key)); n != 0 {
		t.Errorf("an audit entry was stored as a report (%d)", n)
	}
}

// TestShipAuditDiverged: a log that does not continue what was shipped — another
// log, or this one rewritten — is refused, and nothing of it is queued.
func TestShipAuditDiverged(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	q, _ := openTest(t, clock, Options{})
	first, err := audit.Open(ctx, t.TempDir(), audit.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	appendEntry(t, first, 1)
	appendEntry(t, first, 2)
	if n, err := q.ShipAudit(ctx, first); n != 2 || err != nil {
		t.Fatalf("ShipAudit() = %d, %v; want 2", n, err)
	}
	other, err := audit.Open(ctx, t.TempDir(), audit.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	clock.Advance(time.Second)
	for i := range 3 {
		appendEntry(t, other, 10+i)
	}
	n, err := q.ShipAudit(ctx, other)
	if !errors.Is(err, ErrAuditDiverged) || n != 0 {
		t.Errorf("ShipAudit(another log) = %d, %v; want ErrAuditDiverged", n, err)
	}
	// The log's folder emptied, or the log cut short: the last entry shipped is gone.
	if n, err := q.ShipAudit(ctx, audit.Dir(t.TempDir())); !errors.Is(err, ErrAuditDiverged) || n != 0 {
		t.Errorf("ShipAudit(an empty folder) = %d, %v; want ErrAuditDiverged", n, err)
	}
	jobs, err := q.List(ctx)
	if err != nil || len(jobs) != 2 {
		t.Errorf("the queue holds %d jobs, %v; want the 2 of the first log", len(jobs), err)
	}
	// The first log, grown: shipped on.
	appendEntry(t, first, 3)
	if n, err := q.ShipAudit(ctx, first); n != 1 || err != nil {
		t.Errorf("ShipAudit(the first log, grown) = %d, %v; want 1", n, err)
	}
}
