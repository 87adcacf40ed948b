package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"certkiosk/backend/printing"
	"certkiosk/backend/registry"
	"certkiosk/backend/registrysim"
	"certkiosk/backend/rules"
)

// recordingReporter keeps the reports it was given.
type recordingReporter struct {
	mu      sync.Mutex
	reports []Report
	errs    []error // returned by the next calls, one each
}

func (r *recordingReporter) Report(ctx context.Context, rep Report) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) > 0 {
		err := r.errs[0]
		r.errs = r.errs[1:]
		if err != nil {
			return err
		}
	}
	r.reports = append(r.reports, rep)
	return nil
}

type testRig struct {
	q        *Queue
	dir      string
	clock    *fakeClock
	printer  *fakePrinter
	reporter *recordingReporter
	sim      *registrysim.Running
	w        *Worker
}

func newRig(t testing.TB, o Options) *testRig {
	t.Helper()
	return newRigWith(t, o, func(c *fakeClock) Clock { return c })
}

// newRigWith is newRig with the queue reading the clock wrap makes of the rig's.
func newRigWith(t testing.TB, o Options, wrap func(*fakeClock) Clock) *testRig {
	t.Helper()
	clock := newFakeClock()
	q, dir := openTest(t, wrap(clock), o)
	sim, records := startRegistry(t)
	r := &testRig{q: q, dir: dir, clock: clock, printer: newFakePrinter(), reporter: &recordingReporter{}, sim: sim}
	r.w = &Worker{
		Queue:    q,
		Services: newTestServices(t),
		Records:  records,
		Printers: r.printer.opener(),
		Printer:  "fake://printer",
		Reporter: r.reporter,
		Poll:     time.Second,
	}
	return r
}

func (r *testRig) runUntilEmpty(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := r.w.RunUntilEmpty(ctx); err != nil {
		t.Fatalf("RunUntilEmpty() = %v", err)
	}
}

// runSome runs up to n jobs, stopping early when none is due.
func (r *testRig) runSome(t testing.TB, n int) {
	t.Helper()
	for range n {
		ran, err := r.w.RunOnce(context.Background())
		if err != nil {
			t.Fatalf("RunOnce() = %v", err)
		}
		if !ran {
			return
		}
	}
}

// TestWorkerDemoPeople issues for every demo person through the queue: every request
// ends done, each of its documents printed exactly once, its certificates reported.
func TestWorkerDemoPeople(t *testing.T) {
	rig := newRig(t, Options{Retention: time.Hour})
	people := registrysim.People()
	for i, p := range people {
		mustAdd(t, rig.q, fmt.Sprintf("REQ%02d", i), p)
	}
	rig.runUntilEmpty(t)
	jobs := jobsByKey(t, rig.q)
	printed := rig.printer.printed()
	reported := 0
	for i, p := range people {
		key := fmt.Sprintf("REQ%02d", i)
		if j := jobs[key]; j.State != StateDone {
			t.Errorf("request %s (%s) = %s (%s), want done", key, p.Expected, j.State, j.LastError)
		}
		docs := 0
		for k, j := range jobs {
			if j.Kind != KindPrint || !strings.HasPrefix(k, key+"-") {
				continue
			}
			docs++
			if j.State != StateDone || printed[k] != 1 {
				t.Errorf("%s = %s, printed %d times; want done, printed once", k, j.State, printed[k])
			}
		}
		if docs == 0 {
			t.Errorf("request %s (%s) printed nothing", key, p.Expected)
		}
		if rep, ok := jobs[key+"-report"]; ok {
			reported++
			if rep.State != StateDone {
				t.Errorf("%s-report = %s, want done", key, rep.State)
			}
		}
	}
	if len(rig.reporter.reports) != reported || reported == 0 {
		t.Errorf("reports sent = %d, want %d (one per request with certificates)", len(rig.reporter.reports), reported)
	}
	for _, rep := range rig.reporter.reports {
		if len(rep.Certificates) == 0 || !strings.HasPrefix(rep.Certificates[0], "URN:UVCI:") || rep.Subject.Value == "" {
			t.Errorf("report %s = %+v, want UVCIs and the subject", rep.Key, rep)
		}
	}
}

