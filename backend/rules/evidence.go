package rules

// evidence.go: reading a record into what the decisions look at — the doses that count,
// the COVID-19 diagnoses, the laboratory results — and merging a federal record in.

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"certkiosk/backend/registry"
)

// ErrUnknownVaccine is wrapped when a dose names a vaccine product the kiosk does not
// know: the record cannot be judged, so nothing is issued from it.
var ErrUnknownVaccine = errors.New("rules: unknown vaccine code")

// evidence is a record as of the decision time.
type evidence struct {
	rec *registry.Record
	// doses are the completed doses given by the decision time, oldest first, one per
	// product and day.
	doses []registry.Immunization
	// pending is set when a dose the local registry holds only as reported from
	// outside its system has no confirmation from the federal registry.
	pending bool
	// conditions are the COVID-19 diagnoses made by the decision time.
	conditions []registry.Condition
	// results are the final laboratory results sampled by the decision time.
	results []registry.Observation
	illNow  bool
}

func (p *Profile) readEvidence(rec *registry.Record, at time.Time) (*evidence, error) {
	ev := &evidence{rec: rec}
	var err error
	if ev.doses, ev.pending, err = p.doses(rec, at); err != nil {
		return nil, err
	}
	for _, c := range rec.Conditions {
		if !isCOVID19(c.Code.Code) || p.moment(c.Onset).After(at) {
			continue
		}
		ev.conditions = append(ev.conditions, c)
		if !p.recovered(&c, at) {
			ev.illNow = true
		}
	}
	for _, o := range rec.Observations {
		if final(&o) && !o.Effective.After(at) {
			ev.results = append(ev.results, o)
		}
	}
	return ev, nil
}

// doses returns the completed doses given by at, oldest first. The same dose may be
// in both registries after MergeFederal: doses of the same product on the same day are
// one, and the record kept is the local one when the local registry confirms it, else
// the federal one. pending reports a dose only an unconfirmed local record holds.
func (p *Profile) doses(rec *registry.Record, at time.Time) ([]registry.Immunization, bool, error) {
	rank := func(im *registry.Immunization) int {
		switch {
		case im.Source == registry.SourceFederal:
			return 1
		case im.Unconfirmed:
			return 2
		}
		return 0
	}
	best := map[string]registry.Immunization{}
	var keys []string
	for _, im := range rec.Immunizations {
		if im.Status != "completed" || p.moment(im.Date).After(at) {
			continue
		}
		if _, ok := p.vaccines[im.Vaccine.Code]; !ok {
			return nil, false, fmt.Errorf("%w %q (system %q) in Immunization/%s", ErrUnknownVaccine, im.Vaccine.Code, im.Vaccine.System, im.ID)
		}
		key := im.Vaccine.Code + "|" + p.date(im.Date)
		if b, ok := best[key]; !ok || rank(&im) < rank(&b) {
			if !ok {
				keys = append(keys, key)
			}
			best[key] = im
		}
	}
	doses := make([]registry.Immunization, 0, len(keys))
	pending := false
	for _, k := range keys {
		im := best[k]
		pending = pending || rank(&im) == 2
		doses = append(doses, im)
	}
	slices.SortStableFunc(doses, func(a, b registry.Immunization) int { return p.moment(a.Date).Compare(p.moment(b.Date)) })
	return doses, pending, nil
}

// recovered reports whether the illness had ended by at.
func (p *Profile) recovered(c *registry.Condition, at time.Time) bool {
	return c.Abatement != nil && !p.moment(*c.Abatement).After(at)
}

// grounding returns the result a recovered diagnosis rests on under one of the
// profile's grounds — the earliest that qualifies — and false when none does.
func (p *Profile) grounding(ev *evidence, c *registry.Condition) (*registry.Observation, bool) {
	var found *registry.Observation
	for _, g := range p.Recovery.Grounds {
		if !slices.Contains(g.Diagnoses, c.Code.Code) {
			continue
		}
		for i := range ev.results {
			o := &ev.results[i]
			if !p.supports(c, o) || !qualifies(g.Evidence, o) {
				continue
			}
			if found == nil || o.Effective.Before(found.Effective) {
				found = o
			}
		}
	}
	return found, found != nil
}

