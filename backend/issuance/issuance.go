// Package issuance turns a person's record into signed, printable certificates: the
// profile's rules decide what the record supports, package dcc builds, signs and
// encodes each certificate, and package certpdf renders it.
package issuance

import (
	"crypto/sha256"
	"encoding/base32"
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
}

// Certificate is one issued certificate: its payload, the signed HC1 string and the
// rendered PDF.
type Certificate struct {
	Kind    dcc.Kind
	UVCI    string
	HC1     string
	PDF     []byte
	Payload dcc.HealthCertificate
	Expires time.Time
}

// Issue decides, signs and renders every certificate the record supports at the given
// time. It returns no certificate and an error when any of them fails: the caller
// never holds half a result.
func (s *Service) Issue(rec *registry.Record, at time.Time) ([]Certificate, error) {
	at = at.Truncate(time.Second) // CWT times are whole seconds
	ents, err := s.Profile.Decide(rec, at)
	if err != nil {
		return nil, err
	}
	name, err := dcc.NewName(rec.Patient.FamilyName, strings.Join(rec.Patient.GivenNames, " "))
	if err != nil {
		return nil, fmt.Errorf("issuance: name: %w", err)
	}
	var out []Certificate
	for _, e := range ents {
		c, err := s.issue(rec, name, e, at)
		if err != nil {
			return nil, fmt.Errorf("issuance: %s certificate: %w", e.Kind, err)
		}
		out = append(out, c)
	}
	return out, nil
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

// Render renders the PDF of a signed certificate.
func (s *Service) Render(hc dcc.HealthCertificate, hc1 string, at time.Time) ([]byte, error) {
	return s.Renderer.Render(certpdf.Certificate{
		Payload:   hc,
		HC1:       hc1,
		Issuer:    s.Profile.Issuer,
		IssuedAt:  at,
		Location:  s.Profile.Location(),
		Languages: s.Profile.Languages,
		VerifyURL: s.Profile.VerifyURLFor(hc.CertificateID()),
		Specimen:  s.Issuer.Test,
	})
}

func (s *Service) issue(rec *registry.Record, name dcc.Name, e rules.Entitlement, at time.Time) (Certificate, error) {
	uvci, err := dcc.NewUVCI(s.Profile.Country, s.Profile.UVCIIssuer, s.opaqueID(rec, e, at))
	if err != nil {
		return Certificate{}, err
	}
	hc, err := s.payload(rec, name, e, uvci)
	if err != nil {
		return Certificate{}, err
	}
	hc1, err := s.Sign(hc, at, e.Expires)
	if err != nil {
		return Certificate{}, err
	}
	pdf, err := s.Render(hc, hc1, at)
	if err != nil {
		return Certificate{}, err
	}
	return Certificate{Kind: e.Kind, UVCI: uvci, HC1: hc1, PDF: pdf, Payload: hc, Expires: e.Expires}, nil
}

// payload builds the DCC payload of an entitlement.
func (s *Service) payload(rec *registry.Record, name dcc.Name, e rules.Entitlement, uvci string) (dcc.HealthCertificate, error) {
	p := s.Profile
	hc := dcc.HealthCertificate{Version: dcc.SchemaVersion, Name: name, DateOfBirth: rec.Patient.BirthDate}
	date := func(t time.Time) string { return t.In(p.Location()).Format(time.DateOnly) }
	switch e.Kind {
	case dcc.KindVaccination:
		hc.Vaccinations = []dcc.Vaccination{{
			Target:       dcc.DiseaseCOVID19,
			Prophylaxis:  e.Vaccine.Prophylaxis,
			Product:      e.Vaccine.Product,
			Manufacturer: e.Vaccine.Manufacturer,
			DoseNumber:   e.DoseNumber,
			TotalDoses:   e.TotalDoses,
			Date:         date(e.Dose.Date),
			Country:      countryOr(e.Dose.Country, p.Country),
			Issuer:       p.Issuer,
			ID:           uvci,
		}}
	case dcc.KindTest:
		testType, ok := dcc.TestTypeForLOINC(e.Test.Code.Code)
		if !ok {
			return hc, fmt.Errorf("test Observation/%s: LOINC %s has no DCC test type", e.Test.ID, e.Test.Code.Code)
		}
		hc.Tests = []dcc.Test{{
			Target:    dcc.DiseaseCOVID19,
			Type:      testType,
			SampledAt: e.Test.Effective.UTC().Format(time.RFC3339),
			Result:    e.Test.Result.Code,
			Centre:    e.Test.Performer,
			Country:   countryOr(e.Test.Country, p.Country),
			Issuer:    p.Issuer,
			ID:        uvci,
		}}
	case dcc.KindRecovery:
		hc.Recoveries = []dcc.Recovery{{
			Target:        dcc.DiseaseCOVID19,
			FirstPositive: date(e.FirstPositive),
			Country:       p.Country,
			Issuer:        p.Issuer,
			ValidFrom:     date(e.ValidFrom),
			ValidUntil:    date(e.Expires.Add(-time.Second)),
			ID:            uvci,
		}}
	}
	return hc, nil
}

// opaqueID derives the certificate's unique part of the UVCI from what makes the
// certificate unique — the person, the kind, the records it rests on and the moment of
// issue — so that the same request at the same moment yields the same identifier.
func (s *Service) opaqueID(rec *registry.Record, e rules.Entitlement, at time.Time) string {
	h := sha256.New()
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

func countryOr(c, fallback string) string {
	if len(c) == 2 {
		return strings.ToUpper(c)
	}
	return fallback
}
