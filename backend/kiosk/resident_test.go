package kiosk

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/pdfqr"
	"certkiosk/backend/registry"
	"certkiosk/backend/registrysim"
	"certkiosk/backend/staff"
)

func TestCertificatePrintsAndVerifies(t *testing.T) {
	app, _ := openDemo(t, "EE")
	st := app.Poll(0)
	if st.Screen != ScreenAttract || !st.Demo || st.Profile != "EE" || st.IdleTimeoutSeconds != 60 || len(st.DemoPeople) == 0 {
		t.Fatalf("Poll(0) = screen %q demo %v profile %q idle %d people %d, want attract, demo EE 60 and demo people",
			st.Screen, st.Demo, st.Profile, st.IdleTimeoutSeconds, len(st.DemoPeople))
	}
	app.Start()
	if st := app.Poll(0); st.Screen != ScreenLanguage {
		t.Fatalf("after Start screen = %q, want language", st.Screen)
	}
	if err := app.ChooseLanguage("xx"); !errors.Is(err, ErrUnknown) {
		t.Errorf("ChooseLanguage(xx) = %v, want %v", err, ErrUnknown)
	}
	if err := app.ChooseLanguage("en"); err != nil {
		t.Fatal(err)
	}
	if st := app.Poll(0); st.Screen != ScreenIdentify || st.Language != "en" {
		t.Fatalf("after ChooseLanguage screen = %q language %q, want identify en", st.Screen, st.Language)
	}
	if err := app.InsertDemoCard("ee-1001"); err != nil {
		t.Fatalf("InsertDemoCard: %v", err)
	}
	st = waitFor(t, app, "results", onScreen(ScreenResults))
	if st.Person == nil || st.Person.Name != "Mari Tamm" || st.Person.BirthDate != "1960-03-15" {
		t.Errorf("person = %+v, want Mari Tamm 1960-03-15", st.Person)
	}
	if len(st.Offers) != 1 || st.Offers[0].Kind != "vaccination" || st.Offers[0].Dose != 2 || st.Offers[0].Doses != 2 || st.Offers[0].Source != "local" {
		t.Fatalf("offers = %+v, want one vaccination 2/2 from local", st.Offers)
	}
	if len(st.Refusals) != 0 {
		t.Errorf("refusals = %+v, want none", st.Refusals)
	}
	if err := app.ShowPreview("c9"); !errors.Is(err, ErrUnknown) {
		t.Errorf("ShowPreview(c9) = %v, want %v", err, ErrUnknown)
	}
	if err := app.ShowPreview(st.Offers[0].ID); err != nil {
		t.Fatal(err)
	}
	st = app.Poll(0)
	if st.Screen != ScreenPreview || st.Preview == nil || !strings.HasPrefix(st.Preview.QR, "data:image/png;base64,") ||
		!strings.HasPrefix(st.Preview.UVCI, "URN:UVCI:01:EE:") || !st.Preview.Specimen || st.Preview.Name != "Mari Tamm" {
		t.Fatalf("preview = %+v on %q", st.Preview, st.Screen)
	}
	app.mu.Lock()
	hc1 := app.sess.outcome.Certificates[0].HC1
	app.mu.Unlock()
	app.ClosePreview()
	if st := app.Poll(0); st.Screen != ScreenResults || st.Preview != nil {
		t.Fatalf("after ClosePreview screen = %q preview %v", st.Screen, st.Preview)
	}
	if err := app.PrintCertificates(nil); err != nil {
		t.Fatal(err)
	}
	st = waitFor(t, app, "done", onScreen(ScreenDone))
	if st.Print == nil || !st.Print.Done || len(st.Print.Jobs) != 1 || st.Print.Jobs[0].State != "printed" || st.Print.Jobs[0].What != "certificate" {
		t.Fatalf("print = %+v, want one certificate printed", st.Print)
	}
	files := printedFiles(t, app)
	if len(files) != 1 {
		t.Fatalf("printed files = %v, want one", files)
	}
	pdf := readFile(t, files[0])
	if _, err := exec.LookPath("pdftoppm"); err == nil {
		codes, err := pdfqr.Read(context.Background(), pdf)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range codes {
			if strings.HasPrefix(c, "HC1:") {
				found = true
				if res := dcc.NewVerifier(app.svc.issuer.Certificate).Verify(c, app.clock.Now()); !res.Valid {
					t.Errorf("the printed certificate does not verify: %s %v", res.Reason, res.Err)
				}
			}
		}
		if !found {
			t.Errorf("the printed PDF holds no HC1 QR code: %q", codes)
		}
	} else if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Errorf("printed file is not a PDF")
	}
	app.Finish()
	st = app.Poll(0)
	if st.Screen != ScreenAttract || st.Person != nil || st.Print != nil {
		t.Fatalf("after Finish screen = %q person %v print %v", st.Screen, st.Person, st.Print)
	}
	// The certificate scanned back is green.
	if err := app.SimulateScan(hc1); err != nil {
		t.Fatal(err)
	}
	if st := app.Poll(0); st.Screen != ScreenVerify || st.Verify == nil || st.Verify.Colour != "green" || st.Verify.Kind != "vaccination" {
		t.Fatalf("verify = %+v on %q, want green vaccination", st.Verify, st.Screen)
	}
	app.Cancel()
	if st := app.Poll(0); st.Screen != ScreenIdentify || st.Verify != nil {
		t.Fatalf("after Cancel on verify screen = %q verify %v", st.Screen, st.Verify)
	}
}

