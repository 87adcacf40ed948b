package kiosk

import (
	"errors"
	"os/exec"
	"testing"
	"time"
)

func TestScanDemoCertificate(t *testing.T) {
	tests := []struct {
		profile, kind   string
		colour, reason  string
		name, birthDate string
		wantPersonShown bool
	}{
		{"EE", "valid", "green", "valid", "Mari Tamm", "1960-03-15", true},
		{"EE", "rules", "orange", "course-not-complete", "Mari Tamm", "1960-03-15", true},
		{"EE", "forged", "red", "signature", "", "", false},
		{"AZ", "valid", "green", "valid", "Elvin Məmmədov", "1984-08-18", true},
		{"AZ", "rules", "orange", "first-component-only", "Elvin Məmmədov", "1984-08-18", true},
		{"RU-MOW", "rules", "orange", "first-component-only", "Иван Петров", "1970-04-12", true},
		{"RU-KAM", "valid", "green", "valid", "Иван Петров", "1970-04-12", true},
		{"RU-KAM", "forged", "red", "signature", "", "", false},
	}
	apps := map[string]*App{}
	for _, tt := range tests {
		if apps[tt.profile] == nil {
			apps[tt.profile], _ = openDemo(t, tt.profile)
		}
	}
	for _, tt := range tests {
		t.Run(tt.profile+"/"+tt.kind, func(t *testing.T) {
			app := apps[tt.profile]
			app.Finish()
			before := app.Poll(0)
			if err := app.ScanDemoCertificate(tt.kind); err != nil {
				t.Fatalf("ScanDemoCertificate(%q) = %v", tt.kind, err)
			}
			st := waitFor(t, app, "verify", func(st State) bool { return st.Seq > before.Seq && st.Screen == ScreenVerify })
			v := st.Verify
			if v == nil || v.Colour != tt.colour || v.Reason != tt.reason {
				t.Fatalf("verify = %+v, want %s with reason %s", v, tt.colour, tt.reason)
			}
			// A certificate whose signature is not genuine tells nothing of whom it names.
			if tt.wantPersonShown && (v.Name != tt.name || v.BirthDate != tt.birthDate || v.Kind != "vaccination") {
				t.Errorf("verify = %+v, want the vaccination of %s born %s", v, tt.name, tt.birthDate)
			}
			if !tt.wantPersonShown && (v.Name != "" || v.BirthDate != "" || v.Kind != "") {
				t.Errorf("verify = %+v, want no person from a forged certificate", v)
			}
		})
	}
	if t.Failed() {
		return
	}
	app := apps["EE"]

	t.Run("unknown kind", func(t *testing.T) {
		if err := app.ScanDemoCertificate("stolen"); !errors.Is(err, ErrUnknown) {
			t.Errorf("ScanDemoCertificate(stolen) = %v, want %v", err, ErrUnknown)
		}
	})
	t.Run("busy while a session shows its results", func(t *testing.T) {
		app.Finish()
		if err := app.InsertDemoCard("ee-1001"); err != nil {
			t.Fatal(err)
		}
		st := waitFor(t, app, "results", onScreen(ScreenResults))
		if err := app.ScanDemoCertificate("valid"); !errors.Is(err, ErrBusy) {
			t.Errorf("ScanDemoCertificate on results = %v, want %v", err, ErrBusy)
		}
		time.Sleep(100 * time.Millisecond)
		if now := app.Poll(0); now.Screen != ScreenResults || now.Person == nil || now.Person.Name != st.Person.Name {
			t.Errorf("after a refused scan screen = %q person %+v, want the results still", now.Screen, now.Person)
		}
		app.Finish()
	})
	t.Run("from attract, the scan goes to verify and the session can go on", func(t *testing.T) {
		if err := app.ScanDemoCertificate("valid"); err != nil {
			t.Fatal(err)
		}
		waitFor(t, app, "verify", onScreen(ScreenVerify))
		app.Cancel()
		if st := app.Poll(0); st.Screen != ScreenIdentify || st.Verify != nil {
			t.Errorf("after Cancel screen = %q verify %+v, want identify and no result", st.Screen, st.Verify)
		}
	})
}

