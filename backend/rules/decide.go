package rules

// decide.go: which certificates a record supports.

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
)

// ErrUnknownVaccine is wrapped when a dose names a vaccine product the kiosk does not
// know: the record cannot be judged, so nothing is issued from it.
var ErrUnknownVaccine = errors.New("rules: unknown vaccine code")

// Entitlement is one certificate the record supports, with the records it rests on.
type Entitlement struct {
	Kind dcc.Kind

	// Vaccination: the last dose, its product and its place in the course.
	Dose        *registry.Immunization
	Vaccine     Vaccine
	DoseNumber  int
	TotalDoses  int
	CourseToEnd bool // false while doses of the primary course are outstanding

	// Test: the negative test.
	Test *registry.Observation

	// Recovery: the first positive test and the recovery window.
	FirstPositive time.Time
	ValidFrom     time.Time

	// Expires is when the certificate stops being valid: the CWT expiry.
	Expires time.Time
}

// Decide returns the certificates the record supports at the given time, one per kind
// at most, in the order vaccination, recovery, test.
func (p *Profile) Decide(rec *registry.Record, at time.Time) ([]Entitlement, error) {
	var out []Entitlement
	v, err := p.vaccination(rec, at)
	if err != nil {
		return nil, err
	}
	if v != nil {
		out = append(out, *v)
	}
	if r := p.recovery(rec, at); r != nil {
		out = append(out, *r)
	}
	if t := p.test(rec, at); t != nil {
		out = append(out, *t)
	}
	return out, nil
}

// vaccination: the latest completed dose gives the certificate; the dose number and
// the course length come from the registry, the course length from the product when
// the registry does not say. A dose beyond the course is a booster: n/n.
func (p *Profile) vaccination(rec *registry.Record, at time.Time) (*Entitlement, error) {
	var doses []registry.Immunization
	for _, im := range rec.Immunizations {
		if im.Status != "completed" || im.Date.After(at) {
			continue
		}
		if _, ok := vaccines[im.Vaccine.Code]; !ok {
			return nil, fmt.Errorf("%w %q (system %q) in Immunization/%s", ErrUnknownVaccine, im.Vaccine.Code, im.Vaccine.System, im.ID)
		}
		doses = append(doses, im)
	}
	if len(doses) == 0 {
		return nil, nil
	}
	sort.SliceStable(doses, func(i, j int) bool { return doses[i].Date.Before(doses[j].Date) })
	last := doses[len(doses)-1]
	vac := vaccines[last.Vaccine.Code]
	total := last.SeriesDoses
	if total == 0 {
		total = vac.CourseDoses
	}
	n := last.DoseNumber
	if n > total {
		total = n
	}
	return &Entitlement{
		Kind:        dcc.KindVaccination,
		Dose:        &last,
		Vaccine:     vac,
		DoseNumber:  n,
		TotalDoses:  total,
		CourseToEnd: n >= total,
		Expires:     at.AddDate(0, 0, p.Validity.VaccinationDays),
	}, nil
}

// test: the latest negative PCR or rapid antigen test still inside its window.
func (p *Profile) test(rec *registry.Record, at time.Time) *Entitlement {
	var best *registry.Observation
	var expires time.Time
	for i := range rec.Observations {
		o := &rec.Observations[i]
		if !final(o) || o.Result.Code != registry.SNOMEDNotDetected {
			continue
		}
		var window time.Duration
		switch o.Code.Code {
		case registry.LOINCNAAT:
			window = time.Duration(p.Validity.NAATHours) * time.Hour
		case registry.LOINCRapidAntigen:
			window = time.Duration(p.Validity.RapidAntigenHours) * time.Hour
		default:
			continue
		}
		end := o.Effective.Add(window)
		if o.Effective.After(at) || !at.Before(end) {
			continue
		}
		if best == nil || o.Effective.After(best.Effective) {
			best, expires = o, end
		}
	}
	if best == nil {
		return nil
	}
	return &Entitlement{Kind: dcc.KindTest, Test: best, Expires: expires}
}

// recovery: a COVID-19 diagnosis that has ended, confirmed by a positive PCR, gives a
// certificate valid from day RecoveryFromDay to day RecoveryUntilDay after the first
// positive test. While the person is still ill there is none.
func (p *Profile) recovery(rec *registry.Record, at time.Time) *Entitlement {
	var first time.Time
	for _, c := range rec.Conditions {
		if c.Code.Code != registry.ICD10VirusIdentified && c.Code.Code != registry.ICD10Clinical {
			continue
		}
		if c.Abatement == nil || c.Abatement.After(at) {
			return nil // ill now
		}
		for _, o := range rec.Observations {
			if !final(&o) || o.Code.Code != registry.LOINCNAAT || o.Result.Code != registry.SNOMEDDetected {
				continue
			}
			if first.IsZero() || o.Effective.Before(first) {
				first = o.Effective
			}
		}
	}
	if first.IsZero() {
		return nil
	}
	day := startOfDay(first.In(p.location))
	until := day.AddDate(0, 0, p.Validity.RecoveryUntilDay+1) // through the last day
	if !at.Before(until) {
		return nil
	}
	return &Entitlement{
		Kind:          dcc.KindRecovery,
		FirstPositive: first,
		ValidFrom:     day.AddDate(0, 0, p.Validity.RecoveryFromDay),
		Expires:       until,
	}
}

func final(o *registry.Observation) bool {
	return o.Status == "final" || o.Status == "amended" || o.Status == "corrected"
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}
