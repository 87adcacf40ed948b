package identity

// mrz.go: machine-readable zones (ICAO 9303 Parts 3 to 6): reading a TD1, TD2 or TD3
// zone with every check digit verified, and writing one back.

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Format is the size of a machine-readable zone.
type Format int

// The three sizes of official travel documents.
const (
	TD1 Format = 1 // 3 lines of 30 characters: ID cards (ICAO 9303-5)
	TD2 Format = 2 // 2 lines of 36 characters (ICAO 9303-6)
	TD3 Format = 3 // 2 lines of 44 characters: passports (ICAO 9303-4)
)

// String returns TD1, TD2 or TD3.
func (f Format) String() string {
	switch f {
	case TD1:
		return "TD1"
	case TD2:
		return "TD2"
	case TD3:
		return "TD3"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// lineCount and width give the shape of a zone of this format.
func (f Format) lineCount() int {
	if f == TD1 {
		return 3
	}
	return 2
}

func (f Format) width() int {
	switch f {
	case TD1:
		return 30
	case TD2:
		return 36
	case TD3:
		return 44
	}
	return 0
}

// The fields a check digit protects, as CheckDigitError.Field names them.
const (
	FieldDocumentNumber = "document number"
	FieldBirthDate      = "date of birth"
	FieldExpiryDate     = "date of expiry"
	FieldOptionalData   = "optional data"
	FieldComposite      = "composite"
)

// ErrInvalidMRZ is wrapped by every error ParseMRZ and MRZ.Lines return.
var ErrInvalidMRZ = errors.New("identity: invalid MRZ")

// CheckDigitError says which check digit of a zone does not match its data
// (ICAO 9303-3 §4.9). Field is one of the Field constants; Got is the character
// found, Want the digit the data gives. Line and Column (both from 1) say where the
// check digit stands.
type CheckDigitError struct {
	Field        string
	Got, Want    byte
	Line, Column int
}

// Error says which check digit failed, what it was and what it should be.
func (e *CheckDigitError) Error() string {
	return fmt.Sprintf("identity: MRZ %s check digit is %q, want %q (line %d, position %d)", e.Field, e.Got, e.Want, e.Line, e.Column)
}

// Unwrap returns ErrInvalidMRZ.
func (e *CheckDigitError) Unwrap() error { return ErrInvalidMRZ }

// FormatError is a zone that is not shaped or filled as ICAO 9303 says: a line too
// short or too long, a character outside A–Z, 0–9 and <, a date that does not exist.
// Line and Column count from 1 and are 0 when the problem is not at one place; Field
// names the field concerned, or is empty for the zone as a whole.
type FormatError struct {
	Line, Column int
	Field        string
	Problem      string
}

// Error says where the zone is wrong and how.
func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString("identity: MRZ")
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ", position %d", e.Column)
		}
	}
	if e.Field != "" {
		fmt.Fprintf(&b, " (%s)", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Problem)
	return b.String()
}

// Unwrap returns ErrInvalidMRZ.
func (e *FormatError) Unwrap() error { return ErrInvalidMRZ }

// MRZ is a machine-readable zone, field by field. Text fields hold what the zone
// holds without its trailing fillers; in the names, the fillers that separate the
// components of a name are spaces.
type MRZ struct {
	Format Format

	// DocumentCode is P for a passport; A, C or I for other official travel
	// documents such as ID cards, the second letter at the issuer's discretion
	// (ID, IR, AC…).
	DocumentCode string
	// IssuingState and Nationality are ICAO 9303-3 codes: ISO 3166-1 alpha-3 with
	// ICAO's additions (D for Germany, UTO for the specimens' Utopia…).
	IssuingState string
	Nationality  string
	// DocumentNumber is the number in full. A TD1 or TD2 number longer than nine
	// characters continues in the optional data (the note on long document
	// numbers in ICAO 9303-5, and likewise 9303-6): its first nine characters,
	// a filler where the check digit would be, then at the start of the optional
	// data the rest of the number, its check digit and a filler. It is put back
	// together here.
	DocumentNumber string

	BirthDate  Date   // the unknown parts of a date of birth are 0
	Sex        string // F, M, X, or empty when the zone leaves it unspecified (<)
	ExpiryDate Date

	// OptionalData is the optional data of line 1 (TD1, after any continuation of
	// the document number), of line 2 (TD2), or the personal number (TD3). Fillers
	// inside it are kept.
	OptionalData string
	// OptionalData2 is the optional data of line 2 of a TD1 zone.
	OptionalData2 string
	// OptionalCheckFiller records a TD3 zone whose optional data, being all
	// fillers, has < rather than 0 as its check digit, as ICAO 9303-4 allows.
	OptionalCheckFiller bool

	// Primary and Secondary are the primary identifier (family name) and the
	// secondary identifier (given names), split at the first << of the name field.
	Primary   string
	Secondary string
}

