package dcc

// translit.go: names as written and in the ICAO 9303 machine-readable form (nam.fnt, nam.gnt).

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxNameLength bounds each name field of the payload (fn, fnt, gn, gnt), in
// characters (DCC.combined-schema.json, $defs/person_name).
const MaxNameLength = 80

// ErrName reports a name that a certificate cannot carry.
var ErrName = errors.New("dcc: name cannot be written")

// Transliterate returns the standardised form of a name (ICAO Doc 9303 Part 3 §6,
// "Transliterations recommended for use by States"): upper-case A–Z, with "<" between
// the name's parts.
//
//   - Latin letters follow the recommended transliterations of the §6 Latin table: Ä→AE,
//     Å→AA, Æ→AE, Ö→OE, Ø→OE, Ü→UE, ß→SS, Þ→TH, Ð→D, Œ→OE, Ĳ→IJ, Ł→L; any other
//     letter with diacritics becomes its base letter (Õ→O, Š→S, Ž→Z, Ç→C, Ğ→G, İ→I,
//     Ş→S), which is what the table gives for every such letter it lists. The national
//     alternatives the table allows (Ä→A, Ö→O, Ü→U) are not used, so Estonian Jüri is
//     JUERI and Azerbaijani Hüseynov is HUESEYNOV whatever a national passport prints.
//   - Azerbaijani Ə (schwa) is not in the table. As it has no base letter it is
//     written A, as Azerbaijani travel documents do (Məmmədov → MAMMADOV).
//   - Cyrillic follows the §6 Cyrillic table with its Russian readings: Ж→ZH, Х→KH, Ц→TS,
//     Ч→CH, Ш→SH, Щ→SHCH, Ъ→IE, Ы→Y, Э→E, Ю→IU, Я→IA, Й→I, Ё→E, Ь dropped; and
//     Є→IE, І→I, Ї→I, Ґ→G, Ў→U and the Serbian and Macedonian letters. The
//     Ukrainian and Belarusian readings Г→H and И→Y depend on the language, which a
//     name does not carry, so Г is G and И is I.
//   - Spaces, hyphens, commas and "<" separate parts and become one "<"; apostrophes
//     and full stops are dropped (D'Artagnan → DARTAGNAN).
//   - A longer result is cut to MaxNameLength characters (and any "<" left at its
//     end), as ICAO 9303 cuts names that do not fit the machine-readable zone; the
//     name as written keeps its full form in fn or gn.
//
// Any other character — a digit, a letter of another script, a symbol — is an error
// naming it: a name is never shortened by dropping what cannot be transliterated.
func Transliterate(s string) (string, error) {
	t, bad := transliterate(s)
	if bad != 0 {
		return "", fmt.Errorf("%w: no ICAO 9303 transliteration for %q (U+%04X) in %q", ErrName, bad, bad, s)
	}
	return t, nil
}

// NewName fills the payload's name: fn and gn as written (spaces trimmed), fnt and gnt
// transliterated. gn and gnt are left out when given is empty; fnt is always present,
// empty for a person with a given name only, as the schema asks for fnt or gnt.
func NewName(family, given string) (Name, error) {
	family = norm.NFC.String(strings.TrimSpace(family))
	given = norm.NFC.String(strings.TrimSpace(given))
	if family == "" && given == "" {
		return Name{}, fmt.Errorf("%w: both family and given name are empty", ErrName)
	}
	fnt, err := standardised("family name", family)
	if err != nil {
		return Name{}, err
	}
	gnt, err := standardised("given name", given)
	if err != nil {
		return Name{}, err
	}
	return Name{FamilyName: family, FamilyNameStandardised: fnt, GivenName: given, GivenNameStandardised: gnt}, nil
}

// standardised checks one name as written and returns its transliteration.
func standardised(field, written string) (string, error) {
	if written == "" {
		return "", nil
	}
	if n := utf8.RuneCountInString(written); n > MaxNameLength {
		return "", fmt.Errorf("%w: %s is %d characters long, more than %d", ErrName, field, n, MaxNameLength)
	}
	t, bad := transliterate(written)
	if bad != 0 {
		return "", fmt.Errorf("%w: %s %q: no ICAO 9303 transliteration for %q (U+%04X)", ErrName, field, written, bad, bad)
	}
	if t == "" {
		return "", fmt.Errorf("%w: %s %q has no letters", ErrName, field, written)
	}
	return t, nil
}

