package kiosk

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/config"
	"certkiosk/backend/identity"
	"certkiosk/backend/queue"
	"certkiosk/backend/registry"
	"certkiosk/backend/registrysim"
	"certkiosk/backend/signer"
	"certkiosk/backend/signer/softhsmtest"
	"certkiosk/drivers/pcsc"
	"certkiosk/drivers/usb"
)

// noReaders is a machine with neither pcscd nor a USB card reader.
var noReaders = readerProbe{
	pcsc: func(context.Context) ([]pcsc.Reader, error) { return nil, pcsc.ErrNoService },
	usb:  func(context.Context) ([]usb.DeviceInfo, error) { return nil, nil },
}

func slogDiscard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// writeFile writes a test's file and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// exampleConfig is build/certkiosk.example.toml with its data folder in the test's
// temporary folder and its credentials in another.
func exampleConfig(t *testing.T) (path, data, creds string) {
	t.Helper()
	example, err := os.ReadFile(filepath.Join("..", "..", "build", "certkiosk.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	data, creds = t.TempDir(), t.TempDir()
	t.Setenv("CREDENTIALS_DIRECTORY", creds)
	const folder = `data_folder = "/var/lib/certkiosk"`
	if !strings.Contains(string(example), folder) {
		t.Fatalf("the example no longer says %s", folder)
	}
	text := strings.Replace(string(example), folder, fmt.Sprintf("data_folder = %q", data), 1)
	return writeFile(t, t.TempDir(), "certkiosk.toml", text), data, creds
}

// setupFor reads the configuration file and makes it a Setup on a machine without
// card readers; the Setup's Log is checked and left out.
func setupFor(t *testing.T, path string) Setup {
	t.Helper()
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := setupFrom(cfg, nil, noReaders)
	if err != nil {
		t.Fatalf("SetupFrom(%s) = %v", path, err)
	}
	if s.Log == nil {
		t.Error("SetupFrom left Log nil")
	}
	s.Log = nil
	return s
}

func checkSetup(t *testing.T, got, want Setup) {
	t.Helper()
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range gv.NumField() {
		name := gv.Type().Field(i).Name
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("SetupFrom: %s = %+v, want %+v", name, reflect.Indirect(gv.Field(i)), reflect.Indirect(wv.Field(i)))
		}
	}
}

func TestSetupFromExample(t *testing.T) {
	path, data, creds := exampleConfig(t)
	checkSetup(t, setupFor(t, path), Setup{
		DataDir:     data,
		Profile:     "EE",
		Languages:   []string{"et", "en", "ru"},
		IdleTimeout: 60 * time.Second,
		RegistryURL: "https://registry.health.example/fhir",
		FederalURL:  "https://federal.health.example/fhir",
		Registry:    registry.Options{Timeout: 15 * time.Second, ConnectTimeout: 3 * time.Second, Retries: 3},
		PrinterURI:  "ipps://printer.library.example/ipp/print",
		KeyURI: "pkcs11:token=kiosk;object=dcc-signer;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so" +
			"&pin-source=file:/etc/certkiosk/pin",
		QueueKeyFile: filepath.Join(creds, "queue.key"),
		AuditKeyFile: filepath.Join(data, "audit.key"),
		UVCIKeyFile:  filepath.Join(data, "uvci.key"),
		Retention:    &Retention{ReprintWindow: 24 * time.Hour, Printed: 24 * time.Hour, Waiting: 720 * time.Hour},
		Staff:        StaffOptions{IdleTimeout: 3 * time.Minute, MaxSession: 4 * time.Hour},
		KioskID:      "tallinn-central-library-1",
	})
}

// caFile writes a PEM file holding one CA certificate.
func caFile(t *testing.T, dir string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test private CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, "ca.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
}

func TestSetupFromDemo(t *testing.T) {
	dir, data, creds := t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("CREDENTIALS_DIRECTORY", creds)
	ca := caFile(t, dir)
	paper := filepath.Join(dir, "paper")
	auditKey := filepath.Join(dir, "audit.key")
	path := writeFile(t, dir, "demo.toml", fmt.Sprintf(`
demo = true
kiosk_id = "demo-7"
profile = "RU-MOW"
languages = ["en", "ru"]
idle_timeout = "90s"
data_folder = %q

[registry]
ca_file = %q
timeout = "20s"
connect_timeout = "2s"
retries = 0

[printer]
uri = %q
ca_file = %q

[signing]
key = "demo"

[keys]
audit = %q
uvci = "credential:uvci"

[retention]
finished_jobs = "10m"
reprint_window = "0s"
printed = "2h"
waiting = "0s"

[staff]
enabled = false
idle_timeout = "5m"
max_session = "1h"
`, data, ca, paper, ca, auditKey))
	checkSetup(t, setupFor(t, path), Setup{
		DataDir:       data,
		Profile:       "RU-MOW",
		Languages:     []string{"en", "ru"},
		IdleTimeout:   90 * time.Second,
		Demo:          true,
		Registry:      registry.Options{CAFile: ca, Timeout: 20 * time.Second, ConnectTimeout: 2 * time.Second, Retries: -1},
		PrinterURI:    "folder://" + paper,
		PrinterCAFile: ca,
		QueueKeyFile:  filepath.Join(data, "queue.key"),
		AuditKeyFile:  auditKey,
		UVCIKeyFile:   filepath.Join(creds, "uvci"),
		Retention:     &Retention{FinishedJobs: 10 * time.Minute, Printed: 2 * time.Hour},
		Staff:         StaffOptions{Disabled: true, IdleTimeout: 5 * time.Minute, MaxSession: time.Hour},
		KioskID:       "demo-7",
	})

	// The file's checks come first: a CA bundle without a certificate stops it.
	if err := os.WriteFile(ca, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := setupFrom(cfg, nil, noReaders); !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), "registry.ca_file") {
		t.Errorf("SetupFrom with an empty CA bundle = %v, want an error naming registry.ca_file", err)
	}
}

