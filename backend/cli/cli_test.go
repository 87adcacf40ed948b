package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/dcc/dccschema"
	"certkiosk/backend/issuance"
	"certkiosk/backend/pdfqr"
	"certkiosk/backend/signer"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// issueTime is the moment the fixtures' records are judged at (see
// ../registry/testdata: the doses, tests and illnesses are dated relative to it).
var issueTime = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr, Now: func() time.Time { return issueTime }}
	code := env.Run(context.Background(), args)
	return result{code, stdout.String(), stderr.String()}
}

func fixture(name string) string { return filepath.Join("..", "registry", "testdata", name) }

func decodeLines[T any](t *testing.T, out string) []T {
	t.Helper()
	var lines []T
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var v T
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("output line %q is not JSON: %v", l, err)
		}
		lines = append(lines, v)
	}
	return lines
}

func TestIssueEachKindVerifies(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		file string
		kind dcc.Kind
	}{
		{"mari-tamm.json", dcc.KindVaccination},
		{"liis-kask.json", dcc.KindTest},
		{"oleg-kuznetsov.json", dcc.KindRecovery},
	}
	schema := dccschema.Compile(t, true)
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			out := t.TempDir()
			r := run(t, "", "issue", "--data", data, "--profile", "EE", "--bundle", fixture(tt.file), "--out", out)
			if r.code != 0 {
				t.Fatalf("issue exit %d: %s", r.code, r.stderr)
			}
			lines := decodeLines[issued](t, r.stdout)
			if len(lines) != 1 || lines[0].Kind != string(tt.kind) {
				t.Fatalf("issue printed %+v, want one %s certificate", lines, tt.kind)
			}
			l := lines[0]
			if err := dcc.CheckUVCI(l.UVCI); err != nil {
				t.Errorf("UVCI %q: %v", l.UVCI, err)
			}
			if filepath.Dir(l.PDF) != out {
				t.Errorf("PDF %s is not in --out %s", l.PDF, out)
			}

			// The signed payload satisfies the official schema.
			v := run(t, l.HC1+"\n", "verify", "--data", data)
			if v.code != 0 {
				t.Fatalf("verify exit %d: %s %s", v.code, v.stdout, v.stderr)
			}
			got := decodeLines[verified](t, v.stdout)
			if len(got) != 1 || !got[0].Valid || !got[0].SignatureValid || got[0].UVCI != l.UVCI || got[0].Kind != string(tt.kind) {
				t.Fatalf("verify = %+v, want valid %s %s", got, tt.kind, l.UVCI)
			}
			res := dcc.NewVerifier(mustIssuer(t, data).Certificate).Verify(l.HC1, issueTime)
			if err := dccschema.Check(schema, res.Payload); err != nil {
				t.Errorf("payload fails the official schema: %v\n%s", err, res.Payload)
			}

			// The large QR code on the PDF, read back at 150 dpi, is the signed HC1
			// string byte for byte.
			pdf, err := os.ReadFile(l.PDF)
			if err != nil {
				t.Fatal(err)
			}
			codes, err := pdfqr.Read(context.Background(), pdf)
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, c := range codes {
				found = found || c == l.HC1
			}
			if !found {
				t.Errorf("QR codes on the PDF = %q, want one equal to the signed HC1 %q", codes, l.HC1)
			}

			// verify --pdf reads the same certificate from the page.
			v = run(t, "", "verify", "--data", data, "--pdf", l.PDF)
			if got := decodeLines[verified](t, v.stdout); v.code != 0 || len(got) != 1 || got[0].UVCI != l.UVCI || !got[0].Valid {
				t.Errorf("verify --pdf = %d %s %s, want one valid %s", v.code, v.stdout, v.stderr, l.UVCI)
			}
		})
	}
}

func mustIssuer(t *testing.T, data string) *signer.Issuer {
	t.Helper()
	iss, err := signer.LoadDemo(data, issueTime)
	if err != nil {
		t.Fatal(err)
	}
	return iss
}