func TestRefusalTextsAndSlip(t *testing.T) {
	app, _ := openDemo(t, "EE")
	if err := app.InsertDemoCard("ee-1006"); err != nil { // ill now
		t.Fatal(err)
	}
	st := waitFor(t, app, "results", onScreen(ScreenResults))
	if st.Language != "et" {
		t.Errorf("language from attract = %q, want the profile's first, et", st.Language)
	}
	if len(st.Refusals) == 0 || st.Refusals[0].Reason != "ill-now" {
		t.Fatalf("refusals = %+v, want ill-now", st.Refusals)
	}
	texts := map[string]bool{}
	for _, lang := range []string{"et", "en", "ru", "az"} {
		if err := app.ChooseLanguage(lang); err != nil {
			t.Fatal(err)
		}
		st := app.Poll(0)
		if st.Screen != ScreenResults || st.Language != lang {
			t.Fatalf("ChooseLanguage(%s) on results: screen %q language %q", lang, st.Screen, st.Language)
		}
		r := st.Refusals[0]
		if r.Text == "" || r.NextStep == "" {
			t.Errorf("%s refusal = %+v, want text and next step", lang, r)
		}
		if texts[r.Text] {
			t.Errorf("%s refusal text %q is the same as another language's", lang, r.Text)
		}
		texts[r.Text] = true
	}
	if err := app.PrintRefusalSlip(); err != nil {
		t.Fatal(err)
	}
	st = waitFor(t, app, "done", onScreen(ScreenDone))
	if len(st.Print.Jobs) != 1 || st.Print.Jobs[0].What != "slip" {
		t.Fatalf("print jobs = %+v, want the slip", st.Print.Jobs)
	}
	if files := printedFiles(t, app); len(files) != 1 || !strings.HasSuffix(files[0], "-slip.pdf") {
		t.Fatalf("printed = %v, want the slip", files)
	}
}

