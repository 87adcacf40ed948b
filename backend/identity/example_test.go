package identity_test

import (
	"errors"
	"fmt"
	"time"

	"certkiosk/backend/identity"
)

// The specimen passport of ICAO 9303-4, read as a scanner sends it, then with its
// date of birth misread.
func ExampleParseMRZ() {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	m, err := identity.ParseMRZ("p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\r\n"+
		"l898902c36uto7408122f1204159ze184226b<<<<<10\r\n", now)
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Format, m.DocumentNumber, m.Primary, m.GivenNames(), m.BirthDate, m.ExpiryDate)

	_, err = identity.ParseMRZ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"+
		"L898902C36UTO7408192F1204159ZE184226B<<<<<10", now)
	var ce *identity.CheckDigitError
	if errors.As(err, &ce) {
		fmt.Println(ce.Field, string(ce.Got), string(ce.Want))
	}
	fmt.Println(err)
	// Output:
	// TD3 L898902C3 ERIKSSON [ANNA MARIA] 1974-08-12 2012-04-15
	// date of birth 2 9
	// identity: MRZ date of birth check digit is '2', want '9' (line 2, position 20)
}

// An Estonian ID card: the person, with the personal code from the zone checked.
func ExampleFromMRZ() {
	m, err := identity.ParseMRZ("IDESTAB1234567146003150224<<<<\n"+
		"6003151F3005017EST<<<<<<<<<<<9\n"+
		"TAMM<<MARI<<<<<<<<<<<<<<<<<<<<", time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	p, err := identity.FromMRZ(m, "urn:ee:personal-code")
	fmt.Println(p.Identifier.Value, p.FamilyName, p.GivenNames, p.BirthDate, p.Document.Expiry, err)
	// Output: 46003150224 TAMM [MARI] 1960-03-15 2030-05-01 <nil>
}