// TestIssueGolden pins the whole output of issue — payload, CWT, signature, HC1 and
// PDF — for a fixed key, clock and randomness. Regenerate with -update.
func TestIssueGolden(t *testing.T) {
	for _, name := range []string{"mari-tamm", "liis-kask", "oleg-kuznetsov"} {
		t.Run(name, func(t *testing.T) {
			cryptotest.SetGlobalRandom(t, 20261122)
			data, out := t.TempDir(), t.TempDir()
			r := run(t, "", "issue", "--data", data, "--bundle", fixture(name+".json"), "--out", out)
			if r.code != 0 {
				t.Fatalf("issue exit %d: %s", r.code, r.stderr)
			}
			l := decodeLines[issued](t, r.stdout)[0]
			res := dcc.NewVerifier(mustIssuer(t, data).Certificate).Verify(l.HC1, issueTime)
			var payload bytes.Buffer
			if err := json.Indent(&payload, res.Payload, "", "  "); err != nil {
				t.Fatal(err)
			}
			pdf, err := os.ReadFile(l.PDF)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name+".payload.json", append(payload.Bytes(), '\n'))
			golden(t, name+".hc1", []byte(l.HC1+"\n"))
			golden(t, name+".pdf", pdf)
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (%d bytes, want %d); run with -update if the change is intended", name, len(got), len(want))
	}
}

func TestIssueBadInput(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown vaccine", []string{"--bundle", fixture("bad-unknown-vaccine.json")}, 1, `unknown vaccine code "EU/9/99/9999"`},
		{"no birth date", []string{"--bundle", fixture("bad-no-birthdate.json")}, 1, "birthDate: missing"},
		{"truncated", []string{"--bundle", fixture("bad-truncated.json")}, 1, "malformed FHIR bundle"},
		{"other patient", []string{"--bundle", fixture("bad-other-patient.json")}, 1, "not to the bundle's Patient"},
		{"missing file", []string{"--bundle", "no-such-file.json"}, 1, "no-such-file.json"},
		{"unknown profile", []string{"--bundle", fixture("mari-tamm.json"), "--profile", "XX"}, 1, `unknown profile "XX"`},
		{"no bundle", nil, 2, "give either --bundle FILE or --subject ID"},
		{"bad time", []string{"--bundle", fixture("mari-tamm.json"), "--at", "yesterday"}, 2, "RFC 3339"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"issue", "--data", data, "--out", out}, tt.args...)
			r := run(t, "", args...)
			if r.code != tt.code {
				t.Errorf("exit = %d, want %d (stderr %q)", r.code, tt.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr = %q, want it to mention %q", r.stderr, tt.want)
			}
			if tt.code == 1 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Errorf("stderr has several lines, want one: %q", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Errorf("--out holds %d files after a failure, want none", len(entries))
			}
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	data, other := t.TempDir(), t.TempDir()
	r := run(t, "", "issue", "--data", data, "--bundle", fixture("liis-kask.json"), "--out", t.TempDir())
	if r.code != 0 {
		t.Fatalf("issue: %s", r.stderr)
	}
	hc1 := decodeLines[issued](t, r.stdout)[0].HC1
	otherCert := filepath.Join(t.TempDir(), "other.pem")
	os.WriteFile(otherCert, mustIssuer(t, other).CertificatePEM(), 0o644)
	ownCert := filepath.Join(t.TempDir(), "own.pem")
	pem := run(t, "", "issuer-cert", "--data", data)
	os.WriteFile(ownCert, []byte(pem.stdout), 0o644)

	// Flip one character in the middle of the Base45 text: still Base45, but the
	// signed bytes change.
	tampered := []byte(hc1)
	mid := len(tampered) / 2
	if tampered[mid] == '0' {
		tampered[mid] = '1'
	} else {
		tampered[mid] = '0'
	}

	tests := []struct {
		name, input string
		args        []string
		sigValid    bool
		reason      string
	}{
		{"own certificate", hc1, []string{"--issuer-cert", ownCert}, true, ""},
		{"another issuer", hc1, []string{"--issuer-cert", otherCert}, false, dcc.ReasonUnknownKID},
		{"after the 72 hours", hc1, []string{"--at", "2026-11-24T08:00:01Z"}, true, dcc.ReasonExpired},
		{"tampered", string(tampered), nil, false, ""},
		{"not a certificate", "hello", nil, false, dcc.ReasonPrefix},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := run(t, tt.input+"\n", append([]string{"verify", "--data", data}, tt.args...)...)
			got := decodeLines[verified](t, v.stdout)
			if len(got) != 1 {
				t.Fatalf("verify printed %d lines, want 1: %s", len(got), v.stdout)
			}
			wantValid := tt.sigValid && tt.reason == ""
			if got[0].SignatureValid != tt.sigValid || got[0].Valid != wantValid {
				t.Errorf("verify = %+v, want signature_valid %v, valid %v", got[0], tt.sigValid, wantValid)
			}
			if tt.reason != "" && got[0].Reason != tt.reason {
				t.Errorf("reason = %q, want %q", got[0].Reason, tt.reason)
			}
			if !wantValid && (got[0].Reason == "" || v.code != 1) {
				t.Errorf("invalid certificate: reason %q, exit %d; want a reason and exit 1", got[0].Reason, v.code)
			}
		})
	}
}