func TestRegistryOutageClaim(t *testing.T) {
	app, clock := openDemo(t, "EE")
	reg := app.svc.demoReg.Registry
	reg.SetFaults(registrysim.Local, registrysim.Faults{Down: true})
	if err := app.InsertDemoCard("ee-1002"); err != nil {
		t.Fatal(err)
	}
	st := waitFor(t, app, "failed", onScreen(ScreenFailed))
	if st.Failure == nil || st.Failure.Reason != "registry-unreachable" || !st.Failure.Queued || st.Failure.ClaimCode == "" {
		t.Fatalf("failure = %+v, want registry-unreachable, queued, with a claim code", st.Failure)
	}
	code := st.Failure.ClaimCode
	if st.Print == nil || len(st.Print.Jobs) != 1 || st.Print.Jobs[0].What != "receipt" {
		t.Fatalf("print = %+v, want the receipt", st.Print)
	}
	app.mu.Lock()
	request := app.sess.request
	app.mu.Unlock()
	waitFor(t, app, "the receipt printed", func(st State) bool { return st.Print != nil && st.Print.Done })

	// The registry is back: the worker completes the request and holds the certificate.
	reg.SetFaults(registrysim.Local, registrysim.Faults{})
	app.Finish()
	deadline := time.Now().Add(30 * time.Second)
	for {
		clock.Advance(time.Minute)
		j, err := app.svc.queue.Get(context.Background(), request)
		if err != nil {
			t.Fatal(err)
		}
		if j.Terminal() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("request is still %s: %s", j.State, j.LastError)
		}
		time.Sleep(20 * time.Millisecond)
	}
	before := len(printedFiles(t, app))

	app.OpenClaim()
	if st := app.Poll(0); st.Screen != ScreenClaim {
		t.Fatalf("after OpenClaim screen = %q", st.Screen)
	}
	if err := app.Claim(code, "1950-01-01"); !errors.Is(err, ErrClaimMismatch) {
		t.Fatalf("Claim with a wrong date of birth = %v, want %v", err, ErrClaimMismatch)
	}
	if err := app.Claim("2222", "1948-11-02"); !errors.Is(err, ErrBadClaimCode) {
		t.Fatalf("Claim(2222) = %v, want %v", err, ErrBadClaimCode)
	}
	if err := app.Claim(strings.ToLower(code), "1948-11-02"); err != nil {
		t.Fatalf("Claim: %v", err)
	}
	st = waitFor(t, app, "done", onScreen(ScreenDone))
	if len(st.Print.Jobs) != 1 || st.Print.Jobs[0].What != "certificate" {
		t.Fatalf("print jobs = %+v, want the certificate", st.Print.Jobs)
	}
	if after := len(printedFiles(t, app)); after != before+1 {
		t.Fatalf("printed files %d → %d, want one more", before, after)
	}
}

func TestCancelFetching(t *testing.T) {
	app, _ := openDemo(t, "EE")
	app.svc.demoReg.Registry.SetFaults(registrysim.Local, registrysim.Faults{Latency: 3 * time.Second})
	if err := app.InsertDemoCard("ee-1001"); err != nil {
		t.Fatal(err)
	}
	if st := app.Poll(0); st.Screen != ScreenFetching || st.Fetch == nil {
		t.Fatalf("after InsertDemoCard screen = %q fetch %v, want fetching", st.Screen, st.Fetch)
	}
	if err := app.InsertDemoCard("ee-1002"); !errors.Is(err, ErrBusy) {
		t.Errorf("InsertDemoCard while fetching = %v, want %v", err, ErrBusy)
	}
	app.Cancel()
	st := app.Poll(0)
	if st.Screen != ScreenIdentify || st.Person != nil || st.Fetch != nil {
		t.Fatalf("after Cancel screen = %q person %v fetch %v", st.Screen, st.Person, st.Fetch)
	}
	time.Sleep(3500 * time.Millisecond)
	if st := app.Poll(0); st.Screen != ScreenIdentify || len(st.Offers) != 0 {
		t.Fatalf("the cancelled fetch came back: screen %q offers %v", st.Screen, st.Offers)
	}
}

