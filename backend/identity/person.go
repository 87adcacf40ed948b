package identity

// person.go: one Person, whatever the person was identified by — an ID card, a
// document's machine-readable zone, or an identifier staff typed in.

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"certkiosk/backend/registry"
)

// Where a Person came from.
const (
	SourceCard  = "card"  // read from the chip of an ID card
	SourceMRZ   = "mrz"   // read from a document's machine-readable zone
	SourceStaff = "staff" // an identifier typed in by staff
)

// Person is who stands at the kiosk, as far as the source tells.
type Person struct {
	// Identifier is the national identifier the registries know the person by,
	// validated and normalised (see Normalize); empty when the source has none.
	Identifier registry.Identifier `json:"identifier"`
	// FamilyName and GivenNames are as the source writes them: an MRZ gives them in
	// the upper-case Latin transliteration of ICAO 9303-3, perhaps truncated.
	FamilyName string   `json:"family_name,omitempty"`
	GivenNames []string `json:"given_names,omitempty"`
	// BirthDate is YYYY-MM-DD, or YYYY-MM or YYYY when only part of it is known,
	// or empty.
	BirthDate string    `json:"birth_date,omitempty"`
	Document  *Document `json:"document,omitempty"`
	Source    string    `json:"source"`
}

// Document is the identity document a Person was read from.
type Document struct {
	Type         string `json:"type"` // the ICAO 9303 document code: P, I, ID, AC…
	Number       string `json:"number"`
	IssuingState string `json:"issuing_state"`         // ICAO 9303-3 code: EST, AZE, D…
	Nationality  string `json:"nationality,omitempty"` // the holder's, same codes
	Expiry       string `json:"expiry,omitempty"`      // YYYY-MM-DD
}

// ErrNoIdentifier is wrapped when a document carries no national identifier the
// kiosk can look the person up by; staff then type one in.
var ErrNoIdentifier = errors.New("identity: no national identifier")

// FromMRZ makes the Person a machine-readable zone describes. The national
// identifier is taken from the zone's optional data where the issuing state puts
// one there, and validated with Normalize:
//   - EST (Estonian ID cards, residence permit cards and passports): the
//     11-digit personal code, at the start of the optional data of line 1 (TD1,
//     right after the document number) or in the personal number field (TD3).
//   - AZE (Azerbaijani ID cards and passports): the 7-character FIN, the run of
//     7 letters and digits in an optional data field.
//   - Russian documents carry neither a SNILS nor an OMS number in a
//     machine-readable zone. The internal passport has no ICAO 9303 zone (the
//     TD3-like lines on newer ones, document code PN, encode Cyrillic in a national
//     scheme and hold the passport's own number), and the international passport
//     has none of the two. A Russian resident is identified by staff entry.
//
// When profileSystems are given, only an identifier of those systems is taken.
// Without an identifier to take, FromMRZ returns the Person (names, date of birth,
// document) together with an error wrapping ErrNoIdentifier. An identifier that is
// there but fails its check returns the Person without it and the InvalidError.
func FromMRZ(m MRZ, profileSystems ...string) (Person, error) {
	p := Person{
		FamilyName: strings.Join(strings.Fields(m.Primary), " "),
		GivenNames: m.GivenNames(),
		BirthDate:  m.BirthDate.String(),
		Document: &Document{
			Type:         m.DocumentCode,
			Number:       m.DocumentNumber,
			IssuingState: m.IssuingState,
			Nationality:  m.Nationality,
			Expiry:       m.ExpiryDate.String(),
		},
		Source: SourceMRZ,
	}
	system, value, found := identifierInMRZ(m)
	switch {
	case !found && m.IssuingState == "RUS":
		return p, fmt.Errorf("%w: Russian documents carry no SNILS or OMS number in their machine-readable zone", ErrNoIdentifier)
	case !found:
		return p, fmt.Errorf("%w in the machine-readable zone of this %s document", ErrNoIdentifier, m.IssuingState)
	case len(profileSystems) > 0 && !slices.Contains(profileSystems, system):
		names := make([]string, len(profileSystems))
		for i, s := range profileSystems {
			names[i] = systemName(s)
		}
		return p, fmt.Errorf("%w: the document carries an %s, and people are found here by %s",
			ErrNoIdentifier, systemName(system), strings.Join(names, " or "))
	}
	v, err := Normalize(system, value)
	if err != nil {
		return p, fmt.Errorf("MRZ optional data: %w", err)
	}
	p.Identifier = registry.Identifier{System: system, Value: v}
	return p, nil
}

// identifierInMRZ finds the national identifier in a zone's optional data: the
// first run of characters between fillers, in the first field where that run has
// the identifier's length and characters. The run is returned as it stands, for
// Normalize to check.
func identifierInMRZ(m MRZ) (system, value string, found bool) {
	var length int
	var fits func(byte) bool
	switch m.IssuingState {
	case "EST":
		system, length, fits = registry.SystemEEPersonalCode, 11, isDigit
	case "AZE":
		system, length, fits = registry.SystemFIN, 7, func(c byte) bool { return isDigit(c) || isLetter(c) }
	default:
		return "", "", false
	}
	for _, field := range []string{m.OptionalData, m.OptionalData2} {
		run := strings.TrimLeft(field, "<")
		if i := strings.IndexByte(run, '<'); i >= 0 {
			run = run[:i]
		}
		if len(run) != length {
			continue
		}
		ok := true
		for i := 0; i < len(run); i++ {
			ok = ok && fits(run[i])
		}
		if ok {
			return system, run, true
		}
	}
	return "", "", false
}

// FromStaffEntry makes the Person staff identified by typing an identifier: the
// identifier validated and normalised, and for an Estonian personal code the date
// of birth it encodes.
func FromStaffEntry(system, value string) (Person, error) {
	v, err := Normalize(system, value)
	if err != nil {
		return Person{}, err
	}
	p := Person{Identifier: registry.Identifier{System: system, Value: v}, Source: SourceStaff}
	if system == registry.SystemEEPersonalCode {
		p.BirthDate = eeBirthDate(v)
	}
	return p, nil
}
