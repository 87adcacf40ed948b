package cli

// verify.go: certkiosk verify — HC1 strings from stdin, or the QR codes of a PDF.

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/pdfqr"
	"certkiosk/backend/signer"
)

// maxPDFSize caps a PDF given to verify.
const maxPDFSize = 64 << 20

// verified is the line printed for each certificate checked.
type verified struct {
	SignatureValid bool   `json:"signature_valid"`
	Valid          bool   `json:"valid"`
	Reason         string `json:"reason,omitempty"`
	Error          string `json:"error,omitempty"`
	Kind           string `json:"kind,omitempty"`
	UVCI           string `json:"uvci,omitempty"`
	Issuer         string `json:"issuer,omitempty"`
	IssuedAt       string `json:"issued_at,omitempty"`
	Expires        string `json:"expires,omitempty"`
}

func runVerify(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "verify")
	certFile := fs.String("issuer-cert", "", "PEM file of the issuer certificate (default: the signing certificate in use)")
	pdfFile := fs.String("pdf", "", "read the certificates from this PDF's QR codes instead of stdin")
	atFlag := fs.String("at", "", "verify as of this RFC 3339 time (default: now)")
	keyURI := keyFlag(fs)
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	at, err := parseTime(env, *atFlag)
	if err != nil {
		return err
	}
	trust, err := trustedCertificate(env, *data, *keyURI, *certFile)
	if err != nil {
		return err
	}
	codes, err := verifyInput(ctx, env, *pdfFile)
	if err != nil {
		return err
	}
	if len(codes) == 0 {
		return fmt.Errorf("no HC1 certificate found in the input")
	}
	v := dcc.NewVerifier(trust)
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	allValid := true
	for _, code := range codes {
		res := v.Verify(code, at)
		allValid = allValid && res.Valid
		if err := enc.Encode(describe(res)); err != nil {
			return err
		}
	}
	if !allValid {
		return errReported
	}
	return nil
}

func trustedCertificate(env *Env, dataDir, keyURI, certFile string) (*x509.Certificate, error) {
	if certFile != "" && keyURI != "" {
		return nil, usagef("give --issuer-cert or --key, not both")
	}
	if certFile == "" {
		iss, closer, err := loadIssuer(env, dataDir, keyURI)
		if err != nil {
			return nil, err
		}
		closer.Close()
		return iss.Certificate, nil
	}
	pemData, err := readFileLimited(certFile, 1<<20)
	if err != nil {
		return nil, err
	}
	return signer.ParseCertificatePEM(pemData)
}

// verifyInput returns the HC1 strings to check: the HC1 QR codes of the PDF, or the
// non-empty lines of stdin.
func verifyInput(ctx context.Context, env *Env, pdfFile string) ([]string, error) {
	if pdfFile != "" {
		pdf, err := readFileLimited(pdfFile, maxPDFSize)
		if err != nil {
			return nil, err
		}
		all, err := pdfqr.Read(ctx, pdf)
		if err != nil {
			return nil, err
		}
		var codes []string
		for _, c := range all {
			if strings.HasPrefix(c, "HC1:") {
				codes = append(codes, c)
			}
		}
		return codes, nil
	}
	var codes []string
	sc := bufio.NewScanner(env.Stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			codes = append(codes, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading stdin: %w", err)
	}
	return codes, nil
}

func describe(res dcc.Result) verified {
	out := verified{SignatureValid: res.SignatureValid, Valid: res.Valid, Reason: res.Reason}
	if res.Err != nil {
		out.Error = oneLine(res.Err)
	}
	if c := res.Claims; c != nil {
		out.Kind = string(c.Certificate.Kind())
		out.UVCI = c.Certificate.CertificateID()
		out.Issuer = c.Issuer
		if !c.IssuedAt.IsZero() {
			out.IssuedAt = c.IssuedAt.UTC().Format(time.RFC3339)
		}
		if !c.Expires.IsZero() {
			out.Expires = c.Expires.UTC().Format(time.RFC3339)
		}
	}
	return out
}
