package cli

// issuer.go: the signing key and the renderer the commands share, and issuer-cert.

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"certkiosk/backend/audit"
	"certkiosk/backend/certpdf"
	"certkiosk/backend/config"
	"certkiosk/backend/dcc"
	"certkiosk/backend/issuance"
	"certkiosk/backend/rules"
	"certkiosk/backend/signer"
)

// keyFlag adds --key to a command that signs or names the issuer.
func keyFlag(fs *flag.FlagSet) *string {
	return fs.String("key", "", "PKCS#11 URI (RFC 7512) of the signing key in a hardware token, e.g. "+
		"'pkcs11:token=kiosk;object=dcc-signer;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/etc/certkiosk/pin' "+
		"(default: the demo key in the data folder)")
}

// loadIssuer returns the signing key in use: the key in a hardware token that
// keyURI (--key) names, or without one the demo issuer in the data folder, created
// on first use. Close the Closer when done signing: it releases the token.
func loadIssuer(env *Env, dataDir, keyURI string) (*signer.Issuer, io.Closer, error) {
	if keyURI != "" {
		return signer.OpenToken(keyURI)
	}
	if dataDir == "" {
		return nil, nil, usagef("no data folder: give one with --data")
	}
	iss, err := signer.LoadDemo(dataDir, env.Now())
	if err != nil {
		return nil, nil, err
	}
	return iss, nopCloser{}, nil
}

// nopCloser is the Closer of an issuer that holds nothing open.
type nopCloser struct{}

func (nopCloser) Close() error { return nil }

// newService assembles the issuing pipeline for a profile with the demo issuer.
func newService(env *Env, dataDir, profile string) (*issuance.Service, error) {
	svc, _, err := newServiceWithKey(env, dataDir, "", profile)
	return svc, err
}

// newServiceWithKey assembles the issuing pipeline for a profile with the signing
// key keyURI names (see loadIssuer); close the Closer when done issuing.
func newServiceWithKey(env *Env, dataDir, keyURI, profile string) (*issuance.Service, io.Closer, error) {
	p, err := rules.Load(profile)
	if err != nil {
		return nil, nil, err
	}
	fonts, err := certpdf.SystemFonts()
	if err != nil {
		return nil, nil, err
	}
	iss, closer, err := loadIssuer(env, dataDir, keyURI)
	if err != nil {
		return nil, nil, err
	}
	uvciKey, err := loadUVCIKey(dataDir)
	if err != nil {
		closer.Close()
		return nil, nil, err
	}
	return &issuance.Service{Profile: p, Issuer: iss, Renderer: certpdf.NewRenderer(fonts, dcc.DisplayName), UVCIKey: uvciKey}, closer, nil
}

// loadUVCIKey returns the key UVCIs are derived under: uvci.key in the data folder,
// created on first use. It is a key file of the same kind as the audit log's — 32
// random bytes, mode 0600, created atomically, refused when others may read it — so
// it is kept by the same code.
func loadUVCIKey(dataDir string) ([]byte, error) {
	if dataDir == "" {
		return nil, usagef("no data folder: give one with --data")
	}
	key, err := audit.FileKeyStore{Path: filepath.Join(dataDir, config.UVCIKeyName)}.SubjectKey(context.Background())
	if err != nil {
		return nil, fmt.Errorf("the UVCI key: %w", err)
	}
	return key, nil
}

func runIssuerCert(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "issuer-cert")
	keyURI := keyFlag(fs)
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	iss, closer, err := loadIssuer(env, *data, *keyURI)
	if err != nil {
		return err
	}
	defer closer.Close()
	_, err = env.Stdout.Write(iss.CertificatePEM())
	return err
}