func TestScanDocument(t *testing.T) {
	tests := []struct {
		name, scan string
		want       Screen
		reason     string
	}{
		{"garbage", "hello", ScreenFailed, "scan-unreadable"},
		{"bad check digit", "IDESTAC0374518934811020330<<<<\r4811022M3106305EST<<<<<<<<<<<5\rOUNAPUU<<JUERI<<<<<<<<<<<<<<<<", ScreenFailed, "scan-unreadable"},
		{"zone", "IDESTAC0374518834811020330<<<<\r4811022M3106305EST<<<<<<<<<<<5\rOUNAPUU<<JUERI<<<<<<<<<<<<<<<<", ScreenResults, ""},
	}
	app, _ := openDemo(t, "EE")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app.Finish()
			if err := app.SimulateScan(tt.scan); err != nil {
				t.Fatal(err)
			}
			st := waitFor(t, app, string(tt.want), func(st State) bool { return st.Screen != ScreenFetching })
			if st.Screen != tt.want || tt.reason != "" && (st.Failure == nil || st.Failure.Reason != tt.reason) {
				t.Fatalf("SimulateScan(%q) = screen %q failure %+v, want %q %q", tt.scan, st.Screen, st.Failure, tt.want, tt.reason)
			}
		})
	}
	t.Run("demo document", func(t *testing.T) {
		app.Finish()
		if err := app.ScanDemoDocument("ee-1001"); err != nil {
			t.Fatal(err)
		}
		st := waitFor(t, app, "results", func(st State) bool { return st.Screen != ScreenFetching })
		if st.Screen != ScreenResults || len(st.Offers) != 1 {
			t.Fatalf("ScanDemoDocument = screen %q offers %v failure %+v", st.Screen, st.Offers, st.Failure)
		}
	})
}

func TestNotDemo(t *testing.T) {
	app := New(Options{})
	if err := app.InsertDemoCard("ee-1001"); !errors.Is(err, ErrNotReady) {
		t.Errorf("InsertDemoCard on New = %v, want %v", err, ErrNotReady)
	}
	if st := app.Poll(0); st.Screen != ScreenAttract || st.Offers == nil || st.Refusals == nil || st.DemoPeople == nil || st.Devices == nil {
		t.Errorf("Poll on New = %+v, want attract with empty arrays", st)
	}
}

func TestPrinterDownKeepsJobQueued(t *testing.T) {
	clock := newFakeClock()
	data := t.TempDir()
	dir := filepath.Join(data, "paper")
	var logs bytes.Buffer
	app, err := Open(context.Background(), Setup{
		DataDir:    data,
		Demo:       true,
		Clock:      clock,
		PrinterURI: "folder://" + dir,
		Log:        slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Registry:   registry.Options{Retries: -1},
		StaffHash:  staff.Params{Time: 1, Memory: 64, Threads: 1, SaltLen: 16, KeyLen: 32},
		QueuePoll:  20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Shutdown(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	for len(app.svc.worker.PrinterStatus()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the worker never polled its printer")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The printer's folder is gone (a disk unplugged): a file stands in its place.
	os.RemoveAll(dir)
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := app.InsertDemoCard("ee-1003"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, app, "results", onScreen(ScreenResults))
	if err := app.PrintCertificates(nil); err != nil {
		t.Fatal(err)
	}
	st := waitFor(t, app, "the printer's state", func(st State) bool {
		return st.Print != nil && len(st.Print.Jobs) == 1 && st.Print.Jobs[0].PrinterState == "offline"
	})
	if st.Screen != ScreenPrinting || st.Print.Jobs[0].State != "queued" || st.Print.Done {
		t.Fatalf("with the printer offline: screen %q print %+v, want the job queued", st.Screen, st.Print)
	}
	// The printer is back: the job prints by itself.
	os.Remove(dir)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 500 && app.Poll(0).Screen == ScreenPrinting; i++ {
		clock.Advance(50 * time.Millisecond)
		time.Sleep(10 * time.Millisecond)
	}
	if st := app.Poll(0); st.Screen != ScreenDone {
		t.Fatalf("after the printer came back screen = %q, print %+v", st.Screen, st.Print)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(files) != 1 {
		t.Fatalf("printed %v, want one certificate", files)
	}
	// Nothing personal in the log.
	for _, secret := range []string{"37506070448", "Кузнецов", "Олег", "KUZNETSOV", "1975-06-07"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log holds %q:\n%s", secret, logs.String())
		}
	}
}
