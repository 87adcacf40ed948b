package rules

// profile.go: a jurisdiction profile — its file format, loading and checks.

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // kiosks may lack the system time zone database

	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
)

//go:embed profiles/*.json
var profileFiles embed.FS

// ErrUnknownProfile is returned by Load for a profile code that is not shipped.
var ErrUnknownProfile = errors.New("rules: unknown profile")

// Profile is a jurisdiction: who issues, in which languages, which records support
// which certificate, the validity windows, the validity rules in CertLogic and what
// the resident is told. It is read from a JSON file whose keys are the json tags
// below; after Parse it is not changed, and it may be shared between goroutines.
type Profile struct {
	Code      string   `json:"code"`      // EE, RU-MOW, RU-KAM, AZ
	Name      string   `json:"name"`      // for people configuring the kiosk
	Country   string   `json:"country"`   // ISO 3166-1 alpha-2: the CWT issuer and DCC co
	Languages []string `json:"languages"` // printed languages, the first is primary
	TimeZone  string   `json:"time_zone"` // IANA zone in which dates and days are counted
	// IdentifierSystems are the FHIR identifier systems residents are found by.
	IdentifierSystems []string `json:"identifier_systems"`
	// Issuer is the certificate issuer as printed and as the DCC "is" field holds it.
	Issuer string `json:"issuer"`
	// UVCIIssuer is the issuing entity's part of the UVCI (A–Z, 0–9).
	UVCIIssuer string `json:"uvci_issuer"`
	// VerifyURL is the verification address printed in the small QR code; {uvci} is
	// replaced by the certificate's identifier.
	VerifyURL string `json:"verify_url"`
	// IllNowBlocks says what a current illness blocks: "recovery" (only the recovery
	// certificate; EE) or "all" (every certificate; RU).
	IllNowBlocks string `json:"ill_now_blocks"`

	Vaccination VaccinationPolicy `json:"vaccination"`
	Recovery    RecoveryPolicy    `json:"recovery"`
	Tests       TestPolicy        `json:"tests"`

	// Texts overrides the shipped catalogue's texts for this profile; each override
	// is given in all four languages.
	Texts Texts `json:"texts"`
	// Rules are the validity rules, in the order they are applied.
	Rules []Rule `json:"rules"`

	location *time.Location
	texts    Texts              // the catalogue with Texts applied
	vaccines map[string]Vaccine // the products the kiosk knows, by code
}

// VaccinationPolicy says which doses count and how long a vaccination certificate is
// valid.
type VaccinationPolicy struct {
	// Vaccines are the recognised products (value set vaccine-medicinal-product).
	Vaccines []string `json:"vaccines"`
	// DosesAbroad is whether a dose given in another country counts.
	DosesAbroad bool `json:"doses_abroad"`
	// RecoveryCountsAsDose is whether an illness the person recovered from before the
	// first dose counts as one dose, so that one dose of a two-dose course completes it.
	RecoveryCountsAsDose bool `json:"recovery_counts_as_dose"`
	// Protection is how long after the last dose of a complete course the certificate
	// becomes valid (an ISO 8601 duration, P0D for at once); ProtectionByProduct
	// overrides it per product.
	Protection          string            `json:"protection"`
	ProtectionByProduct map[string]string `json:"protection_by_product"`
	// Lasts is how long after the last dose the certificate stays valid: it is valid
	// before that day begins.
	Lasts string `json:"lasts"`

	protection   Span
	protectionBy map[string]Span
	lasts        Span
}

// RecoveryPolicy says what grounds a recovery certificate and how long it is valid.
type RecoveryPolicy struct {
	// Grounds are the combinations of diagnosis and evidence that ground a recovery
	// certificate; any one is enough.
	Grounds []Ground `json:"grounds"`
	// CountedFrom is the day the window is counted from: "first-positive" (the
	// first positive test of the illness) or "recovery" (the day the illness ended).
	CountedFrom string `json:"counted_from"`
	// Starts and Lasts bound the window after that day: valid from Starts, and
	// before Lasts (P11D and P181D: day 11 to day 180).
	Starts string `json:"starts"`
	Lasts  string `json:"lasts"`

	starts, lasts Span
}

