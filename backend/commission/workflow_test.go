package commission

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/identity"
	"certkiosk/backend/rules"
	"certkiosk/backend/staff"
)

// TestWorkflow takes one case from application to certificate on a real register,
// checking the case after every step, then finds it in the register.
func TestWorkflow(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	c, err := e.svc.Apply(ctx, clerk, testApplication())
	if err != nil {
		t.Fatalf("Apply() = %v", err)
	}
	if c.ID != "AK000001" || c.Stage != StageApplied || c.Name != testName || c.BirthDate != testBirth ||
		c.System != SystemSNILS || c.Identifier != "…4595" || !c.AppliedAt.Equal(testNow) {
		t.Fatalf("Apply() = %+v", c)
	}
	if c.ApprovedBy == nil || c.Approvals != 0 {
		t.Errorf("Apply() approvals = %d %v, want 0 and an empty list", c.Approvals, c.ApprovedBy)
	}

	c = must[Case](t, "RecordPayment")(e.svc.RecordPayment(ctx, clerk, c.ID, " 000123 ", 150000, "rub"))
	if c.Stage != StagePaid || *c.Payment != (Payment{ReceiptNumber: "000123", AmountMinor: 150000, Currency: "RUB"}) {
		t.Fatalf("RecordPayment() = %+v, payment %+v", c, c.Payment)
	}

	c = must[Case](t, "EnterResult")(e.svc.EnterResult(ctx, clerk, c.ID, testResult()))
	want := testResult()
	want.Value = "74.2" // a decimal comma is read as a point
	if c.Stage != StageResult || *c.Result != want {
		t.Fatalf("EnterResult() = %+v, result %+v, want %+v", c, c.Result, want)
	}

	c = must[Case](t, "Decide")(e.svc.Decide(ctx, member1, c.ID, DecisionPresent))
	if c.Stage != StageDecided || c.Decision != DecisionPresent || c.DecidedBy != "member1" {
		t.Fatalf("Decide() = %+v", c)
	}
	c = must[Case](t, "Approve(member1)")(e.svc.Approve(ctx, member1, c.ID))
	if c.Stage != StageDecided || c.Approvals != 1 {
		t.Fatalf("Approve(member1) = %+v, want still decided with 1 approval", c)
	}
	e.now = e.now.Add(time.Minute)
	c = must[Case](t, "Approve(member2)")(e.svc.Approve(ctx, member2, c.ID))
	if c.Stage != StageApproved || c.Approvals != 2 || !slices.Equal(c.ApprovedBy, []string{"member1", "member2"}) {
		t.Fatalf("Approve(member2) = %+v, want approved by member1, member2", c)
	}

	e.now = e.now.Add(time.Minute)
	is, err := e.svc.Issue(ctx, clerk, c.ID)
	if err != nil {
		t.Fatalf("Issue() = %v", err)
	}
	if is.Case.Stage != StageIssued || is.UVCI == "" || is.Case.UVCI != is.UVCI || !is.Case.IssuedAt.Equal(e.now) ||
		!strings.HasPrefix(string(is.PDF), "%PDF-") || !strings.HasPrefix(is.HC1, "HC1:") {
		t.Fatalf("Issue() = case %+v, uvci %q, %d PDF bytes", is.Case, is.UVCI, len(is.PDF))
	}
	if !strings.HasPrefix(is.UVCI, "URN:UVCI:01:RU:KAM/AK000001X") {
		t.Errorf("Issue() UVCI = %q, want URN:UVCI:01:RU:KAM/AK000001X…", is.UVCI)
	}
	got := must[Case](t, "Case")(e.svc.Case(ctx, member2, c.ID))
	if got.Stage != StageIssued || got.UVCI != is.UVCI {
		t.Errorf("Case() = %+v, want issued with %s", got, is.UVCI)
	}

	// The audit log holds the application and the certificate, each with the
	// applicant's identifier as the subject and no personal data in the details.
	if n := len(e.rec.events); n != 2 {
		t.Fatalf("audit events = %d, want 2: %+v", n, e.rec.events)
	}
	person := audit.Identifier{System: "urn:ru:snils", Value: testSNILSRaw}
	for i, w := range []struct {
		action audit.Action
		actor  audit.Actor
	}{
		{audit.ActionIdentified, audit.Actor{Kind: audit.ActorClerk, ID: "clerk"}},
		{audit.ActionIssued, audit.Actor{Kind: audit.ActorClerk, ID: "clerk"}},
	} {
		ev := e.rec.events[i]
		if ev.Action != w.action || ev.Actor != w.actor || ev.Person != person || ev.Details[audit.DetailKind] != "antibody" {
			t.Errorf("audit event %d = %+v, want %s by %v", i, ev, w.action, w.actor)
		}
	}
	if e.rec.events[1].Details[audit.DetailUVCI] != is.UVCI {
		t.Errorf("issued event UVCI = %q, want %q", e.rec.events[1].Details[audit.DetailUVCI], is.UVCI)
	}

	// The applicant may apply again once the certificate is issued.
	again := must[Case](t, "Apply again")(e.svc.Apply(ctx, clerk, testApplication()))
	if again.ID != "AK000002" {
		t.Errorf("second Apply() id = %s, want AK000002", again.ID)
	}
}

