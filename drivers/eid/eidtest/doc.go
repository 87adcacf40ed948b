// Package eidtest is a simulated Estonian ID card: a Card for package eid that
// answers the APDUs of a layout (IDEMIA 2018, Thales 2025 or EstEID 3.x) from a
// description of its holder, the way the real card does as far as package eid's
// documentation knows it: SELECT by AID, file identifier and path with or
// without control parameters, READ BINARY with the end of a file answered 6282
// (or 6Cxx), READ RECORD, VERIFY with a try counter, GET RESPONSE.
//
// Faults for tests: Remove and RemoveAfter pull the card out (now, or part way
// through a read), Options.Chunk makes long answers come in 61xx pieces, and
// Options.WrongLe answers a read past the end with 6Cxx. Three wrong PINs block
// PIN1, as on the real card.
//
//	holder := eid.PersonalData{Surname: "JÕEORG", GivenNames: "JAAK-KRISTJAN", …}
//	card, err := eidtest.New(holder, eidtest.Options{})
//	p, err := eid.ReadPerson(ctx, card)
package eidtest
