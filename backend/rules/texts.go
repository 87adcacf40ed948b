package rules

// texts.go: the reason and note codes, and what each says to the resident in et, en,
// ru and az. The texts live in catalogue.json; a profile may override any of them.

import (
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Reason is the stable code of why a certificate is not issued. The UI, the refusal
// slip and the tests key on it.
type Reason string

// The reasons (DESIGN.md §2, seed 000, and the validity windows of seed 003).
const (
	ReasonNoRecord              Reason = "no-record"              // the person is in no registry
	ReasonReconciliationPending Reason = "reconciliation-pending" // a dose awaits the federal registry's confirmation
	ReasonFirstComponentOnly    Reason = "first-component-only"   // one dose of a two-dose course
	ReasonIllNow                Reason = "ill-now"                // a COVID-19 diagnosis without recovery
	ReasonVaccineNotRecognised  Reason = "vaccine-not-recognised" // product or place of vaccination not accepted
	ReasonRecoveryExpired       Reason = "recovery-expired"       // the recovery window has closed
	ReasonRecoveryTooEarly      Reason = "recovery-too-early"     // the recovery window has not opened
	ReasonIllnessNotConfirmed   Reason = "illness-not-confirmed"  // no doctor's diagnosis grounded as the profile requires
	ReasonTestExpired           Reason = "test-expired"           // the latest negative test is too old
	ReasonTestPositive          Reason = "test-positive"          // the latest test is positive
	ReasonVaccinationExpired    Reason = "vaccination-expired"    // the last dose is a year old or more
)

// Reasons returns every reason code, in the order above.
func Reasons() []Reason {
	return []Reason{
		ReasonNoRecord, ReasonReconciliationPending, ReasonFirstComponentOnly, ReasonIllNow,
		ReasonVaccineNotRecognised, ReasonRecoveryExpired, ReasonRecoveryTooEarly,
		ReasonIllnessNotConfirmed, ReasonTestExpired, ReasonTestPositive, ReasonVaccinationExpired,
	}
}

// Note is the stable code of a remark printed on an issued certificate.
type Note string

// The notes.
const (
	NoteCourseNotComplete    Note = "course-not-complete"     // EE issues after the first dose, but it is not valid for events
	NoteValidFromLater       Note = "valid-from-later"        // full protection starts after the day of issue
	NoteFederalRecord        Note = "federal-record"          // the certificate rests on the federal registry's data
	NoteDomesticOnly         Note = "domestic-only"           // EE rapid antigen tests count at home only
	NoteRecoveryCountsAsDose Note = "recovery-counts-as-dose" // recovered plus one dose completes the course
)

// Notes returns every note code, in the order above.
func Notes() []Note {
	return []Note{NoteCourseNotComplete, NoteValidFromLater, NoteFederalRecord, NoteDomesticOnly, NoteRecoveryCountsAsDose}
}

// Languages returns the languages every text is written in: the kiosk's UI languages.
// A profile prints in some of them.
func Languages() []string { return []string{"et", "en", "ru", "az"} }

// Text is one text in each language, keyed by ISO 639-1 code.
type Text map[string]string

// Explanation is what the resident is told about one reason.
type Explanation struct {
	Reason   Text // why the certificate is not issued
	NextStep Text // what the person can do now
}

// Texts is a catalogue of texts: the shipped catalogue.json, or a profile's "texts"
// key, which overrides some of them.
type Texts struct {
	Reasons map[Reason]ReasonTexts `json:"reasons"`
	Notes   map[Note]Text          `json:"notes"`
}

// ReasonTexts is what the catalogue says about one reason; in a profile's overrides
// either may be left out.
type ReasonTexts struct {
	Text Text `json:"text"` // why the certificate is not issued
	Next Text `json:"next"` // what the person can do now
}

//go:embed catalogue.json
var catalogueJSON string // a string, so that nothing can change it

// loadCatalogue parses the shipped catalogue and checks that it holds every code in
// every language.
func loadCatalogue() (Texts, error) {
	var c Texts
	if err := decodeStrict([]byte(catalogueJSON), &c); err != nil {
		return c, fmt.Errorf("rules: catalogue.json: %w", err)
	}
	if err := c.check("", true); err != nil {
		return c, fmt.Errorf("rules: catalogue.json: %w", err)
	}
	return c, nil
}

// check checks the codes and languages of a catalogue; prefix names where it sits in
// its file ("texts." in a profile). A complete catalogue must hold every code.
func (c Texts) check(prefix string, complete bool) error {
	for _, r := range Reasons() {
		if _, ok := c.Reasons[r]; complete && !ok {
			return fmt.Errorf("%sreasons.%s: missing", prefix, r)
		}
	}
	for _, r := range sortedKeys(c.Reasons) {
		if !slices.Contains(Reasons(), r) {
			return fmt.Errorf("%sreasons.%s: not a reason code (known: %s)", prefix, r, joinCodes(Reasons()))
		}
		e := c.Reasons[r]
		if complete || e.Text != nil {
			if err := e.Text.check(fmt.Sprintf("%sreasons.%s.text", prefix, r)); err != nil {
				return err
			}
		}
		if complete || e.Next != nil {
			if err := e.Next.check(fmt.Sprintf("%sreasons.%s.next", prefix, r)); err != nil {
				return err
			}
		}
		if !complete && e.Text == nil && e.Next == nil {
			return fmt.Errorf("%sreasons.%s: overrides neither text nor next", prefix, r)
		}
	}
	for _, n := range Notes() {
		if _, ok := c.Notes[n]; complete && !ok {
			return fmt.Errorf("%snotes.%s: missing", prefix, n)
		}
	}
	for _, n := range sortedKeys(c.Notes) {
		if !slices.Contains(Notes(), n) {
			return fmt.Errorf("%snotes.%s: not a note code (known: %s)", prefix, n, joinCodes(Notes()))
		}
		if err := c.Notes[n].check(fmt.Sprintf("%snotes.%s", prefix, n)); err != nil {
			return err
		}
	}
	return nil
}

// check requires a non-empty text in each of Languages() and no other language.
func (t Text) check(key string) error {
	for _, lang := range Languages() {
		if strings.TrimSpace(t[lang]) == "" {
			return fmt.Errorf("%s.%s: missing", key, lang)
		}
	}
	for _, lang := range sortedKeys(t) {
		if !slices.Contains(Languages(), lang) {
			return fmt.Errorf("%s.%s: not one of the languages %s", key, lang, strings.Join(Languages(), ", "))
		}
	}
	return nil
}

// overlay returns c with the profile's overrides o applied.
func (c Texts) overlay(o Texts) Texts {
	out := Texts{Reasons: maps.Clone(c.Reasons), Notes: maps.Clone(c.Notes)}
	for r, e := range o.Reasons {
		merged := out.Reasons[r]
		if e.Text != nil {
			merged.Text = e.Text
		}
		if e.Next != nil {
			merged.Next = e.Next
		}
		out.Reasons[r] = merged
	}
	for n, t := range o.Notes {
		out.Notes[n] = t
	}
	return out
}

// Explain returns what the profile tells the resident about a reason, in every
// language of Languages(); false for an unknown code.
func (p *Profile) Explain(r Reason) (Explanation, bool) {
	e, ok := p.texts.Reasons[r]
	if !ok {
		return Explanation{}, false
	}
	return Explanation{Reason: maps.Clone(e.Text), NextStep: maps.Clone(e.Next)}, true
}

// NoteText returns the text of a note as printed on the certificate e, in every
// language of Languages(); false for an unknown code. The placeholders {valid_from}
// and {valid_until} become e's printed dates (YYYY-MM-DD, in the profile's zone).
func (p *Profile) NoteText(n Note, e Entitlement) (Text, bool) {
	t, ok := p.texts.Notes[n]
	if !ok {
		return nil, false
	}
	r := strings.NewReplacer(
		"{valid_from}", p.printedDate(e.ValidFrom),
		"{valid_until}", p.printedDate(e.lastValidMoment()),
	)
	out := Text{}
	for lang, s := range t {
		out[lang] = r.Replace(s)
	}
	return out, true
}

func (p *Profile) printedDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(p.location).Format(time.DateOnly)
}

func sortedKeys[K ~string, V any](m map[K]V) []K { return slices.Sorted(maps.Keys(m)) }

func joinCodes[C ~string](codes []C) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
