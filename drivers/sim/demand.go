package sim

// demand.go: the simulated devices on demand, for a demo kiosk whose visitor picks
// a demo person on the screen: the person's card goes into the reader, or their
// document is scanned, at once rather than when a script says so.

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/identity"
	"certkiosk/backend/registry"
	"certkiosk/backend/registrysim"
)

// ErrNoDocument: the holder's documents carry no machine-readable zone the kiosk can
// identify them by (a Russian resident: see identity.FromMRZ).
var ErrNoDocument = errors.New("sim: no machine-readable document for this holder")

// Insert puts the holder's card in the reader now, taking out any card in it, as the
// script step "insert card" does; at stamps the event.
func (r *Reader) Insert(h Holder, at time.Time) error {
	if _, ok := r.Present(); ok {
		r.remove(at, 0, 0)
	}
	return r.insert(h, at, 0, 0)
}

// Remove takes the card out of the reader, if one is in.
func (r *Reader) Remove(at time.Time) {
	if _, ok := r.Present(); ok {
		r.remove(at, 0, 0)
	}
}

// Scan hands the scanner a payload now, as the script step "scan" does.
func (s *Scanner) Scan(kind ScanKind, data []byte, at time.Time) {
	s.events.push(ScanEvent{Kind: kind, Data: append([]byte(nil), data...), At: at})
}

// DemoHolders returns the holder of each demo person (registrysim.People), in the
// table's order, with the table's row.
func DemoHolders() ([]DemoHolder, error) {
	var out []DemoHolder
	for _, p := range registrysim.People() {
		v, err := identity.Normalize(p.System, p.Value)
		if err != nil {
			return nil, fmt.Errorf("sim: demo person %s %s: %w", p.Profile, p.Value, err)
		}
		out = append(out, DemoHolder{Holder: holderOf(p, v), Row: p})
	}
	return out, nil
}

// DemoHolder is a demo person as a card or a document carries them, with the demo
// table's row (the scenario it tells).
type DemoHolder struct {
	Holder
	Row registrysim.Person
}

// MRZ returns the machine-readable zone (TD1, the three lines joined by CR as a
// document scanner sends them) of the holder's identity card, valid at now: an
// Estonian ID card with the personal code, or an Azerbaijani one with the FIN, in
// the optional data (ICAO 9303-5). The document number is derived from the
// identifier, so the same holder always shows the same card.
func (h Holder) MRZ(now time.Time) (string, error) {
	var state string
	switch h.Person.Identifier.System {
	case registry.SystemEEPersonalCode:
		state = "EST"
	case registry.SystemFIN:
		state = "AZE"
	default:
		return "", ErrNoDocument
	}
	birth, err := mrzBirth(h.Person.BirthDate)
	if err != nil {
		return "", err
	}
	family, err := zoneName(h.Person.FamilyName)
	if err != nil {
		return "", err
	}
	given, err := zoneName(strings.Join(h.Person.GivenNames, " "))
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(h.Person.Identifier.System + "|" + h.Person.Identifier.Value))
	number := "AS"
	for _, b := range sum[:7] {
		number += string(rune('0' + b%10))
	}
	m := identity.MRZ{
		Format:         identity.TD1,
		DocumentCode:   "ID",
		IssuingState:   state,
		Nationality:    state,
		DocumentNumber: number,
		BirthDate:      birth,
		Sex:            sexOf(h.Person.Identifier),
		ExpiryDate:     identity.Date{Year: now.Year() + 3, Month: int(now.Month()), Day: 1},
		OptionalData:   h.Person.Identifier.Value,
		Primary:        family,
		Secondary:      given,
	}
	lines, err := m.Lines()
	if err != nil {
		return "", fmt.Errorf("sim: the zone of the card: %w", err)
	}
	return strings.Join(lines, "\r"), nil
}

// zoneName writes a name as the zone holds it: transliterated, the components
// separated by spaces.
func zoneName(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	t, err := dcc.Transliterate(s)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(strings.ReplaceAll(t, "<", " ")), nil
}

func mrzBirth(s string) (identity.Date, error) {
	var d identity.Date
	if s == "" {
		return d, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if t, err = time.Parse("2006-01", s); err == nil {
			return identity.Date{Year: t.Year(), Month: int(t.Month())}, nil
		}
		if t, err = time.Parse("2006", s); err == nil {
			return identity.Date{Year: t.Year()}, nil
		}
		return d, fmt.Errorf("sim: date of birth %q is not a date", s)
	}
	return identity.Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}, nil
}

// sexOf is what an Estonian personal code tells (odd first digit: male); other
// identifiers tell nothing, and the zone leaves it unspecified.
func sexOf(id registry.Identifier) string {
	if id.System != registry.SystemEEPersonalCode || id.Value == "" {
		return ""
	}
	if (id.Value[0]-'0')%2 == 1 {
		return "M"
	}
	return "F"
}
