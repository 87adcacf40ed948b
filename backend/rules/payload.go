package rules

// payload.go: the DCC payload of an entitlement (eu-dcc-schema 1.3.x, one entry in one
// of the groups v, t, r).

import (
	"fmt"
	"strings"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
)

// Payload builds the DCC payload of an entitlement for the person of rec, with the
// given name and certificate identifier. Dates are calendar dates in the profile's
// zone; a test's sample time is written in UTC.
func (p *Profile) Payload(rec *registry.Record, e Entitlement, name dcc.Name, uvci string) (dcc.HealthCertificate, error) {
	hc := dcc.HealthCertificate{Version: dcc.SchemaVersion, Name: name, DateOfBirth: rec.Patient.BirthDate}
	switch e.Kind {
	case dcc.KindVaccination:
		if e.Dose == nil {
			return hc, fmt.Errorf("rules: vaccination entitlement without a dose")
		}
		doseCountry, err := countryOr(e.Dose.Country, p.Country)
		if err != nil {
			return hc, fmt.Errorf("rules: Immunization/%s: %w", e.Dose.ID, err)
		}
		hc.Vaccinations = []dcc.Vaccination{{
			Target:       dcc.DiseaseCOVID19,
			Prophylaxis:  e.Vaccine.Prophylaxis,
			Product:      e.Vaccine.Product,
			Manufacturer: e.Vaccine.Manufacturer,
			DoseNumber:   e.DoseNumber,
			TotalDoses:   e.TotalDoses,
			Date:         p.date(e.Dose.Date),
			Country:      doseCountry,
			Issuer:       p.Issuer,
			ID:           uvci,
		}}
	case dcc.KindTest:
		if e.Test == nil {
			return hc, fmt.Errorf("rules: test entitlement without a test")
		}
		testType, ok := dcc.TestTypeForLOINC(e.Test.Code.Code)
		if !ok {
			return hc, fmt.Errorf("rules: test Observation/%s: LOINC %s has no DCC test type", e.Test.ID, e.Test.Code.Code)
		}
		testCountry, err := countryOr(e.Test.Country, p.Country)
		if err != nil {
			return hc, fmt.Errorf("rules: Observation/%s: %w", e.Test.ID, err)
		}
		var device string
		if testType == dcc.TestTypeRAT {
			device = e.Test.Device
		}
		hc.Tests = []dcc.Test{{
			Target:    dcc.DiseaseCOVID19,
			Type:      testType,
			Device:    device,
			SampledAt: e.Test.Effective.UTC().Format(time.RFC3339),
			Result:    e.Test.Result.Code,
			Centre:    truncate(e.Test.Performer, maxFreeText),
			Country:   testCountry,
			Issuer:    p.Issuer,
			ID:        uvci,
		}}
	case dcc.KindRecovery:
		if e.ValidFrom.IsZero() || e.ValidUntil.IsZero() {
			return hc, fmt.Errorf("rules: recovery entitlement without its validity window")
		}
		hc.Recoveries = []dcc.Recovery{{
			Target:        dcc.DiseaseCOVID19,
			FirstPositive: p.date(e.FirstPositive),
			Country:       p.Country,
			Issuer:        p.Issuer,
			ValidFrom:     p.date(e.ValidFrom),
			ValidUntil:    p.date(e.lastValidMoment()),
			ID:            uvci,
		}}
	default:
		return hc, fmt.Errorf("rules: entitlement of unknown kind %q", e.Kind)
	}
	return hc, nil
}

// countryOr returns the registry's country as the DCC writes it, or fallback when the
// registry names none (a place in the registry's own system). A country the registry
// names in another form is an error: signing the profile's country instead would
// certify a place the registry did not say.
func countryOr(c, fallback string) (string, error) {
	switch {
	case c == "":
		return fallback, nil
	case len(c) == 2 && isASCIILetters(c):
		return strings.ToUpper(c), nil
	}
	return "", fmt.Errorf("country %q is not an ISO 3166-1 alpha-2 code", c)
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// maxFreeText is the schema's length limit of the free-text fields (tc, is).
const maxFreeText = 80

// truncate cuts free text from the registry to the schema's length limit, at a
// character boundary.
func truncate(s string, max int) string {
	if r := []rune(s); len(r) > max {
		return strings.TrimSpace(string(r[:max]))
	}
	return s
}