// TestSearch finds cases in the register by name, UVCI, id, identifier, stage and
// date of issue.
func TestSearch(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	issued := e.toStage(t, StageIssued)
	other := must[Case](t, "Apply")(e.svc.Apply(ctx, clerk, Application{
		System: "oms", Identifier: "1234 5678 9012 3456", Name: "Семёнов Пётр Ильич", BirthDate: "1961-01-30"}))

	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"all", Query{}, []string{issued.ID, other.ID}},
		{"name part, any case", Query{Text: "петрова"}, []string{issued.ID}},
		{"ё as е", Query{Text: "СЕМЕНОВ"}, []string{other.ID}},
		{"given name", Query{Text: "анна серг"}, []string{issued.ID}},
		{"UVCI", Query{Text: issued.UVCI}, []string{issued.ID}},
		{"case id", Query{Text: other.ID}, []string{other.ID}},
		{"nobody", Query{Text: "Иванов"}, nil},
		{"register", Query{Stage: StageIssued}, []string{issued.ID}},
		{"open cases", Query{Stage: StageApplied}, []string{other.ID}},
		{"identifier", Query{System: "snils", Identifier: testSNILSRaw}, []string{issued.ID}},
		{"OMS identifier", Query{System: "urn:ru:oms", Identifier: "1234567890123456"}, []string{other.ID}},
		{"issued today", Query{IssuedFrom: "2026-11-22", IssuedTo: "2026-11-22"}, []string{issued.ID}},
		{"issued before", Query{IssuedTo: "2026-11-21"}, nil},
		{"issued after", Query{IssuedFrom: "2026-11-23"}, nil},
		{"name and range", Query{Text: "Петрова", IssuedFrom: "2026-11-01"}, []string{issued.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.svc.Search(ctx, clerk, tt.q)
			if err != nil {
				t.Fatalf("Search(%+v) = %v", tt.q, err)
			}
			var ids []string
			for _, c := range got {
				ids = append(ids, c.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("Search(%+v) = %v, want %v", tt.q, ids, tt.want)
			}
		})
	}
	if got := must[[]Case](t, "Search")(e.svc.Search(ctx, member1, Query{Stage: StageIssued})); len(got) != 1 ||
		got[0].Approvals != 2 || got[0].Decision != DecisionPresent {
		t.Errorf("Search(register) = %+v, want one case with its decision and 2 approvals", got)
	}
	for _, q := range []Query{{Stage: "lost"}, {IssuedFrom: "22.11.2026"}, {System: "snils", Identifier: "112-233-445 96"}} {
		if _, err := e.svc.Search(ctx, clerk, q); err == nil {
			t.Errorf("Search(%+v) = nil error, want a refusal", q)
		}
	}
}

