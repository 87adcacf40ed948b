package eid

// person.go: ReadPerson, the card's holder as the rest of the kiosk knows people.

import (
	"context"
	"fmt"
	"strings"

	"certkiosk/backend/identity"
	"certkiosk/backend/registry"
)

// ReadPerson reads who the card belongs to: the personal data file
// (ReadPersonalData) and the authentication certificate (ReadAuthCertificate),
// which must name the same personal code (CheckAuthCertificate). The Person has
// the personal code as its identifier (urn:ee:personal-code, validated with
// identity.Normalize), the names as written on the card, the date of birth and
// the card as its document, and Source "card". On any failure the Person is
// empty.
//
// Reading files proves nothing about the card being genuine; that needs PIN1 and
// a signature by the card's key, which this package does not do.
func ReadPerson(ctx context.Context, card Card) (identity.Person, error) {
	pd, err := ReadPersonalData(ctx, card)
	if err != nil {
		return identity.Person{}, err
	}
	cert, err := ReadAuthCertificate(ctx, card, pd.Layout)
	if err != nil {
		return identity.Person{}, err
	}
	if err := CheckAuthCertificate(cert, pd.PersonalCode); err != nil {
		return identity.Person{}, err
	}
	return pd.Person()
}

// Person makes the Person the personal data describes: the personal code
// validated as the identifier; the date of birth from the card, or from the
// personal code when the card has none; the names as written, the given names
// split at spaces; the card as an "ID" document of EST.
func (pd PersonalData) Person() (identity.Person, error) {
	p, err := identity.FromStaffEntry(registry.SystemEEPersonalCode, pd.PersonalCode)
	if err != nil {
		return identity.Person{}, fmt.Errorf("eid: personal data file: %w", err)
	}
	p.Source = identity.SourceCard
	p.FamilyName = pd.Surname
	p.GivenNames = strings.Fields(pd.GivenNames) // a hyphenated name stays one
	if pd.BirthDate != "" {
		p.BirthDate = pd.BirthDate
	}
	p.Document = &identity.Document{
		Type:         "ID",
		Number:       pd.DocumentNumber,
		IssuingState: "EST",
		Nationality:  pd.Citizenship,
		Expiry:       pd.Expiry,
	}
	return p, nil
}