// Ground is one basis for a recovery certificate: a diagnosis (ICD-10) with the
// evidence it must rest on.
type Ground struct {
	Diagnoses []string `json:"diagnoses"` // U07.1, U07.2
	// Evidence is "naat-positive" (a positive PCR/NAAT) or "elisa-above-range" (an
	// antibody immunoassay, LOINC 94762-2, above its reference range).
	Evidence string `json:"evidence"`
}

// What a current illness blocks (Profile.IllNowBlocks).
const (
	IllNowBlocksRecovery = "recovery" // only the recovery certificate
	IllNowBlocksAll      = "all"      // every certificate
)

// The evidence a Ground may require.
const (
	EvidenceNAATPositive    = "naat-positive"
	EvidenceELISAAboveRange = "elisa-above-range"
)

// The days a recovery window may be counted from.
const (
	CountedFromFirstPositive = "first-positive"
	CountedFromRecovery      = "recovery"
)

// TestPolicy says which tests give a test certificate and for how long; a test type
// without a window does not count.
type TestPolicy struct {
	NAAT         *TestWindow `json:"naat"`          // PCR (LOINC 94309-2)
	RapidAntigen *TestWindow `json:"rapid_antigen"` // rapid antigen test (LOINC 94558-4)
}

// TestWindow is how long after the sample a negative test is valid, and the notes
// printed on its certificate.
type TestWindow struct {
	Lasts string `json:"lasts"` // e.g. PT72H
	Notes []Note `json:"notes"`

	lasts Span
}

// Load returns the shipped profile with the given code (EE, RU-MOW, RU-KAM, AZ).
func Load(code string) (*Profile, error) {
	data, err := profileFiles.ReadFile("profiles/" + code + ".json")
	if err != nil {
		return nil, fmt.Errorf("%w %q (shipped: %s)", ErrUnknownProfile, code, strings.Join(Codes(), ", "))
	}
	p, err := Parse(data)
	if err != nil {
		return nil, err
	}
	if p.Code != code {
		return nil, fmt.Errorf("rules: profiles/%s.json: code: %q, want %q", code, p.Code, code)
	}
	return p, nil
}

// LoadFile reads a profile from a file, such as one the kiosk's configuration names
// to replace or add to the shipped ones.
func LoadFile(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	p, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// LoadFrom returns the profile with the given code from dir when dir holds
// <code>.json, and the shipped one otherwise; an empty dir means the shipped one.
func LoadFrom(dir, code string) (*Profile, error) {
	if dir == "" {
		return Load(code)
	}
	path := filepath.Join(dir, code+".json")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return Load(code)
	}
	p, err := LoadFile(path)
	if err != nil {
		return nil, err
	}
	if p.Code != code {
		return nil, fmt.Errorf("%s: code: %q, want %q (the file's name)", path, p.Code, code)
	}
	return p, nil
}

// Codes lists the codes of the shipped profiles.
func Codes() []string {
	entries, _ := fs.ReadDir(profileFiles, "profiles")
	var codes []string
	for _, e := range entries {
		codes = append(codes, strings.TrimSuffix(e.Name(), ".json"))
	}
	return codes
}

// Parse reads a profile from JSON and checks it. Unknown keys are errors; every error
// names the key at fault, e.g. "vaccination.lasts" or "rules[2].logic".
func Parse(data []byte) (*Profile, error) {
	var p Profile
	if err := decodeStrict(data, &p); err != nil {
		return nil, fmt.Errorf("rules: profile: %w", err)
	}
	cat, err := loadCatalogue()
	if err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("rules: profile %q: %w", p.Code, err)
	}
	p.texts = cat.overlay(p.Texts)
	return &p, nil
}

// decodeStrict decodes one JSON value into v, refusing unknown keys and anything
// after the value.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

