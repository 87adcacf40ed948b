package kiosk

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"certkiosk/backend/issuance"
	"certkiosk/backend/registrysim"
	"certkiosk/backend/signer"
)

func TestSameCardReleasesHeld(t *testing.T) {
	app, clock := openDemo(t, "EE")
	reg := app.svc.demoReg.Registry
	reg.SetFaults(registrysim.Local, registrysim.Faults{Down: true})
	if err := app.InsertDemoCard("ee-1001"); err != nil {
		t.Fatal(err)
	}
	st := waitFor(t, app, "failed", onScreen(ScreenFailed))
	if st.Failure == nil || !st.Failure.Queued {
		t.Fatalf("failure = %+v, want queued", st.Failure)
	}
	// The same card while the registry is still down: still waiting, same code.
	app.Finish()
	if err := app.InsertDemoCard("ee-1001"); err != nil {
		t.Fatal(err)
	}
	again := waitFor(t, app, "failed", onScreen(ScreenFailed))
	if again.Failure == nil || again.Failure.ClaimCode != st.Failure.ClaimCode {
		t.Fatalf("the same card while waiting: failure %+v, want claim code %s", again.Failure, st.Failure.ClaimCode)
	}
	reg.SetFaults(registrysim.Local, registrysim.Faults{})
	app.Finish()
	deadline := time.Now().Add(30 * time.Second)
	for {
		clock.Advance(time.Minute)
		jobs, err := app.svc.queue.List(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		held := 0
		for _, j := range jobs {
			if j.State == "held" {
				held++
			}
		}
		if held > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no certificate held: %+v", jobs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := app.InsertDemoCard("ee-1001"); err != nil {
		t.Fatal(err)
	}
	st = waitFor(t, app, "done", onScreen(ScreenDone))
	if len(st.Print.Jobs) != 1 || st.Print.Jobs[0].What != "certificate" {
		t.Fatalf("print = %+v, want the held certificate", st.Print)
	}
}

func TestIdleTimeoutWipes(t *testing.T) {
	screens := []struct {
		name string
		to   func(t *testing.T, app *App)
	}{
		{"language", func(t *testing.T, app *App) { app.Start() }},
		{"results", func(t *testing.T, app *App) {
			if err := app.InsertDemoCard("ee-1007"); err != nil {
				t.Fatal(err)
			}
			waitFor(t, app, "results", onScreen(ScreenResults))
		}},
		{"preview", func(t *testing.T, app *App) {
			if err := app.InsertDemoCard("ee-1001"); err != nil {
				t.Fatal(err)
			}
			waitFor(t, app, "results", onScreen(ScreenResults))
			if err := app.ShowPreview("c1"); err != nil {
				t.Fatal(err)
			}
		}},
		{"done", func(t *testing.T, app *App) { printAllFor(t, app, "ee-1002") }},
		{"verify", func(t *testing.T, app *App) {
			if err := app.SimulateScan("HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH"); err != nil {
				t.Fatal(err)
			}
		}},
	}
	app, clock := openDemo(t, "EE")
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			app.Finish()
			if err := app.StaffUnlock("librarian", "481516"); err != nil {
				t.Fatal(err)
			}
			sc.to(t, app)
			before := app.Poll(0)
			if before.Screen == ScreenAttract {
				t.Fatalf("did not leave attract")
			}
			clock.Advance(59 * time.Second)
			if st := app.Poll(0); st.Screen != before.Screen {
				t.Fatalf("after 59 s screen = %q, want %q still", st.Screen, before.Screen)
			}
			clock.Advance(2 * time.Second)
			st := app.Poll(before.Seq)
			if st.Seq <= before.Seq {
				t.Errorf("seq %d after the wipe, want above %d", st.Seq, before.Seq)
			}
			app.mu.Lock()
			want := app.attractState("EE", true)
			app.mu.Unlock()
			want.Seq, want.Devices = st.Seq, st.Devices
			if !reflect.DeepEqual(st, want) {
				t.Errorf("after the idle timeout state = %+v, want %+v", st, want)
			}
			if st.Person != nil || st.Preview != nil || st.Print != nil || st.Failure != nil || st.Verify != nil ||
				st.Staff != nil || st.Fetch != nil || len(st.Offers) != 0 || len(st.Refusals) != 0 || st.Language != "et" {
				t.Errorf("personal data left after the idle timeout: %+v", st)
			}
			app.mu.Lock()
			sess, staffSess := app.sess, app.staffSess
			app.mu.Unlock()
			if sess != nil || staffSess != nil {
				t.Errorf("session %v staff %v left in memory", sess, staffSess)
			}
			if _, ok := app.svc.sim.Reader().Present(); ok {
				t.Errorf("a card is still in the simulated reader")
			}
		})
	}
	// Attract itself does not time out.
	before := app.Poll(0)
	clock.Advance(10 * time.Minute)
	if st := app.Poll(0); st.Seq != before.Seq {
		t.Errorf("attract changed on idle: seq %d → %d", before.Seq, st.Seq)
	}
}

