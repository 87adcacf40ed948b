package dcc

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/asn1"
	"errors"
	"testing"

	"github.com/veraison/go-cose"
)

func TestVerifyKeyUsage(t *testing.T) {
	testOnly := asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 1847, 2021, 1, 1}
	vaccination := asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 1847, 2021, 1, 2}
	vaccinationAltArc := asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 0, 1847, 2021, 1, 2}
	other := asn1.ObjectIdentifier{2, 23, 136, 1, 1, 14, 2}
	tests := []struct {
		name   string
		usages []asn1.ObjectIdentifier
		reason string
	}{
		{"no key usage", nil, ""},
		{"vaccination allowed", []asn1.ObjectIdentifier{vaccination}, ""},
		{"vaccination allowed on the other arc", []asn1.ObjectIdentifier{vaccinationAltArc}, ""},
		{"test and vaccination", []asn1.ObjectIdentifier{testOnly, vaccination}, ""},
		{"only tests", []asn1.ObjectIdentifier{testOnly}, ReasonKeyUsage},
		{"only a foreign usage", []asn1.ObjectIdentifier{other}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			iss := issuerFromKey(t, cose.AlgorithmES256, key, tt.usages...)
			// exampleClaims is a vaccination certificate.
			r := NewVerifier(iss.cert).Verify(signHC1(t, iss, exampleClaims()), exampleIssuedAt)
			if r.Reason != tt.reason || !r.SignatureValid || r.Valid != (tt.reason == "") {
				t.Errorf("Verify = reason %q, signature %v, valid %v (%v), want reason %q", r.Reason, r.SignatureValid, r.Valid, r.Err, tt.reason)
			}
			if tt.reason != "" && !errors.Is(r.Err, ErrKeyUsage) {
				t.Errorf("Verify error %v does not wrap ErrKeyUsage", r.Err)
			}
		})
	}
}