func (p *Profile) check() error {
	switch {
	case p.Code == "":
		return errors.New("code: missing")
	case len(p.Country) != 2 || strings.ToUpper(p.Country) != p.Country:
		return fmt.Errorf("country: %q is not an ISO 3166-1 alpha-2 code", p.Country)
	case len(p.Languages) == 0:
		return errors.New("languages: none")
	case len(p.IdentifierSystems) == 0:
		return errors.New("identifier_systems: none")
	case p.Issuer == "":
		return errors.New("issuer: missing")
	case !strings.Contains(p.VerifyURL, "{uvci}"):
		return errors.New("verify_url: has no {uvci} placeholder")
	case p.IllNowBlocks != IllNowBlocksRecovery && p.IllNowBlocks != IllNowBlocksAll:
		return fmt.Errorf("ill_now_blocks: %q, want %q or %q", p.IllNowBlocks, IllNowBlocksRecovery, IllNowBlocksAll)
	}
	for i, lang := range p.Languages {
		if !slices.Contains(Languages(), lang) || slices.Index(p.Languages, lang) != i {
			return fmt.Errorf("languages[%d]: %q is not one of %s, or repeats", i, lang, strings.Join(Languages(), ", "))
		}
	}
	if _, err := dcc.NewUVCI(p.Country, p.UVCIIssuer, "CHECK"); err != nil || p.UVCIIssuer == "" {
		return fmt.Errorf("uvci_issuer: %q is not a UVCI issuer part (A–Z, 0–9)", p.UVCIIssuer)
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil || p.TimeZone == "" {
		return fmt.Errorf("time_zone: %q is not an IANA time zone", p.TimeZone)
	}
	p.location = loc
	p.vaccines = vaccineTable()
	if err := p.Vaccination.check(p.vaccines); err != nil {
		return fmt.Errorf("vaccination.%w", err)
	}
	if err := p.Recovery.check(); err != nil {
		return fmt.Errorf("recovery.%w", err)
	}
	if err := p.Tests.check(); err != nil {
		return fmt.Errorf("tests.%w", err)
	}
	if err := p.Texts.check("texts.", false); err != nil {
		return err
	}
	ids := map[string]bool{}
	for i := range p.Rules {
		r := &p.Rules[i]
		if err := r.check(); err != nil {
			return fmt.Errorf("rules[%d]%w", i, err)
		}
		if ids[r.ID] {
			return fmt.Errorf("rules[%d].id: %q repeats", i, r.ID)
		}
		ids[r.ID] = true
	}
	return nil
}

func (v *VaccinationPolicy) check(known map[string]Vaccine) error {
	if len(v.Vaccines) == 0 {
		return errors.New("vaccines: none")
	}
	for i, code := range v.Vaccines {
		if _, ok := known[code]; !ok {
			return fmt.Errorf("vaccines[%d]: %q is not a product the kiosk knows", i, code)
		}
	}
	var err error
	if v.protection, err = dateSpan("protection", v.Protection, true); err != nil {
		return err
	}
	v.protectionBy = map[string]Span{}
	for _, code := range sortedKeys(v.ProtectionByProduct) {
		if !slices.Contains(v.Vaccines, code) {
			return fmt.Errorf("protection_by_product.%s: not one of vaccines", code)
		}
		if v.protectionBy[code], err = dateSpan("protection_by_product."+code, v.ProtectionByProduct[code], true); err != nil {
			return err
		}
	}
	v.lasts, err = dateSpan("lasts", v.Lasts, false)
	return err
}

func (r *RecoveryPolicy) check() error {
	if len(r.Grounds) == 0 {
		return errors.New("grounds: none")
	}
	for i, g := range r.Grounds {
		if len(g.Diagnoses) == 0 {
			return fmt.Errorf("grounds[%d].diagnoses: none", i)
		}
		for j, d := range g.Diagnoses {
			if d != registry.ICD10VirusIdentified && d != registry.ICD10Clinical {
				return fmt.Errorf("grounds[%d].diagnoses[%d]: %q, want %s or %s", i, j, d, registry.ICD10VirusIdentified, registry.ICD10Clinical)
			}
		}
		if g.Evidence != EvidenceNAATPositive && g.Evidence != EvidenceELISAAboveRange {
			return fmt.Errorf("grounds[%d].evidence: %q, want %q or %q", i, g.Evidence, EvidenceNAATPositive, EvidenceELISAAboveRange)
		}
	}
	if r.CountedFrom != CountedFromFirstPositive && r.CountedFrom != CountedFromRecovery {
		return fmt.Errorf("counted_from: %q, want %q or %q", r.CountedFrom, CountedFromFirstPositive, CountedFromRecovery)
	}
	var err error
	if r.starts, err = dateSpan("starts", r.Starts, true); err != nil {
		return err
	}
	if r.lasts, err = dateSpan("lasts", r.Lasts, false); err != nil {
		return err
	}
	day := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if !r.starts.After(day).Before(r.lasts.After(day)) {
		return fmt.Errorf("starts: %s does not come before lasts (%s)", r.Starts, r.Lasts)
	}
	return nil
}

func (t *TestPolicy) check() error {
	if t.NAAT == nil && t.RapidAntigen == nil {
		return errors.New("naat: no test type gives a certificate")
	}
	for _, w := range []struct {
		key string
		w   *TestWindow
	}{{"naat", t.NAAT}, {"rapid_antigen", t.RapidAntigen}} {
		if w.w == nil {
			continue
		}
		sp, err := parseSpan(w.w.Lasts)
		if err != nil || sp.IsZero() {
			return fmt.Errorf("%s.lasts: %q is not a positive ISO 8601 duration such as PT72H", w.key, w.w.Lasts)
		}
		w.w.lasts = sp
		for i, n := range w.w.Notes {
			if !slices.Contains(Notes(), n) {
				return fmt.Errorf("%s.notes[%d]: %q is not a note code (known: %s)", w.key, i, n, joinCodes(Notes()))
			}
		}
	}
	return nil
}

// dateSpan parses a window's span, which counts calendar days (no hours); zeroOK
// allows P0D.
func dateSpan(key, s string, zeroOK bool) (Span, error) {
	sp, err := parseSpan(s)
	switch {
	case err != nil:
		return sp, fmt.Errorf("%s: %v", key, err)
	case !sp.dateOnly():
		return sp, fmt.Errorf("%s: %q counts hours; a window counted in days takes years, months and days only", key, s)
	case sp.IsZero() && !zeroOK:
		return sp, fmt.Errorf("%s: %q is empty", key, s)
	}
	return sp, nil
}

// Location is the profile's time zone.
func (p *Profile) Location() *time.Location { return p.location }

// VerifyURLFor returns the verification address of a certificate. The UVCI is
// escaped as one path segment: its '/' would start a new segment and its '#' a
// fragment, and the check character after '#' may itself be '/' or ':'.
func (p *Profile) VerifyURLFor(uvci string) string {
	return strings.ReplaceAll(p.VerifyURL, "{uvci}", url.PathEscape(uvci))
}

// recognises reports whether the profile recognises a vaccine product.
func (p *Profile) recognises(product string) bool {
	return slices.Contains(p.Vaccination.Vaccines, product)
}

// protectionFor returns how long after the last dose of product protection is full.
func (p *Profile) protectionFor(product string) Span {
	if sp, ok := p.Vaccination.protectionBy[product]; ok {
		return sp
	}
	return p.Vaccination.protection
}

// testWindow returns the window of a test type (LOINC), nil when the profile does
// not count that type.
func (p *Profile) testWindow(loinc string) *TestWindow {
	switch loinc {
	case registry.LOINCNAAT:
		return p.Tests.NAAT
	case registry.LOINCRapidAntigen:
		return p.Tests.RapidAntigen
	}
	return nil
}
