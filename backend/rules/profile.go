// Package rules decides which certificates a person's record supports under a
// jurisdiction's rules. A jurisdiction is a Profile: data (languages, issuer, validity
// windows), kept in profiles/*.json and embedded in the binary.
package rules

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"
	_ "time/tzdata" // kiosks may lack the system time zone database
)

//go:embed profiles/*.json
var profileFiles embed.FS

// ErrUnknownProfile is returned by Load for a profile code that is not shipped.
var ErrUnknownProfile = errors.New("rules: unknown profile")

// Profile is a jurisdiction: who issues, in which languages, and the validity windows
// its rules apply.
type Profile struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Country   string   `json:"country"`   // ISO 3166-1 alpha-2: the CWT issuer and DCC co
	Languages []string `json:"languages"` // printed languages, the first is primary
	TimeZone  string   `json:"time_zone"` // IANA zone in which dates are computed
	// IdentifierSystem is the FHIR identifier system residents are found by.
	IdentifierSystem string `json:"identifier_system"`
	// Issuer is the certificate issuer as printed and as the DCC "is" field holds it.
	Issuer string `json:"issuer"`
	// UVCIIssuer is the issuing entity's part of the UVCI (A–Z, 0–9).
	UVCIIssuer string `json:"uvci_issuer"`
	// VerifyURL is the verification address printed in the small QR code; {uvci} is
	// replaced by the certificate's identifier.
	VerifyURL string   `json:"verify_url"`
	Validity  Validity `json:"validity"`

	location *time.Location
}

// Validity holds a profile's validity windows.
type Validity struct {
	VaccinationDays   int `json:"vaccination_days"`    // after the last dose
	NAATHours         int `json:"naat_hours"`          // after the PCR sample
	RapidAntigenHours int `json:"rapid_antigen_hours"` // after the rapid test sample
	RecoveryFromDay   int `json:"recovery_from_day"`   // after the first positive test
	RecoveryUntilDay  int `json:"recovery_until_day"`  // after the first positive test
}

// Load returns the shipped profile with the given code (EE, …).
func Load(code string) (*Profile, error) {
	data, err := profileFiles.ReadFile("profiles/" + code + ".json")
	if err != nil {
		return nil, fmt.Errorf("%w %q (shipped: %s)", ErrUnknownProfile, code, strings.Join(Codes(), ", "))
	}
	return Parse(data)
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

// Parse reads a profile from JSON and checks it; an error names the key at fault.
func Parse(data []byte) (*Profile, error) {
	var p Profile
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("rules: profile: %w", err)
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("rules: profile %q: %w", p.Code, err)
	}
	return &p, nil
}

func (p *Profile) check() error {
	switch {
	case p.Code == "":
		return errors.New("code: missing")
	case len(p.Country) != 2 || strings.ToUpper(p.Country) != p.Country:
		return fmt.Errorf("country: %q is not an ISO 3166-1 alpha-2 code", p.Country)
	case len(p.Languages) == 0:
		return errors.New("languages: none")
	case p.Issuer == "":
		return errors.New("issuer: missing")
	case p.UVCIIssuer == "":
		return errors.New("uvci_issuer: missing")
	case !strings.Contains(p.VerifyURL, "{uvci}"):
		return errors.New("verify_url: has no {uvci} placeholder")
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return fmt.Errorf("time_zone: %w", err)
	}
	p.location = loc
	v := p.Validity
	for name, n := range map[string]int{
		"validity.vaccination_days": v.VaccinationDays, "validity.naat_hours": v.NAATHours,
		"validity.rapid_antigen_hours": v.RapidAntigenHours, "validity.recovery_until_day": v.RecoveryUntilDay,
	} {
		if n <= 0 {
			return fmt.Errorf("%s: must be positive", name)
		}
	}
	if v.RecoveryFromDay < 0 || v.RecoveryFromDay >= v.RecoveryUntilDay {
		return errors.New("validity.recovery_from_day: must be at least 0 and before recovery_until_day")
	}
	return nil
}

// Location is the profile's time zone.
func (p *Profile) Location() *time.Location { return p.location }

// VerifyURLFor returns the verification address of a certificate.
func (p *Profile) VerifyURLFor(uvci string) string {
	return strings.ReplaceAll(p.VerifyURL, "{uvci}", uvci)
}
