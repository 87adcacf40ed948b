package eid_test

import (
	"context"
	"errors"
	"fmt"

	"certkiosk/drivers/eid"
	"certkiosk/drivers/eid/eidtest"
)

// An ID card read for the person it belongs to; then the same card pulled out
// part way through a read.
func ExampleReadPerson() {
	holder := eid.PersonalData{
		Surname: "JÕEORG", GivenNames: "JAAK-KRISTJAN", Sex: "M", Citizenship: "EST",
		BirthDate: "1980-01-08", BirthPlace: "EST", PersonalCode: "38001085718",
		DocumentNumber: "AB0000001", Expiry: "2028-01-08",
	}
	card, err := eidtest.New(holder, eidtest.Options{})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	p, err := eid.ReadPerson(ctx, card)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Identifier.System, p.Identifier.Value, p.FamilyName, p.GivenNames, p.BirthDate, p.Document.Number, p.Source)

	card.RemoveAfter(5)
	p, err = eid.ReadPerson(ctx, card)
	fmt.Println(errors.Is(err, eidtest.ErrRemoved), p.Identifier.Value == "")
	fmt.Println(err)
	// Output:
	// urn:ee:personal-code 38001085718 JÕEORG [JAAK-KRISTJAN] 1980-01-08 AB0000001 card
	// true true
	// eid: reading the personal data file (IDEMIA 2018): given names (EF 5002): reading from byte 0: READ BINARY: eidtest: card removed
}

// The four cases of ISO/IEC 7816-4, in short and extended form.
func ExampleCommand_Encode() {
	for _, c := range []eid.Command{
		{INS: 0xA4, P1: 0x00, P2: 0x0C},                                    // case 1: SELECT the MF
		{INS: 0xB0, Ne: 256},                                               // case 2: READ BINARY, Le 00
		{INS: 0xA4, P1: 0x01, P2: 0x0C, Data: []byte{0x50, 0x00}},          // case 3: SELECT DF 5000
		{INS: 0xA4, P1: 0x02, P2: 0x04, Data: []byte{0x50, 0x01}, Ne: 256}, // case 4
		{INS: 0xB0, Ne: 1024},                                              // case 2E
	} {
		b, _ := c.Encode()
		fmt.Printf("case %d: % X\n", c.Case(), b)
	}
	// Output:
	// case 1: 00 A4 00 0C
	// case 2: 00 B0 00 00 00
	// case 3: 00 A4 01 0C 02 50 00
	// case 4: 00 A4 02 04 02 50 01 00
	// case 2: 00 B0 00 00 00 04 00
}
