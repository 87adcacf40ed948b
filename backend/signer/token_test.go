package signer

// Tests of the PKCS#11 key source against a real SoftHSM2 token (softhsmtest).

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ThalesGroup/crypto11"
	"github.com/miekg/pkcs11"

	"certkiosk/backend/dcc"
	"certkiosk/backend/signer/softhsmtest"
)

// signAndVerify signs a DCC with the issuer and checks it with the dcc verifier
// trusting only the issuer's certificate.
func signAndVerify(t *testing.T, iss *Issuer) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "payload.json"))
	if err != nil {
		t.Fatal(err)
	}
	var hc dcc.HealthCertificate
	if err := json.Unmarshal(raw, &hc); err != nil {
		t.Fatal(err)
	}
	cs, err := iss.COSESigner()
	if err != nil {
		t.Fatalf("COSESigner() = %v", err)
	}
	msg, err := dcc.Sign(cs, iss.KeyID(), dcc.Claims{
		Issuer: "EE", IssuedAt: now, Expires: now.Add(365 * 24 * time.Hour), Certificate: hc,
	})
	if err != nil {
		t.Fatalf("dcc.Sign = %v", err)
	}
	hc1, err := dcc.EncodeHC1(msg)
	if err != nil {
		t.Fatal(err)
	}
	res := dcc.NewVerifier(iss.Certificate).Verify(hc1, now.Add(time.Hour))
	if !res.SignatureValid || !res.Valid {
		t.Fatalf("Verify(HC1 signed by %T) = valid %v, signature %v, reason %q, %v; want valid",
			iss.Key, res.Valid, res.SignatureValid, res.Reason, res.Err)
	}
}

// openToken opens uri and closes it when the test ends.
func openToken(t *testing.T, uri string) *Issuer {
	t.Helper()
	iss, closer, err := OpenToken(uri)
	if err != nil {
		t.Fatalf("OpenToken = %v", err)
	}
	t.Cleanup(func() { closer.Close() })
	return iss
}