// transliterate returns the standardised form of s, or the first character it cannot
// transliterate.
func transliterate(s string) (string, rune) {
	var b strings.Builder
	separate := false
	for _, r := range norm.NFC.String(s) {
		switch {
		case isNameSeparator(r):
			separate = b.Len() > 0
			continue
		case isDroppedPunctuation(r):
			continue
		}
		t, ok := icaoLetter(unicode.ToUpper(r))
		if !ok {
			return "", r
		}
		if t == "" {
			continue
		}
		if separate {
			b.WriteByte('<')
			separate = false
		}
		b.WriteString(t)
	}
	out := b.String()
	if len(out) > MaxNameLength {
		out = strings.TrimRight(out[:MaxNameLength], "<")
	}
	return out, 0
}

func isNameSeparator(r rune) bool {
	switch r {
	case '-', '‐', '‑', '–', ',', '<':
		return true
	}
	return unicode.IsSpace(r)
}

func isDroppedPunctuation(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', 'ʻ', '`', '´', '.':
		return true
	}
	return false
}

// icaoLetter returns the transliteration of an upper-case letter; "" for a letter
// that is dropped (Ь), false for a character with none.
func icaoLetter(r rune) (string, bool) {
	if r >= 'A' && r <= 'Z' {
		return string(r), true
	}
	if t, ok := latinLetter(r); ok {
		return t, true
	}
	if t, ok := cyrillicLetter(r); ok {
		return t, true
	}
	// A Latin letter with diacritics not listed above: its base letter, which is what
	// the Latin table gives for each such letter it lists.
	d := norm.NFD.String(string(r))
	base, size := utf8.DecodeRuneInString(d)
	if base < 'A' || base > 'Z' || size == len(d) {
		return "", false
	}
	for _, m := range d[size:] {
		if !unicode.Is(unicode.Mn, m) {
			return "", false
		}
	}
	return string(base), true
}

// latinLetter holds the letters of the ICAO 9303-3 §6 Latin table whose
// transliteration is not their base letter, or that have no decomposition, and Ə.
func latinLetter(r rune) (string, bool) {
	switch r {
	case 'Ä':
		return "AE", true
	case 'Å':
		return "AA", true
	case 'Æ':
		return "AE", true
	case 'Ö', 'Ø', 'Œ':
		return "OE", true
	case 'Ü':
		return "UE", true
	case 'ß', 'ẞ':
		return "SS", true
	case 'Þ':
		return "TH", true
	case 'Ð', 'Đ':
		return "D", true
	case 'Ħ':
		return "H", true
	case 'Ĳ':
		return "IJ", true
	case 'Ł', 'Ŀ':
		return "L", true
	case 'Ŋ':
		return "N", true
	case 'Ŧ':
		return "T", true
	case 'Ə':
		return "A", true
	}
	return "", false
}

// cyrillicLetter is the ICAO 9303-3 §6 Cyrillic table for upper-case letters.
func cyrillicLetter(r rune) (string, bool) {
	switch r {
	case 'А':
		return "A", true
	case 'Б':
		return "B", true
	case 'В':
		return "V", true
	case 'Г', 'Ґ', 'Ѓ':
		return "G", true
	case 'Д', 'Ђ':
		return "D", true
	case 'Е', 'Ё', 'Э':
		return "E", true
	case 'Є', 'Ъ':
		return "IE", true
	case 'Ж':
		return "ZH", true
	case 'З':
		return "Z", true
	case 'Ѕ', 'Џ':
		return "DZ", true
	case 'И', 'І', 'Ї', 'Й':
		return "I", true
	case 'Ј':
		return "J", true
	case 'К', 'Ќ':
		return "K", true
	case 'Л':
		return "L", true
	case 'Љ':
		return "LJ", true
	case 'М':
		return "M", true
	case 'Н':
		return "N", true
	case 'Њ':
		return "NJ", true
	case 'О':
		return "O", true
	case 'П':
		return "P", true
	case 'Р':
		return "R", true
	case 'С':
		return "S", true
	case 'Т':
		return "T", true
	case 'Ћ':
		return "C", true
	case 'У', 'Ў':
		return "U", true
	case 'Ф':
		return "F", true
	case 'Х':
		return "KH", true
	case 'Ц':
		return "TS", true
	case 'Ч':
		return "CH", true
	case 'Ш':
		return "SH", true
	case 'Щ':
		return "SHCH", true
	case 'Ы':
		return "Y", true
	case 'Ь':
		return "", true
	case 'Ю':
		return "IU", true
	case 'Я':
		return "IA", true
	}
	return "", false
}