// TestPrinterUnavailable: a printer out of paper holds the job without a failure
// counted, shows its state with the job, and the job prints once paper is back.
func TestPrinterUnavailable(t *testing.T) {
	rig := newRig(t, Options{MaxFailures: 2, Retention: time.Hour})
	mustAdd(t, rig.q, "R1", person(t, "46003150224"))
	rig.printer.setState(printing.StateMediaEmpty)
	for range 20 {
		rig.runSome(t, 1)
		rig.clock.Advance(time.Second)
	}
	j := jobsByKey(t, rig.q)["R1-c1"]
	if j.State != StatePending || j.Failures != 0 || j.PrinterState != "media-empty" || j.LastError != "" {
		t.Fatalf("R1-c1 with no paper = %s, failures %d, printer %q, error %q; want pending, 0, media-empty, no error",
			j.State, j.Failures, j.PrinterState, j.LastError)
	}
	if n := len(rig.printer.printed()); n != 0 {
		t.Fatalf("printed %d documents with no paper, want 0", n)
	}
	// The printer takes the job but stops in the middle (busy, then no paper).
	rig.printer.setState(printing.StateReady)
	rig.printer.pollsToComplete = 3
	rig.printer.printErr = []error{fmt.Errorf("%w: busy", printing.ErrUnavailable)}
	rig.runUntilEmpty(t)
	j = jobsByKey(t, rig.q)["R1-c1"]
	if got := rig.printer.printed()["R1-c1"]; j.State != StateDone || got != 1 || j.Failures != 0 {
		t.Errorf("R1-c1 after paper = %s, printed %d, failures %d; want done, 1, 0", j.State, got, j.Failures)
	}
}

// TestSubmittingRecovery: a worker died after recording "submitting". The next
// worker asks the printer before printing: a job it holds is adopted, a job it does
// not hold is printed, and a printer without a job history parks the job for staff.
func TestSubmittingRecovery(t *testing.T) {
	tests := []struct {
		name        string
		reached     bool // the dead worker's document reached the printer
		noHistory   bool
		wantState   State
		wantPrinted int
	}{
		{"on the printer", true, false, StateDone, 1},
		{"not on the printer", false, false, StateDone, 1},
		{"printer without history", true, true, StateParked, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			rig := newRig(t, Options{Owner: "dead", LeaseTTL: time.Minute, Retention: time.Hour})
			mustAdd(t, rig.q, "R1", person(t, "46003150224"))
			rig.runSome(t, 1) // the issue job: adds R1-c1
			// The worker that dies: claims the print job, records "submitting",
			// maybe sends it, and is gone.
			l, ok, err := rig.q.claim(ctx, []Kind{KindPrint})
			if err != nil || !ok || l.Key != "R1-c1" {
				t.Fatalf("claim() = %s, %v, %v; want R1-c1", l.Key, ok, err)
			}
			if err := rig.q.setPhase(ctx, &l, PhaseSubmitting); err != nil {
				t.Fatal(err)
			}
			if tt.reached {
				rig.printer.Print(ctx, printing.Document{Key: "R1-c1", PDF: []byte("%PDF-")})
			}
			rig.printer.noHistory = tt.noHistory
			rig.clock.Advance(time.Minute) // the lease runs out
			rig.runUntilEmpty(t)
			j := jobsByKey(t, rig.q)["R1-c1"]
			if got := rig.printer.printed()["R1-c1"]; j.State != tt.wantState || got != tt.wantPrinted {
				t.Errorf("R1-c1 = %s (%s), printed %d; want %s, printed %d", j.State, j.LastError, got, tt.wantState, tt.wantPrinted)
			}
			if tt.noHistory {
				if !strings.Contains(j.LastError, "cannot tell whether this document printed") || j.Phase != PhaseNone {
					t.Errorf("parked job = phase %q, error %q; want no phase and a message for staff", j.Phase, j.LastError)
				}
				// Staff checked the printer: it did not print. Retry prints it.
				if err := rig.q.Retry(ctx, j.ID); err != nil {
					t.Fatal(err)
				}
				rig.runUntilEmpty(t)
				if got := rig.printer.printed()["R1-c1"]; got != 2 || mustGet(t, rig.q, j.ID).State != StateDone {
					t.Errorf("after staff retry: printed %d, want 2 (staff's decision)", got)
				}
			}
		})
	}
}