func TestVerifyNoInput(t *testing.T) {
	r := run(t, "\n\n", "verify", "--data", t.TempDir())
	if r.code != 1 || !strings.Contains(r.stderr, "no HC1 certificate") {
		t.Errorf("verify with empty input = %d %q, want exit 1 saying there is no certificate", r.code, r.stderr)
	}
}

func TestIssuerCert(t *testing.T) {
	data := t.TempDir()
	r := run(t, "", "issuer-cert", "--data", data)
	if r.code != 0 {
		t.Fatalf("issuer-cert exit %d: %s", r.code, r.stderr)
	}
	cert, err := signer.ParseCertificatePEM([]byte(r.stdout))
	if err != nil {
		t.Fatalf("issuer-cert printed no certificate: %v", err)
	}
	if !bytes.Equal(cert.Raw, mustIssuer(t, data).Certificate.Raw) {
		t.Error("issuer-cert printed another certificate than the demo issuer's")
	}
}

func TestUsage(t *testing.T) {
	if r := run(t, "", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "usage:") {
		t.Errorf("unknown command = %d %q, want exit 2 with usage", r.code, r.stderr)
	}
	if r := run(t, "", "help"); r.code != 0 || !strings.Contains(r.stderr, "issue") {
		t.Errorf("help = %d %q, want exit 0 listing the commands", r.code, r.stderr)
	}
	if r := run(t, "", "issue", "-h"); r.code != 0 || !strings.Contains(r.stderr, "-bundle") {
		t.Errorf("issue -h = %d %q, want exit 0 listing the options", r.code, r.stderr)
	}
}

// TestWriteFilesRollsBack makes the second of two writes fail and checks that the
// first file is removed again: --out never holds half a result.
func TestWriteFilesRollsBack(t *testing.T) {
	out := t.TempDir()
	certs := []issuance.Certificate{
		{Kind: dcc.KindVaccination, UVCI: "URN:UVCI:01:EE:CK/AAAA#1", PDF: []byte("%PDF-1")},
		{Kind: dcc.KindTest, UVCI: "URN:UVCI:01:EE:CK/BBBB#2", PDF: []byte("%PDF-2")},
	}
	// A folder where the second PDF should go makes its rename fail.
	if err := os.Mkdir(filepath.Join(out, pdfName(certs[1])), 0o755); err != nil {
		t.Fatal(err)
	}
	files := []outFile{{pdfName(certs[0]), certs[0].PDF}, {pdfName(certs[1]), certs[1].PDF}}
	if _, err := writeFiles(out, files); err == nil {
		t.Fatal("writeFiles succeeded although the second file could not be written")
	}
	if _, err := os.Stat(filepath.Join(out, pdfName(certs[0]))); !os.IsNotExist(err) {
		t.Errorf("the first PDF is still there after the second failed (%v)", err)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 {
		t.Errorf("--out holds %d entries, want only the obstacle", len(entries))
	}
}

func TestPDFName(t *testing.T) {
	tests := []struct{ uvci, want string }{
		{"URN:UVCI:01:EE:CK/BZDWUWWKARJINJ4P#E", "vaccination-CK-BZDWUWWKARJINJ4P.pdf"},
		{"URN:UVCI:01:RU:MOW/QSNK7EPVV6LNX2NZ#:", "vaccination-MOW-QSNK7EPVV6LNX2NZ.pdf"},
		{"URN:UVCI:01:RU:MOW/QSNK7EPVV6LNX2NZ#/", "vaccination-MOW-QSNK7EPVV6LNX2NZ.pdf"},
	}
	for _, tt := range tests {
		if got := pdfName(issuance.Certificate{Kind: dcc.KindVaccination, UVCI: tt.uvci}); got != tt.want {
			t.Errorf("pdfName(%s) = %s, want %s", tt.uvci, got, tt.want)
		}
	}
}
