package rules

// records_test.go: building registry records for the tests, dated relative to a clock
// the way the demo registry dates its people.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
)

// start is the moment the tests' records are dated back from.
var start = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func mustLoad(t testing.TB, code string) *Profile {
	t.Helper()
	p, err := Load(code)
	if err != nil {
		t.Fatalf("Load(%s) = %v", code, err)
	}
	return p
}

// builder builds one person's record. Doses and diagnoses carry FHIR dates (calendar
// dates, which registry.ParseBundle gives as midnight UTC); tests carry date-times.
type builder struct {
	loc *time.Location
	now time.Time
	rec *registry.Record
}

func person(p *Profile, now time.Time, family, given string) *builder {
	return &builder{loc: p.Location(), now: now, rec: &registry.Record{Patient: registry.Patient{
		ID:          "pt-1",
		Identifiers: []registry.Identifier{{System: p.IdentifierSystems[0], Value: "1"}},
		FamilyName:  family,
		GivenNames:  strings.Fields(given),
		BirthDate:   "1970-01-01",
	}}}
}

// fhirDate is the FHIR date daysAgo days before now on the profile's calendar.
func (b *builder) fhirDate(daysAgo int) time.Time {
	y, m, d := b.now.In(b.loc).AddDate(0, 0, -daysAgo).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dose adds a completed dose given daysAgo days before now, in the profile's country.
func (b *builder) dose(daysAgo int, product string, n, of int) *builder {
	return b.doseIn(daysAgo, product, n, of, "")
}

func (b *builder) doseIn(daysAgo int, product string, n, of int, country string) *builder {
	b.rec.Immunizations = append(b.rec.Immunizations, registry.Immunization{
		ID:          fmt.Sprintf("imm-%d", len(b.rec.Immunizations)+1),
		Status:      "completed",
		Vaccine:     registry.Coding{System: registry.SystemEURegister, Code: product},
		Date:        b.fhirDate(daysAgo),
		DoseNumber:  n,
		SeriesDoses: of,
		Country:     country,
		Source:      registry.SourceLocal,
	})
	return b
}

// result adds a final laboratory result sampled ago before now; id names it for a
// diagnosis's evidence.
func (b *builder) result(id string, ago time.Duration, loinc, snomed string) *builder {
	b.rec.Observations = append(b.rec.Observations, registry.Observation{
		ID:        id,
		Status:    "final",
		Code:      registry.Coding{System: registry.SystemLOINC, Code: loinc},
		Effective: b.now.Add(-ago).In(b.loc),
		Result:    registry.Coding{System: registry.SystemSNOMED, Code: snomed},
		Performer: "Labor",
		Source:    registry.SourceLocal,
	})
	return b
}

func (b *builder) pcr(id string, ago time.Duration, detected bool) *builder {
	return b.result(id, ago, registry.LOINCNAAT, snomed(detected))
}

func (b *builder) rapid(id string, ago time.Duration, detected bool) *builder {
	return b.result(id, ago, registry.LOINCRapidAntigen, snomed(detected))
}

// elisa adds an antibody immunoassay with a measured level and its reference range.
func (b *builder) elisa(id string, ago time.Duration, value, high float64) *builder {
	b.result(id, ago, registry.LOINCAntibodyELISA, "")
	o := &b.rec.Observations[len(b.rec.Observations)-1]
	o.Result = registry.Coding{}
	o.Quantity = &registry.Quantity{Value: value, Unit: "COI", RangeHi: &high}
	return b
}

func snomed(detected bool) string {
	if detected {
		return registry.SNOMEDDetected
	}
	return registry.SNOMEDNotDetected
}

// ill adds a diagnosis made onsetDaysAgo days before now, recovered recoveredDaysAgo
// days before now, or still ill when recoveredDaysAgo is negative.
func (b *builder) ill(code string, onsetDaysAgo, recoveredDaysAgo int, evidence ...string) *builder {
	c := registry.Condition{
		ID:       fmt.Sprintf("cond-%d", len(b.rec.Conditions)+1),
		Code:     registry.Coding{System: registry.SystemICD10, Code: code},
		Onset:    b.fhirDate(onsetDaysAgo),
		Evidence: evidence,
		Source:   registry.SourceLocal,
	}
	if recoveredDaysAgo >= 0 {
		end := b.fhirDate(recoveredDaysAgo)
		c.Abatement = &end
	}
	b.rec.Conditions = append(b.rec.Conditions, c)
	return b
}

func days(n int) time.Duration  { return time.Duration(n) * 24 * time.Hour }
func hours(n int) time.Duration { return time.Duration(n) * time.Hour }

// noon is midday, on the profile's calendar, of the day n days after day.
func noon(p *Profile, day time.Time, n int) time.Time {
	y, m, d := day.In(p.Location()).Date()
	return time.Date(y, m, d+n, 12, 0, 0, 0, p.Location())
}

// summary writes a decision compactly: "vaccination 2/2 +note (federal); refused
// recovery: ill-now"; the source is written when it is the federal registry.
func summary(d Decision) string {
	var parts []string
	for _, e := range d.Certificates {
		s := string(e.Kind)
		if e.Kind == dcc.KindVaccination {
			s += fmt.Sprintf(" %d/%d", e.DoseNumber, e.TotalDoses)
		}
		for _, n := range e.Notes {
			s += " +" + string(n)
		}
		if e.Source == registry.SourceFederal {
			s += " (" + string(e.Source) + ")"
		}
		parts = append(parts, s)
	}
	for _, r := range d.Refusals {
		parts = append(parts, fmt.Sprintf("refused %s: %s", r.Kind, r.Reason))
	}
	return strings.Join(parts, "; ")
}