// TestParking: a job that keeps failing is parked with its last error, never
// dropped: its row and its sealed data stay, and staff can retry it.
func TestParking(t *testing.T) {
	rig := newRig(t, Options{MaxFailures: 4})
	calls := 0
	rig.w.Records = recordsFunc(func(ctx context.Context, p *rules.Profile, id registry.Identifier) (*registry.Record, error) {
		calls++
		return nil, &registry.BadResponseError{URL: "http://registry/Patient?identifier=***", Problem: "not FHIR JSON for " + id.Value}
	})
	j := mustAdd(t, rig.q, "R1", person(t, "46003150224"))
	rig.runUntilEmpty(t)
	got := mustGet(t, rig.q, j.ID)
	if got.State != StateParked || got.Failures != 4 || calls != 4 {
		t.Fatalf("failing job = %s, failures %d, %d calls; want parked after 4", got.State, got.Failures, calls)
	}
	if !strings.Contains(got.LastError, "failed 4 times") || !strings.Contains(got.LastError, "not FHIR JSON") {
		t.Errorf("last error = %q, want the count and the cause", got.LastError)
	}
	if strings.Contains(got.LastError, "46003150224") {
		t.Errorf("last error = %q, holds the identifier", got.LastError)
	}
	if _, err := rig.q.getSealed(context.Background(), j.ID, j.Key); err != nil {
		t.Errorf("sealed data of the parked job: %v, want kept", err)
	}
	if n, _ := rig.q.Purge(context.Background()); n != 0 {
		t.Errorf("Purge() deleted %d jobs, want a parked job kept", n)
	}
	rig.w.Records = recordsFunc(func(ctx context.Context, p *rules.Profile, id registry.Identifier) (*registry.Record, error) {
		return nil, nil // nobody's patient: a refusal slip
	})
	if err := rig.q.Retry(context.Background(), j.ID); err != nil {
		t.Fatal(err)
	}
	rig.runUntilEmpty(t)
	if got := rig.printer.printed()["R1-slip"]; got != 1 {
		t.Errorf("after retry: slip printed %d times, want 1", got)
	}
}

// TestRegistryDown: with the registry down (the demo registry's fault switch), each
// request is accepted, a claim receipt printed and the request kept pending; when the
// registry is back everything completes and is held, then released by the three
// ways: the same person identifying again, claim code with date of birth, and staff.
func TestRegistryDown(t *testing.T) {
	ctx := context.Background()
	rig := newRig(t, Options{Backoff: Backoff{Base: time.Second, Cap: time.Minute}, Retention: time.Hour})
	who := []registrysim.Person{person(t, "46003150224"), person(t, "34811020330"), person(t, "112-233-445 95")}
	for i, p := range who {
		mustAdd(t, rig.q, fmt.Sprintf("R%d", i), p)
	}
	rig.sim.Registry.SetFaults(registrysim.Local, registrysim.Faults{Down: true})
	for range 40 {
		rig.runSome(t, 10)
		rig.clock.Advance(10 * time.Second)
	}
	jobs := jobsByKey(t, rig.q)
	printed := rig.printer.printed()
	for i := range who {
		key := fmt.Sprintf("R%d", i)
		j := jobs[key]
		if j.State != StatePending || !j.Claimed || j.Failures != 0 || !strings.Contains(j.LastError, "unreachable") {
			t.Errorf("%s with the registry down = %s, claimed %v, failures %d, %q; want pending, claimed, 0, unreachable",
				key, j.State, j.Claimed, j.Failures, j.LastError)
		}
		if j.Attempts < 3 {
			t.Errorf("%s tried %d times in 400 s, want retries", key, j.Attempts)
		}
		if printed[key+"-receipt"] != 1 {
			t.Errorf("%s-receipt printed %d times, want 1", key, printed[key+"-receipt"])
		}
	}
	if len(printed) != len(who) {
		t.Errorf("printed %v with the registry down, want only the receipts", printed)
	}
	codes := map[string]string{}
	for i := range who {
		key := fmt.Sprintf("R%d", i)
		codes[key] = claimCode(t, rig.q, jobs[key])
	}
	// Not ready yet: nothing to release.
	if _, err := rig.q.ReleaseSubject(ctx, identifier(who[0])); !errors.Is(err, ErrNotReady) {
		t.Errorf("ReleaseSubject() while waiting = %v, want ErrNotReady", err)
	}

	rig.sim.Registry.SetFaults(registrysim.Local, registrysim.Faults{})
	rig.runUntilEmpty(t)
	jobs = jobsByKey(t, rig.q)
	for i := range who {
		key := fmt.Sprintf("R%d", i)
		if jobs[key].State != StateDone || jobs[key+"-c1"].State != StateHeld {
			t.Errorf("%s after the registry returned = %s, certificate %s; want done, held", key, jobs[key].State, jobs[key+"-c1"].State)
		}
	}
	if len(rig.printer.printed()) != len(who) {
		t.Errorf("printed %v before any release, want only the receipts", rig.printer.printed())
	}

	// 1. The same person identifies again.
	if n, err := rig.q.ReleaseSubject(ctx, identifier(who[0])); err != nil || n != 1 {
		t.Errorf("ReleaseSubject(R0's person) = %d, %v; want 1", n, err)
	}
	// 2. Claim code and date of birth; a wrong date first.
	code := codes["R1"]
	if _, err := rig.q.ReleaseClaim(ctx, code, "1948-11-03"); !errors.Is(err, ErrClaimMismatch) {
		t.Errorf("ReleaseClaim(code, wrong date) = %v, want ErrClaimMismatch", err)
	}
	if _, err := rig.q.ReleaseClaim(ctx, "K7Q4-M2XP", "1948-11-02"); !errors.Is(err, ErrClaimMismatch) {
		t.Errorf("ReleaseClaim(another code) = %v, want ErrClaimMismatch", err)
	}
	if n, err := rig.q.ReleaseClaim(ctx, strings.ToLower(code), who[1].BirthDate); err != nil || n != 1 {
		t.Errorf("ReleaseClaim(code, %s) = %d, %v; want 1", who[1].BirthDate, n, err)
	}
	// 3. Staff.
	if n, err := rig.q.Release(ctx, jobs["R2"].ID); err != nil || n != 1 {
		t.Errorf("Release(R2) = %d, %v; want 1", n, err)
	}
	rig.runUntilEmpty(t)
	printed = rig.printer.printed()
	for i := range who {
		key := fmt.Sprintf("R%d-c1", i)
		if printed[key] != 1 {
			t.Errorf("%s printed %d times, want 1", key, printed[key])
		}
	}
	if n, err := rig.q.ReleaseSubject(ctx, identifier(who[0])); err != nil || n != 0 {
		t.Errorf("ReleaseSubject() again = %d, %v; want 0, nothing held", n, err)
	}
}

