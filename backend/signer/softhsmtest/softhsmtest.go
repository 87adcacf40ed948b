// Package softhsmtest gives tests a fresh SoftHSM2 token: a real PKCS#11 token in
// a temporary folder, so that the PKCS#11 key source is tested against the same
// library calls a hardware token answers.
//
// It needs the Debian package softhsm2 (softhsm2-util and the module
// /usr/lib/softhsm/libsofthsm2.so). A test that asks for a token fails when the
// package is missing, and is skipped only under -short.
package softhsmtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The token's fixed parameters, as TOOLCHAIN.md sets them up.
const (
	Module = "/usr/lib/softhsm/libsofthsm2.so"
	Label  = "kiosk"
	PIN    = "1234"
	SOPIN  = "5678"
)

// Token is an initialised SoftHSM2 token in its own folder.
type Token struct {
	Dir    string // the folder holding the configuration and the token
	Config string // the SoftHSM2 configuration file, set as SOFTHSM2_CONF
	Module string
	Label  string
	PIN    string
}

// New creates a token labelled Label with user PIN PIN in a folder of t.TempDir()
// and points SOFTHSM2_CONF at its configuration for the rest of the test (so the
// test must not be parallel). The module reads SOFTHSM2_CONF when it is
// initialised, so every PKCS#11 context opened before must have been closed.
func New(t testing.TB) *Token {
	t.Helper()
	if testing.Short() {
		t.Skip("SoftHSM2 token tests do not run under -short")
	}
	util, err := exec.LookPath("softhsm2-util")
	if err != nil {
		t.Fatalf("softhsm2-util not found (%v): install the Debian package softhsm2", err)
	}
	if _, err := os.Stat(Module); err != nil {
		t.Fatalf("PKCS#11 module %s not found (%v): install the Debian package softhsm2", Module, err)
	}
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	if err := os.Mkdir(tokens, 0o700); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	text := fmt.Sprintf("directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n", tokens)
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOFTHSM2_CONF", conf)
	cmd := exec.Command(util, "--init-token", "--free", "--label", Label, "--pin", PIN, "--so-pin", SOPIN)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("softhsm2-util --init-token: %v\n%s", err, out)
	}
	return &Token{Dir: dir, Config: conf, Module: Module, Label: Label, PIN: PIN}
}

// URI returns the PKCS#11 URI of the private key labelled object in the token,
// with the module path and the PIN.
func (tok *Token) URI(object string) string {
	return tok.URIWithPIN(object, tok.PIN)
}

// URIWithPIN is URI with another PIN.
func (tok *Token) URIWithPIN(object, pin string) string {
	return "pkcs11:token=" + escape(tok.Label) + ";object=" + escape(object) + ";type=private" +
		"?module-path=" + tok.Module + "&pin-value=" + escape(pin)
}

// escape percent-encodes every byte of s but the unreserved characters of
// RFC 3986 §2.3, which is valid in both parts of a PKCS#11 URI.
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