func TestTokenSelfSignedSignsDCC(t *testing.T) {
	tok := softhsmtest.New(t)
	uri := tok.URI("dcc-signer")
	certPEM, err := GenerateSelfSignedInToken(uri, "CertKiosk kiosk 1", now)
	if err != nil {
		t.Fatalf("GenerateSelfSignedInToken = %v", err)
	}
	cert, err := ParseCertificatePEM(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	if cn := cert.Subject.CommonName; cn != "CertKiosk kiosk 1"+TestSubjectSuffix {
		t.Errorf("subject = %q, want it marked as a test issuer", cn)
	}
	iss := openToken(t, uri)
	if !bytes.Equal(iss.Certificate.Raw, cert.Raw) {
		t.Error("OpenToken returned another certificate than the one generated")
	}
	if !iss.Test {
		t.Error("an issuer with a self-signed certificate is not marked Test")
	}
	if alg, err := Algorithm(iss.Key.Public()); err != nil || alg.String() != "ES256" {
		t.Errorf("Algorithm(token key) = %v, %v; want ES256", alg, err)
	}
	signAndVerify(t, iss)
}

func TestTokenCSRThenImport(t *testing.T) {
	tok := softhsmtest.New(t)
	uri := tok.URI("dcc-signer")
	csrPEM, err := GenerateInToken(uri, "CertKiosk EE kiosk 7")
	if err != nil {
		t.Fatalf("GenerateInToken = %v", err)
	}
	block, _ := pem.Decode(csrPEM)
	if block == nil || block.Type != "CERTIFICATE REQUEST" {
		t.Fatalf("GenerateInToken returned %q, want a CERTIFICATE REQUEST block", csrPEM)
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if err := csr.CheckSignature(); err != nil {
		t.Errorf("CSR signature: %v", err)
	}
	if csr.Subject.CommonName != "CertKiosk EE kiosk 7" {
		t.Errorf("CSR subject = %q", csr.Subject.CommonName)
	}

	if _, _, err := OpenToken(uri); !errors.Is(err, ErrCertificateNotFound) {
		t.Errorf("OpenToken before import = %v, want ErrCertificateNotFound", err)
	}

	ca := softhsmtest.NewCA(t, now)
	dsc := ca.Issue(t, dscSubject(csr), csr.PublicKey, 1)
	demo, err := LoadDemo(t.TempDir(), now)
	if err != nil {
		t.Fatal(err)
	}
	if err := ImportCertificate(uri, demo.CertificatePEM()); !errors.Is(err, ErrCertificateMismatch) {
		t.Errorf("ImportCertificate(another key's certificate) = %v, want ErrCertificateMismatch", err)
	}
	for range 2 { // the second import of the same certificate changes nothing
		if err := ImportCertificate(uri, pemCert(dsc)); err != nil {
			t.Fatalf("ImportCertificate = %v", err)
		}
	}
	iss, closer, err := OpenToken(uri)
	if err != nil {
		t.Fatalf("OpenToken = %v", err)
	}
	if !bytes.Equal(iss.Certificate.Raw, dsc.Raw) {
		t.Error("OpenToken returned another certificate than the one imported")
	}
	if iss.Test {
		t.Error("an issuer with a CA-issued certificate is marked Test")
	}
	if err := RequireHardware(iss, false); err != nil {
		t.Errorf("RequireHardware(token key with a CA certificate) = %v", err)
	}
	signAndVerify(t, iss)
	closer.Close()

	// A renewed certificate replaces the old one.
	renewed := ca.Issue(t, dscSubject(csr), csr.PublicKey, 2)
	if err := ImportCertificate(uri, pemCert(renewed)); err != nil {
		t.Fatalf("ImportCertificate(renewed) = %v", err)
	}
	iss = openToken(t, uri)
	if !bytes.Equal(iss.Certificate.Raw, renewed.Raw) {
		t.Error("after a renewal OpenToken returned the old certificate")
	}
	signAndVerify(t, iss)
}

// TestTokenKeyNeverLeaves reads the private key's value from the token and must fail.
func TestTokenKeyNeverLeaves(t *testing.T) {
	tok := softhsmtest.New(t)
	uri := tok.URI("dcc-signer")
	if _, err := GenerateSelfSignedInToken(uri, "CertKiosk test", now); err != nil {
		t.Fatal(err)
	}
	iss := openToken(t, uri)
	key, ok := iss.Key.(*tokenKey)
	if !ok {
		t.Fatalf("OpenToken key is %T, want *tokenKey", iss.Key)
	}
	value, err := key.ctx.GetAttribute(key.signer, crypto11.CkaValue)
	var rv pkcs11.Error
	if !errors.As(err, &rv) || rv != pkcs11.CKR_ATTRIBUTE_SENSITIVE {
		t.Errorf("C_GetAttributeValue(CKA_VALUE) = %v, %v; want CKR_ATTRIBUTE_SENSITIVE", value, err)
	}
	attrs, err := key.ctx.GetAttributes(key.signer, []crypto11.AttributeType{
		crypto11.CkaSensitive, crypto11.CkaExtractable, crypto11.CkaPrivate,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		name string
		t    crypto11.AttributeType
		want bool
	}{
		{"CKA_SENSITIVE", crypto11.CkaSensitive, true},
		{"CKA_EXTRACTABLE", crypto11.CkaExtractable, false},
		{"CKA_PRIVATE", crypto11.CkaPrivate, true},
	} {
		if got := attrTrue(attrs[a.t]); got != a.want {
			t.Errorf("%s = %v, want %v", a.name, got, a.want)
		}
	}
	if der, err := x509.MarshalPKCS8PrivateKey(iss.Key); err == nil {
		t.Errorf("MarshalPKCS8PrivateKey(token key) = %d bytes, want an error", len(der))
	}
	if _, ok := iss.Key.(*ecdsa.PrivateKey); ok {
		t.Error("the token key is an in-memory *ecdsa.PrivateKey")
	}
}

func TestTokenSelection(t *testing.T) {
	tok := softhsmtest.New(t)
	uri := tok.URI("dcc-signer")
	if _, err := GenerateSelfSignedInToken(uri, "CertKiosk test", now); err != nil {
		t.Fatal(err)
	}
	serial := tokenSerial(t, tok)
	pinFile := filepath.Join(t.TempDir(), "pin")
	if err := os.WriteFile(pinFile, []byte(tok.PIN+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := "pkcs11:token=kiosk;object=dcc-signer?module-path=" + tok.Module + "&pin-value=" + tok.PIN
	tests := []struct {
		name string
		uri  string
	}{
		{"label", base},
		{"serial", "pkcs11:serial=" + serial + ";object=dcc-signer?module-path=" + tok.Module + "&pin-value=1234"},
		{"label, serial, manufacturer and model", "pkcs11:token=kiosk;serial=" + serial +
			";manufacturer=SoftHSM%20project;model=SoftHSM%20v2;object=dcc-signer;type=private?module-path=" + tok.Module + "&pin-value=1234"},
		{"pin-source file:", "pkcs11:token=kiosk;object=dcc-signer?module-path=" + tok.Module + "&pin-source=file:" + pinFile},
		{"pin-source path", "pkcs11:token=kiosk;object=dcc-signer?module-path=" + tok.Module + "&pin-source=" + pinFile},
		{"module-name", "pkcs11:token=kiosk;object=dcc-signer?module-name=softhsm2&pin-value=1234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "module-name" {
				if _, err := os.Stat("/usr/share/p11-kit/modules/softhsm2.module"); err != nil {
					t.Skip("no p11-kit module file for softhsm2")
				}
			}
			iss, closer, err := OpenToken(tt.uri)
			if err != nil {
				t.Fatalf("OpenToken(%s) = %v", tt.name, err)
			}
			defer closer.Close()
			if _, err := iss.Key.Sign(rand.Reader, make([]byte, 32), crypto.SHA256); err != nil {
				t.Errorf("Sign = %v", err)
			}
		})
	}
}

func TestTokenErrors(t *testing.T) {
	tok := softhsmtest.New(t)
	uri := tok.URI("dcc-signer")
	if _, err := GenerateSelfSignedInToken(uri, "CertKiosk test", now); err != nil {
		t.Fatal(err)
	}
	withModule := func(path string) string {
		return path + "?module-path=" + tok.Module + "&pin-value=1234"
	}
	tests := []struct {
		name    string
		uri     string
		want    error
		attr    string // for a *URIError
		mention string // the message must say it
	}{
		{"wrong PIN", tok.URIWithPIN("dcc-signer", "9999"), ErrWrongPIN, "", "pin-value"},
		{"missing object", tok.URI("no-such-key"), ErrKeyNotFound, "", "object=no-such-key"},
		{"missing id", withModule("pkcs11:token=kiosk;id=%01%02"), ErrKeyNotFound, "", "id=%01%02"},
		{"missing token", withModule("pkcs11:token=other;object=dcc-signer"), ErrTokenNotFound, "", `token="other"`},
		{"wrong manufacturer", withModule("pkcs11:token=kiosk;manufacturer=ACME;object=dcc-signer"), ErrTokenNotFound, "", "manufacturer"},
		{"wrong model", withModule("pkcs11:token=kiosk;model=HSM%209000;object=dcc-signer"), ErrTokenNotFound, "", "model"},
		{"no token", withModule("pkcs11:object=dcc-signer"), ErrURI, "token", ""},
		{"no object", withModule("pkcs11:token=kiosk"), ErrURI, "object", ""},
		{"type cert", withModule("pkcs11:token=kiosk;object=dcc-signer;type=cert"), ErrURI, "type", ""},
		{"no module", "pkcs11:token=kiosk;object=dcc-signer?pin-value=1234", ErrURI, "module-path", ""},
		{"relative module", "pkcs11:token=kiosk;object=dcc-signer?module-path=libsofthsm2.so&pin-value=1234", ErrURI, "module-path", ""},
		{"missing module", "pkcs11:token=kiosk;object=dcc-signer?module-path=/nonexistent/libp11.so&pin-value=1234", ErrModule, "", "/nonexistent/libp11.so"},
		{"no PIN", "pkcs11:token=kiosk;object=dcc-signer?module-path=" + tok.Module, ErrURI, "pin-source", ""},
		{"missing PIN file", "pkcs11:token=kiosk;object=dcc-signer?module-path=" + tok.Module + "&pin-source=/nonexistent/pin", ErrURI, "pin-source", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iss, closer, err := OpenToken(tt.uri)
			if err == nil {
				closer.Close()
				t.Fatalf("OpenToken(%s) = %v, want an error", tt.name, iss)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("OpenToken(%s) = %v, want %v", tt.name, err, tt.want)
			}
			if tt.attr != "" {
				var ue *URIError
				if !errors.As(err, &ue) || ue.Attr != tt.attr {
					t.Errorf("OpenToken(%s) = %v, want a URIError naming %s", tt.name, err, tt.attr)
				}
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("OpenToken(%s) = %q, want it to mention %q", tt.name, err, tt.mention)
			}
			if strings.Contains(err.Error(), "9999") {
				t.Errorf("OpenToken(%s) = %q quotes the PIN", tt.name, err)
			}
		})
	}
	// The token still works after all that.
	openToken(t, uri)
}

func TestGenerateInTokenRefusesToOverwrite(t *testing.T) {
	tok := softhsmtest.New(t)
	uri := tok.URI("dcc-signer")
	if _, err := GenerateInToken(uri, "first"); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateInToken(uri, "second"); !errors.Is(err, ErrObjectExists) {
		t.Errorf("GenerateInToken(same object) = %v, want ErrObjectExists", err)
	}
	if _, err := GenerateSelfSignedInToken(uri, "second", now); !errors.Is(err, ErrObjectExists) {
		t.Errorf("GenerateSelfSignedInToken(same object) = %v, want ErrObjectExists", err)
	}
	noObject := "pkcs11:token=kiosk?module-path=" + tok.Module + "&pin-value=1234"
	var ue *URIError
	if _, err := GenerateInToken(noObject, "x"); !errors.As(err, &ue) || ue.Attr != "object" {
		t.Errorf("GenerateInToken(no object) = %v, want a URIError naming object", err)
	}
	if _, err := GenerateInToken(tok.URI("other"), " "); err == nil {
		t.Error("GenerateInToken(empty subject) succeeded")
	}
	// A second key under its own id, next to the first.
	withID := "pkcs11:token=kiosk;object=dcc-signer-2;id=%C0%FF%EE?module-path=" + tok.Module + "&pin-value=1234"
	if _, err := GenerateSelfSignedInToken(withID, "second", now); err != nil {
		t.Fatalf("GenerateSelfSignedInToken(new object and id) = %v", err)
	}
	iss := openToken(t, "pkcs11:token=kiosk;id=%C0%FF%EE?module-path="+tok.Module+"&pin-value=1234")
	if !strings.HasPrefix(iss.Certificate.Subject.CommonName, "second") {
		t.Errorf("key by id has certificate %q, want the second one", iss.Certificate.Subject.CommonName)
	}
}

// tokenSerial reads the serial number of the test token.
func tokenSerial(t *testing.T, tok *softhsmtest.Token) string {
	t.Helper()
	p := pkcs11.New(tok.Module)
	if p == nil {
		t.Fatalf("cannot load %s", tok.Module)
	}
	defer p.Destroy()
	if err := p.Initialize(); err != nil {
		t.Fatal(err)
	}
	defer p.Finalize()
	slots, err := p.GetSlotList(true)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range slots {
		info, err := p.GetTokenInfo(s)
		if err == nil && info.Label == tok.Label {
			return info.SerialNumber
		}
	}
	t.Fatalf("no token labelled %q", tok.Label)
	return ""
}

// dscSubject is the subject the national CA gives the document signing certificate
// it issues for a request.
func dscSubject(csr *x509.CertificateRequest) pkix.Name {
	return pkix.Name{Country: []string{"EE"}, CommonName: csr.Subject.CommonName}
}

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
