// ca.go: the national CA of the tests, which certifies the keys tokens hold.

package softhsmtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"
)

// CA stands in for the national CA (the CSCA) that issues the kiosk's document
// signing certificate for the key in its token.
type CA struct {
	Key         *ecdsa.PrivateKey
	Certificate *x509.Certificate
	at          time.Time
}

// NewCA makes a CSCA valid from a day before at for twenty years.
func NewCA(tb testing.TB, at time.Time) *CA {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1000), // apart from the serials of what it issues
		Subject:               pkix.Name{Country: []string{"EE"}, CommonName: "Test CSCA"},
		NotBefore:             at.Add(-24 * time.Hour),
		NotAfter:              at.AddDate(20, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	return &CA{Key: key, Certificate: create(tb, tmpl, tmpl, &key.PublicKey, key), at: at}
}

// Issue makes a document signing certificate for the public key pub, valid from an
// hour before the CA's moment for two years.
func (ca *CA) Issue(tb testing.TB, subject pkix.Name, pub crypto.PublicKey, serial int64) *x509.Certificate {
	tb.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      subject,
		NotBefore:    ca.at.Add(-time.Hour),
		NotAfter:     ca.at.AddDate(2, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	return create(tb, tmpl, ca.Certificate, pub, ca.Key)
}

// create signs a certificate and parses it back.
func create(tb testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) *x509.Certificate {
	tb.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	return cert
}
