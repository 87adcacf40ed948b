package queue

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// demoReports returns the reports the demo registry at base holds under the report
// key: what GET {base}/Communication?identifier=urn:certkiosk:report|KEY finds.
func demoReports(t *testing.T, base, key string) []fhirCommunication {
	t.Helper()
	resp, err := http.Get(base + "/Communication?identifier=" + url.QueryEscape(ReportSystem+"|"+key))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b struct {
		ResourceType string `json:"resourceType"`
		Total        int    `json:"total"`
		Entry        []struct {
			Resource fhirCommunication `json:"resource"`
		} `json:"entry"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil || resp.StatusCode != http.StatusOK || b.ResourceType != "Bundle" {
		t.Fatalf("search for report %s = HTTP %d, %v; want a Bundle", key, resp.StatusCode, err)
	}
	if b.Total != len(b.Entry) {
		t.Fatalf("search for report %s: total %d, %d entries", key, b.Total, len(b.Entry))
	}
	var out []fhirCommunication
	for _, e := range b.Entry {
		out = append(out, e.Resource)
	}
	return out
}

// TestReportToDemoRegistry runs requests against the in-process demo registry with the
// FHIR reporter: each report job ends done and the registry holds its report once,
// also when a worker dies after the registry took the report and before it recorded
// the job done, so that the report is sent again.
func TestReportToDemoRegistry(t *testing.T) {
	ctx := context.Background()
	rig := newRig(t, Options{Owner: "dead", LeaseTTL: time.Minute, Retention: time.Hour})
	reporter := &FHIRReporter{BaseURL: rig.sim.LocalURL}
	rig.w.Reporter = reporter

	p := person(t, "46003150224")
	mustAdd(t, rig.q, "R1", p)
	rig.runUntilEmpty(t)
	rep := jobsByKey(t, rig.q)["R1-report"]
	if rep.State != StateDone || rep.Attempts != 1 || rep.Failures != 0 {
		t.Fatalf("R1-report = %s (%s), attempts %d, failures %d; want done at the first attempt", rep.State, rep.LastError, rep.Attempts, rep.Failures)
	}
	got := demoReports(t, rig.sim.LocalURL, "R1-report")
	if len(got) != 1 {
		t.Fatalf("the demo registry holds %d reports for R1-report, want 1", len(got))
	}
	if c := got[0]; c.ResourceType != "Communication" || c.Status != "completed" || len(c.Payload) != 1 ||
		!strings.HasPrefix(c.Payload[0].ContentString, "URN:UVCI:01:EE:") ||
		c.Subject.Identifier == nil || c.Subject.Identifier.Value != p.Value {
		t.Errorf("stored report = %+v", c)
	}
	if n := len(demoReports(t, rig.sim.FederalURL, "R1-report")); n != 0 {
		t.Errorf("the federal registry holds %d reports for R1-report, want 0", n)
	}

	// A worker that dies: it claims the report job, sends the report, and is gone
	// before it records the job done. The next worker sends the report again once the
	// lease runs out.
	mustAdd(t, rig.q, "R2", person(t, "34811020330"))
	rig.runSome(t, 1) // the issue job: adds R2's print and report jobs
	l, ok, err := rig.q.claim(ctx, []Kind{KindReport})
	if err != nil || !ok || l.Key != "R2-report" {
		t.Fatalf("claim() = %s, %v, %v; want R2-report", l.Key, ok, err)
	}
	plain, err := rig.q.getSealed(ctx, l.ID, l.Key)
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(plain, &r); err != nil {
		t.Fatal(err)
	}
	r.Key = l.Key
	if err := reporter.Report(ctx, r); err != nil {
		t.Fatalf("Report() by the worker that dies = %v", err)
	}
	if n := len(demoReports(t, rig.sim.LocalURL, "R2-report")); n != 1 {
		t.Fatalf("after the first send the demo registry holds %d reports for R2-report, want 1", n)
	}
	rig.clock.Advance(time.Minute) // the lease runs out
	rig.runUntilEmpty(t)
	rep = jobsByKey(t, rig.q)["R2-report"]
	if rep.State != StateDone || rep.Attempts != 2 || rep.Failures != 0 {
		t.Errorf("R2-report = %s (%s), attempts %d, failures %d; want done at the second attempt", rep.State, rep.LastError, rep.Attempts, rep.Failures)
	}
	if n := len(demoReports(t, rig.sim.LocalURL, "R2-report")); n != 1 {
		t.Errorf("after the report was sent twice the demo registry holds %d reports for R2-report, want 1", n)
	}

	// Sent once more, as after a crash at any later moment: still stored once.
	r1 := Report{Key: "R1-report", Profile: p.Profile, Subject: identifier(p), IssuedAt: testStart}
	if err := reporter.Report(ctx, r1); err != nil {
		t.Errorf("Report(R1-report) again = %v, want nil", err)
	}
	if n := len(demoReports(t, rig.sim.LocalURL, "R1-report")); n != 1 {
		t.Errorf("the demo registry holds %d reports for R1-report, want 1", n)
	}
}
