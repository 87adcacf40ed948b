package cli

// Tests of certkiosk keys and --key against a SoftHSM2 token.

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"certkiosk/backend/signer"
	"certkiosk/backend/signer/softhsmtest"
)

// issueAndVerify issues mari-tamm's vaccination certificate with the token key and
// verifies its HC1 against the certificate issuer-cert prints, and against the
// token's certificate through --key; it returns that certificate.
func issueAndVerify(t *testing.T, uri string) *x509.Certificate {
	t.Helper()
	data, out := t.TempDir(), t.TempDir()
	r := run(t, "", "issue", "--key", uri, "--data", data, "--profile", "EE", "--bundle", fixture("mari-tamm.json"), "--out", out)
	if r.code != 0 {
		t.Fatalf("issue --key exit %d: %s", r.code, r.stderr)
	}
	lines := decodeLines[issued](t, r.stdout)
	if len(lines) != 1 || !strings.HasPrefix(lines[0].HC1, "HC1:") {
		t.Fatalf("issue --key printed %+v, want one certificate", lines)
	}
	if _, err := os.Stat(filepath.Join(data, signer.DemoFile)); err == nil {
		t.Error("issue --key created the demo key")
	}

	r = run(t, "", "issuer-cert", "--key", uri)
	if r.code != 0 {
		t.Fatalf("issuer-cert --key exit %d: %s", r.code, r.stderr)
	}
	cert, err := signer.ParseCertificatePEM([]byte(r.stdout))
	if err != nil {
		t.Fatalf("issuer-cert --key printed %q: %v", r.stdout, err)
	}
	certFile := filepath.Join(t.TempDir(), "issuer.pem")
	if err := os.WriteFile(certFile, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, trust := range [][]string{{"--issuer-cert", certFile}, {"--key", uri}} {
		args := append([]string{"verify", "--data", data}, trust...)
		r = run(t, lines[0].HC1+"\n", args...)
		v := decodeLines[verified](t, r.stdout)
		if r.code != 0 || len(v) != 1 || !v[0].Valid {
			t.Errorf("verify %s = exit %d, %+v, %s; want valid", trust[0], r.code, v, r.stderr)
		}
	}
	// The demo issuer did not sign it.
	r = run(t, lines[0].HC1+"\n", "verify", "--data", data)
	if v := decodeLines[verified](t, r.stdout); r.code == 0 || len(v) != 1 || v[0].SignatureValid {
		t.Errorf("verify against the demo issuer = exit %d, %+v; want the signature refused", r.code, v)
	}
	return cert
}

func TestKeysSelfSignedIssueVerify(t *testing.T) {
	tok := softhsmtest.New(t)
	uri := tok.URI("dcc-signer")
	r := run(t, "", "keys", "generate", "--key", uri, "--subject", "Kiosk 12", "--self-signed")
	if r.code != 0 {
		t.Fatalf("keys generate --self-signed exit %d: %s", r.code, r.stderr)
	}
	generated, err := signer.ParseCertificatePEM([]byte(r.stdout))
	if err != nil {
		t.Fatalf("keys generate --self-signed printed %q: %v", r.stdout, err)
	}
	if !strings.Contains(generated.Subject.CommonName, "TEST") {
		t.Errorf("self-signed subject %q does not say test", generated.Subject.CommonName)
	}
	if got := issueAndVerify(t, uri); !got.Equal(generated) {
		t.Error("issuer-cert --key printed another certificate than keys generate")
	}
}

func TestKeysCSRThenImportCert(t *testing.T) {
	tok := softhsmtest.New(t)
	uri := tok.URI("dcc-signer")
	r := run(t, "", "keys", "generate", "--key", uri, "--subject", "EE kiosk 7")
	if r.code != 0 {
		t.Fatalf("keys generate exit %d: %s", r.code, r.stderr)
	}
	block, _ := pem.Decode([]byte(r.stdout))
	if block == nil || block.Type != "CERTIFICATE REQUEST" {
		t.Fatalf("keys generate printed %q, want a certificate request", r.stdout)
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil || csr.CheckSignature() != nil || csr.Subject.CommonName != "EE kiosk 7" {
		t.Fatalf("certificate request: %v, subject %q", err, csr.Subject.CommonName)
	}

	// Before the certificate is in, nothing signs.
	if r := run(t, "", "issuer-cert", "--key", uri); r.code != 1 || !strings.Contains(r.stderr, "certificate not found") {
		t.Errorf("issuer-cert before import = exit %d, %q; want certificate not found", r.code, r.stderr)
	}

	dir := t.TempDir()
	certFile := filepath.Join(dir, "dsc.pem")
	dsc := softhsmtest.NewCA(t, issueTime).Issue(t, pkix.Name{Country: []string{"EE"}, CommonName: csr.Subject.CommonName}, csr.PublicKey, 2)
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: dsc.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.pem")
	if err := os.WriteFile(foreign, mustIssuer(t, t.TempDir()).CertificatePEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", "keys", "import-cert", "--key", uri, foreign); r.code != 1 || !strings.Contains(r.stderr, "does not belong") {
		t.Errorf("import-cert of another key's certificate = exit %d, %q; want a mismatch", r.code, r.stderr)
	}
	if r := run(t, "", "keys", "import-cert", "--key", uri, certFile); r.code != 0 {
		t.Fatalf("keys import-cert exit %d: %s", r.code, r.stderr)
	}
	if got := issueAndVerify(t, uri); !got.Equal(dsc) {
		t.Error("issuer-cert --key printed another certificate than the one imported")
	}
}

func TestKeysErrors(t *testing.T) {
	tok := softhsmtest.New(t)
	uri := tok.URI("dcc-signer")
	if r := run(t, "", "keys", "generate", "--key", uri, "--self-signed"); r.code != 0 {
		t.Fatalf("keys generate exit %d: %s", r.code, r.stderr)
	}
	out := t.TempDir()
	issue := func(key string) []string {
		return []string{"issue", "--key", key, "--data", t.TempDir(), "--bundle", fixture("mari-tamm.json"), "--out", out}
	}
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"wrong PIN", issue(tok.URIWithPIN("dcc-signer", "0000")), 1, "PIN refused"},
		{"missing object", issue(tok.URI("no-such-key")), 1, "no private key object=no-such-key"},
		{"bad URI", issue("pkcs11:token=kiosk;object=x;colour=blue"), 1, "colour"},
		{"issuer-cert missing object", []string{"issuer-cert", "--key", tok.URI("other")}, 1, "key not found"},
		{"verify with both", []string{"verify", "--key", uri, "--issuer-cert", "x.pem"}, 2, "not both"},
		{"generate again", []string{"keys", "generate", "--key", uri}, 1, "object exists"},
		{"generate without --key", []string{"keys", "generate"}, 2, "--key"},
		{"import without file", []string{"keys", "import-cert", "--key", uri}, 2, "certificate file"},
		{"import missing file", []string{"keys", "import-cert", "--key", uri, "/nonexistent.pem"}, 1, "nonexistent.pem"},
		{"no subcommand", []string{"keys"}, 2, "generate or import-cert"},
		{"unknown subcommand", []string{"keys", "delete"}, 2, "unknown subcommand"},
		{"help", []string{"keys", "-h"}, 0, "import-cert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "", tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("certkiosk %s = exit %d, %q; want exit %d mentioning %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.want)
			}
			if strings.Contains(r.stderr, "0000") || strings.Contains(r.stderr, tok.PIN) {
				t.Errorf("certkiosk %s printed the PIN: %q", tt.args[0], r.stderr)
			}
		})
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("failed issues left %d files in --out", len(entries))
	}
}