// GivenNames returns the components of the secondary identifier.
func (m MRZ) GivenNames() []string { return strings.Fields(m.Secondary) }

// span is a field's place in a zone: a line (from 0) and the columns [start, end).
type span struct{ line, start, end int }

func (s span) present() bool { return s.end > 0 }

// layout is where a format keeps each field.
type layout struct {
	code, state, name       span
	number, numberCheck     span
	birth, birthCheck, sex  span
	expiry, expiryCheck     span
	nationality             span
	optional, optionalCheck span
	optional2, composite    span
	compositeOver           []span
	numberContinues         bool   // a long document number continues in optional
	documentCodes           string // the first letters a document code may have
}

// layoutOf returns the positions of ICAO 9303-5 §4.2.2 (TD1), 9303-6 §4.2.2 (TD2)
// and 9303-4 §4.2.2 (TD3), counted from 0.
func layoutOf(f Format) (layout, bool) {
	switch f {
	case TD1:
		return layout{
			code: span{0, 0, 2}, state: span{0, 2, 5},
			number: span{0, 5, 14}, numberCheck: span{0, 14, 15}, optional: span{0, 15, 30},
			birth: span{1, 0, 6}, birthCheck: span{1, 6, 7}, sex: span{1, 7, 8},
			expiry: span{1, 8, 14}, expiryCheck: span{1, 14, 15}, nationality: span{1, 15, 18},
			optional2: span{1, 18, 29}, composite: span{1, 29, 30},
			name:            span{2, 0, 30},
			compositeOver:   []span{{0, 5, 30}, {1, 0, 7}, {1, 8, 15}, {1, 18, 29}},
			numberContinues: true,
			documentCodes:   "ACI",
		}, true
	case TD2:
		return layout{
			code: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 36},
			number: span{1, 0, 9}, numberCheck: span{1, 9, 10}, nationality: span{1, 10, 13},
			birth: span{1, 13, 19}, birthCheck: span{1, 19, 20}, sex: span{1, 20, 21},
			expiry: span{1, 21, 27}, expiryCheck: span{1, 27, 28},
			optional: span{1, 28, 35}, composite: span{1, 35, 36},
			compositeOver:   []span{{1, 0, 10}, {1, 13, 20}, {1, 21, 35}},
			numberContinues: true,
			documentCodes:   "ACI",
		}, true
	case TD3:
		return layout{
			code: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 44},
			number: span{1, 0, 9}, numberCheck: span{1, 9, 10}, nationality: span{1, 10, 13},
			birth: span{1, 13, 19}, birthCheck: span{1, 19, 20}, sex: span{1, 20, 21},
			expiry: span{1, 21, 27}, expiryCheck: span{1, 27, 28},
			optional: span{1, 28, 42}, optionalCheck: span{1, 42, 43}, composite: span{1, 43, 44},
			compositeOver: []span{{1, 0, 10}, {1, 13, 20}, {1, 21, 43}},
			documentCodes: "P",
		}, true
	}
	return layout{}, false
}

