package rules

// decide.go: which certificates a record supports, and why each other kind it holds
// evidence for is refused.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
)

// Entitlement is one certificate the record supports, with what it rests on.
type Entitlement struct {
	Kind dcc.Kind
	// Source is the registry of the dose, test or diagnosis the certificate rests on.
	Source registry.Source
	// ValidFrom and ValidUntil are the printed validity: from ValidFrom up to, not
	// including, ValidUntil. Windows counted in days begin and end at midnight in the
	// profile's zone. Both are zero for a vaccination course that is not complete,
	// which is not valid for events at all.
	ValidFrom, ValidUntil time.Time
	// Expires is when the signed certificate expires (the CWT exp claim).
	Expires time.Time
	// Notes are printed on the certificate, in the order of Notes().
	Notes []Note

	// Vaccination: the last dose, its product and the dose coding of the DCC.
	Dose           *registry.Immunization
	Vaccine        Vaccine
	DoseNumber     int // dn
	TotalDoses     int // sd
	CourseComplete bool

	// Test: the test.
	Test *registry.Observation

	// Recovery: the diagnosis and the sample time of the first positive result it
	// rests on.
	Condition     *registry.Condition
	FirstPositive time.Time
}

// lastValidMoment is the last second of the printed validity; zero without one.
func (e Entitlement) lastValidMoment() time.Time {
	if e.ValidUntil.IsZero() {
		return time.Time{}
	}
	return e.ValidUntil.Add(-time.Second)
}

// Refusal is a certificate kind the record holds evidence for, but which cannot be
// issued.
type Refusal struct {
	Kind   dcc.Kind
	Reason Reason
	// Rule is the id of the validity rule that refused; empty when the record itself
	// decided (no record, a pending reconciliation, an illness, …).
	Rule string
}

// Decision is the answer to "what certificate can I get, and if none, why?".
type Decision struct {
	Certificates []Entitlement // at most one per kind: vaccination, recovery, test
	Refusals     []Refusal     // at most one per kind, in the same order
}

// Decide returns the certificates the record supports at the given time and a
// refusal for each kind the record holds evidence for that does not qualify. rec nil
// means the person is in no registry. Days are counted on the profile's calendar.
//
// Each candidate certificate is built as the payload it would be signed as and
// judged by the profile's validity rules (CheckValidity), so the kiosk issues exactly
// what a verifier with the same rules accepts: a failing rule whose reason is a
// reason code refuses, one whose reason is a note code adds that note. The printed
// window is checked as well, so a certificate is never printed outside it.
func (p *Profile) Decide(rec *registry.Record, at time.Time) (Decision, error) {
	if rec == nil {
		return Decision{Refusals: []Refusal{{Kind: dcc.KindVaccination, Reason: ReasonNoRecord}}}, nil
	}
	ev, err := p.readEvidence(rec, at)
	if err != nil {
		return Decision{}, err
	}
	var d Decision
	if ev.illNow && p.IllNowBlocks == IllNowBlocksAll {
		// One line says it all: while ill, nothing is issued (seed 000).
		d.Refusals = append(d.Refusals, Refusal{Kind: dcc.KindRecovery, Reason: ReasonIllNow})
		return d, nil
	}
	for _, decide := range []func(*evidence, time.Time, *Decision) error{p.decideVaccination, p.decideRecovery, p.decideTest} {
		if err := decide(ev, at, &d); err != nil {
			return Decision{}, err
		}
	}
	if len(d.Certificates) == 0 && len(d.Refusals) == 0 {
		d.Refusals = append(d.Refusals, Refusal{Kind: dcc.KindVaccination, Reason: ReasonNoRecord})
	}
	return d, nil
}

