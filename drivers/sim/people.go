package sim

// people.go: the demo people a script may put a card in for, from the demo
// registry's table (registrysim.People).

import (
	"fmt"
	"strings"

	"certkiosk/backend/identity"
	"certkiosk/backend/registry"
	"certkiosk/backend/registrysim"
)

// directory finds demo people by country and identifier.
type directory struct {
	people []registrysim.Person
}

func newDirectory() directory { return directory{people: registrysim.People()} }

// country is the country part of a jurisdiction profile: EE, RU, AZ.
func country(profile string) string {
	c, _, _ := strings.Cut(profile, "-")
	return c
}

// find returns the holder of the card for the person of country c (EE, RU, AZ,
// or a whole profile such as RU-MOW) with identifier id, written as a person
// types it.
func (d directory) find(c, id string) (Holder, error) {
	known := false
	for _, p := range d.people {
		if !strings.EqualFold(p.Profile, c) && !strings.EqualFold(country(p.Profile), c) {
			continue
		}
		known = true
		want, err := identity.Normalize(p.System, p.Value)
		if err != nil {
			return Holder{}, fmt.Errorf("demo person %s %s: %v", p.Profile, p.Value, err)
		}
		if got, err := identity.Normalize(p.System, id); err != nil || got != want {
			continue
		}
		return holderOf(p, want), nil
	}
	if !known {
		return Holder{}, fmt.Errorf("insert card: no demo people of country %q (have EE, RU, AZ)", c)
	}
	return Holder{}, fmt.Errorf("insert card: %s %s is none of the demo people (registrysim.People)", c, id)
}

// cardOnlyNames are the names on the ID cards of the demo people no registry knows:
// the demo table has no name for them (no registry gives one), but a card always
// carries its holder's name.
var cardOnlyNames = map[string]string{
	"37605030299": "Toomas Lepp",
}

// holderOf makes the person a demo person's card carries: the identifier, the
// date of birth, and the names as the table writes them, the last word taken for
// the family name.
func holderOf(p registrysim.Person, value string) Holder {
	person := identity.Person{
		Identifier: registry.Identifier{System: p.System, Value: value},
		BirthDate:  p.BirthDate,
		Source:     identity.SourceCard,
	}
	name := p.Name
	if name == "" {
		name = cardOnlyNames[value]
	}
	if names := strings.Fields(name); len(names) > 0 {
		person.FamilyName = names[len(names)-1]
		person.GivenNames = names[:len(names)-1]
	}
	if person.BirthDate == "" && p.System == registry.SystemEEPersonalCode {
		// A person no registry knows still has a card, and an Estonian
		// personal code tells the date of birth.
		if staff, err := identity.FromStaffEntry(p.System, value); err == nil {
			person.BirthDate = staff.BirthDate
		}
	}
	return Holder{Person: person, Profile: p.Profile}
}
