package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigCheck: the example file passes; a file with mistakes fails, each named by
// line and key; a PIN in the key's URI is not repeated.
func TestConfigCheck(t *testing.T) {
	r := run(t, "", "config", "check", filepath.Join("..", "..", "build", "certkiosk.example.toml"))
	if r.code != 0 || !strings.Contains(r.stdout, "valid, production mode") {
		t.Fatalf("config check example = %d, %q, %q; want valid", r.code, r.stdout, r.stderr)
	}

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("demo = false\ndata_folder = \"/var/lib/k\"\nprofil = \"EE\"\n[signing]\nkey = \"demo\"\n"), 0o600)
	r = run(t, "", "config", "check", bad)
	if r.code != 1 || !strings.Contains(r.stderr, bad+":3: profil: unknown key") {
		t.Errorf("config check bad = %d, %q; want the unknown key named", r.code, r.stderr)
	}
	fixed := filepath.Join(dir, "fixed.toml")
	os.WriteFile(fixed, []byte("demo = false\ndata_folder = \"/var/lib/k\"\n[signing]\nkey = \"demo\"\n"), 0o600)
	r = run(t, "", "config", "check", fixed)
	for _, want := range []string{fixed + ":4: signing.key: the demo key", "registry.url: no registry", "keys.queue:"} {
		if r.code != 1 || !strings.Contains(r.stderr, want) {
			t.Errorf("config check fixed = %d, %q; want %q", r.code, r.stderr, want)
		}
	}

	pin := filepath.Join(dir, "pin.toml")
	os.WriteFile(pin, []byte("demo = true\ndata_folder = \"/var/lib/k\"\n[signing]\nkey = \"pkcs11:token=t;object=o?module-path=/usr/lib/x.so&pin-value=2468\"\n"), 0o600)
	r = run(t, "", "config", "check", pin)
	if r.code != 0 || strings.Contains(r.stdout+r.stderr, "2468") {
		t.Errorf("config check pin = %d, %q, %q; want valid, without the PIN", r.code, r.stdout, r.stderr)
	}

	for _, args := range [][]string{{"config"}, {"config", "check"}, {"config", "lint", bad}} {
		if r := run(t, "", args...); r.code != 2 {
			t.Errorf("%v = %d, want 2 (usage)", args, r.code)
		}
	}
	if r := run(t, "", "config", "check", filepath.Join(dir, "missing.toml")); r.code != 1 {
		t.Errorf("config check missing = %d, want 1", r.code)
	}
}

// TestConfigCheckFiles: config check reads the files the configuration names.
func TestConfigCheckFiles(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "k.toml")
	os.WriteFile(file, []byte("demo = true\ndata_folder = \""+dir+"\"\n[registry]\nca_file = \""+filepath.Join(dir, "none.pem")+"\"\n"), 0o600)
	r := run(t, "", "config", "check", file)
	if r.code != 1 || !strings.Contains(r.stderr, "registry.ca_file:") {
		t.Errorf("config check with a missing CA bundle = %d, %q; want it named", r.code, r.stderr)
	}
}