func TestScanDemoCertificateNotDemo(t *testing.T) {
	if err := New(Options{}).ScanDemoCertificate("valid"); !errors.Is(err, ErrNotReady) {
		t.Errorf("ScanDemoCertificate on New = %v, want %v", err, ErrNotReady)
	}
	// A kiosk with its services but no simulated devices: not a demo.
	app := New(Options{})
	app.svc = &services{}
	for _, kind := range []string{"valid", "rules", "forged"} {
		if err := app.ScanDemoCertificate(kind); !errors.Is(err, ErrNotDemo) {
			t.Errorf("ScanDemoCertificate(%q) outside demo mode = %v, want %v", kind, err, ErrNotDemo)
		}
	}
	if st := app.Poll(0); st.Screen != ScreenAttract || st.Verify != nil {
		t.Errorf("after the refusals screen = %q verify %+v, want attract", st.Screen, st.Verify)
	}
}

func TestIdleRemaining(t *testing.T) {
	app, clock := openDemo(t, "EE")
	if st := app.Poll(0); st.IdleRemainingSeconds != 0 {
		t.Errorf("on attract idleRemainingSeconds = %d, want 0 (no timer runs)", st.IdleRemainingSeconds)
	}
	app.Start()
	if st := app.Poll(0); st.Screen != ScreenLanguage || st.IdleRemainingSeconds != 60 {
		t.Fatalf("after Start screen %q idleRemainingSeconds %d, want language and 60", st.Screen, st.IdleRemainingSeconds)
	}
	for _, step := range []struct {
		advance time.Duration
		want    int
	}{
		{44 * time.Second, 16},
		{500 * time.Millisecond, 16}, // 15.5 s left: rounded up
		{500 * time.Millisecond, 15}, // the warning's moment
		{14 * time.Second, 1},
		{999 * time.Millisecond, 1},
	} {
		clock.Advance(step.advance)
		if st := app.Poll(0); st.Screen != ScreenLanguage || st.IdleRemainingSeconds != step.want {
			t.Fatalf("after %v more: screen %q idleRemainingSeconds %d, want language and %d",
				step.advance, st.Screen, st.IdleRemainingSeconds, step.want)
		}
	}
	app.Touch()
	if st := app.Poll(0); st.IdleRemainingSeconds != 60 {
		t.Errorf("after Touch idleRemainingSeconds = %d, want 60 again", st.IdleRemainingSeconds)
	}
	clock.Advance(45 * time.Second)
	if st := app.Poll(0); st.IdleRemainingSeconds != 15 {
		t.Fatalf("45 s after Touch idleRemainingSeconds = %d, want 15", st.IdleRemainingSeconds)
	}
	clock.Advance(15 * time.Second)
	if st := app.Poll(0); st.Screen != ScreenAttract || st.IdleRemainingSeconds != 0 {
		t.Errorf("at the timeout screen %q idleRemainingSeconds %d, want attract and 0", st.Screen, st.IdleRemainingSeconds)
	}
	// Staff unlocked on attract: their timer runs, and is told.
	if err := app.StaffUnlock("librarian", "481516"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Second)
	if st := app.Poll(0); st.Screen != ScreenAttract || st.IdleRemainingSeconds != 50 {
		t.Errorf("staff unlocked on attract, 10 s later: screen %q idleRemainingSeconds %d, want attract and 50",
			st.Screen, st.IdleRemainingSeconds)
	}
}

func TestScanDemoCertificatePrinted(t *testing.T) {
	app, _ := openDemo(t, "EE")
	if err := app.ScanDemoCertificate("printed"); !errors.Is(err, ErrNothingPrinted) {
		t.Fatalf("ScanDemoCertificate(printed) before anything printed = %v, want %v", err, ErrNothingPrinted)
	}
	for _, tool := range []string{"pdftoppm", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("reading the printed QR code back needs %s: %v", tool, err)
		}
	}
	printAllFor(t, app, "ee-1002")
	app.Finish()
	before := app.Poll(0)
	if err := app.ScanDemoCertificate("printed"); err != nil {
		t.Fatalf("ScanDemoCertificate(printed) = %v", err)
	}
	st := waitFor(t, app, "verify", func(st State) bool { return st.Seq > before.Seq && st.Screen == ScreenVerify })
	if v := st.Verify; v == nil || v.Colour != "green" || v.Name != "Jüri Õunapuu" || v.Kind != "vaccination" {
		t.Errorf("the printed certificate scanned back: verify = %+v, want Jüri Õunapuu's vaccination, green", v)
	}
}
