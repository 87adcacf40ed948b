package eidtest

// holder.go: a card holder made from a Person, for simulated readers.

import (
	"strings"

	"certkiosk/backend/identity"
	"certkiosk/drivers/eid"
)

// Holder makes the personal data an ID card of p would carry: the personal code
// of p's identifier, the names upper-cased, the sex from the personal code
// (odd first digit M, even N), Estonian citizenship, and the document of p when
// it has one. Fields p does not have stay empty.
func Holder(p identity.Person) eid.PersonalData {
	h := eid.PersonalData{
		Surname:      strings.ToUpper(p.FamilyName),
		GivenNames:   strings.ToUpper(strings.Join(p.GivenNames, " ")),
		Citizenship:  "EST",
		BirthDate:    p.BirthDate,
		BirthPlace:   "EST",
		PersonalCode: p.Identifier.Value,
	}
	if len(h.BirthDate) != len("YYYY-MM-DD") {
		h.BirthDate = "" // a partial date is not what a card holds
	}
	if c := h.PersonalCode; c != "" {
		h.Sex = "N"
		if (c[0]-'0')%2 == 1 {
			h.Sex = "M"
		}
	}
	if d := p.Document; d != nil {
		h.DocumentNumber, h.Expiry = d.Number, d.Expiry
		if d.Nationality != "" {
			h.Citizenship = d.Nationality
		}
	}
	return h
}
