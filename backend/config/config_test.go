package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/signer"
)

// minimal is the smallest file Load accepts.
const minimal = "demo = true\ndata_folder = \"/var/lib/certkiosk\"\n"

func TestDefault(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/tmp/xdg")
	c := Default()
	if !c.Demo || c.Signing.Key != DemoKey || c.Profile != "EE" || c.Registry.URL != "" {
		t.Fatalf("Default() = %+v, want the demo", c)
	}
	if c.DataFolder != "/tmp/xdg/certkiosk" {
		t.Errorf("Default().DataFolder = %q, want /tmp/xdg/certkiosk", c.DataFolder)
	}
	if strings.Join(c.Languages, ",") != "et,en,ru" {
		t.Errorf("Default().Languages = %v, want the profile's", c.Languages)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Default().Validate() = %v, want nil", err)
	}
	if got := c.PrinterURI(); got != "folder:///tmp/xdg/certkiosk/printed" {
		t.Errorf("PrinterURI() = %q, want the printed folder", got)
	}
}

func TestParseDefaults(t *testing.T) {
	c, err := Parse([]byte(minimal), "k.toml")
	if err != nil {
		t.Fatal(err)
	}
	if c.KioskID != DefaultKioskID || c.IdleTimeout.Std() != DefaultIdleTimeout || c.Registry.Retries != DefaultRetries ||
		c.Retention.ReprintWindow.Std() != DefaultReprintWindow || !c.Staff.Enabled || c.File != "k.toml" {
		t.Errorf("Parse(minimal) = %+v, want the defaults", c)
	}
}

func TestExampleFile(t *testing.T) {
	c, err := Load(filepath.Join("..", "..", "build", "certkiosk.example.toml"))
	if err != nil {
		t.Fatalf("Load(example) = %v", err)
	}
	if c.Demo || c.Registry.Timeout.Std() != 15*time.Second || c.Printer.URI == "" || c.Keys.Queue != "credential:queue.key" {
		t.Errorf("Load(example) = %+v", c)
	}
	t.Setenv("CREDENTIALS_DIRECTORY", "/run/credentials/certkiosk.service")
	if p, err := c.QueueKeyPath(); err != nil || p != "/run/credentials/certkiosk.service/queue.key" {
		t.Errorf("QueueKeyPath() = %q, %v", p, err)
	}
	if p, _ := c.AuditKeyPath(); p != "/var/lib/certkiosk/audit.key" {
		t.Errorf("AuditKeyPath() = %q, want the data folder's", p)
	}
}

// TestErrors: each mistake is refused with the line and the key.
func TestErrors(t *testing.T) {
	prod := "demo = false\ndata_folder = \"/var/lib/k\"\n" +
		"[registry]\nurl = \"https://r.example/fhir\"\n" +
		"[printer]\nuri = \"ipp://p.example/ipp/print\"\n" +
		"[signing]\nkey = \"pkcs11:token=t;object=o?module-path=/usr/lib/x.so\"\n" +
		"[keys]\nqueue = \"/etc/certkiosk/queue.key\"\n"
	if _, err := Parse([]byte(prod), "p.toml"); err != nil {
		t.Fatalf("Parse(production) = %v, want nil", err)
	}
	for _, tc := range []struct {
		name, file string
		want       string // in the error
	}{
		{"syntax", minimal + "profile = \n", "k.toml:3:"},
		{"unknown key", minimal + "profil = \"EE\"\n", "k.toml:3: profil: unknown key"},
		{"unknown key in table", minimal + "[registry]\nurll = \"x\"\n", "k.toml:4: registry.urll: unknown key"},
		{"unknown table", minimal + "[printers]\nuri = \"x\"\n", "printers"},
		{"wrong type", minimal + "retries = 3\n", "retries: unknown key"},
		{"wrong type in table", minimal + "[registry]\nretries = \"3\"\n", "k.toml:4:"},
		{"bad duration", minimal + "idle_timeout = \"60\"\n", "k.toml:3:"},
		{"negative duration", minimal + "idle_timeout = \"-1s\"\n", "negative"},
		{"no demo", "data_folder = \"/x\"\n", "demo: missing"},
		{"profile", minimal + "profile = \"XX\"\n", "k.toml:3: profile: \"XX\" is not one of"},
		{"language", minimal + "languages = [\"et\", \"fi\"]\n", "k.toml:3: languages:"},
		{"idle out of bounds", minimal + "idle_timeout = \"60h\"\n", "k.toml:3: idle_timeout: 60h0m0s is not between"},
		{"relative data", "demo = true\ndata_folder = \"var/k\"\n", "k.toml:2: data_folder: \"var/k\" is not an absolute path"},
		{"kiosk id", minimal + "kiosk_id = \"Library one\"\n", "k.toml:3: kiosk_id:"},
		{"registry scheme", minimal + "[registry]\nurl = \"ftp://r/fhir\"\n", "k.toml:4: registry.url:"},
		{"federal alone", minimal + "[registry]\nfederal_url = \"https://f/fhir\"\n", "registry.federal_url: set without registry.url"},
		{"printer scheme", minimal + "[printer]\nuri = \"lpd://p/q\"\n", "k.toml:4: printer.uri:"},
		{"usb ids", minimal + "[printer]\nuri = \"usb:04b8:12\"\n", "printer.uri:"},
		{"signing key", minimal + "[signing]\nkey = \"/etc/key.pem\"\n", "k.toml:4: signing.key: want \"demo\" or a PKCS#11 URI"},
		{"pkcs11 uri", minimal + "[signing]\nkey = \"pkcs11:token=%zz\"\n", "k.toml:4: signing.key:"},
		{"credential", minimal + "[keys]\nqueue = \"credential:../x\"\n", "k.toml:4: keys.queue:"},
		{"staff idle", minimal + "[staff]\nidle_timeout = \"5h\"\nmax_session = \"4h\"\n", "staff.idle_timeout: 5h0m0s is longer"},
		{"printed too short", minimal + "[retention]\nprinted = \"10s\"\n", "k.toml:4: retention.printed: 10s is shorter than 1m0s"},
		{"demo key outside demo", strings.Replace(prod, "pkcs11:token=t;object=o?module-path=/usr/lib/x.so", "demo", 1),
			"p.toml:8: signing.key: the demo key (a file, with a test certificate) is for demo mode only"},
		{"demo registry outside demo", strings.Replace(prod, "url = \"https://r.example/fhir\"\n", "", 1), "registry.url: no registry"},
		{"http outside demo", strings.Replace(prod, "https://r.example", "http://r.example", 1), "p.toml:4: registry.url: plain http is for demo mode only"},
		{"queue key in data folder", strings.Replace(prod, "/etc/certkiosk/queue.key", "/var/lib/k/keys/queue.key", 1), "p.toml:10: keys.queue: the queue's key lies in the data folder"},
		{"queue key left out", strings.Replace(prod, "queue = \"/etc/certkiosk/queue.key\"\n", "", 1), "keys.queue: the queue's key lies in the data folder"},
		{"waiting forever", prod + "[retention]\nwaiting = \"0s\"\n", "p.toml:12: retention.waiting: 0 lets held certificates"},
		{"folder printer forever", strings.Replace(prod, "ipp://p.example/ipp/print", "/srv/printed", 1) + "[retention]\nprinted = \"0s\"\n",
			"p.toml:12: retention.printed: 0 keeps every document"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "k.toml"
			if strings.HasPrefix(tc.file, "demo = false") {
				name = "p.toml"
			}
			_, err := Parse([]byte(tc.file), name)
			if err == nil {
				t.Fatalf("Parse(%q) = nil, want an error with %q", tc.file, tc.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Parse(%q) = %v, want ErrInvalid", tc.file, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse(%q) = %v, want %q in it", tc.file, err, tc.want)
			}
		})
	}
}