// The default configuration (no file) is the demo kiosk Open has always opened.
func TestSetupFromDefaultOpens(t *testing.T) {
	cfg := config.Default()
	cfg.DataFolder = t.TempDir()
	s, err := setupFrom(cfg, nil, noReaders)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Demo || s.Cards != nil || s.KeyURI != "" || s.RegistryURL != "" {
		t.Errorf("SetupFrom(Default) = demo %v, cards %v, key %q, registry %q; want the demo", s.Demo, s.Cards, s.KeyURI, s.RegistryURL)
	}
	s.Clock = newFakeClock()
	app := openTest(t, s)
	st := app.Poll(0)
	if !st.Demo || st.Language != "et" || len(st.DemoPeople) == 0 {
		t.Errorf("the default kiosk: demo %v language %q, %d demo people", st.Demo, st.Language, len(st.DemoPeople))
	}
	var codes []string
	for _, l := range app.Languages() {
		codes = append(codes, l.Code)
	}
	if strings.Join(codes, ",") != "et,en,ru" {
		t.Errorf("Languages() = %v, want the profile's et, en, ru", codes)
	}
}

func TestFindCardReader(t *testing.T) {
	const pcscName = "Gemalto PC Twin Reader (645D9F53) 00 00"
	ccidReader := usb.DeviceInfo{VID: 0x08e6, PID: 0x3437, Product: "PC Twin Reader",
		Interfaces: []usb.InterfaceInfo{{Class: usb.ClassSmartCard}}}
	printer := usb.DeviceInfo{VID: 0x04f9, PID: 0x0042, Interfaces: []usb.InterfaceInfo{{Class: usb.ClassPrinter}}}
	for _, tc := range []struct {
		name   string
		pcsc   []pcsc.Reader
		pcscE  error
		usb    []usb.DeviceInfo
		wantID string // "": no reader
	}{
		{"pcscd lists a reader", []pcsc.Reader{{Name: pcscName}}, nil, []usb.DeviceInfo{ccidReader}, pcscName},
		{"no pcscd, a USB reader", nil, pcsc.ErrNoService, []usb.DeviceInfo{printer, ccidReader}, "08e6:3437"},
		{"pcscd without readers, a USB reader", nil, nil, []usb.DeviceInfo{ccidReader}, "08e6:3437"},
		{"neither", nil, pcsc.ErrNoService, []usb.DeviceInfo{printer}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := findCardReader(slogDiscard(), readerProbe{
				pcsc: func(context.Context) ([]pcsc.Reader, error) { return tc.pcsc, tc.pcscE },
				usb:  func(context.Context) ([]usb.DeviceInfo, error) { return tc.usb, nil },
			})
			switch {
			case tc.wantID == "" && got != nil:
				t.Errorf("findCardReader = %s, want none", got.ID())
			case tc.wantID != "" && (got == nil || got.ID() != tc.wantID):
				t.Errorf("findCardReader = %v, want %s", got, tc.wantID)
			}
		})
	}
	// Outside demo mode SetupFrom watches the reader found; in demo mode the
	// simulated one.
	path, _, _ := exampleConfig(t)
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	withReader := readerProbe{
		pcsc: func(context.Context) ([]pcsc.Reader, error) { return []pcsc.Reader{{Name: pcscName}}, nil },
		usb:  noReaders.usb,
	}
	if s, err := setupFrom(cfg, nil, withReader); err != nil || s.Cards == nil || s.Cards.ID() != pcscName {
		t.Errorf("SetupFrom(not demo).Cards = %v, %v; want the PC/SC reader", s.Cards, err)
	}
	cfg = config.Default()
	cfg.DataFolder = t.TempDir()
	if s, err := setupFrom(cfg, nil, withReader); err != nil || s.Cards != nil {
		t.Errorf("SetupFrom(demo).Cards = %v, %v; want none", s.Cards, err)
	}
}

