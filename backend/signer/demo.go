package signer

// demo.go: the demo issuer, a file key and a self-signed test certificate kept in the
// kiosk's data folder.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"certkiosk/backend/atomicfile"
)

// Files of the demo issuer inside the data folder.
const (
	DemoKeyFile  = "demo-issuer-key.pem"
	DemoCertFile = "demo-issuer-cert.pem"
)

// DemoSubject is the common name of the demo issuer's certificate; it tells anyone who
// inspects a demo certificate that it is not valid.
const DemoSubject = "CertKiosk demo issuer - TEST ISSUER, NOT VALID"

// demoValidity is how long a new demo certificate is valid.
const demoValidity = 2 * 365 * 24 * time.Hour

// LoadDemo returns the demo issuer kept in dir, creating its P-256 key and self-signed
// certificate on first use. now dates a new certificate.
func LoadDemo(dir string, now time.Time) (*Issuer, error) {
	keyPath, certPath := filepath.Join(dir, DemoKeyFile), filepath.Join(dir, DemoCertFile)
	iss, err := readDemo(keyPath, certPath)
	if err == nil {
		return iss, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("signer: demo issuer: %w", err)
	}
	iss, keyPEM, certPEM, err := newDemo(now)
	if err != nil {
		return nil, err
	}
	// The certificate is written last: its presence means the pair is complete.
	if err := atomicfile.Write(keyPath, keyPEM, 0o600); err != nil {
		return nil, err
	}
	if err := atomicfile.Write(certPath, certPEM, 0o644); err != nil {
		return nil, err
	}
	return iss, nil
}

func readDemo(keyPath, certPath string) (*Issuer, error) {
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, err
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, err
	}
	cert, err := parseCertificatePEM(certPEM)
	if err != nil {
		return nil, fmt.Errorf("signer: demo issuer %s: %w", certPath, err)
	}
	block, _ := pem.Decode(keyPEM)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("signer: demo issuer %s: no PRIVATE KEY block", keyPath)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("signer: demo issuer %s: %w", keyPath, err)
	}
	key, ok := parsed.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("signer: demo issuer %s: %T is not an ECDSA key", keyPath, parsed)
	}
	if !key.PublicKey.Equal(cert.PublicKey) {
		return nil, fmt.Errorf("signer: demo issuer: %s does not belong to %s", keyPath, certPath)
	}
	return &Issuer{Key: key, Certificate: cert, Test: true}, nil
}

func newDemo(now time.Time) (*Issuer, []byte, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("signer: demo key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("signer: demo certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			CommonName:         DemoSubject,
			Organization:       []string{"CertKiosk"},
			OrganizationalUnit: []string{"Test issuer - not valid"},
		},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(demoValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("signer: demo certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("signer: demo certificate: %w", err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("signer: demo key: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return &Issuer{Key: key, Certificate: cert, Test: true}, keyPEM, certPEM, nil
}

// ParseCertificatePEM parses the first CERTIFICATE block of a PEM file.
func ParseCertificatePEM(data []byte) (*x509.Certificate, error) {
	cert, err := parseCertificatePEM(data)
	if err != nil {
		return nil, fmt.Errorf("signer: %w", err)
	}
	return cert, nil
}

func parseCertificatePEM(data []byte) (*x509.Certificate, error) {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil, errors.New("no CERTIFICATE block in PEM data")
		}
		if block.Type == "CERTIFICATE" {
			return x509.ParseCertificate(block.Bytes)
		}
	}
}
