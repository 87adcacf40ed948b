package eid

// cert.go: the authentication certificate on the card, and the check that it
// names the holder the personal data file names.

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxCertBytes bounds a certificate file; the cards' certificates are 1 to 2 KB.
const maxCertBytes = 16 << 10

// ReadAuthCertificate reads the card's authentication certificate, the one
// PIN1 goes with. With LayoutUnknown the layout is found first (Detect). The
// certificate's length is taken from its own DER header, as its file is often
// longer than the certificate; it is parsed with crypto/x509 but not verified:
// its chain, validity period and revocation are for whoever relies on it.
func ReadAuthCertificate(ctx context.Context, card Card, l Layout) (*x509.Certificate, error) {
	c, err := readAuthCertificate(ctx, card, l)
	return c, prefixed(err)
}

func readAuthCertificate(ctx context.Context, card Card, l Layout) (*x509.Certificate, error) {
	if l == LayoutUnknown {
		var err error
		if l, _, err = detect(ctx, card); err != nil {
			return nil, err
		}
	}
	s := specOf(l)
	if _, err := run(ctx, card, s.app, NoAnswer); err != nil {
		return nil, fmt.Errorf("authentication certificate: %w", err)
	}
	fi, err := run(ctx, card, s.auth, WithFCP)
	if err != nil {
		return nil, fmt.Errorf("authentication certificate: %w", err)
	}
	// The DER header: 30, then a length of up to 84 xx xx xx xx.
	head, err := readBinary(ctx, card, 0, 8)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("authentication certificate: %w", err)
	}
	if len(head) < 2 || head[0] != 0x30 {
		return nil, fmt.Errorf("%w: the file does not start with a DER SEQUENCE", ErrCertificate)
	}
	length, n, err := readLength(head[1:])
	if err != nil {
		return nil, fmt.Errorf("%w: DER header: %v", ErrCertificate, err)
	}
	total := 1 + n + length
	switch {
	case total > maxCertBytes:
		return nil, fmt.Errorf("%w: %d bytes, at most %d allowed", ErrCertificate, total, maxCertBytes)
	case fi.Size >= 0 && total > fi.Size:
		return nil, fmt.Errorf("%w: %d bytes in a file of %d", ErrCertificate, total, fi.Size)
	}
	der, err := readFile(ctx, card, total, maxCertBytes)
	if err != nil {
		return nil, fmt.Errorf("authentication certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCertificate, err)
	}
	return cert, nil
}

// CertPersonalCode returns the Estonian personal code a certificate's subject
// serialNumber gives: "PNOEE-" and the code in certificates issued since 2017
// (ETSI EN 319 412-1 §5.1.3 semantics identifier), the bare code in older ones.
func CertPersonalCode(cert *x509.Certificate) (string, bool) {
	sn := cert.Subject.SerialNumber
	if code, ok := strings.CutPrefix(sn, "PNOEE-"); ok {
		return code, code != ""
	}
	if len(sn) == 11 && strings.Trim(sn, "0123456789") == "" {
		return sn, true
	}
	return "", false
}

// CheckAuthCertificate checks that the certificate names the holder with
// personalCode: its subject serialNumber is PNOEE-<personalCode> (or, in older
// certificates, the bare code). It fails with ErrCertMismatch, which says which
// part differs but not the codes.
func CheckAuthCertificate(cert *x509.Certificate, personalCode string) error {
	code, ok := CertPersonalCode(cert)
	switch {
	case !ok:
		return fmt.Errorf("eid: %w: its subject serialNumber is not PNOEE- and a personal code", ErrCertMismatch)
	case code != personalCode:
		return fmt.Errorf("eid: %w: its subject serialNumber names another personal code", ErrCertMismatch)
	}
	return nil
}
