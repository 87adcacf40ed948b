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
)

// DemoFile is the demo issuer's file inside the data folder: its private key and its
// certificate, as two PEM blocks in one file, so that they are written and replaced
// together.
const DemoFile = "demo-issuer.pem"

// DemoSubject is the common name of the demo issuer's certificate; it tells anyone who
// inspects a demo certificate that it is not valid.
const DemoSubject = "CertKiosk demo issuer - TEST ISSUER, NOT VALID"

// demoValidity is how long a new demo certificate is valid: longer than any
// certificate it signs, so that nothing it signed outlives it.
const demoValidity = 10 * 365 * 24 * time.Hour

// LoadDemo returns the demo issuer kept in dir, creating its P-256 key and self-signed
// certificate on first use. now dates a new certificate. Two processes starting at
// once agree on one issuer: the file is published with a link that fails when it
// exists, and the one that loses reads the winner's.
func LoadDemo(dir string, now time.Time) (*Issuer, error) {
	path := filepath.Join(dir, DemoFile)
	iss, err := readDemo(path)
	if !errors.Is(err, os.ErrNotExist) {
		return iss, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("signer: demo issuer: %w", err)
	}
	iss, pemData, err := newDemo(now)
	if err != nil {
		return nil, err
	}
	if err := publish(path, pemData); errors.Is(err, os.ErrExist) {
		return readDemo(path)
	} else if err != nil {
		return nil, err
	}
	return iss, nil
}

// publish writes data to a new file at path, complete and synced, or not at all; it
// fails with os.ErrExist when path exists.
func publish(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("signer: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("signer: write %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return os.ErrExist
		}
		return fmt.Errorf("signer: %w", err)
	}
	return nil
}

func readDemo(path string) (*Issuer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var key *ecdsa.PrivateKey
	var cert *x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		switch block.Type {
		case "PRIVATE KEY":
			parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("signer: demo issuer %s: %w", path, err)
			}
			k, ok := parsed.(*ecdsa.PrivateKey)
			if !ok {
				return nil, fmt.Errorf("signer: demo issuer %s: %T is not an ECDSA key", path, parsed)
			}
			key = k
		case "CERTIFICATE":
			if cert, err = x509.ParseCertificate(block.Bytes); err != nil {
				return nil, fmt.Errorf("signer: demo issuer %s: %w", path, err)
			}
		}
	}
	switch {
	case key == nil:
		return nil, fmt.Errorf("signer: demo issuer %s: no PRIVATE KEY block", path)
	case cert == nil:
		return nil, fmt.Errorf("signer: demo issuer %s: no CERTIFICATE block", path)
	case !key.PublicKey.Equal(cert.PublicKey):
		return nil, fmt.Errorf("signer: demo issuer %s: the key does not belong to the certificate", path)
	}
	return &Issuer{Key: key, Certificate: cert, Test: true}, nil
}

func newDemo(now time.Time) (*Issuer, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("signer: demo key: %w", err)
	}
	tmpl, err := testIssuerTemplate(DemoSubject, now)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("signer: demo certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("signer: demo certificate: %w", err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("signer: demo key: %w", err)
	}
	pemData := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	pemData = append(pemData, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	return &Issuer{Key: key, Certificate: cert, Test: true}, pemData, nil
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

// testIssuerTemplate is the certificate of a self-signed test issuer: the common name
// given, the organisation saying it is not valid, a random serial, valid from an hour
// before now for demoValidity.
func testIssuerTemplate(cn string, now time.Time) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		return nil, fmt.Errorf("signer: certificate serial: %w", err)
	}
	return &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			CommonName:         cn,
			Organization:       []string{"CertKiosk"},
			OrganizationalUnit: []string{"Test issuer - not valid"},
		},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(demoValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}, nil
}