// claimCode reads a request's claim code from its sealed data, as the receipt
// printed it.
func claimCode(t testing.TB, q *Queue, j Job) string {
	t.Helper()
	var code string
	var data []byte
	err := q.rdb.QueryRow("SELECT data FROM sealed WHERE job = ?", j.ID).Scan(&data)
	if err == nil {
		var plain []byte
		if plain, err = q.openFor(j.Key, data); err == nil {
			var rd requestData
			err = json.Unmarshal(plain, &rd)
			code = rd.Claim
		}
	}
	if err != nil || code == "" {
		t.Fatalf("claim code of %s: %q, %v", j.Key, code, err)
	}
	return code
}

// TestClaimLock: five wrong dates of birth lock the code.
func TestClaimLock(t *testing.T) {
	ctx := context.Background()
	rig := newRig(t, Options{Retention: time.Hour})
	p := person(t, "46003150224")
	j := mustAdd(t, rig.q, "R1", p)
	rig.sim.Registry.SetFaults(registrysim.Local, registrysim.Faults{Down: true, Times: 1})
	rig.runSome(t, 1)
	code := claimCode(t, rig.q, mustGet(t, rig.q, j.ID))
	rig.runUntilEmpty(t)
	for i := range maxClaimMisses {
		_, err := rig.q.ReleaseClaim(ctx, code, "2000-01-01")
		want := ErrClaimMismatch
		if i == maxClaimMisses-1 {
			want = ErrClaimLocked
		}
		if !errors.Is(err, want) {
			t.Fatalf("ReleaseClaim(wrong date) #%d = %v, want %v", i+1, err, want)
		}
	}
	if _, err := rig.q.ReleaseClaim(ctx, code, p.BirthDate); !errors.Is(err, ErrClaimLocked) {
		t.Errorf("ReleaseClaim(right date) after lock = %v, want ErrClaimLocked", err)
	}
	if n, err := rig.q.Release(ctx, j.ID); err != nil || n != 1 {
		t.Errorf("Release() by staff after lock = %d, %v; want 1", n, err)
	}
}