// checkDigit computes the check digit of ICAO 9303-3 §4.9: each character's value
// (0–9 for digits, 10–35 for A–Z, 0 for the filler <) weighted 7, 3, 1, 7, 3, 1…,
// the sum taken modulo 10. A substitution whose values differ by a multiple of 10
// (0 for <, or 0 for A) leaves the digit unchanged: no check digit can see those.
func checkDigit(s string) byte {
	sum := 0
	for i := 0; i < len(s); i++ {
		sum += charValue(s[i]) * [3]int{7, 3, 1}[i%3]
	}
	return byte('0' + sum%10)
}

func charValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'A' <= c && c <= 'Z':
		return int(c-'A') + 10
	}
	return 0
}

func isMRZChar(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || c == '<'
}

func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// mrzLines is the zone in text as real scanners send it, made into its lines: split
// at CR and LF, each line stripped of surrounding white space, blank lines dropped,
// a–z upper-cased. A single line of 90, 72 or 88 characters is a TD1, TD2 or TD3
// zone sent without line ends, as some keyboard-mode readers do.
func mrzLines(text string) []string {
	var lines []string
	for _, l := range strings.FieldsFunc(text, func(r rune) bool { return r == '\r' || r == '\n' }) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, upperASCII(l))
		}
	}
	if len(lines) == 1 {
		one := []rune(lines[0])
		for _, f := range []Format{TD1, TD2, TD3} {
			if w := f.width(); len(one) == w*f.lineCount() {
				lines = lines[:0]
				for i := 0; i < len(one); i += w {
					lines = append(lines, string(one[i:i+w]))
				}
				break
			}
		}
	}
	return lines
}

// upperASCII upper-cases a–z and nothing else: other letters are not MRZ characters
// and are reported as they were read.
func upperASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}

// formatOf tells the format from the shape of the lines, or says what is wrong with
// the shape.
func formatOf(lines []string) (Format, error) {
	shape := func(problem string, args ...any) error {
		return &FormatError{Problem: fmt.Sprintf(problem, args...)}
	}
	// Lengths count characters, not bytes, so that a stray non-ASCII letter is
	// reported as such rather than as a line too long.
	n := make([]int, len(lines))
	for i, l := range lines {
		n[i] = utf8.RuneCountInString(l)
	}
	wrongLine := func(f Format, i int) error {
		return &FormatError{Line: i + 1, Problem: fmt.Sprintf("%d characters, want %d (%s)", n[i], f.width(), f)}
	}
	const want = "an MRZ is 3 lines of 30 characters (TD1), 2 of 36 (TD2) or 2 of 44 (TD3)"
	switch len(lines) {
	case 0:
		return 0, shape("no text")
	case 1:
		return 0, shape("one line of %d characters; %s", n[0], want)
	case 2:
		a, b := n[0], n[1]
		for _, f := range []Format{TD2, TD3} {
			switch w := f.width(); {
			case a == w && b == w:
				return f, nil
			case a == w:
				return f, wrongLine(f, 1)
			case b == w:
				return f, wrongLine(f, 0)
			}
		}
		return 0, shape("2 lines of %d and %d characters; %s", a, b, want)
	case 3:
		for i := range lines {
			if n[i] != TD1.width() {
				return TD1, wrongLine(TD1, i)
			}
		}
		return TD1, nil
	}
	return 0, shape("%d lines; %s", len(lines), want)
}

