// Package eid speaks ISO/IEC 7816-4 to smart cards and reads the Estonian ID
// card: its personal data file and its authentication certificate, made into an
// identity.Person.
//
// It sees a card only as a Card: something that sends a command APDU and returns
// the response APDU. The USB CCID reader (drivers/ccid) gives one, so does a
// reader the PC/SC service owns (drivers/pcsc, over pcscd), and package eidtest
// holds a simulated card for tests and for the kiosk's simulated reader. Both
// reader stacks report a card pulled out, a reader gone and a timeout with the
// same errors (ccid.ErrCardRemoved, ccid.ErrReaderGone, ccid.ErrTimeout), which
// the functions here pass on wrapped.
//
// # A map of the package
//
//   - card.go: Card; Transmit and Do, which follow 61xx with GET RESPONSE and
//     6Cxx with the corrected Le, within fixed bounds.
//   - apdu.go: Command (cases 1 to 4, short and extended length fields) and
//     Response.
//   - status.go: SW and *StatusError, with names for the common status words.
//   - tlv.go: a strict, bounded BER-TLV parser (ParseTLV) and encoder.
//   - fci.go: SELECT answers, FCP/FCI/FMD templates (ParseFCI, FileInfo).
//   - file.go: Select, ReadBinary, ReadFile, ReadRecord.
//   - pin.go: Verify and PINRetries; the PIN is zeroed after use.
//   - layout.go: the card generations as data, and Detect.
//   - personal.go: ReadPersonalData and the fields' decoding.
//   - cert.go: ReadAuthCertificate and CheckAuthCertificate.
//   - person.go: ReadPerson.
//   - logged.go: Logged, a Card that logs exchanges without their data.
//   - errors.go: sentinel errors.
//
// # Example
//
//	p, err := eid.ReadPerson(ctx, card)
//	switch {
//	case errors.Is(err, eid.ErrNotEstEID):   // some other card
//	case errors.Is(err, eid.ErrCertMismatch): // the certificate names someone else
//	case err != nil:                         // card pulled out, unreadable data…
//	}
//	// p.Identifier is {urn:ee:personal-code 38001085718}, p.Source is "card".
//
// # The Estonian ID card
//
// Three generations are known, tried in this order (Detect):
//
// IDEMIA, issued from December 2018 (Cosmo 8.1/8.2, later Cosmo X). The
// application is selected by AID A0 00 00 00 77 01 08 00 07 00 00 FE 00 00 01 00;
// under it DF 5000 holds one transparent EF per field, 5001 to 500F, in UTF-8:
//
//	5001 surname              5006 personal code          500B-500F notes, lines 1 to 5
//	5002 given names          5007 document number
//	5003 sex (M or N)         5008 expiry date, DD MM YYYY
//	5004 citizenship (EST)    5009 date of issue, DD MM YYYY
//	5005 date and place of birth, DD MM YYYY EST
//	500A residence permit type
//
// An empty field is one 00 byte. The authentication certificate is EF 3401 in DF
// ADF1, reached from the application by a path (SELECT P1 = 09, AD F1 34 01); the
// signing one is ADF2/341F. PIN1 has reference 01 and is sent padded with FF to
// 12 bytes. A digital ID (Digi-ID) leaves sex and date of birth empty.
//
// Thales, issued from 2025 (IAS Classic 5.2.1). The PKCS#15 application is
// selected by AID A0 00 00 00 63 50 4B 43 53 2D 31 35; the personal data DF is
// DFDD, by path from the MF, with the same EF 5001 on; the authentication
// certificate is ADF1/3411 by path from the MF.
//
// EstEID 3.x, issued 2011 to 2018 (all expired now). DF EEEE under the MF holds
// EF 5044, a record file of 16 records in Windows-1252: 1 surname, 2 and 3 given
// names (two lines), 4 sex, 5 citizenship, 6 date of birth DD.MM.YYYY, 7 personal
// code, 8 document number, 9 expiry date, 10 place of birth, 11 date of issue,
// 12 residence permit type, 13 to 16 notes. The authentication certificate is
// EEEE/AACE, in a file longer than the certificate whose size the card gives only
// in a proprietary tag (85); PIN1 has reference 01, unpadded.
//
// How sure these facts are:
//   - Certain, from ISO/IEC 7816-4: everything about APDUs, status words, SELECT,
//     READ BINARY, READ RECORD, VERIFY and the control parameter templates.
//   - From the Estonian Information System Authority's own published software
//     (its card reading example program and its mobile applications): the
//     IDEMIA AID, DF 5000 and EF 5001 on in UTF-8 with an empty field as 00,
//     fields 1 to 8 and their order, the DD MM YYYY dates and the place of birth
//     after the date of birth, the sizes in tag 80 of the fields' control
//     parameters, DF ADF1/EF 3401 and ADF2/341F, PIN1 reference 01 padded with FF
//     to 12 bytes, the 231-byte reads (DefaultChunk), the Digi-ID's empty fields;
//     and for Thales cards the AID, DF DFDD and ADF1/3411 with their P1 values.
//   - From published third-party readers: the EstEID 3.x selections (MF, EEEE,
//     5044 with control parameters), its 16 records, their order, Windows-1252
//     and the DD.MM.YYYY dates; tag 85 in its control parameters.
//   - From memory, not checked against a card or a specification: fields 9 to 15
//     of IDEMIA cards (date of issue, and whatever follows it in the field, which
//     is kept in IssuedBy; residence permit type; five note lines); that Thales
//     cards write their fields as IDEMIA cards do (the same decoding is used);
//     EF AACE and PIN1 reference 01 of EstEID 3.x; the 4 to 12 digits of PIN1.
//     Thales cards' PIN1 is not known, and Verify is not offered for them.
//
// Reading is strict where a fault would mean a wrong identity (an undecodable or
// control character, a birth or expiry date not in its form, a missing personal
// code, a certificate for another code) and lenient elsewhere (a missing later
// field, a date of issue in another form).
//
// # What is not done here
//
// Nothing here proves the card genuine: that takes PIN1 and a signature by the
// card's key over a challenge (INTERNAL AUTHENTICATE), and a check of the
// certificate's chain and revocation. The certificate is parsed and its subject
// compared, nothing more. Files beyond offset 32767 (READ BINARY with INS B1),
// short EF identifiers, secure messaging and PIN2 are not used.
package eid
