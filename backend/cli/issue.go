package cli

// issue.go: certkiosk issue — a FHIR Bundle or a person's identifier in, one PDF per
// certificate out, and a refusal slip for what cannot be issued.

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"certkiosk/backend/atomicfile"
	"certkiosk/backend/issuance"
	"certkiosk/backend/registry"
	"certkiosk/backend/registrysim"
)

// maxBundleSize caps the bundle file: one person's COVID-19 record is a few kilobytes.
const maxBundleSize = 16 << 20

// issued is the line printed for each certificate.
type issued struct {
	Kind   string `json:"kind"`
	UVCI   string `json:"uvci"`
	HC1    string `json:"hc1"`
	PDF    string `json:"pdf"`
	Source string `json:"source"`
}

// refused is the line printed for each certificate that could not be issued; pdf is
// the refusal slip, one for the whole request.
type refused struct {
	Refused string `json:"refused"`
	Reason  string `json:"reason"`
	PDF     string `json:"pdf"`
}

func runIssue(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "issue")
	profile := fs.String("profile", "EE", "jurisdiction profile")
	bundle := fs.String("bundle", "", "FHIR R4 Bundle (JSON) with the Patient and its records")
	subject := fs.String("subject", "", "the person's identifier (SYSTEM|VALUE for another system than the profile's first), looked up in the registries")
	registryURL := fs.String("registry", "", "base URL of the FHIR registry (default: the embedded demo registry)")
	federalURL := fs.String("federal", "", "base URL of the federal registry, asked when the local one has no usable record")
	out := fs.String("out", "", "folder the PDFs are written to")
	atFlag := fs.String("at", "", "issue as of this RFC 3339 time (default: now)")
	keyURI := keyFlag(fs)
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	switch {
	case (*bundle == "") == (*subject == ""):
		return usagef("give either --bundle FILE or --subject ID")
	case *bundle != "" && (*registryURL != "" || *federalURL != ""):
		return usagef("--registry and --federal go with --subject, not --bundle")
	case *out == "":
		return usagef("--out DIR is required")
	}
	at, err := parseTime(env, *atFlag)
	if err != nil {
		return err
	}
	svc, closeKey, err := newServiceWithKey(env, *data, *keyURI, *profile)
	if err != nil {
		return err
	}
	defer closeKey.Close()
	var rec *registry.Record
	var requestKey string // names the refusal slip; never personal data in clear
	if *bundle != "" {
		raw, err := readFileLimited(*bundle, maxBundleSize)
		if err != nil {
			return err
		}
		if rec, err = registry.ParseBundle(raw); err != nil {
			return fmt.Errorf("%s: %w", *bundle, err)
		}
		requestKey = string(raw)
	} else {
		id, err := parseSubject(svc.Profile, *subject)
		if err != nil {
			return err
		}
		regs, stop, err := openRegistries(ctx, *data, *registryURL, *federalURL, at)
		if err != nil {
			return err
		}
		defer stop()
		if rec, err = lookup(ctx, svc.Profile, id, regs); err != nil {
			return err
		}
		requestKey = id.System + "|" + id.Value
	}
	outcome, err := svc.Issue(rec, at)
	if err != nil {
		return err
	}
	files := make([]outFile, 0, len(outcome.Certificates)+1)
	for _, c := range outcome.Certificates {
		files = append(files, outFile{pdfName(c), c.PDF})
	}
	if outcome.Slip != nil {
		files = append(files, outFile{slipName(svc.Profile.Code, requestKey, at), outcome.Slip})
	}
	paths, err := writeFiles(*out, files)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	for i, c := range outcome.Certificates {
		if err := enc.Encode(issued{Kind: string(c.Kind), UVCI: c.UVCI, HC1: c.HC1, PDF: paths[i], Source: string(c.Source)}); err != nil {
			return err
		}
	}
	for _, r := range outcome.Refusals {
		if err := enc.Encode(refused{Refused: string(r.Kind), Reason: string(r.Code), PDF: paths[len(paths)-1]}); err != nil {
			return err
		}
	}
	return nil
}

// openRegistries connects to the registries named, or starts the embedded demo
// registry (its records dated relative to at) when none is. stop releases them.
func openRegistries(ctx context.Context, dataDir, localURL, federalURL string, at time.Time) (registries, func(), error) {
	stop := func() {}
	if localURL == "" {
		sim, err := registrysim.Start(ctx, registrysim.Path(dataDir), at)
		if err != nil {
			return registries{}, nil, err
		}
		stop = func() { sim.Close() }
		localURL = sim.LocalURL
		if federalURL == "" {
			federalURL = sim.FederalURL
		}
	}
	var regs registries
	var err error
	if regs.local, err = registry.NewClient(localURL, registry.Options{Source: registry.SourceLocal}); err != nil {
		stop()
		return registries{}, nil, err
	}
	if federalURL != "" {
		if regs.federal, err = registry.NewClient(federalURL, registry.Options{Source: registry.SourceFederal}); err != nil {
			stop()
			return registries{}, nil, err
		}
	}
	return regs, stop, nil
}

// The modes of what --out receives: certificates and slips, personal data.
const (
	outDirPerm  = 0o700
	outFilePerm = 0o600
)

// outFile is a file to write into --out.
type outFile struct {
	name string
	data []byte
}

// writeFiles writes every file into dir, each atomically, and returns their paths;
// when one fails, the ones already written by this call are removed again, so dir
// never holds half a result. The files hold personal data: they are mode 0600, in a
// folder made 0700 when it does not exist (one that exists keeps its mode).
func writeFiles(dir string, files []outFile) ([]string, error) {
	if err := os.MkdirAll(dir, outDirPerm); err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := atomicfile.Write(path, f.data, outFilePerm); err != nil {
			var errs []error
			for _, p := range paths {
				if rerr := os.Remove(p); rerr != nil {
					errs = append(errs, rerr)
				}
			}
			return nil, errors.Join(append([]error{err}, errs...)...)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// slipName names a request's refusal slip after a digest of the request, so that the
// name carries no personal data and the same request at the same moment gets the
// same name.
func slipName(profile, requestKey string, at time.Time) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%d", profile, requestKey, at.Unix())))
	return "refusal-" + base32.StdEncoding.EncodeToString(sum[:])[:16] + ".pdf"
}

// pdfName names a certificate's file after its kind and the unique part of its UVCI:
// URN:UVCI:01:EE:CK/ABCD#K → vaccination-CK-ABCD.pdf. The check character goes first:
// it may itself be ':' or '/'.
func pdfName(c issuance.Certificate) string {
	id, _, _ := strings.Cut(c.UVCI, "#")
	if i := strings.LastIndex(id, ":"); i >= 0 {
		id = id[i+1:]
	}
	return string(c.Kind) + "-" + strings.ReplaceAll(id, "/", "-") + ".pdf"
}
