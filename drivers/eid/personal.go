package eid

// personal.go: the personal data file, read and decoded per layout.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// PersonalData is what the personal data file says about the card's holder, as
// the card writes it, with dates made YYYY-MM-DD.
type PersonalData struct {
	// Layout is the card generation it was read from.
	Layout Layout
	// Surname and GivenNames as written on the card, in upper case with the
	// Estonian letters (Õ, Ä, Ö, Ü, Š, Ž); GivenNames may hold several names
	// separated by spaces or a hyphen.
	Surname    string
	GivenNames string
	// Sex is "M" or "N" (naine, female) on ID cards; empty on a digital ID
	// (Digi-ID), which has no printed data.
	Sex string
	// Citizenship is an ISO 3166-1 alpha-3 code (ICAO 9303 for the
	// stateless), "EST" for Estonian citizens.
	Citizenship string
	// BirthDate is YYYY-MM-DD; empty when the card leaves it out (Digi-ID).
	BirthDate string
	// BirthPlace is the place of birth as written: a country code on IDEMIA
	// cards.
	BirthPlace string
	// PersonalCode is the Estonian personal code (isikukood) as written; it is
	// not validated here (see Person).
	PersonalCode   string
	DocumentNumber string
	// Expiry is the document's last day of validity, YYYY-MM-DD.
	Expiry string
	// Issued is the date of issue, YYYY-MM-DD, when the field starts with one;
	// IssuedBy is whatever the field has after it (or all of it when it holds
	// no date).
	Issued   string
	IssuedBy string
	// ResidencePermitType is written on residence permit cards only.
	ResidencePermitType string
	// Notes are the card's note lines, the empty ones at the end left out.
	Notes []string
}

// Bounds on what a field may be.
const (
	maxFieldBytes = 1024 // a field EF; the longest field, a note line, holds 50 characters
)

// ReadPersonalData finds the card's layout (Detect) and reads its personal data
// file. Nothing is returned but the zero PersonalData unless every field was read
// and decoded: a card pulled out half way gives the Card's error, wrapped, and no
// partial data.
//
// A required field (surname to expiry date) missing from the card, text that is
// not in the layout's encoding or has control characters, and a birth or expiry
// date not in the layout's form fail with ErrPersonalData, naming the field but
// not its contents. Later fields (date of issue, residence permit, notes) may be
// missing.
func ReadPersonalData(ctx context.Context, card Card) (PersonalData, error) {
	l, fi, err := detect(ctx, card)
	if err != nil {
		return PersonalData{}, prefixed(err)
	}
	s := specOf(l)
	var raw []string
	if s.records {
		raw, err = readRecords(ctx, card, fi)
	} else {
		raw, err = readFields(ctx, card)
	}
	if err != nil {
		return PersonalData{}, fmt.Errorf("eid: reading the personal data file (%s): %w", l, err)
	}
	pd, err := decodePersonalData(l, raw, s.windows1252)
	if err != nil {
		return PersonalData{}, fmt.Errorf("eid: %w", err)
	}
	return pd, nil
}

// requiredFields is how many fields from the first must be on every card: up to
// and including the expiry date.
func requiredFields(records bool) int { return fieldsOf(records).expiry }

// readFields reads EF 5001 to 500F of the current DF, each selected with its
// control parameters for its size.
func readFields(ctx context.Context, card Card) ([]string, error) {
	raw := make([]string, transparentCount)
	for i := range raw {
		n := i + 1
		fid := uint16(fieldFIDBase + n)
		fi, err := selectFile(ctx, card, ChildEF, FID(fid), WithFCP)
		if errors.Is(err, ErrFileNotFound) && n > requiredFields(false) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fieldName(false, n), err)
		}
		b, err := readFile(ctx, card, fi.Size, maxFieldBytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fieldName(false, n), err)
		}
		raw[i] = string(b)
	}
	return raw, nil
}

// readRecords reads records 1 to 16 of the current record EF.
func readRecords(ctx context.Context, card Card, fi FileInfo) ([]string, error) {
	if fi.Records > 0 && fi.Records < requiredFields(true) {
		return nil, fmt.Errorf("%w: the file has %d records, want at least %d", ErrPersonalData, fi.Records, requiredFields(true))
	}
	raw := make([]string, recordCount)
	for i := range raw {
		n := i + 1
		b, err := readRecord(ctx, card, n)
		if errors.Is(err, ErrFileNotFound) && n > requiredFields(true) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fieldName(true, n), err)
		}
		raw[i] = string(b)
	}
	return raw, nil
}

// fieldName names field n of a layout, with where it is, for errors.
func fieldName(records bool, n int) string {
	if records {
		names := [...]string{"surname", "given names, line 1", "given names, line 2", "sex", "citizenship",
			"date of birth", "personal code", "document number", "expiry date", "place of birth",
			"date of issue", "residence permit type", "notes, line 1", "notes, line 2", "notes, line 3", "notes, line 4"}
		if n >= 1 && n <= len(names) {
			return fmt.Sprintf("%s (record %d)", names[n-1], n)
		}
		return fmt.Sprintf("record %d", n)
	}
	names := [...]string{"surname", "given names", "sex", "citizenship", "date and place of birth",
		"personal code", "document number", "expiry date", "date of issue", "residence permit type",
		"notes, line 1", "notes, line 2", "notes, line 3", "notes, line 4", "notes, line 5"}
	if n >= 1 && n <= len(names) {
		return fmt.Sprintf("%s (EF %04X)", names[n-1], fieldFIDBase+n)
	}
	return fmt.Sprintf("EF %04X", fieldFIDBase+n)
}