// decideVaccination: the doses of recognised products given where the profile counts
// them make the course. The DCC's dose coding (eHealth Network guidelines): n/c while
// the course of c doses runs, n/n for boosters, 2/1 for the first booster after a
// one-dose course; a recovered person's first dose of a two-dose course completes it
// (1/1) where the profile says so.
func (p *Profile) decideVaccination(ev *evidence, at time.Time, d *Decision) error {
	if len(ev.doses) == 0 {
		return nil
	}
	if ev.pending {
		d.refuse(dcc.KindVaccination, ReasonReconciliationPending, "")
		return nil
	}
	var course []registry.Immunization
	for _, im := range ev.doses {
		if p.recognises(im.Vaccine.Code) && p.vaccinatedAt(&im) {
			course = append(course, im)
		}
	}
	if len(course) == 0 {
		d.refuse(dcc.KindVaccination, ReasonVaccineNotRecognised, "")
		return nil
	}
	first, last := course[0], course[len(course)-1]
	courseDoses := p.vaccines[first.Vaccine.Code].CourseDoses
	shortened := false
	if courseDoses > 1 && p.Vaccination.RecoveryCountsAsDose && p.recoveredBefore(ev, p.moment(first.Date)) {
		courseDoses, shortened = courseDoses-1, true
	}
	n := len(course)
	dn, sd := n, courseDoses
	switch {
	case n == 2 && courseDoses == 1:
		dn, sd = 2, 1
	case n > courseDoses:
		sd = n
	}
	e := Entitlement{
		Kind:           dcc.KindVaccination,
		Source:         last.Source,
		Expires:        p.Vaccination.lasts.After(at.In(p.location)),
		Dose:           &last,
		Vaccine:        p.vaccines[last.Vaccine.Code],
		DoseNumber:     dn,
		TotalDoses:     sd,
		CourseComplete: n >= courseDoses,
	}
	if e.CourseComplete {
		day := p.dayOf(last.Date)
		e.ValidFrom = p.protectionFor(last.Vaccine.Code).After(day)
		e.ValidUntil = p.Vaccination.lasts.After(day)
	}
	if shortened && n == courseDoses {
		e.Notes = append(e.Notes, NoteRecoveryCountsAsDose)
	}
	return p.judge(ev.rec, &e, at, d)
}

// recoveredBefore reports whether a grounded illness had ended by t.
func (p *Profile) recoveredBefore(ev *evidence, t time.Time) bool {
	for i := range ev.conditions {
		c := &ev.conditions[i]
		if _, ok := p.grounding(ev, c); ok && p.recovered(c, t) {
			return true
		}
	}
	return false
}

// decideRecovery: a diagnosis the person has recovered from, grounded as the profile
// requires, gives a recovery certificate; the latest such diagnosis counts.
func (p *Profile) decideRecovery(ev *evidence, at time.Time, d *Decision) error {
	if ev.illNow {
		d.refuse(dcc.KindRecovery, ReasonIllNow, "")
		return nil
	}
	var cond *registry.Condition
	var first *registry.Observation
	for i := range ev.conditions {
		c := &ev.conditions[i]
		if o, ok := p.grounding(ev, c); ok && (cond == nil || p.moment(c.Onset).After(p.moment(cond.Onset))) {
			cond, first = c, o
		}
	}
	if cond == nil {
		// A diagnosis without the evidence the profile requires, or a finding
		// without a doctor's diagnosis (an antibody finding alone never grounds one).
		if len(ev.conditions) > 0 || slices.ContainsFunc(ev.results, func(o registry.Observation) bool { return positiveFinding(&o) }) {
			d.refuse(dcc.KindRecovery, ReasonIllnessNotConfirmed, "")
		}
		return nil
	}
	anchor := p.dayOf(first.Effective)
	if p.Recovery.CountedFrom == CountedFromRecovery {
		anchor = p.dayOf(*cond.Abatement)
	}
	c, o := *cond, *first
	e := Entitlement{
		Kind:          dcc.KindRecovery,
		Source:        c.Source,
		ValidFrom:     p.Recovery.starts.After(anchor),
		ValidUntil:    p.Recovery.lasts.After(anchor),
		Condition:     &c,
		FirstPositive: o.Effective,
	}
	e.Expires = e.ValidUntil
	return p.judge(ev.rec, &e, at, d)
}