func TestPrinterURI(t *testing.T) {
	for in, want := range map[string]string{
		"usb:04b8:0e28":          "usb://04b8:0e28",
		"usb://04b8:0e28/X1":     "usb://04b8:0e28/X1",
		"/srv/printed/":          "folder:///srv/printed",
		"ipps://p.example/print": "ipps://p.example/print",
	} {
		c := Config{DataFolder: "/d", Printer: Printer{URI: in}}
		if got := c.PrinterURI(); got != want {
			t.Errorf("PrinterURI(%q) = %q, want %q", in, got, want)
		}
		if _, err := checkPrinter(c.PrinterURI()); err != nil {
			t.Errorf("checkPrinter(%q) = %v", c.PrinterURI(), err)
		}
	}
}

func TestLoadLimits(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, []byte(minimal+"#"+strings.Repeat("x", MaxFileSize)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Load(big) = %v, want larger than", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.toml")); err == nil {
		t.Error("Load(missing) = nil, want an error")
	}
}

// TestRequireHardwareKey: outside demo mode the demo key stops start-up.
func TestRequireHardwareKey(t *testing.T) {
	iss, err := signer.LoadDemo(t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	demo := Default()
	if err := demo.RequireHardwareKey(iss); err != nil {
		t.Errorf("demo: RequireHardwareKey(demo key) = %v, want nil", err)
	}
	prod := demo
	prod.Demo = false
	err = prod.RequireHardwareKey(iss)
	if !errors.Is(err, signer.ErrFileKey) || !strings.Contains(err.Error(), "signing.key") {
		t.Errorf("production: RequireHardwareKey(demo key) = %v, want ErrFileKey naming signing.key", err)
	}
	if err := prod.RequireHardwareKey(nil); !errors.Is(err, signer.ErrFileKey) {
		t.Errorf("production: RequireHardwareKey(nil) = %v, want ErrFileKey", err)
	}
}

// TestCheckFiles: the CA bundles must hold a certificate; a key file others may read
// is refused; a key file not created yet, or a credential, is no fault.
func TestCheckFiles(t *testing.T) {
	dir := t.TempDir()
	c, err := Parse([]byte(minimal), "k.toml")
	if err != nil {
		t.Fatal(err)
	}
	c.DataFolder = dir
	if err := c.CheckFiles(); err != nil {
		t.Errorf("CheckFiles() with no files yet = %v, want nil", err)
	}
	notPEM := filepath.Join(dir, "ca.pem")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o644)
	c.Registry.CAFile = notPEM
	c.Printer.CAFile = filepath.Join(dir, "missing.pem")
	os.WriteFile(filepath.Join(dir, QueueKeyName), make([]byte, 32), 0o644)
	c.Keys.Audit = "credential:audit.key"
	err = c.CheckFiles()
	for _, want := range []string{"registry.ca_file: " + notPEM + " holds no PEM certificate", "printer.ca_file:", "keys.queue:", "lets others read it"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckFiles() = %v, want %q in it", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), "keys.audit") {
		t.Errorf("CheckFiles() = %v: a credential outside the service is no fault", err)
	}
}