// fieldMap says which field (numbered from 1) holds what; 0 for none.
type fieldMap struct {
	surname, given1, given2, sex, citizenship, birth, birthPlace int
	code, document, expiry, issued, permit, notesFrom, notesTo   int
}

// fieldsOf gives the fields of the layouts (see doc.go).
func fieldsOf(records bool) fieldMap {
	if records {
		// EstEID 3.x: records 1 to 16 of EF 5044.
		return fieldMap{surname: 1, given1: 2, given2: 3, sex: 4, citizenship: 5, birth: 6, code: 7,
			document: 8, expiry: 9, birthPlace: 10, issued: 11, permit: 12, notesFrom: 13, notesTo: 16}
	}
	// IDEMIA and Thales: EF 5001 to 500F; the place of birth follows the date.
	return fieldMap{surname: 1, given1: 2, sex: 3, citizenship: 4, birth: 5, code: 6,
		document: 7, expiry: 8, issued: 9, permit: 10, notesFrom: 11, notesTo: 15}
}

// decodePersonalData makes the fields text and puts them in their places.
func decodePersonalData(l Layout, raw []string, windows1252 bool) (PersonalData, error) {
	records := specOf(l).records
	text := make([]string, len(raw))
	for i, r := range raw {
		t, err := decodeText([]byte(r), windows1252)
		if err != nil {
			return PersonalData{}, fmt.Errorf("%w: %s: %v", ErrPersonalData, fieldName(records, i+1), err)
		}
		text[i] = t
	}
	bad := func(n int, what string) (PersonalData, error) {
		return PersonalData{}, fmt.Errorf("%w: %s: %s", ErrPersonalData, fieldName(records, n), what)
	}
	f := fieldsOf(records)
	field := func(n int) string {
		if n < 1 || n > len(text) {
			return ""
		}
		return text[n-1]
	}
	pd := PersonalData{
		Layout:              l,
		Surname:             field(f.surname),
		GivenNames:          strings.TrimSpace(field(f.given1) + " " + field(f.given2)),
		Sex:                 field(f.sex),
		Citizenship:         field(f.citizenship),
		BirthPlace:          field(f.birthPlace),
		PersonalCode:        field(f.code),
		DocumentNumber:      field(f.document),
		ResidencePermitType: field(f.permit),
	}
	if pd.PersonalCode == "" {
		return bad(f.code, "empty")
	}
	const notDate = "not a date in the form DD MM YYYY or DD.MM.YYYY"
	if birth := field(f.birth); birth != "" {
		d, rest, ok := parseCardDate(birth)
		switch {
		case !ok:
			return bad(f.birth, notDate)
		case f.birthPlace == 0:
			pd.BirthPlace = rest
		case rest != "":
			return bad(f.birth, "more than a date")
		}
		pd.BirthDate = d
	}
	if expiry := field(f.expiry); expiry != "" {
		d, rest, ok := parseCardDate(expiry)
		if !ok || rest != "" {
			return bad(f.expiry, notDate)
		}
		pd.Expiry = d
	}
	issued := field(f.issued)
	if d, rest, ok := parseCardDate(issued); ok {
		pd.Issued, pd.IssuedBy = d, rest
	} else {
		pd.IssuedBy = issued
	}
	notes := text[f.notesFrom-1 : f.notesTo]
	for len(notes) > 0 && notes[len(notes)-1] == "" {
		notes = notes[:len(notes)-1]
	}
	if len(notes) > 0 {
		pd.Notes = append([]string(nil), notes...)
	}
	return pd, nil
}

// decodeText makes a field's bytes text: UTF-8, or Windows-1252 for EstEID 3.x.
// A field of NUL bytes is empty (IDEMIA cards write an empty field as one 00);
// spaces and NULs around the text are dropped. Text that is not valid in its
// encoding, or holds control characters, is refused.
func decodeText(b []byte, windows1252 bool) (string, error) {
	var s string
	if windows1252 {
		d, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			return "", fmt.Errorf("not Windows-1252 text")
		}
		s = string(d)
	} else {
		if !utf8.Valid(b) {
			return "", fmt.Errorf("not UTF-8 text")
		}
		s = string(b)
	}
	s = strings.Trim(s, " \x00")
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return "", fmt.Errorf("control or undefined characters in the text")
		}
	}
	return s, nil
}

// parseCardDate reads a date at the start of s, "DD MM YYYY" (IDEMIA) or
// "DD.MM.YYYY" (EstEID 3.x), and returns it as YYYY-MM-DD with the rest of s
// after one space.
func parseCardDate(s string) (date, rest string, ok bool) {
	if len(s) < 10 || len(s) > 10 && s[10] != ' ' {
		return "", "", false
	}
	sep := s[2]
	if sep != ' ' && sep != '.' || s[5] != sep {
		return "", "", false
	}
	t, err := time.Parse("02"+string(sep)+"01"+string(sep)+"2006", s[:10])
	if err != nil {
		return "", "", false
	}
	return t.Format(time.DateOnly), strings.TrimSpace(s[min(len(s), 11):]), true
}