func TestIdleWipesHeldPDFs(t *testing.T) {
	app, clock := openDemo(t, "EE")
	if err := app.InsertDemoCard("ee-1001"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, app, "results", onScreen(ScreenResults))
	app.mu.Lock()
	pdf := app.sess.outcome.Certificates[0].PDF
	app.mu.Unlock()
	clock.Advance(time.Hour)
	app.Poll(0)
	for _, b := range pdf {
		if b != 0 {
			t.Fatalf("the certificate's PDF is still in memory after the idle timeout")
		}
	}
}

func TestVerifyColours(t *testing.T) {
	app, _ := openDemo(t, "EE")
	now := app.clock.Now()
	// The kiosk's own certificates, issued from the demo records.
	issue := func(t *testing.T, iss *signer.Issuer, person string) string {
		t.Helper()
		svc, err := app.svc.issuers.Service("EE")
		if err != nil {
			t.Fatal(err)
		}
		if iss != nil {
			svc = &issuance.Service{Profile: svc.Profile, Issuer: iss, Renderer: svc.Renderer}
		}
		app.Finish()
		if err := app.InsertDemoCard(person); err != nil {
			t.Fatal(err)
		}
		waitFor(t, app, "results", onScreen(ScreenResults))
		app.mu.Lock()
		rec := app.sess.record
		app.mu.Unlock()
		out, err := svc.Issue(rec, now)
		if err != nil || len(out.Certificates) == 0 {
			t.Fatalf("issuing for %s: %v %d", person, err, len(out.Certificates))
		}
		app.Finish()
		return out.Certificates[0].HC1
	}
	foreign, err := signer.LoadDemo(t.TempDir(), now)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, hc1 string
		colour    string
	}{
		{"own, valid", issue(t, nil, "ee-1001"), "green"},
		{"own, course not complete", issue(t, nil, "ee-1005"), "orange"},
		{"foreign key", issue(t, foreign, "ee-1001"), "red"},
		{"not base45", "HC1:????", "red"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app.Finish()
			if err := app.SimulateScan(tt.hc1); err != nil {
				t.Fatal(err)
			}
			st := app.Poll(0)
			if st.Screen != ScreenVerify || st.Verify == nil || st.Verify.Colour != tt.colour || st.Verify.Reason == "" {
				t.Fatalf("SimulateScan = screen %q verify %+v, want %s with a reason", st.Screen, st.Verify, tt.colour)
			}
		})
	}
}

