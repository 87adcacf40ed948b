// Package issuance turns a person's record into signed, printable certificates: the
// profile's rules decide what the record supports and build each payload, package dcc
// signs and encodes it, and package certpdf renders it. What cannot be issued comes
// back with its explanation, for the refusal slip.
package issuance

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"certkiosk/backend/certpdf"
	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
	"certkiosk/backend/rules"
	"certkiosk/backend/signer"
)

// Service issues certificates under one profile with one signing key.
type Service struct {
	Profile  *rules.Profile
	Issuer   *signer.Issuer
	Renderer *certpdf.Renderer
	// UVCIKey keys the derivation of the UVCI's unique part (HMAC-SHA256), so that
	// whoever holds a UVCI cannot test guessed identifiers against it without the
	// key (docs/PRIVACY.md). A kiosk keeps it with its other secrets (uvci.key).
	// nil: an unkeyed SHA-256, which the same inputs let anyone recompute.
	UVCIKey []byte
}

// Certificate is one issued certificate: its payload, the signed HC1 string, the
// rendered PDF, and what the decision said about it.
type Certificate struct {
	Kind    dcc.Kind
	UVCI    string
	HC1     string
	PDF     []byte
	Payload dcc.HealthCertificate
	// Source is the registry the certificate's record came from (local or federal).
	Source registry.Source
	// ValidFrom and ValidUntil are the printed validity (see rules.Entitlement); zero
	// for a vaccination course that is not complete.
	ValidFrom, ValidUntil time.Time
	Expires               time.Time // the CWT expiry
	Notes                 []rules.Note
}

// RefusalText is a certificate that could not be issued, with what the resident is
// told in each of rules.Languages(). Kind, Reason and NextStep are what a refusal
// slip item (certpdf.RefusalItem) prints.
type RefusalText struct {
	Kind     dcc.Kind
	Code     rules.Reason // the stable reason code
	Rule     string       // the validity rule that refused, if one did
	Reason   rules.Text   // why, by language
	NextStep rules.Text   // what the person can do now, by language
}

// Outcome is everything Issue produced: the certificates issued, the kinds refused,
// and the refusal slip that explains them (nil when nothing was refused).
type Outcome struct {
	Certificates []Certificate
	Refusals     []RefusalText
	Slip         []byte
}

// Issue decides, signs and renders every certificate the record supports at the given
// time, and explains every refusal; rec nil means the person is in no registry. It
// returns nothing and an error when any certificate fails: the caller never holds
// half a result.
func (s *Service) Issue(rec *registry.Record, at time.Time) (Outcome, error) {
	at = at.Truncate(time.Second) // CWT times are whole seconds
	d, err := s.Profile.Decide(rec, at)
	if err != nil {
		return Outcome{}, err
	}
	refusals, err := s.Explain(d.Refusals)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Refusals: refusals}
	if len(refusals) > 0 {
		if out.Slip, err = s.RenderSlip(rec, refusals, at); err != nil {
			return Outcome{}, fmt.Errorf("issuance: refusal slip: %w", err)
		}
	}
	if len(d.Certificates) == 0 {
		return out, nil
	}
	name, err := dcc.NewName(rec.Patient.FamilyName, strings.Join(rec.Patient.GivenNames, " "))
	if err != nil {
		return Outcome{}, fmt.Errorf("issuance: name: %w", err)
	}
	for _, e := range d.Certificates {
		c, err := s.issue(rec, name, e, at)
		if err != nil {
			return Outcome{}, fmt.Errorf("issuance: %s certificate: %w", e.Kind, err)
		}
		out.Certificates = append(out.Certificates, c)
	}
	return out, nil
}

// Explain gives each refusal the profile's texts.
func (s *Service) Explain(refusals []rules.Refusal) ([]RefusalText, error) {
	var out []RefusalText
	for _, r := range refusals {
		ex, ok := s.Profile.Explain(r.Reason)
		if !ok {
			return nil, fmt.Errorf("issuance: profile %s has no text for reason %q", s.Profile.Code, r.Reason)
		}
		out = append(out, RefusalText{Kind: r.Kind, Code: r.Reason, Rule: r.Rule, Reason: ex.Reason, NextStep: ex.NextStep})
	}
	return out, nil
}

// RenderSlip renders the refusal slip: for each refusal, why and what to do next, in
// the profile's languages. The person's name is the only personal data on it; rec nil
// (a person no registry knows) prints no name.
func (s *Service) RenderSlip(rec *registry.Record, refusals []RefusalText, at time.Time) ([]byte, error) {
	slip := certpdf.Refusal{
		Languages: s.Profile.Languages,
		IssuedAt:  at,
		Location:  s.Profile.Location(),
		Specimen:  s.Issuer.Test,
	}
	if rec != nil {
		slip.FamilyName = rec.Patient.FamilyName
		slip.GivenName = strings.Join(rec.Patient.GivenNames, " ")
	}
	for _, r := range refusals {
		slip.Items = append(slip.Items, certpdf.RefusalItem{Kind: r.Kind, Reason: r.Reason, NextStep: r.NextStep})
	}
	return s.Renderer.RenderRefusal(slip)
}