// supports reports whether a result belongs to a diagnosis: it is among the
// diagnosis's evidence, or, for a diagnosis that names none, it was sampled in the two
// weeks before the onset or during the illness.
func (p *Profile) supports(c *registry.Condition, o *registry.Observation) bool {
	if len(c.Evidence) > 0 {
		return slices.Contains(c.Evidence, o.ID)
	}
	from := p.moment(c.Onset).AddDate(0, 0, -14)
	if o.Effective.Before(from) {
		return false
	}
	return c.Abatement == nil || !o.Effective.After(p.moment(*c.Abatement).AddDate(0, 0, 1))
}

// qualifies reports whether a result is evidence of the given kind.
func qualifies(kind string, o *registry.Observation) bool {
	switch kind {
	case EvidenceNAATPositive:
		return o.Code.Code == registry.LOINCNAAT && o.Result.Code == registry.SNOMEDDetected
	case EvidenceELISAAboveRange:
		return o.Code.Code == registry.LOINCAntibodyELISA && aboveRange(o)
	}
	return false
}

// positiveFinding reports whether a result points to an infection: a positive PCR or
// rapid test, or antibodies found. With no doctor's diagnosis, such a finding is
// evidence for a recovery certificate that does not qualify.
func positiveFinding(o *registry.Observation) bool {
	switch o.Code.Code {
	case registry.LOINCNAAT, registry.LOINCRapidAntigen:
		return o.Result.Code == registry.SNOMEDDetected
	case registry.LOINCAntibody, registry.LOINCAntibodyELISA:
		return o.Result.Code == registry.SNOMEDDetected || aboveRange(o)
	}
	return false
}

func aboveRange(o *registry.Observation) bool {
	q := o.Quantity
	return q != nil && q.RangeHi != nil && q.Value > *q.RangeHi
}

// citedByDiagnosis reports whether a result is evidence of one of the diagnoses: such
// a test tells of the illness, not of a certificate of its own.
func (ev *evidence) citedByDiagnosis(o *registry.Observation) bool {
	for _, c := range ev.conditions {
		if slices.Contains(c.Evidence, o.ID) {
			return true
		}
	}
	return false
}

func isCOVID19(icd10 string) bool {
	return icd10 == registry.ICD10VirusIdentified || icd10 == registry.ICD10Clinical
}

func final(o *registry.Observation) bool {
	return o.Status == "final" || o.Status == "amended" || o.Status == "corrected"
}

// NeedsFederal reports whether the federal registry must be asked before deciding:
// the local registry has no record of the person (rec is nil), a record with nothing
// in it, or a dose it holds only as reported by a facility outside its own system
// (registry.Immunization.Unconfirmed). The caller then fetches the federal record and
// decides on MergeFederal(local, federal); an unconfirmed dose the federal registry
// does not hold is refused as reconciliation-pending.
func (p *Profile) NeedsFederal(rec *registry.Record) bool {
	if rec == nil || len(rec.Immunizations)+len(rec.Observations)+len(rec.Conditions) == 0 {
		return true
	}
	for _, im := range rec.Immunizations {
		if im.Unconfirmed && im.Source != registry.SourceFederal {
			return true
		}
	}
	return false
}

// MergeFederal returns one record holding what the local and the federal registry
// hold about a person, the federal resources marked registry.SourceFederal; either
// may be nil (both nil gives nil). The person is the local registry's when it knows
// them. Neither argument is changed.
func MergeFederal(local, federal *registry.Record) *registry.Record {
	if local == nil && federal == nil {
		return nil
	}
	out := &registry.Record{}
	if local != nil {
		out.Patient = local.Patient
		out.Immunizations = slices.Clone(local.Immunizations)
		out.Observations = slices.Clone(local.Observations)
		out.Conditions = slices.Clone(local.Conditions)
	}
	if federal != nil {
		fed := &registry.Record{
			Immunizations: slices.Clone(federal.Immunizations),
			Observations:  slices.Clone(federal.Observations),
			Conditions:    slices.Clone(federal.Conditions),
		}
		fed.SetSource(registry.SourceFederal)
		if local == nil {
			out.Patient = federal.Patient
		}
		out.Immunizations = append(out.Immunizations, fed.Immunizations...)
		out.Observations = append(out.Observations, fed.Observations...)
		out.Conditions = append(out.Conditions, fed.Conditions...)
	}
	return out
}

// vaccinatedAt reports whether a dose was given where the profile counts it: at home,
// anywhere when the profile counts doses abroad, or in an unrecorded place.
func (p *Profile) vaccinatedAt(im *registry.Immunization) bool {
	return p.Vaccination.DosesAbroad || im.Country == "" || strings.EqualFold(im.Country, p.Country)
}
