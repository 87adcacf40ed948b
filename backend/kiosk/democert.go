// democert.go: printed certificates a demo visitor can hold up to the simulated
// scanner — a valid one, one the profile's rules do not accept now, and a forged
// one — so that the verify screen can be shown without a certificate at hand.

package kiosk

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/issuance"
	"certkiosk/backend/pdfqr"
	"certkiosk/backend/registry"
	"certkiosk/backend/rules"
	"certkiosk/backend/signer"
	"certkiosk/drivers/sim"
)

// The kinds of demo certificate ScanDemoCertificate scans.
const (
	// DemoCertificateValid is a demo person's full course, signed now by the kiosk's
	// own key: green.
	DemoCertificateValid = "valid"
	// DemoCertificateRules is the same person's certificate of the first dose of
	// their course, signed by the kiosk's key: genuine, but the profile's rules do
	// not accept a course that is not complete: orange.
	DemoCertificateRules = "rules"
	// DemoCertificateForged is the full course again, bearing the kiosk's key
	// identifier but signed by another key: red, the signature is not genuine.
	DemoCertificateForged = "forged"
	// DemoCertificatePrinted is the certificate the kiosk printed last into a folder
	// printer's folder, its QR code read back from the PDF.
	DemoCertificatePrinted = "printed"
)

// ErrNothingPrinted: no folder printer of the kiosk holds a printed certificate to
// scan.
const ErrNothingPrinted Error = "nothing-printed"

// demoLookupTime bounds the look-up of the demo person whose certificate is made.
const demoLookupTime = 10 * time.Second

// ScanDemoCertificate has the simulated scanner scan a printed certificate of the
// given kind ("valid", "rules", "forged", or "printed": the last one the kiosk
// printed into its folder printer's folder; ErrNothingPrinted when there is none);
// the kiosk reads it as it reads any scan (identity.ClassifyScan), and the verify
// screen shows the result. Demo only.
func (a *App) ScanDemoCertificate(kind string) error {
	if a.svc == nil {
		return ErrNotReady
	}
	if a.svc.sim == nil {
		return ErrNotDemo
	}
	kinds := []string{DemoCertificateValid, DemoCertificateRules, DemoCertificateForged, DemoCertificatePrinted}
	if !slices.Contains(kinds, kind) {
		return ErrUnknown
	}
	a.mu.Lock()
	a.touchLocked()
	err := a.canVerifyLocked()
	a.mu.Unlock()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), demoLookupTime)
	defer cancel()
	var hc1 string
	if kind == DemoCertificatePrinted {
		hc1, err = a.svc.lastPrinted(ctx)
	} else {
		hc1, err = a.svc.demoCertificate(ctx, kind, a.clock.Now())
	}
	if errors.Is(err, ErrNothingPrinted) {
		return err
	}
	if err != nil {
		a.log.Error("kiosk: making the demo certificate failed", "kind", kind, "err", err)
		return ErrInternal
	}
	a.svc.sim.Scanner().Scan(sim.ScanHC1, []byte(hc1), a.clock.Now())
	return nil
}

// canVerifyLocked tells whether a scanned certificate may take the screen now: not
// while a session fetches, prints or shows its results. a.mu is held.
func (a *App) canVerifyLocked() error {
	switch a.st.Screen {
	case ScreenAttract, ScreenLanguage, ScreenIdentify, ScreenVerify, ScreenDone, ScreenFailed:
		return nil
	}
	return ErrBusy
}

// demoCertificate makes the HC1 of a demo certificate of the kind asked for, at now.
// It rests on the first demo person of the profile's country whose record gives a
// full course of two doses or more that the rules accept now.
func (s *services) demoCertificate(ctx context.Context, kind string, now time.Time) (string, error) {
	now = now.Truncate(time.Second)
	iss, err := s.issuers.Service(s.profile.Code)
	if err != nil {
		return "", err
	}
	rec, e, err := s.demoCourse(ctx, now)
	if err != nil {
		return "", err
	}
	if kind == DemoCertificateRules {
		e = firstDoseOf(rec, e)
	}
	name, err := dcc.NewName(rec.Patient.FamilyName, strings.Join(rec.Patient.GivenNames, " "))
	if err != nil {
		return "", err
	}
	uvci, err := demoUVCI(s.profile)
	if err != nil {
		return "", err
	}
	hc, err := s.profile.Payload(rec, e, name, uvci)
	if err != nil {
		return "", err
	}
	if kind == DemoCertificateForged {
		return forge(iss, hc, now, e.Expires)
	}
	return iss.Sign(hc, now, e.Expires)
}