// ParseMRZ reads a machine-readable zone and verifies every check digit. now
// decides the century of the two-digit years (see Date).
//
// The text may come as a scanner sends it: surrounding white space, CR, LF or CR LF
// line ends, lower case, or the lines run together without line ends. Nothing else
// is corrected. In particular the confusions of optical reading — O and 0, I and 1,
// B and 8, S and 5, Z and 2, < and K — are not: the document number and the
// optional data legitimately hold letters and digits alike, so no rule can say which
// was meant, and a guess that the check digit then happens to accept (the 7-3-1
// check cannot tell < from 0, nor 0 from A, K or U) would put someone else's
// identifier on a certificate. A misread is reported, and the resident scans again.
//
// Checks are made in this order, the first failure being returned: the shape of
// the zone (line count and lengths: FormatError), its characters (FormatError), the
// document code (FormatError), the check digits of the document number, date of
// birth, date of expiry, optional data (TD3) and the composite (CheckDigitError),
// then the content of each field (FormatError: dates that do not exist, letters
// where digits belong, digits in a name). So a misread character inside a field a
// check digit covers is reported by that field's check digit (when the 7-3-1 sum
// can see it at all), whatever else it breaks, and a wrong check digit is reported
// as itself, not as the composite it also spoils.
func ParseMRZ(text string, now time.Time) (MRZ, error) {
	lines := mrzLines(text)
	f, err := formatOf(lines)
	if err != nil {
		return MRZ{}, err
	}
	for i, l := range lines {
		for j := 0; j < len(l); j++ {
			if !isMRZChar(l[j]) {
				r, _ := utf8.DecodeRuneInString(l[j:])
				return MRZ{}, &FormatError{Line: i + 1, Column: utf8.RuneCountInString(l[:j]) + 1, Problem: fmt.Sprintf("%q is not an MRZ character (A–Z, 0–9, <)", r)}
			}
		}
	}
	lay, _ := layoutOf(f)
	get := func(s span) string { return lines[s.line][s.start:s.end] }
	fieldError := func(s span, field, problem string, args ...any) error {
		return &FormatError{Line: s.line + 1, Column: s.start + 1, Field: field, Problem: fmt.Sprintf(problem, args...)}
	}
	verify := func(field, data string, got byte, line, col int) error {
		if want := checkDigit(data); got != want {
			return &CheckDigitError{Field: field, Got: got, Want: want, Line: line + 1, Column: col + 1}
		}
		return nil
	}
	m := MRZ{Format: f}

	code := get(lay.code)
	if err := checkDocumentCode(f, lay, code); err != nil {
		return MRZ{}, fieldError(lay.code, "document code", "%s", err)
	}
	m.DocumentCode = strings.TrimRight(code, "<")

	// The document number, continued in the optional data when its check digit
	// position holds a filler and a continuation is there (see MRZ.DocumentNumber).
	// A filler without a continuation is a check digit that fails.
	number, optional := get(lay.number), get(lay.optional)
	check, checkLine, checkCol := get(lay.numberCheck)[0], lay.numberCheck.line, lay.numberCheck.start
	m.DocumentNumber = strings.TrimRight(number, "<")
	if check == '<' && lay.numberContinues {
		if i := strings.IndexByte(optional, '<'); i >= 2 && number[len(number)-1] != '<' {
			number += optional[:i-1]
			check, checkCol = optional[i-1], lay.optional.start+i-1
			optional = optional[i+1:]
			m.DocumentNumber = number
		}
	}
	if err := verify(FieldDocumentNumber, number, check, checkLine, checkCol); err != nil {
		return MRZ{}, err
	}
	if err := verify(FieldBirthDate, get(lay.birth), get(lay.birthCheck)[0], lay.birthCheck.line, lay.birthCheck.start); err != nil {
		return MRZ{}, err
	}
	if err := verify(FieldExpiryDate, get(lay.expiry), get(lay.expiryCheck)[0], lay.expiryCheck.line, lay.expiryCheck.start); err != nil {
		return MRZ{}, err
	}
	if lay.optionalCheck.present() {
		data, c := get(lay.optional), get(lay.optionalCheck)[0]
		if c == '<' && strings.Trim(data, "<") == "" {
			m.OptionalCheckFiller = true
		} else if err := verify(FieldOptionalData, data, c, lay.optionalCheck.line, lay.optionalCheck.start); err != nil {
			return MRZ{}, err
		}
	}
	var over strings.Builder
	for _, s := range lay.compositeOver {
		over.WriteString(get(s))
	}
	if err := verify(FieldComposite, over.String(), get(lay.composite)[0], lay.composite.line, lay.composite.start); err != nil {
		return MRZ{}, err
	}

	if m.DocumentNumber == "" {
		return MRZ{}, fieldError(lay.number, FieldDocumentNumber, "empty")
	}
	var ok bool
	if m.IssuingState, ok = stateCode(get(lay.state)); !ok {
		return MRZ{}, fieldError(lay.state, "issuing state", "%q is not a state code (letters, then fillers)", get(lay.state))
	}
	if m.Nationality, ok = stateCode(get(lay.nationality)); !ok {
		return MRZ{}, fieldError(lay.nationality, "nationality", "%q is not a state code (letters, then fillers)", get(lay.nationality))
	}
	if m.BirthDate, err = birthDate(get(lay.birth), now); err != nil {
		return MRZ{}, fieldError(lay.birth, FieldBirthDate, "%s", err)
	}
	switch s := get(lay.sex); s {
	case "F", "M", "X":
		m.Sex = s
	case "<":
	default:
		return MRZ{}, fieldError(lay.sex, "sex", "%q is not F, M, X or <", s)
	}
	if m.ExpiryDate, err = expiryDate(get(lay.expiry), now); err != nil {
		return MRZ{}, fieldError(lay.expiry, FieldExpiryDate, "%s", err)
	}
	m.OptionalData = strings.TrimRight(optional, "<")
	if lay.optional2.present() {
		m.OptionalData2 = strings.TrimRight(get(lay.optional2), "<")
	}

	name := get(lay.name)
	for i := 0; i < len(name); i++ {
		if !isLetter(name[i]) && name[i] != '<' {
			return MRZ{}, &FormatError{Line: lay.name.line + 1, Column: lay.name.start + i + 1, Field: "name",
				Problem: fmt.Sprintf("%q: a name holds letters and fillers only", name[i])}
		}
	}
	name = strings.TrimRight(name, "<")
	if name == "" {
		return MRZ{}, fieldError(lay.name, "name", "empty")
	}
	primary, secondary, _ := strings.Cut(name, "<<")
	m.Primary = strings.ReplaceAll(primary, "<", " ")
	m.Secondary = strings.ReplaceAll(secondary, "<", " ")
	return m, nil
}