func TestStaff(t *testing.T) {
	app, _ := openDemo(t, "EE")
	if _, err := app.QueueJobs(); !errors.Is(err, ErrNoSession) {
		t.Errorf("QueueJobs without staff = %v, want %v", err, ErrNoSession)
	}
	if err := app.ReprintJob("1"); !errors.Is(err, ErrNoSession) {
		t.Errorf("ReprintJob without staff = %v, want %v", err, ErrNoSession)
	}
	if got := app.CheckIdentifier("ee-personal-code", "46003150224"); got.OK || got.Problem != string(ErrNoSession) {
		t.Errorf("CheckIdentifier without staff = %+v, want refused", got)
	}
	if err := app.StaffUnlock("librarian", "000000"); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("StaffUnlock with a wrong PIN = %v, want %v", err, ErrWrongPIN)
	}
	if err := app.StaffUnlock("nobody", "481516"); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("StaffUnlock of an unknown id = %v, want %v", err, ErrWrongPIN)
	}

	// A commission member may not reprint, retry or type identifiers.
	if err := app.StaffUnlock("member1", "314159"); err != nil {
		t.Fatal(err)
	}
	if st := app.Poll(0); st.Staff == nil || st.Staff.ID != "member1" || !reflect.DeepEqual(st.Staff.Roles, []string{"commission-member"}) {
		t.Fatalf("staff = %+v, want member1", st.Staff)
	}
	for name, err := range map[string]error{
		"ReprintJob":    app.ReprintJob("1"),
		"RetryJob":      app.RetryJob("1"),
		"StaffIdentify": app.StaffIdentify("ee-personal-code", "46003150224"),
		"ReleaseHeld":   app.ReleaseHeld("2345-6789"),
	} {
		if !errors.Is(err, ErrForbidden) {
			t.Errorf("%s as a commission member = %v, want %v", name, err, ErrForbidden)
		}
	}
	if _, err := app.QueueJobs(); !errors.Is(err, ErrForbidden) {
		t.Errorf("QueueJobs as a commission member = %v, want %v", err, ErrForbidden)
	}
	app.StaffLock()
	if st := app.Poll(0); st.Staff != nil {
		t.Fatalf("after StaffLock staff = %+v", st.Staff)
	}

	if err := app.StaffUnlock("librarian", "481516"); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		system, value string
		want          IdentifierCheck
	}{
		{"ee-personal-code", "46003150224", IdentifierCheck{OK: true, Normalized: "46003150224"}},
		{"ee-personal-code", "4600315022", IdentifierCheck{Problem: "length"}},
		{"ee-personal-code", "46003150225", IdentifierCheck{Problem: "check-digit"}},
		{"ee-personal-code", "46013450224", IdentifierCheck{Problem: "date"}},
		{"snils", "112-233-445 95", IdentifierCheck{OK: true, Normalized: "11223344595"}},
		{"snils", "112-233-445 96", IdentifierCheck{Problem: "check-digit"}},
		{"oms", "12345", IdentifierCheck{Problem: "length"}},
		{"fin", "5XK7R2Q", IdentifierCheck{OK: true, Normalized: "5XK7R2Q"}},
		{"fin", "5XK7R2", IdentifierCheck{Problem: "length"}},
		{"passport", "1", IdentifierCheck{Problem: "format"}},
	}
	for _, c := range checks {
		if got := app.CheckIdentifier(c.system, c.value); got != c.want {
			t.Errorf("CheckIdentifier(%s, %s) = %+v, want %+v", c.system, c.value, got, c.want)
		}
	}
	if err := app.StaffIdentify("ee-personal-code", "46003150225"); !errors.Is(err, ErrInvalidIdentifier) {
		t.Errorf("StaffIdentify with a bad check digit = %v, want %v", err, ErrInvalidIdentifier)
	}
	if err := app.StaffIdentify("ee-personal-code", "46003150224"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, app, "results", onScreen(ScreenResults))
	if err := app.PrintCertificates(nil); err != nil {
		t.Fatal(err)
	}
	st := waitFor(t, app, "done", onScreen(ScreenDone))
	jobs, err := app.QueueJobs()
	if err != nil {
		t.Fatal(err)
	}
	var printJob string
	for _, j := range jobs {
		if j.Kind == "print" && j.State == "done" {
			printJob = j.ID
		}
	}
	if printJob == "" || printJob != st.Print.Jobs[0].ID {
		t.Fatalf("QueueJobs = %+v, want the printed job %s", jobs, st.Print.Jobs[0].ID)
	}
	before := len(printedFiles(t, app))
	if err := app.ReprintJob(printJob); err != nil {
		t.Fatalf("ReprintJob as a librarian: %v", err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(printedFiles(t, app)) == before {
		if time.Now().After(deadline) {
			t.Fatal("the copy did not print")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := app.RetryJob(printJob); !errors.Is(err, ErrJobState) {
		t.Errorf("RetryJob of a printed job = %v, want %v", err, ErrJobState)
	}
	if err := app.CancelJob("99999"); !errors.Is(err, ErrUnknown) {
		t.Errorf("CancelJob(99999) = %v, want %v", err, ErrUnknown)
	}
	if got := app.Printers(); len(got) == 0 || got[0].Kind != "printer" {
		t.Errorf("Printers() = %+v, want the folder printer", got)
	}
	app.Finish()
	if err := app.RetryJob(printJob); !errors.Is(err, ErrNoSession) {
		t.Errorf("RetryJob after Finish = %v, want %v (staff locked)", err, ErrNoSession)
	}
	entries, err := app.svc.audit.Since(0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[string(e.Action)] = true
	}
	for _, want := range []string{"staff-login", "staff-login-failed", "identified", "fetched", "issued", "reprinted", "staff-logout"} {
		if !seen[want] {
			t.Errorf("audit log has no %q entry", want)
		}
	}
}