// TestOutOfOrder tries every step at every stage it does not follow.
func TestOutOfOrder(t *testing.T) {
	ctx := context.Background()
	steps := map[Step]func(e *env, id string) error{
		StepPayment: func(e *env, id string) error {
			_, err := e.svc.RecordPayment(ctx, clerk, id, "1", 100, "RUB")
			return err
		},
		StepResult: func(e *env, id string) error {
			_, err := e.svc.EnterResult(ctx, clerk, id, testResult())
			return err
		},
		StepDecide: func(e *env, id string) error {
			_, err := e.svc.Decide(ctx, member3, id, DecisionAbsent)
			return err
		},
		StepApprove: func(e *env, id string) error {
			_, err := e.svc.Approve(ctx, member3, id)
			return err
		},
		StepIssue: func(e *env, id string) error {
			_, err := e.svc.Issue(ctx, clerk, id)
			return err
		},
	}
	for _, stage := range Stages() {
		e := newEnv(t)
		c := e.toStage(t, stage)
		for step, do := range steps {
			if step.follows() == stage {
				continue
			}
			t.Run(string(stage)+"/"+string(step), func(t *testing.T) {
				err := do(e, c.ID)
				var se *StageError
				if !errors.Is(err, ErrOutOfOrder) || !errors.As(err, &se) || se.Stage != stage || se.Step != step || Code(err) != "out-of-order" {
					t.Fatalf("%s at %s = %v, want a StageError", step, stage, err)
				}
				if !strings.Contains(err.Error(), "is at stage "+string(stage)) || !strings.Contains(err.Error(), "comes at stage "+string(step.follows())) {
					t.Errorf("error %q does not name the stage and the stage wanted", err)
				}
				after := must[Case](t, "Case")(e.svc.Case(ctx, clerk, c.ID))
				if after.Stage != stage || after.Approvals != c.Approvals {
					t.Errorf("after a refused %s the case is %s with %d approvals, want %s with %d", step, after.Stage, after.Approvals, stage, c.Approvals)
				}
			})
		}
	}
	e := newEnv(t)
	if _, err := e.svc.Decide(ctx, member1, "AK000099", DecisionPresent); !errors.Is(err, ErrNotFound) || Code(err) != "not-found" {
		t.Errorf("Decide(unknown case) = %v, want ErrNotFound", err)
	}
	if _, err := e.svc.Case(ctx, clerk, "../1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Case(%q) = %v, want ErrNotFound", "../1", err)
	}
}

// TestTwoDifferentMembers: the same member twice does not make two approvals; the
// decider may approve, and need not.
func TestTwoDifferentMembers(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	c := e.toStage(t, StageDecided)
	must[Case](t, "Approve(member1)")(e.svc.Approve(ctx, member1, c.ID))
	_, err := e.svc.Approve(ctx, member1, c.ID)
	if !errors.Is(err, ErrSameMember) || Code(err) != "same-member" {
		t.Fatalf("second Approve(member1) = %v, want ErrSameMember", err)
	}
	c = must[Case](t, "Case")(e.svc.Case(ctx, clerk, c.ID))
	if c.Stage != StageDecided || c.Approvals != 1 {
		t.Fatalf("after a repeated approval the case is %s with %d approvals, want decided with 1", c.Stage, c.Approvals)
	}
	if _, err := e.svc.Issue(ctx, clerk, c.ID); !errors.Is(err, ErrOutOfOrder) {
		t.Fatalf("Issue with one approval = %v, want ErrOutOfOrder", err)
	}
	// A member with a second role is still the same member.
	both := Actor{StaffID: "member1", Roles: []staff.Role{staff.RoleClerk, staff.RoleCommissionMember}}
	if _, err := e.svc.Approve(ctx, both, c.ID); !errors.Is(err, ErrSameMember) {
		t.Fatalf("Approve(member1 as clerk and member) = %v, want ErrSameMember", err)
	}
	c = must[Case](t, "Approve(member2)")(e.svc.Approve(ctx, member2, c.ID))
	if c.Stage != StageApproved {
		t.Fatalf("Approve(member2) = %s, want approved", c.Stage)
	}

	// Decided by member3, approved by two others.
	e = newEnv(t)
	c = e.toStage(t, StageResult)
	must[Case](t, "Decide(member3)")(e.svc.Decide(ctx, member3, c.ID, DecisionAbsent))
	must[Case](t, "Approve(member1)")(e.svc.Approve(ctx, member1, c.ID))
	c = must[Case](t, "Approve(member2)")(e.svc.Approve(ctx, member2, c.ID))
	if c.Stage != StageApproved || c.DecidedBy != "member3" || c.Decision != DecisionAbsent {
		t.Fatalf("case = %+v, want approved, decided absent by member3", c)
	}
}

