package dcc

// Test issuers (keys and self-signed document signer certificates) and sample claims.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/veraison/go-cose"
)

// testIssuer is a document signer: a key, its self-signed certificate and its kid.
type testIssuer struct {
	key    crypto.Signer
	cert   *x509.Certificate
	signer cose.Signer
	kid    []byte
}

// newTestIssuer makes a fresh key for alg (P-256 for ES256, P-384 for ES384, RSA 2048
// for PS256) and a self-signed certificate for it.
func newTestIssuer(t testing.TB, alg cose.Algorithm) testIssuer {
	t.Helper()
	var key crypto.Signer
	var err error
	switch alg {
	case cose.AlgorithmES256:
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case cose.AlgorithmES384:
		key, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case cose.AlgorithmPS256:
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	default:
		t.Fatalf("newTestIssuer: no key type for %v", alg)
	}
	if err != nil {
		t.Fatalf("generating %v key: %v", alg, err)
	}
	return issuerFromKey(t, alg, key)
}

// issuerFromKey wraps key in a self-signed document signer certificate, with the
// extended key usages given.
func issuerFromKey(t testing.TB, alg cose.Algorithm, key crypto.Signer, usages ...asn1.ObjectIdentifier) testIssuer {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{Country: []string{"EE"}, CommonName: "CertKiosk test DSC"},
		NotBefore:    time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,

		UnknownExtKeyUsage: usages,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatalf("creating certificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("parsing certificate: %v", err)
	}
	signer, err := cose.NewSigner(alg, key)
	if err != nil {
		t.Fatalf("cose.NewSigner(%v): %v", alg, err)
	}
	return testIssuer{key: key, cert: cert, signer: signer, kid: KeyID(der)}
}

// exampleIssuedAt is when exampleClaims were signed.
var exampleIssuedAt = time.Date(2021, 6, 2, 10, 0, 0, 0, time.UTC)

// exampleClaims returns a one-dose-of-two Comirnaty vaccination certificate valid for
// a year from exampleIssuedAt.
func exampleClaims() Claims {
	return Claims{
		Issuer:   "EE",
		IssuedAt: exampleIssuedAt,
		Expires:  exampleIssuedAt.AddDate(1, 0, 0),
		Certificate: HealthCertificate{
			Version: SchemaVersion,
			Name: Name{
				FamilyName: "Tamm", FamilyNameStandardised: "TAMM",
				GivenName: "Mari-Liis", GivenNameStandardised: "MARI<LIIS",
			},
			DateOfBirth: "1950-04-12",
			Vaccinations: []Vaccination{{
				Target:       DiseaseCOVID19,
				Prophylaxis:  "J07BX03",
				Product:      "EU/1/20/1528",
				Manufacturer: "ORG-100030215",
				DoseNumber:   1,
				TotalDoses:   2,
				Date:         "2021-05-20",
				Country:      "EE",
				Issuer:       "Terviseamet",
				ID:           "URN:UVCI:01:EE:KIOSKTEST0001",
			}},
		},
	}
}

// signHC1 signs claims as iss and returns the HC1 string.
func signHC1(t testing.TB, iss testIssuer, claims Claims) string {
	t.Helper()
	msg, err := Sign(iss.signer, iss.kid, claims)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	hc1, err := EncodeHC1(msg)
	if err != nil {
		t.Fatalf("EncodeHC1: %v", err)
	}
	return hc1
}

// noSchemaCheck returns a verifier whose payload check always passes, for tests that
// are about everything but the schema.
func noSchemaCheck(certs ...*x509.Certificate) *Verifier {
	v := NewVerifier(certs...)
	v.checkPayload = func([]byte) error { return nil }
	return v
}
