package commission

import (
	"context"
	"sync"
	"testing"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/certpdf"
	"certkiosk/backend/dcc"
	"certkiosk/backend/signer"
	"certkiosk/backend/staff"
)

// testNow is the kiosk's clock in the tests: 13:00 in Petropavlovsk-Kamchatsky.
var testNow = time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)

// The staff of the tests.
var (
	clerk     = Actor{StaffID: "clerk", Roles: []staff.Role{staff.RoleClerk}}
	member1   = Actor{StaffID: "member1", Roles: []staff.Role{staff.RoleCommissionMember}}
	member2   = Actor{StaffID: "member2", Roles: []staff.Role{staff.RoleCommissionMember}}
	member3   = Actor{StaffID: "member3", Roles: []staff.Role{staff.RoleCommissionMember}}
	librarian = Actor{StaffID: "lib", Roles: []staff.Role{staff.RoleLibrarian}}
	admin     = Actor{StaffID: "admin", Roles: []staff.Role{staff.RoleAdministrator}}
)

// The applicant of the tests, and her lab result.
const (
	testName     = "Петрова Анна Сергеевна"
	testSNILS    = "112-233-445 95"
	testSNILSRaw = "11223344595"
	testBirth    = "1957-09-02"
	testLab      = "КДЛ Елизово"
)

func testApplication() Application {
	return Application{System: "snils", Identifier: testSNILS, Name: testName, BirthDate: testBirth}
}

func testResult() LabResult {
	return LabResult{Test: "94762-2", Value: "74,2", Unit: "BAU/mL", ReferenceLow: "0", ReferenceHigh: "7.1",
		Laboratory: testLab, Date: "2026-11-18"}
}

// recorder keeps the audit events appended.
type recorder struct {
	mu     sync.Mutex
	events []audit.Event
}

func (r *recorder) Append(ev audit.Event) (audit.Entry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	return audit.Entry{Seq: uint64(len(r.events))}, nil
}

var testFonts = sync.OnceValues(certpdf.SystemFonts)

// env is a Service on a real register in a folder of its own.
type env struct {
	dir    string
	svc    *Service
	issuer *signer.Issuer
	rec    *recorder
	now    time.Time
}

// open opens the register in dir with the demo issuer kept there, at testNow
// unless e.now is set.
func open(t *testing.T, dir string) *env {
	t.Helper()
	fonts, err := testFonts()
	if err != nil {
		t.Fatalf("SystemFonts() = %v", err)
	}
	iss, err := signer.LoadDemo(dir, testNow.Add(-time.Hour))
	if err != nil {
		t.Fatalf("LoadDemo() = %v", err)
	}
	e := &env{dir: dir, issuer: iss, rec: &recorder{}, now: testNow}
	e.svc, err = Open(context.Background(), dir, Options{
		Issuer:   iss,
		Renderer: certpdf.NewRenderer(fonts, dcc.DisplayName),
		Recorder: e.rec,
		Now:      func() time.Time { return e.now },
	})
	if err != nil {
		t.Fatalf("Open(%s) = %v", dir, err)
	}
	t.Cleanup(func() { e.svc.Close() })
	return e
}

func newEnv(t *testing.T) *env { return open(t, t.TempDir()) }

// must fails the test on err.
func must[T any](t *testing.T, what string) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s = %v", what, err)
		}
		return v
	}
}

// toStage takes a new case of the test applicant through the workflow up to stage.
func (e *env) toStage(t *testing.T, stage Stage) Case {
	t.Helper()
	ctx := context.Background()
	c := must[Case](t, "Apply")(e.svc.Apply(ctx, clerk, testApplication()))
	steps := []struct {
		stage Stage
		do    func() (Case, error)
	}{
		{StagePaid, func() (Case, error) { return e.svc.RecordPayment(ctx, clerk, c.ID, "000123", 150000, "RUB") }},
		{StageResult, func() (Case, error) { return e.svc.EnterResult(ctx, clerk, c.ID, testResult()) }},
		{StageDecided, func() (Case, error) { return e.svc.Decide(ctx, member1, c.ID, DecisionPresent) }},
		{StageDecided, func() (Case, error) { return e.svc.Approve(ctx, member1, c.ID) }},
		{StageApproved, func() (Case, error) { return e.svc.Approve(ctx, member2, c.ID) }},
		{StageIssued, func() (Case, error) {
			is, err := e.svc.Issue(ctx, clerk, c.ID)
			return is.Case, err
		}},
	}
	for _, s := range steps {
		if c.Stage == stage {
			return c // a decided case comes back before any approval
		}
		c = must[Case](t, "step to "+string(s.stage))(s.do())
	}
	if c.Stage != stage {
		t.Fatalf("toStage(%s) reached %s", stage, c.Stage)
	}
	return c
}

// mustDate is the start of a day in Kamchatka.
func mustDate(t *testing.T, day string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Kamchatka")
	if err != nil {
		t.Fatal(err)
	}
	d, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
