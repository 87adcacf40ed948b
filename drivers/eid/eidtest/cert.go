package eidtest

// cert.go: authentication certificates like the cards' own, self-signed.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"strings"
	"time"

	"certkiosk/drivers/eid"
)

// AuthCertificate makes a self-signed authentication certificate for the holder
// with the subject the cards' certificates have: C=EE, CN=SURNAME,GIVEN
// NAMES,PERSONAL CODE, SN, GN and serialNumber PNOEE-<personal code>, on a P-384
// key. It is valid from the date of issue (or 2024-01-01) to the expiry date (or
// 2029-01-01).
func AuthCertificate(h eid.PersonalData) ([]byte, error) {
	return Certificate(h, "PNOEE-"+h.PersonalCode)
}

// Certificate is AuthCertificate with the subject serialNumber given, for
// certificates that do not match the holder.
func Certificate(h eid.PersonalData, serialNumber string) ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		return nil, err
	}
	from, to := date(h.Issued, 2024), date(h.Expiry, 2029)
	cn := strings.Join([]string{h.Surname, h.GivenNames, h.PersonalCode}, ",")
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject: pkix.Name{
			Country:      []string{"EE"},
			CommonName:   cn,
			SerialNumber: serialNumber,
			ExtraNames: []pkix.AttributeTypeAndValue{
				{Type: asn1.ObjectIdentifier{2, 5, 4, 4}, Value: h.Surname},     // surname (X.520)
				{Type: asn1.ObjectIdentifier{2, 5, 4, 42}, Value: h.GivenNames}, // givenName
			},
		},
		NotBefore:   from,
		NotAfter:    to.Add(24*time.Hour - time.Second),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyAgreement,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("eidtest: certificate: %w", err)
	}
	return der, nil
}

// date reads YYYY-MM-DD, or gives 1 January of year.
func date(s string, year int) time.Time {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t
	}
	return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
}