// checkDocumentCode says what is wrong with a document code, if anything.
func checkDocumentCode(f Format, lay layout, code string) error {
	switch {
	case code[0] == 'V':
		return fmt.Errorf("%q is a visa (ICAO 9303-7), not an identity document", code)
	case !strings.Contains(lay.documentCodes, code[:1]):
		return fmt.Errorf("%q: a %s document's code starts with %s", code, f, strings.Join(strings.Split(lay.documentCodes, ""), ", "))
	case !isLetter(code[1]) && code[1] != '<':
		return fmt.Errorf("%q: the second character is a letter or <", code)
	}
	return nil
}

// stateCode reads an issuing state or nationality: one to three letters, then
// fillers (D<< is Germany).
func stateCode(s string) (string, bool) {
	code := strings.TrimRight(s, "<")
	if code == "" {
		return "", false
	}
	for i := 0; i < len(code); i++ {
		if !isLetter(code[i]) {
			return "", false
		}
	}
	return code, true
}

// Lines writes the zone back, check digits computed. It checks that each field
// fits its place and holds only what the zone can hold, not that the dates exist.
// For a zone ParseMRZ returned, Lines gives back the lines that were read.
func (m MRZ) Lines() ([]string, error) {
	lay, ok := layoutOf(m.Format)
	if !ok {
		return nil, &FormatError{Problem: fmt.Sprintf("unknown format %d", int(m.Format))}
	}
	lines := make([][]byte, m.Format.lineCount())
	for i := range lines {
		lines[i] = []byte(strings.Repeat("<", m.Format.width()))
	}
	var err error
	put := func(s span, field, v string) {
		switch {
		case err != nil:
		case len(v) > s.end-s.start:
			err = &FormatError{Field: field, Problem: fmt.Sprintf("%q is longer than its %d characters", v, s.end-s.start)}
		default:
			for i := 0; i < len(v); i++ {
				if !isMRZChar(v[i]) {
					err = &FormatError{Field: field, Problem: fmt.Sprintf("%q holds %q, not an MRZ character", v, v[i])}
					return
				}
			}
			copy(lines[s.line][s.start:], v)
		}
	}
	invalid := func(field, problem string, args ...any) {
		if err == nil {
			err = &FormatError{Field: field, Problem: fmt.Sprintf(problem, args...)}
		}
	}

	put(lay.code, "document code", m.DocumentCode)
	put(lay.state, "issuing state", m.IssuingState)
	put(lay.nationality, "nationality", m.Nationality)

	number, optional := m.DocumentNumber, m.OptionalData
	switch {
	case strings.HasSuffix(number, "<") || number == "":
		invalid(FieldDocumentNumber, "%q: empty, or ends in a filler", number)
	case len(number) <= lay.number.end-lay.number.start:
		put(lay.number, FieldDocumentNumber, number)
		put(lay.numberCheck, FieldDocumentNumber, string(checkDigit(number)))
	case !lay.numberContinues:
		invalid(FieldDocumentNumber, "%q is longer than the %d characters a %s zone holds", number, lay.number.end-lay.number.start, m.Format)
	case strings.Contains(number[lay.number.end-lay.number.start:], "<"):
		invalid(FieldDocumentNumber, "%q: a filler in the part that continues in the optional data", number)
	default:
		n := lay.number.end - lay.number.start
		put(lay.number, FieldDocumentNumber, number[:n])
		optional = number[n:] + string(checkDigit(number)) + "<" + optional
	}
	put(lay.optional, FieldOptionalData, optional)
	if lay.optional2.present() {
		put(lay.optional2, FieldOptionalData, m.OptionalData2)
	} else if m.OptionalData2 != "" {
		invalid(FieldOptionalData, "a %s zone has no second optional data field", m.Format)
	}

	for _, d := range []struct {
		at    span
		field string
		date  Date
	}{{lay.birth, FieldBirthDate, m.BirthDate}, {lay.expiry, FieldExpiryDate, m.ExpiryDate}} {
		if s, ok := d.date.mrz(); ok {
			put(d.at, d.field, s)
		} else {
			invalid(d.field, "%+v cannot be written as YYMMDD", d.date)
		}
	}
	switch m.Sex {
	case "F", "M", "X":
		put(lay.sex, "sex", m.Sex)
	case "":
	default:
		invalid("sex", "%q is not F, M, X or empty", m.Sex)
	}

	switch {
	case m.Primary == "" && m.Secondary == "":
		invalid("name", "empty")
	case strings.Contains(m.Primary, "  ") || strings.HasSuffix(m.Primary, " ") || strings.HasSuffix(m.Secondary, " "):
		invalid("name", "%q, %q: a double space inside the primary identifier, or a space at the end of either, would read back differently", m.Primary, m.Secondary)
	case strings.ContainsAny(m.Primary+m.Secondary, "<0123456789"):
		invalid("name", "%q, %q: letters and spaces only", m.Primary, m.Secondary)
	default:
		name := m.Primary
		if m.Secondary != "" {
			name += "  " + m.Secondary
		}
		put(lay.name, "name", strings.ReplaceAll(name, " ", "<"))
	}
	if err != nil {
		return nil, err
	}

	get := func(s span) string { return string(lines[s.line][s.start:s.end]) }
	put(lay.birthCheck, FieldBirthDate, string(checkDigit(get(lay.birth))))
	put(lay.expiryCheck, FieldExpiryDate, string(checkDigit(get(lay.expiry))))
	if lay.optionalCheck.present() {
		c := string(checkDigit(get(lay.optional)))
		if m.OptionalCheckFiller && strings.Trim(get(lay.optional), "<") == "" {
			c = "<"
		}
		put(lay.optionalCheck, FieldOptionalData, c)
	}
	var over strings.Builder
	for _, s := range lay.compositeOver {
		over.WriteString(get(s))
	}
	put(lay.composite, FieldComposite, string(checkDigit(over.String())))

	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = string(l)
	}
	return out, nil
}

// String returns the zone's lines separated by line feeds, or an empty string when
// the zone cannot be written (see Lines).
func (m MRZ) String() string {
	lines, err := m.Lines()
	if err != nil {
		return ""
	}
	return strings.Join(lines, "\n")
}
