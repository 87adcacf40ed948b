package cli

// issue.go: certkiosk issue — a FHIR Bundle in, one PDF per certificate out.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"certkiosk/backend/atomicfile"
	"certkiosk/backend/issuance"
	"certkiosk/backend/registry"
)

// maxBundleSize caps the bundle file: one person's COVID-19 record is a few kilobytes.
const maxBundleSize = 16 << 20

// issued is the line printed for each certificate.
type issued struct {
	Kind string `json:"kind"`
	UVCI string `json:"uvci"`
	HC1  string `json:"hc1"`
	PDF  string `json:"pdf"`
}

func runIssue(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "issue")
	profile := fs.String("profile", "EE", "jurisdiction profile")
	bundle := fs.String("bundle", "", "FHIR R4 Bundle (JSON) with the Patient and its records")
	out := fs.String("out", "", "folder the PDFs are written to")
	atFlag := fs.String("at", "", "issue as of this RFC 3339 time (default: now)")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *bundle == "" {
		return usagef("--bundle FILE is required")
	}
	if *out == "" {
		return usagef("--out DIR is required")
	}
	at, err := parseTime(env, *atFlag)
	if err != nil {
		return err
	}
	raw, err := readFileLimited(*bundle, maxBundleSize)
	if err != nil {
		return err
	}
	rec, err := registry.ParseBundle(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", *bundle, err)
	}
	svc, err := newService(env, *data, *profile)
	if err != nil {
		return err
	}
	outcome, err := svc.Issue(rec, at)
	if err != nil {
		return err
	}
	certs := outcome.Certificates
	if len(certs) == 0 {
		fmt.Fprintln(env.Stderr, "certkiosk issue: the record supports no certificate")
		return nil
	}
	lines, err := writePDFs(*out, certs)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return nil
}

// writePDFs writes every certificate's PDF into dir, each atomically; when one fails,
// the ones already written by this call are removed again, so dir never holds half a
// result.
func writePDFs(dir string, certs []issuance.Certificate) ([]issued, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var lines []issued
	for _, c := range certs {
		path := filepath.Join(dir, pdfName(c))
		if err := atomicfile.Write(path, c.PDF, 0o644); err != nil {
			for _, l := range lines {
				os.Remove(l.PDF)
			}
			return nil, err
		}
		lines = append(lines, issued{Kind: string(c.Kind), UVCI: c.UVCI, HC1: c.HC1, PDF: path})
	}
	return lines, nil
}

// pdfName names a certificate's file after its kind and the unique part of its UVCI:
// URN:UVCI:01:EE:CK/ABCD#K → vaccination-CK-ABCD.pdf.
func pdfName(c issuance.Certificate) string {
	id := c.UVCI
	if i := strings.LastIndex(id, ":"); i >= 0 {
		id = id[i+1:]
	}
	if i := strings.IndexByte(id, '#'); i >= 0 {
		id = id[:i]
	}
	return string(c.Kind) + "-" + strings.ReplaceAll(id, "/", "-") + ".pdf"
}