// TestRoles: each step refused to every role that may not take it, before the case
// is looked at.
func TestRoles(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	c := e.toStage(t, StageApplied)
	nobody := Actor{StaffID: "", Roles: []staff.Role{staff.RoleClerk}}
	steps := []struct {
		name    string
		refused []Actor
		do      func(a Actor) error
	}{
		{"apply", []Actor{member1, librarian, admin, nobody}, func(a Actor) error {
			_, err := e.svc.Apply(ctx, a, testApplication())
			return err
		}},
		{"statement", []Actor{member1, librarian, admin}, func(a Actor) error {
			_, err := e.svc.PrintStatement(ctx, a, c.ID)
			return err
		}},
		{"payment", []Actor{member1, librarian, admin, nobody}, func(a Actor) error {
			_, err := e.svc.RecordPayment(ctx, a, c.ID, "1", 100, "RUB")
			return err
		}},
		{"result", []Actor{member1, librarian, admin}, func(a Actor) error {
			_, err := e.svc.EnterResult(ctx, a, c.ID, testResult())
			return err
		}},
		{"decide", []Actor{clerk, librarian, admin}, func(a Actor) error {
			_, err := e.svc.Decide(ctx, a, c.ID, DecisionPresent)
			return err
		}},
		{"approve", []Actor{clerk, librarian, admin}, func(a Actor) error {
			_, err := e.svc.Approve(ctx, a, c.ID)
			return err
		}},
		{"issue", []Actor{member1, librarian, admin}, func(a Actor) error {
			_, err := e.svc.Issue(ctx, a, c.ID)
			return err
		}},
		{"reprint", []Actor{member1, librarian, admin}, func(a Actor) error {
			_, err := e.svc.Reprint(ctx, a, c.ID)
			return err
		}},
		{"case", []Actor{librarian, admin}, func(a Actor) error {
			_, err := e.svc.Case(ctx, a, c.ID)
			return err
		}},
		{"search", []Actor{librarian, admin, {StaffID: "x"}}, func(a Actor) error {
			_, err := e.svc.Search(ctx, a, Query{})
			return err
		}},
	}
	for _, s := range steps {
		for _, a := range s.refused {
			err := s.do(a)
			if !errors.Is(err, ErrForbidden) || !errors.Is(err, staff.ErrForbidden) || Code(err) != "forbidden" {
				t.Errorf("%s by %q %v = %v, want forbidden", s.name, a.StaffID, a.Roles, err)
			}
		}
	}
	if got := must[Case](t, "Case")(e.svc.Case(ctx, clerk, c.ID)); got.Stage != StageApplied {
		t.Errorf("after refused steps the case is %s, want applied", got.Stage)
	}
	if _, err := e.svc.Case(ctx, member1, c.ID); err != nil {
		t.Errorf("Case by a member = %v, want the case", err)
	}
}

