// Package identity says who a person is: one Person, whether read from an ID card,
// from a document's machine-readable zone (MRZ) or typed in by staff, with the
// national identifier the registries know the person by, checked before any
// registry is asked.
//
// The files:
//
//	identifier.go  national identifiers and their check digits: Normalize
//	mrz.go         ICAO 9303 machine-readable zones, TD1, TD2 and TD3: ParseMRZ, MRZ.Lines
//	mrzdate.go     the zones' dates and the century of their two-digit years: Date
//	person.go      Person, FromMRZ, FromStaffEntry
//	scan.go        what a scanner read, made a typed value: ClassifyScan
//
// A scan of the specimen passport of ICAO 9303-4:
//
//	m, err := identity.ParseMRZ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"+
//		"L898902C36UTO7408122F1204159ZE184226B<<<<<10", time.Now())
//	// m.DocumentNumber == "L898902C3", m.BirthDate.String() == "1974-08-12"
//
// A failed check digit comes back as a *CheckDigitError naming the field, and any
// other fault as a *FormatError naming line and position; both wrap ErrInvalidMRZ.
package identity
