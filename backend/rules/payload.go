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
		hc.Vaccinations = []dcc.Vaccination{{
			Target:       dcc.DiseaseCOVID19,
			Prophylaxis:  e.Vaccine.Prophylaxis,
			Product:      e.Vaccine.Product,
			Manufacturer: e.Vaccine.Manufacturer,
			DoseNumber:   e.DoseNumber,
			TotalDoses:   e.TotalDoses,
			Date:         p.date(e.Dose.Date),
			Country:      countryOr(e.Dose.Country, p.Country),
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

func countryOr(c, fallback string) string {
	if len(c) == 2 {
		return strings.ToUpper(c)
	}
	return fallback
}