// decideTest: the latest PCR or rapid test of a type the profile counts. A positive
// test is refused while it is recent; an older one tells nothing about today, and a
// test a diagnosis rests on belongs to the illness.
func (p *Profile) decideTest(ev *evidence, at time.Time, d *Decision) error {
	var latest *registry.Observation
	for i := range ev.results {
		o := &ev.results[i]
		if p.testWindow(o.Code.Code) == nil || ev.citedByDiagnosis(o) {
			continue
		}
		if o.Result.Code != registry.SNOMEDDetected && o.Result.Code != registry.SNOMEDNotDetected {
			continue
		}
		if latest == nil || o.Effective.After(latest.Effective) {
			latest = o
		}
	}
	if latest == nil {
		return nil
	}
	w := p.testWindow(latest.Code.Code)
	until := w.lasts.After(latest.Effective.In(p.location))
	if latest.Result.Code == registry.SNOMEDDetected && !at.Before(until) {
		return nil
	}
	o := *latest
	e := Entitlement{
		Kind:       dcc.KindTest,
		Source:     o.Source,
		ValidFrom:  o.Effective,
		ValidUntil: until,
		Expires:    until,
		Notes:      slices.Clone(w.Notes),
		Test:       &o,
	}
	return p.judge(ev.rec, &e, at, d)
}

// judge builds the candidate's payload, applies the validity rules and the printed
// window, and records the certificate or the refusal.
func (p *Profile) judge(rec *registry.Record, e *Entitlement, at time.Time, d *Decision) error {
	hc, err := p.Payload(rec, *e, candidateName(rec), p.candidateUVCI())
	if err != nil {
		return err
	}
	raw, err := json.Marshal(hc)
	if err != nil {
		return fmt.Errorf("rules: %s payload: %w", e.Kind, err)
	}
	failures, err := p.CheckValidity(raw, at)
	if err != nil {
		return err
	}
	var notes []Note
	for _, f := range failures {
		if f.Err != nil {
			return fmt.Errorf("rules: profile %s: rule %s on the %s certificate: %w", p.Code, f.ID, e.Kind, f.Err)
		}
		if reason, ok := f.refusal(); ok {
			d.refuse(e.Kind, reason, f.ID)
			return nil
		}
		notes = append(notes, Note(f.Reason))
	}
	if reason, ok := p.outsideWindow(e, at); ok {
		d.refuse(e.Kind, reason, "")
		return nil
	}
	if e.Kind == dcc.KindVaccination && e.CourseComplete && at.Before(e.ValidFrom) {
		notes = append(notes, NoteValidFromLater)
	}
	if e.Source == registry.SourceFederal {
		notes = append(notes, NoteFederalRecord)
	}
	e.Notes = orderNotes(append(e.Notes, notes...))
	d.Certificates = append(d.Certificates, *e)
	return nil
}

// outsideWindow reports a candidate whose printed window does not hold the time of
// issue. The rules count a payload's dates from midnight UTC, as CertLogic does; the
// window counts from midnight in the profile's zone. Near midnight the two can
// differ by the zone's offset, and then the stricter one decides.
func (p *Profile) outsideWindow(e *Entitlement, at time.Time) (Reason, bool) {
	if e.ValidUntil.IsZero() {
		return "", false
	}
	expired := !at.Before(e.ValidUntil)
	switch e.Kind {
	case dcc.KindVaccination:
		return ReasonVaccinationExpired, expired
	case dcc.KindTest:
		return ReasonTestExpired, expired
	case dcc.KindRecovery:
		if at.Before(e.ValidFrom) {
			return ReasonRecoveryTooEarly, true
		}
		return ReasonRecoveryExpired, expired
	}
	return "", false
}

func (d *Decision) refuse(kind dcc.Kind, reason Reason, rule string) {
	d.Refusals = append(d.Refusals, Refusal{Kind: kind, Reason: reason, Rule: rule})
}

// orderNotes removes repeats and puts the notes in the order of Notes().
func orderNotes(notes []Note) []Note {
	var out []Note
	for _, n := range Notes() {
		if slices.Contains(notes, n) {
			out = append(out, n)
		}
	}
	return out
}

// candidateName is the name a candidate payload carries. The rules do not judge
// names, and a name that cannot be transliterated is issuance's error to report, so
// the candidate then goes without one.
func candidateName(rec *registry.Record) dcc.Name {
	name, err := dcc.NewName(rec.Patient.FamilyName, strings.Join(rec.Patient.GivenNames, " "))
	if err != nil {
		return dcc.Name{}
	}
	return name
}

// candidateUVCI is the identifier a candidate payload carries: well-formed and of the
// profile's issuer, so rules that read it see what a signed certificate holds.
func (p *Profile) candidateUVCI() string {
	uvci, _ := dcc.NewUVCI(p.Country, p.UVCIIssuer, "CANDIDATE") // checked by Parse
	return uvci
}