// demoCourse finds the demo person and the full vaccination course a certificate is
// made of.
func (s *services) demoCourse(ctx context.Context, now time.Time) (*registry.Record, rules.Entitlement, error) {
	for _, h := range s.demo {
		rec, _, err := s.lookup(ctx, s.profile, h.Person.Identifier, nil)
		if err != nil {
			return nil, rules.Entitlement{}, err
		}
		if rec == nil {
			continue
		}
		d, err := s.profile.Decide(rec, now)
		if err != nil {
			return nil, rules.Entitlement{}, err
		}
		for _, e := range d.Certificates {
			if e.Kind == dcc.KindVaccination && e.CourseComplete && e.TotalDoses >= 2 && len(e.Notes) == 0 {
				return rec, e, nil
			}
		}
	}
	return nil, rules.Entitlement{}, errors.New("no demo person of the profile has a full course of two doses or more")
}

// firstDoseOf is the entitlement of the first dose of the course e completes: the
// certificate its holder got after that dose.
func firstDoseOf(rec *registry.Record, e rules.Entitlement) rules.Entitlement {
	first := *e.Dose
	for _, im := range rec.Immunizations {
		if im.Vaccine == e.Dose.Vaccine && im.Date.Before(first.Date) {
			first = im
		}
	}
	e.Dose, e.DoseNumber, e.CourseComplete = &first, 1, false
	e.ValidFrom, e.ValidUntil = time.Time{}, time.Time{}
	return e
}

// demoUVCI is a fresh certificate identifier of the profile's issuer, marked DEMO.
func demoUVCI(p *rules.Profile) (string, error) {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	id := "DEMO" + strings.TrimRight(base32.StdEncoding.EncodeToString(b[:]), "=")
	return dcc.NewUVCI(p.Country, p.UVCIIssuer, id)
}

// forge signs the payload as svc's issuer would, under its key identifier, but with
// a key made for the purpose and thrown away: a verifier that trusts the kiosk's
// certificate finds the signature not genuine.
func forge(svc *issuance.Service, hc dcc.HealthCertificate, now, expires time.Time) (string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	cs, err := signer.NewCOSESigner(key)
	if err != nil {
		return "", err
	}
	claims := dcc.Claims{Issuer: svc.Profile.Country, IssuedAt: now, Expires: expires, Certificate: hc}
	msg, err := dcc.Sign(cs, svc.Issuer.KeyID(), claims)
	if err != nil {
		return "", fmt.Errorf("forging: %w", err)
	}
	return dcc.EncodeHC1(msg)
}

// lastPrinted reads the HC1 QR code of the certificate printed last into one of the
// kiosk's folder printers (the demo's <data>/printed unless another printer is
// configured): its PDFs, the newest first, rasterised and decoded (package pdfqr).
func (s *services) lastPrinted(ctx context.Context) (string, error) {
	s.mu.Lock()
	var dirs []string
	for _, f := range s.folders {
		dirs = append(dirs, f.Dir())
	}
	s.mu.Unlock()
	type printed struct {
		path string
		at   time.Time
	}
	var files []printed
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".pdf") || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			if info, err := e.Info(); err == nil {
				files = append(files, printed{filepath.Join(dir, e.Name()), info.ModTime()})
			}
		}
	}
	slices.SortFunc(files, func(a, b printed) int { return b.at.Compare(a.at) })
	for _, f := range files {
		pdf, err := os.ReadFile(f.path)
		if err != nil {
			continue // swept meanwhile
		}
		codes, err := pdfqr.Read(ctx, pdf)
		if err != nil {
			return "", err
		}
		for _, c := range codes {
			if strings.HasPrefix(c, dcc.HC1Prefix) {
				return c, nil
			}
		}
	}
	return "", ErrNothingPrinted
}