// hardwareKey puts a signing key in a fresh SoftHSM2 token, with a certificate a
// test CA issued for it, and returns the key's URI.
func hardwareKey(t *testing.T) string {
	t.Helper()
	uri := softhsmtest.New(t).URI("dcc-signer")
	csrPEM, err := signer.GenerateInToken(uri, "EE kiosk 7")
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(csrPEM)
	if block == nil {
		t.Fatalf("GenerateInToken gave %q", csrPEM)
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	dsc := softhsmtest.NewCA(t, newFakeClock().Now()).Issue(t, csr.Subject, csr.PublicKey, 2)
	if err := signer.ImportCertificate(uri, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: dsc.Raw})); err != nil {
		t.Fatal(err)
	}
	return uri
}

// startRegistry runs the demo registry for a kiosk that is not a demo.
func startRegistry(t *testing.T, clock *fakeClock) *registrysim.Running {
	t.Helper()
	reg, err := registrysim.Start(context.Background(), filepath.Join(t.TempDir(), "registry.sqlite"), clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	return reg
}

func TestOpenRefusesDemoKey(t *testing.T) {
	clock := newFakeClock()
	reg := startRegistry(t, clock)
	data := t.TempDir()
	_, err := Open(context.Background(), Setup{DataDir: data, Clock: clock, RegistryURL: reg.LocalURL})
	if !errors.Is(err, signer.ErrFileKey) || !strings.Contains(err.Error(), "signing.key") {
		t.Errorf("Open(not demo, demo key) = %v, want signer.ErrFileKey naming signing.key", err)
	}
	if _, err := os.Stat(filepath.Join(data, signer.DemoFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused kiosk made the demo key: %v", err)
	}

	// A key in a token with a self-signed certificate is a test issuer.
	tok := softhsmtest.New(t)
	self := tok.URI("self-signed")
	if _, err := signer.GenerateSelfSignedInToken(self, "EE kiosk 7", clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), Setup{DataDir: data, Clock: clock, RegistryURL: reg.LocalURL, KeyURI: self}); !errors.Is(err, signer.ErrTestIssuer) {
		t.Errorf("Open(not demo, self-signed token key) = %v, want signer.ErrTestIssuer", err)
	}
}

// A kiosk that is not a demo, with a key a CA certified and no card reader found:
// it opens, and its device list says it has no reader.
func TestOpenWithoutCardReader(t *testing.T) {
	clock := newFakeClock()
	reg := startRegistry(t, clock)
	app := openTest(t, Setup{DataDir: t.TempDir(), Clock: clock, RegistryURL: reg.LocalURL, KeyURI: hardwareKey(t)})
	var readers []Device
	for _, d := range app.Poll(0).Devices {
		if d.Kind == "reader" {
			readers = append(readers, d)
		}
	}
	if len(readers) != 1 || readers[0].ID != noReaderID || readers[0].State != readerOffline || readers[0].Simulated {
		t.Errorf("readers = %+v, want the one saying there is none", readers)
	}
}

func TestLanguagesAndStaffFromSetup(t *testing.T) {
	app := openTest(t, Setup{DataDir: t.TempDir(), Demo: true, Clock: newFakeClock(), Languages: []string{"ru", "en"},
		Staff: StaffOptions{Disabled: true}})
	if got := app.Languages(); len(got) != 2 || got[0].Code != "ru" || got[1].Code != "en" {
		t.Errorf("Languages() = %+v, want ru, en", got)
	}
	if st := app.Poll(0); st.Language != "ru" {
		t.Errorf("attract language = %q, want the first configured, ru", st.Language)
	}
	if err := app.ChooseLanguage("et"); !errors.Is(err, ErrUnknown) {
		t.Errorf("ChooseLanguage(et) not offered = %v, want %v", err, ErrUnknown)
	}
	if err := app.StaffUnlock("librarian", "481516"); !errors.Is(err, ErrForbidden) {
		t.Errorf("StaffUnlock with staff disabled = %v, want %v", err, ErrForbidden)
	}
	if _, err := app.svc.auth.Login(context.Background(), "librarian", []byte("481516")); err == nil {
		t.Error("a demo account was made on a kiosk without staff functions")
	}
	for _, langs := range [][]string{{"xx"}, {"en", "en"}} {
		if _, err := Open(context.Background(), Setup{DataDir: t.TempDir(), Demo: true, Languages: langs}); err == nil {
			t.Errorf("Open(languages %v) opened", langs)
		}
	}
}

// The folder printer deletes what it printed once the retention has passed on the
// kiosk's clock, though nothing prints after.
func TestFolderPrinterRetention(t *testing.T) {
	clock := newFakeClock()
	paper := filepath.Join(t.TempDir(), "paper")
	app := openTest(t, Setup{DataDir: t.TempDir(), Demo: true, Clock: clock, PrinterURI: "folder://" + paper,
		Retention: &Retention{Printed: time.Hour, ReprintWindow: time.Hour}, PrinterWatch: 20 * time.Millisecond})
	if err := app.InsertDemoCard("ee-1001"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, app, "results", onScreen(ScreenResults))
	if err := app.PrintCertificates(nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, app, "done", onScreen(ScreenDone))
	printed := func() int {
		files, err := filepath.Glob(filepath.Join(paper, "*.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		return len(files)
	}
	if n := printed(); n != 1 {
		t.Fatalf("%d files printed, want 1", n)
	}
	clock.Advance(59 * time.Minute)
	time.Sleep(300 * time.Millisecond) // several sweeps
	if n := printed(); n != 1 {
		t.Fatalf("%d files after 59 minutes, want 1 still", n)
	}
	clock.Advance(2 * time.Minute)
	for deadline := time.Now().Add(10 * time.Second); printed() != 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d files left after the retention", printed())
		}
	}
}

// An audit entry of a session reaches the registry as an AuditEvent, shipped by the
// kiosk's queue worker and naming the kiosk.
func TestAuditShippedToRegistry(t *testing.T) {
	clock := newFakeClock()
	app := openTest(t, Setup{DataDir: t.TempDir(), Demo: true, Clock: clock, KioskID: "library-7"})
	if err := app.InsertDemoCard("ee-1001"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, app, "results", onScreen(ScreenResults))
	if site := waitAuditEvent(t, app, clock, app.svc.demoReg.LocalURL); site != "library-7" {
		t.Errorf("AuditEvent.source.site = %q, want library-7", site)
	}
}

// waitAuditEvent waits until the registry at base holds the AuditEvent of the
// kiosk's last audit entry, and returns the site it names. It moves the kiosk's
// clock on: the worker looks at the log every 30 s of it.
func waitAuditEvent(t *testing.T, app *App, clock *fakeClock, base string) string {
	t.Helper()
	head := app.svc.audit.Head()
	if head.Seq == 0 {
		t.Fatal("the session recorded nothing")
	}
	search := base + "/AuditEvent?entity:identifier=" + url.QueryEscape(queue.AuditSystem+"|"+head.Hash.String())
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var bundle struct {
			Total int `json:"total"`
			Entry []struct {
				Resource struct {
					Source struct {
						Site string `json:"site"`
					} `json:"source"`
				} `json:"resource"`
			} `json:"entry"`
		}
		getJSON(t, search, &bundle)
		if bundle.Total == 1 && len(bundle.Entry) == 1 {
			return bundle.Entry[0].Resource.Source.Site
		}
		if time.Now().After(deadline) {
			t.Fatalf("entry %d never reached the registry", head.Seq)
		}
		clock.Advance(10 * time.Second)
	}
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d %s, %v", u, resp.StatusCode, body, err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// The same person's certificate at the same moment has the same UVCI under one key
// and another under another key.
func TestUVCIKeyed(t *testing.T) {
	keys := t.TempDir()
	uvci := func(key string) string {
		app := openTest(t, Setup{DataDir: t.TempDir(), Demo: true, Clock: newFakeClock(), UVCIKeyFile: key})
		if err := app.InsertDemoCard("ee-1001"); err != nil {
			t.Fatal(err)
		}
		st := waitFor(t, app, "results", onScreen(ScreenResults))
		if err := app.ShowPreview(st.Offers[0].ID); err != nil {
			t.Fatal(err)
		}
		return app.Poll(0).Preview.UVCI
	}
	one, two := filepath.Join(keys, "one.key"), filepath.Join(keys, "two.key")
	a, again, b := uvci(one), uvci(one), uvci(two)
	if a != again {
		t.Errorf("UVCIs under one key: %s and %s, want the same", a, again)
	}
	if a == b {
		t.Errorf("UVCIs under two keys are both %s", a)
	}
	if info, err := os.Stat(one); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the UVCI key file: %v, %v; want it made, mode 0600", info, err)
	}
}