func TestInvalidInput(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	apps := []struct {
		name string
		app  func(a *Application)
		code string
	}{
		{"check digit", func(a *Application) { a.Identifier = "112-233-445 96" }, "invalid-identifier"},
		{"short OMS", func(a *Application) { a.System, a.Identifier = "oms", "12345" }, "invalid-identifier"},
		{"passport", func(a *Application) { a.System = "passport" }, "invalid-identifier"},
		{"no name", func(a *Application) { a.Name = "  " }, "invalid"},
		{"digits in name", func(a *Application) { a.Name = "Петрова 2" }, "invalid"},
		{"birth date format", func(a *Application) { a.BirthDate = "02.09.1957" }, "invalid"},
		{"born tomorrow", func(a *Application) { a.BirthDate = "2026-11-23" }, "invalid"},
	}
	for _, tt := range apps {
		a := testApplication()
		tt.app(&a)
		if _, err := e.svc.Apply(ctx, clerk, a); Code(err) != tt.code {
			t.Errorf("Apply(%s) = %v (code %q), want code %s", tt.name, err, Code(err), tt.code)
		}
	}
	if _, err := e.svc.Apply(ctx, clerk, Application{System: "snils", Identifier: "x"}); !errors.Is(err, identity.ErrInvalidIdentifier) {
		t.Errorf("Apply(bad SNILS) = %v, want identity.ErrInvalidIdentifier", err)
	}

	c := must[Case](t, "Apply")(e.svc.Apply(ctx, clerk, testApplication()))
	if _, err := e.svc.Apply(ctx, clerk, testApplication()); !errors.Is(err, ErrOpenCase) || !strings.Contains(err.Error(), c.ID) {
		t.Errorf("second Apply() while the case is open = %v, want ErrOpenCase naming %s", err, c.ID)
	}
	for name, p := range map[string]Payment{
		"no receipt": {"", 100, "RUB"}, "zero": {"1", 0, "RUB"}, "negative": {"1", -5, "RUB"}, "euro": {"1", 100, "EUR"},
	} {
		if _, err := e.svc.RecordPayment(ctx, clerk, c.ID, p.ReceiptNumber, p.AmountMinor, p.Currency); !errors.Is(err, ErrInvalid) {
			t.Errorf("RecordPayment(%s) = %v, want ErrInvalid", name, err)
		}
	}
	must[Case](t, "RecordPayment")(e.svc.RecordPayment(ctx, clerk, c.ID, "1", 100, "RUB"))
	results := []struct {
		name   string
		change func(r *LabResult)
		want   error
	}{
		{"PCR", func(r *LabResult) { r.Test = "94309-2" }, ErrInvalid},
		{"value text", func(r *LabResult) { r.Value = "positive" }, ErrInvalid},
		{"range upside down", func(r *LabResult) { r.ReferenceLow, r.ReferenceHigh = "8", "1" }, ErrInvalid},
		{"no unit", func(r *LabResult) { r.Unit = "" }, ErrInvalid},
		{"no laboratory", func(r *LabResult) { r.Laboratory = "" }, ErrInvalid},
		{"long laboratory", func(r *LabResult) { r.Laboratory = strings.Repeat("л", 81) }, ErrInvalid},
		{"sampled tomorrow", func(r *LabResult) { r.Date = "2026-11-23" }, ErrInvalid},
		{"sampled 7 months ago", func(r *LabResult) { r.Date = "2026-04-20" }, ErrResultTooOld},
	}
	for _, tt := range results {
		r := testResult()
		tt.change(&r)
		if _, err := e.svc.EnterResult(ctx, clerk, c.ID, r); !errors.Is(err, tt.want) {
			t.Errorf("EnterResult(%s) = %v, want %v", tt.name, err, tt.want)
		}
	}
	must[Case](t, "EnterResult")(e.svc.EnterResult(ctx, clerk, c.ID, testResult()))
	if _, err := e.svc.Decide(ctx, member1, c.ID, "maybe"); !errors.Is(err, ErrInvalid) {
		t.Errorf("Decide(maybe) = %v, want ErrInvalid", err)
	}
}

// TestIssueResultTooOld: a certificate whose validity ended while the case waited
// is not issued, and the case stays approved.
func TestIssueResultTooOld(t *testing.T) {
	e := newEnv(t)
	c := e.toStage(t, StageApproved)
	e.now = e.now.AddDate(0, 7, 0)
	if _, err := e.svc.Issue(context.Background(), clerk, c.ID); !errors.Is(err, ErrResultTooOld) || Code(err) != "result-too-old" {
		t.Fatalf("Issue() seven months later = %v, want ErrResultTooOld", err)
	}
	if got := must[Case](t, "Case")(e.svc.Case(context.Background(), clerk, c.ID)); got.Stage != StageApproved || got.UVCI != "" {
		t.Errorf("after a refused issue the case is %+v, want approved without a UVCI", got)
	}
}

// TestOpenOtherProfile: a kiosk on another profile has no antibody commission.
func TestOpenOtherProfile(t *testing.T) {
	p, err := rules.Load("EE")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), t.TempDir(), Options{Profile: p}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Open(profile EE) = %v, want ErrInvalid", err)
	}
}

// failingRecorder refuses every entry.
type failingRecorder struct{}

func (failingRecorder) Append(audit.Event) (audit.Entry, error) {
	return audit.Entry{}, errors.New("disk full")
}

// TestAuditFailure: a step whose audit entry fails is still done, and says so.
func TestAuditFailure(t *testing.T) {
	e := newEnv(t)
	e.svc.opts.Recorder = failingRecorder{}
	c, err := e.svc.Apply(context.Background(), clerk, testApplication())
	if !errors.Is(err, ErrAudit) || Code(err) != "audit-failed" || c.ID == "" || c.Stage != StageApplied {
		t.Fatalf("Apply() with a failing recorder = %+v, %v, want the case and ErrAudit", c, err)
	}
	if _, err := e.svc.Case(context.Background(), clerk, c.ID); err != nil {
		t.Errorf("Case(%s) = %v, want the case kept", c.ID, err)
	}
}
