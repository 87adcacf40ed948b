package signer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"testing"
	"time"

	"certkiosk/backend/signer/softhsmtest"
)

// fakeTokenSigner stands in for a crypto11 key in tests that need no token.
type fakeTokenSigner struct{ crypto.Signer }

func (fakeTokenSigner) Delete() error { return nil }

func TestRequireHardware(t *testing.T) {
	demo, err := LoadDemo(t.TempDir(), now)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	dsc := softhsmtest.NewCA(t, now).Issue(t, pkix.Name{CommonName: "DSC"}, &key.PublicKey, 2)
	dscTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "DSC"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
	}
	selfDER, _ := x509.CreateCertificate(rand.Reader, dscTmpl, dscTmpl, &key.PublicKey, key)
	self, err := x509.ParseCertificate(selfDER)
	if err != nil {
		t.Fatal(err)
	}
	inToken := &tokenKey{signer: fakeTokenSigner{key}, token: `token "kiosk"`}
	remote, err := NewRemoteSigner("https://registry.example/sign", testBearer, dsc, RemoteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		iss      *Issuer
		prodWant error // outside demo mode
	}{
		{"demo file key", demo, ErrFileKey},
		{"file key with a CA certificate", &Issuer{Key: key, Certificate: dsc}, ErrFileKey},
		{"no issuer", nil, ErrFileKey},
		{"token key, CA certificate", &Issuer{Key: inToken, Certificate: dsc}, nil},
		{"token key, self-signed certificate", &Issuer{Key: inToken, Certificate: self}, ErrTestIssuer},
		{"token key marked Test", &Issuer{Key: inToken, Certificate: dsc, Test: true}, ErrTestIssuer},
		{"token key without certificate", &Issuer{Key: inToken}, ErrTestIssuer},
		{"remote signer, CA certificate", &Issuer{Key: remote, Certificate: dsc}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := RequireHardware(tt.iss, true); err != nil {
				t.Errorf("RequireHardware(%s, demo) = %v, want nil", tt.name, err)
			}
			err := RequireHardware(tt.iss, false)
			if tt.prodWant == nil && err != nil || !errors.Is(err, tt.prodWant) {
				t.Errorf("RequireHardware(%s, not demo) = %v, want %v", tt.name, err, tt.prodWant)
			}
		})
	}
}