// Sign signs a payload that is already built, and encodes it as an HC1 string.
func (s *Service) Sign(hc dcc.HealthCertificate, at, expires time.Time) (string, error) {
	cs, err := s.Issuer.COSESigner()
	if err != nil {
		return "", err
	}
	claims := dcc.Claims{Issuer: s.Profile.Country, IssuedAt: at, Expires: expires, Certificate: hc}
	msg, err := dcc.Sign(cs, s.Issuer.KeyID(), claims)
	if err != nil {
		return "", err
	}
	return dcc.EncodeHC1(msg)
}

// Render renders the PDF of a signed certificate; notes are printed under the entry,
// one line each.
func (s *Service) Render(hc dcc.HealthCertificate, hc1 string, notes []string, at time.Time) ([]byte, error) {
	return s.Renderer.Render(certpdf.Certificate{
		Payload:   hc,
		HC1:       hc1,
		Issuer:    s.Profile.Issuer,
		IssuedAt:  at,
		Location:  s.Profile.Location(),
		Languages: s.Profile.Languages,
		VerifyURL: s.Profile.VerifyURLFor(hc.CertificateID()),
		Specimen:  s.Issuer.Test,
		Notes:     notes,
	})
}

// NoteLines returns the lines printed for an entitlement's notes: each note in each
// of the profile's languages, primary language first.
func (s *Service) NoteLines(e rules.Entitlement) ([]string, error) {
	var lines []string
	for _, n := range e.Notes {
		t, ok := s.Profile.NoteText(n, e)
		if !ok {
			return nil, fmt.Errorf("issuance: profile %s has no text for note %q", s.Profile.Code, n)
		}
		for _, lang := range s.Profile.Languages {
			lines = append(lines, t[lang])
		}
	}
	return lines, nil
}

func (s *Service) issue(rec *registry.Record, name dcc.Name, e rules.Entitlement, at time.Time) (Certificate, error) {
	uvci, err := dcc.NewUVCI(s.Profile.Country, s.Profile.UVCIIssuer, s.opaqueID(rec, e, at))
	if err != nil {
		return Certificate{}, err
	}
	hc, err := s.Profile.Payload(rec, e, name, uvci)
	if err != nil {
		return Certificate{}, err
	}
	// What the kiosk signs must pass its own verifier's schema check.
	raw, err := json.Marshal(hc)
	if err != nil {
		return Certificate{}, err
	}
	if err := dcc.ValidatePayload(raw); err != nil {
		return Certificate{}, err
	}
	hc1, err := s.Sign(hc, at, e.Expires)
	if err != nil {
		return Certificate{}, err
	}
	notes, err := s.NoteLines(e)
	if err != nil {
		return Certificate{}, err
	}
	pdf, err := s.Render(hc, hc1, notes, at)
	if err != nil {
		return Certificate{}, err
	}
	return Certificate{
		Kind: e.Kind, UVCI: uvci, HC1: hc1, PDF: pdf, Payload: hc,
		Source: e.Source, ValidFrom: e.ValidFrom, ValidUntil: e.ValidUntil, Expires: e.Expires, Notes: e.Notes,
	}, nil
}

// opaqueID derives the certificate's unique part of the UVCI from what makes the
// certificate unique — the person, the kind, the records it rests on and the moment of
// issue — so that the same request at the same moment yields the same identifier;
// under UVCIKey, as HMAC-SHA256, so that it cannot be recomputed without the key.
func (s *Service) opaqueID(rec *registry.Record, e rules.Entitlement, at time.Time) string {
	h := sha256.New()
	if s.UVCIKey != nil {
		h = hmac.New(sha256.New, s.UVCIKey)
	}
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%d", s.Profile.Code, personKey(&rec.Patient), e.Kind, at.Unix())
	switch {
	case e.Dose != nil:
		fmt.Fprintf(h, "\x00%s", e.Dose.ID)
	case e.Test != nil:
		fmt.Fprintf(h, "\x00%s", e.Test.ID)
	default:
		fmt.Fprintf(h, "\x00%d", e.FirstPositive.Unix())
	}
	return base32.StdEncoding.EncodeToString(h.Sum(nil))[:16]
}

func personKey(p *registry.Patient) string {
	if len(p.Identifiers) > 0 {
		return p.Identifiers[0].System + "|" + p.Identifiers[0].Value
	}
	return p.ID
}