// A staff session ends after the configured staff idle time, though the resident's
// idle timeout is longer.
func TestStaffSessionLimits(t *testing.T) {
	clock := newFakeClock()
	app := openTest(t, Setup{DataDir: t.TempDir(), Demo: true, Clock: clock, IdleTimeout: 10 * time.Minute,
		Staff: StaffOptions{IdleTimeout: 30 * time.Second, MaxSession: time.Hour}})
	if err := app.StaffUnlock("librarian", "481516"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(20 * time.Second)
	if _, err := app.QueueJobs(); err != nil {
		t.Fatalf("QueueJobs 20 s after the login = %v", err)
	}
	clock.Advance(31 * time.Second)
	if _, err := app.QueueJobs(); !errors.Is(err, ErrNoSession) {
		t.Errorf("QueueJobs 31 s idle = %v, want %v (staff idle 30 s)", err, ErrNoSession)
	}
}

// A kiosk that is not a demo reaches its registry over TLS under the configured CA:
// the look-up, and the audit entries its worker ships.
func TestRegistryOverTLS(t *testing.T) {
	clock := newFakeClock()
	reg := startRegistry(t, clock)
	plain, err := url.Parse(reg.LocalURL)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(httputil.NewSingleHostReverseProxy(&url.URL{Scheme: plain.Scheme, Host: plain.Host}))
	defer srv.Close()
	ca := writeFile(t, t.TempDir(), "registry-ca.pem",
		string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	reader := fakeReader{cards: make(chan card)}
	app := openTest(t, Setup{DataDir: t.TempDir(), Clock: clock, RegistryURL: srv.URL + plain.Path, KeyURI: hardwareKey(t),
		Registry: registry.Options{CAFile: ca, Retries: -1, Timeout: 5 * time.Second}, Cards: reader, KioskID: "library-9"})
	p, err := identity.FromStaffEntry(registry.SystemEEPersonalCode, "46003150224")
	if err != nil {
		t.Fatal(err)
	}
	p.Source = identity.SourceCard
	reader.cards <- card{p: p}
	if st := waitFor(t, app, "results", onScreen(ScreenResults)); len(st.Offers) != 1 {
		t.Fatalf("offers over TLS = %+v", st.Offers)
	}
	if site := waitAuditEvent(t, app, clock, reg.LocalURL); site != "library-9" {
		t.Errorf("AuditEvent.source.site = %q, want library-9", site)
	}
}