// TestFHIRReporter sends reports to a test registry that takes Communication with
// conditional create: a 503 is retried without counting, a repeat records nothing
// twice, and a registry that takes no reports parks the job.
func TestFHIRReporter(t *testing.T) {
	var mu sync.Mutex
	stored := map[string]fhirCommunication{}
	answers := []int{http.StatusServiceUnavailable}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Method != http.MethodPost || r.URL.Path != "/fhir/Communication" || r.Header.Get("Content-Type") != "application/fhir+json" {
			http.Error(w, "not here", http.StatusNotFound)
			return
		}
		if len(answers) > 0 {
			code := answers[0]
			answers = answers[1:]
			w.WriteHeader(code)
			return
		}
		cond := r.Header.Get("If-None-Exist")
		var c fhirCommunication
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &c); err != nil || !strings.HasPrefix(cond, "identifier=") {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		if _, ok := stored[cond]; ok {
			w.WriteHeader(http.StatusOK)
			return
		}
		stored[cond] = c
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()

	rig := newRig(t, Options{Retention: time.Hour})
	rig.w.Reporter = &FHIRReporter{BaseURL: srv.URL + "/fhir"}
	mustAdd(t, rig.q, "R1", person(t, "46003150224"))
	rig.runUntilEmpty(t)
	rep := jobsByKey(t, rig.q)["R1-report"]
	if rep.State != StateDone || rep.Failures != 0 || rep.Attempts != 2 {
		t.Errorf("R1-report = %s, failures %d, attempts %d; want done after one retry not counted", rep.State, rep.Failures, rep.Attempts)
	}
	if len(stored) != 1 {
		t.Fatalf("registry holds %d reports, want 1", len(stored))
	}
	for _, c := range stored {
		if c.ResourceType != "Communication" || c.Identifier[0].Value != "R1-report" || len(c.Payload) != 1 ||
			!strings.HasPrefix(c.Payload[0].ContentString, "URN:UVCI:01:EE:") || c.Subject.Identifier.Value != "46003150224" {
			t.Errorf("report = %+v", c)
		}
	}
	// Sent again (a crash after the registry answered): recorded once.
	r := &FHIRReporter{BaseURL: srv.URL + "/fhir"}
	if err := r.Report(context.Background(), Report{Key: "R1-report", IssuedAt: testStart}); err != nil || len(stored) != 1 {
		t.Errorf("Report() again = %v, registry holds %d; want nil, 1", err, len(stored))
	}
	// A registry without the endpoint.
	rig.w.Reporter = &FHIRReporter{BaseURL: srv.URL + "/elsewhere"}
	mustAdd(t, rig.q, "R2", person(t, "34811020330"))
	rig.runUntilEmpty(t)
	rep = jobsByKey(t, rig.q)["R2-report"]
	if rep.State != StateParked || !strings.Contains(rep.LastError, "takes no reports") {
		t.Errorf("R2-report to a registry without reports = %s, %q; want parked, takes no reports", rep.State, rep.LastError)
	}
	if err := (&FHIRReporter{BaseURL: "http://127.0.0.1:1/fhir"}).Report(context.Background(), Report{Key: "x"}); !errors.Is(err, registry.ErrUnreachable) {
		t.Errorf("Report() to a closed port = %v, want ErrUnreachable", err)
	}
}

// TestRetention: a finished request's sealed data and rows are deleted once the
// retention has passed, not before.
func TestRetention(t *testing.T) {
	ctx := context.Background()
	rig := newRig(t, Options{Retention: time.Hour})
	mustAdd(t, rig.q, "R1", person(t, "46003150224"))
	rig.runUntilEmpty(t)
	jobs := jobsByKey(t, rig.q)
	if len(jobs) != 3 {
		t.Fatalf("jobs = %d, want the request, its certificate and its report", len(jobs))
	}
	if _, err := rig.q.getSealed(ctx, jobs["R1-c1"].ID, "R1-c1"); err != nil {
		t.Errorf("certificate PDF within the retention: %v, want kept", err)
	}
	rig.clock.Advance(time.Hour)
	if n, err := rig.q.Purge(ctx); err != nil || n != 3 {
		t.Errorf("Purge() after the retention = %d, %v; want 3", n, err)
	}
	var rows int
	rig.q.rdb.QueryRow("SELECT (SELECT count(*) FROM job) + (SELECT count(*) FROM sealed)").Scan(&rows)
	if rows != 0 {
		t.Errorf("rows left after purge = %d, want 0", rows)
	}
}

// TestWrongKey: data sealed under another key does not open; the job is parked with
// that said, not dropped and not run with garbage.
func TestWrongKey(t *testing.T) {
	clock := newFakeClock()
	q, dir := openTest(t, clock, Options{})
	j := mustAdd(t, q, "R1", person(t, "46003150224"))
	q.Close()
	other := openAt(t, dir, clock, Options{Keys: fixedKeys(make([]byte, KeySize))})
	_, records := startRegistry(t)
	w := &Worker{Queue: other, Services: newTestServices(t), Records: records, Printers: newFakePrinter().opener()}
	if err := w.RunUntilEmpty(context.Background()); err != nil {
		t.Fatalf("RunUntilEmpty() = %v", err)
	}
	got := mustGet(t, other, j.ID)
	if got.State != StateParked || !strings.Contains(got.LastError, "cannot be opened") {
		t.Errorf("job sealed under another key = %s, %q; want parked, cannot be opened", got.State, got.LastError)
	}
}
