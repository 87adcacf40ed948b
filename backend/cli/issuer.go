package cli

// issuer.go: the signing key and the renderer the commands share, and issuer-cert.

import (
	"context"

	"certkiosk/backend/certpdf"
	"certkiosk/backend/dcc"
	"certkiosk/backend/issuance"
	"certkiosk/backend/rules"
	"certkiosk/backend/signer"
)

// loadIssuer returns the signing key in use. Until a token is configured that is the
// demo issuer in the data folder, created on first use.
func loadIssuer(env *Env, dataDir string) (*signer.Issuer, error) {
	if dataDir == "" {
		return nil, usagef("no data folder: give one with --data")
	}
	return signer.LoadDemo(dataDir, env.Now())
}

// newService assembles the issuing pipeline for a profile.
func newService(env *Env, dataDir, profile string) (*issuance.Service, error) {
	p, err := rules.Load(profile)
	if err != nil {
		return nil, err
	}
	iss, err := loadIssuer(env, dataDir)
	if err != nil {
		return nil, err
	}
	fonts, err := certpdf.SystemFonts()
	if err != nil {
		return nil, err
	}
	return &issuance.Service{Profile: p, Issuer: iss, Renderer: certpdf.NewRenderer(fonts, dcc.DisplayName)}, nil
}

func runIssuerCert(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "issuer-cert")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	iss, err := loadIssuer(env, *data)
	if err != nil {
		return err
	}
	_, err = env.Stdout.Write(iss.CertificatePEM())
	return err
}
