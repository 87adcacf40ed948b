package dcc

// validate.go: the rules of the DCC payload schema 1.3.x (DCC.combined-schema.json), checked in Go.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SchemaError reports the first place where a payload breaks the payload schema. It
// matches ErrSchema with errors.Is; errors.As gives the field at fault.
type SchemaError struct {
	// Path is the field at fault, as "nam.fnt" or "v[0].dn"; empty for the payload as a
	// whole.
	Path string
	// Reason says what the field breaks, e.g. "must be an integer of at least 1".
	Reason string

	format bool // broken rule is a "format" keyword (date, date-time)
}

// Error returns the message, e.g. "dcc: payload v[0].dn: must be an integer of at least 1".
func (e *SchemaError) Error() string {
	if e.Path == "" {
		return "dcc: payload: " + e.Reason
	}
	return "dcc: payload " + e.Path + ": " + e.Reason
}

// Unwrap lets errors.Is match ErrSchema.
func (e *SchemaError) Unwrap() error { return ErrSchema }

// ValidatePayload checks a health certificate payload, as JSON, against the rules of
// the DCC payload schema 1.3.x and returns an error naming the first field at fault: a
// *SchemaError matching ErrSchema.
//
// The rules are those of DCC.combined-schema.json 1.3.3, with two readings made explicit:
//   - "format" is asserted, not only annotated (JSON Schema 2020-12 §7.2.1 lets a
//     validator choose): date is an RFC 3339 full-date that exists in the calendar;
//     date-time is an ISO 8601 date and time with seconds and an offset, where the
//     offset may be Z, ±hh:mm, ±hhmm or ±hh — the schema's own test suite counts
//     "2021-06-11T17:30:00+02" and "…+0200" as valid although RFC 3339 does not.
//   - patterns are ECMA-262 (JSON Schema §6.4): in ver's "^\d+.\d+.\d+$" the dot is
//     any character but a line terminator, and co's "[A-Z]{1,10}" is not anchored, so
//     it only asks for one upper-case letter somewhere.
//
// What the schema leaves open stays open: the value-set fields (tg, vp, mp, ma, tt,
// tr) need only be strings, dob's pattern does not check that a month or day exists,
// dn and sd have no upper bound (1.3.3 dropped the 1.3.0 maximum of 9), and properties
// the schema does not name are allowed (it has no additionalProperties).
func ValidatePayload(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return schemaErr("", "not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return schemaErr("", "not valid JSON: data after the payload")
	}
	return newPayloadChecker().payload(doc)
}

// payloadChecker holds the schema's patterns, compiled per validation so that the
// package keeps no state.
type payloadChecker struct {
	version     *regexp.Regexp
	dateOfBirth *regexp.Regexp
	standard    *regexp.Regexp // fnt, gnt
	country     *regexp.Regexp
}

func newPayloadChecker() payloadChecker {
	const anyButLineEnd = `[^\n\r\x{2028}\x{2029}]` // ECMA-262 "."
	return payloadChecker{
		version:     regexp.MustCompile(`^[0-9]+` + anyButLineEnd + `[0-9]+` + anyButLineEnd + `[0-9]+$`),
		dateOfBirth: regexp.MustCompile(`^((19|20)[0-9][0-9](-[0-9][0-9]){0,2}){0,1}$`),
		standard:    regexp.MustCompile(`^[A-Z<]*$`),
		country:     regexp.MustCompile(`[A-Z]{1,10}`),
	}
}

// fieldRule is one property of an entry: its key, whether the entry may lack it, and
// the check of its value.
type fieldRule struct {
	key      string
	optional bool
	check    func(c payloadChecker, path string, v any) error
}

// payload checks the root object: the oneOf of the three required sets
// {ver, nam, dob, v|t|r} and the root properties.
func (c payloadChecker) payload(doc any) error {
	root, ok := doc.(map[string]any)
	if !ok {
		return schemaErr("", "must be a JSON object")
	}
	for _, key := range []string{"ver", "nam", "dob"} {
		if _, ok := root[key]; !ok {
			return schemaErr(key, "missing")
		}
	}
	if err := c.pattern("ver", root["ver"], c.version, "must be a version number like 1.3.0"); err != nil {
		return err
	}
	if err := c.name(root["nam"]); err != nil {
		return err
	}
	if err := c.pattern("dob", root["dob"], c.dateOfBirth, "must be YYYY, YYYY-MM or YYYY-MM-DD in 1900–2099, or empty"); err != nil {
		return err
	}
	var groups []string
	for _, g := range []string{"v", "t", "r"} {
		if _, ok := root[g]; ok {
			groups = append(groups, g)
		}
	}
	if len(groups) != 1 {
		has := "none"
		if len(groups) > 1 {
			has = strings.Join(groups, " and ")
		}
		return schemaErr("", "must hold exactly one of v, t and r (holds %s)", has)
	}
	switch g := groups[0]; g {
	case "v":
		return c.group(g, root[g], vaccinationRules())
	case "t":
		return c.group(g, root[g], testRules())
	default:
		return c.group(g, root[g], recoveryRules())
	}
}

// name checks nam against $defs/person_name.
func (c payloadChecker) name(v any) error {
	nam, ok := v.(map[string]any)
	if !ok {
		return schemaErr("nam", "must be an object")
	}
	_, hasFnt := nam["fnt"]
	_, hasGnt := nam["gnt"]
	if !hasFnt && !hasGnt {
		return schemaErr("nam", "must have fnt or gnt (ICAO 9303 standardised name)")
	}
	for _, key := range []string{"fn", "fnt", "gn", "gnt"} {
		v, ok := nam[key]
		if !ok {
			continue
		}
		path := "nam." + key
		if err := c.text(path, v, 80); err != nil {
			return err
		}
		if key == "fnt" || key == "gnt" {
			if err := c.pattern(path, v, c.standard, "must hold only A–Z and <"); err != nil {
				return err
			}
		}
	}
	return nil
}

// group checks v, t or r: an array of exactly one entry (minItems 1, maxItems 1).
func (c payloadChecker) group(key string, v any, rules []fieldRule) error {
	list, ok := v.([]any)
	if !ok {
		return schemaErr(key, "must be an array")
	}
	if len(list) != 1 {
		return schemaErr(key, "must hold exactly one entry (holds %d)", len(list))
	}
	path := key + "[0]"
	entry, ok := list[0].(map[string]any)
	if !ok {
		return schemaErr(path, "must be an object")
	}
	for _, r := range rules {
		if _, ok := entry[r.key]; !ok && !r.optional {
			return schemaErr(path+"."+r.key, "missing")
		}
	}
	for _, r := range rules {
		if v, ok := entry[r.key]; ok {
			if err := r.check(c, path+"."+r.key, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// vaccinationRules is $defs/vaccination_entry.
func vaccinationRules() []fieldRule {
	return []fieldRule{
		{"tg", false, anyString}, {"vp", false, anyString}, {"mp", false, anyString},
		{"ma", false, anyString}, {"dn", false, doseNumber}, {"sd", false, doseNumber},
		{"dt", false, date}, {"co", false, country}, {"is", false, text80},
		{"ci", false, text80},
	}
}

// testRules is $defs/test_entry; nm, ma and tc are optional.
func testRules() []fieldRule {
	return []fieldRule{
		{"tg", false, anyString}, {"tt", false, anyString}, {"nm", true, text80},
		{"ma", true, anyString}, {"sc", false, dateTime}, {"tr", false, anyString},
		{"tc", true, text80}, {"co", false, country}, {"is", false, text80},
		{"ci", false, text80},
	}
}

// recoveryRules is $defs/recovery_entry.
func recoveryRules() []fieldRule {
	return []fieldRule{
		{"tg", false, anyString}, {"fr", false, date}, {"co", false, country},
		{"is", false, text80}, {"df", false, date}, {"du", false, date},
		{"ci", false, text80},
	}
}

func anyString(c payloadChecker, path string, v any) error {
	if _, ok := v.(string); !ok {
		return schemaErr(path, "must be a string")
	}
	return nil
}

func text80(c payloadChecker, path string, v any) error { return c.text(path, v, 80) }

func country(c payloadChecker, path string, v any) error {
	return c.pattern(path, v, c.country, "must hold an upper-case country code")
}

// doseNumber is $defs/dose_posint: an integer of at least 1.
func doseNumber(c payloadChecker, path string, v any) error {
	n, ok := v.(json.Number)
	if !ok {
		return schemaErr(path, "must be an integer of at least 1")
	}
	isInt, positive := integerSign(string(n))
	if !isInt || !positive {
		return schemaErr(path, "must be an integer of at least 1")
	}
	return nil
}

func date(c payloadChecker, path string, v any) error {
	s, ok := v.(string)
	if !ok {
		return schemaErr(path, "must be a string")
	}
	if !isFullDate(s) {
		return &SchemaError{Path: path, Reason: "must be a date YYYY-MM-DD", format: true}
	}
	return nil
}

func dateTime(c payloadChecker, path string, v any) error {
	s, ok := v.(string)
	if !ok {
		return schemaErr(path, "must be a string")
	}
	if !isDateTime(s) {
		return &SchemaError{Path: path, Reason: "must be a date and time like 2021-06-11T17:30:00Z", format: true}
	}
	return nil
}

// text checks a string with a maxLength, counted in characters (JSON Schema §6.3.1).
func (c payloadChecker) text(path string, v any, max int) error {
	s, ok := v.(string)
	if !ok {
		return schemaErr(path, "must be a string")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return schemaErr(path, "must be at most %d characters (has %d)", max, n)
	}
	return nil
}

func (c payloadChecker) pattern(path string, v any, re *regexp.Regexp, reason string) error {
	s, ok := v.(string)
	if !ok {
		return schemaErr(path, "must be a string")
	}
	if !re.MatchString(s) {
		return schemaErr(path, "%s", reason)
	}
	return nil
}

func schemaErr(path, format string, args ...any) error {
	return &SchemaError{Path: path, Reason: fmt.Sprintf(format, args...)}
}

// integerSign reads a JSON number (RFC 8259 §6) and reports whether it is an integer
// and whether it is at least 1, without converting it, so that 2.0 and 1e3 count as
// the integers they are (JSON Schema §6.2: "integer" is any number with a zero
// fractional part) and no exponent can make the check slow.
func integerSign(n string) (isInt, atLeastOne bool) {
	negative := strings.HasPrefix(n, "-")
	n = strings.TrimPrefix(n, "-")
	mantissa, exp := n, 0
	if i := strings.IndexAny(n, "eE"); i >= 0 {
		mantissa = n[:i]
		e, err := strconv.Atoi(n[i+1:])
		if err != nil { // beyond int: only the sign matters
			e = 1 << 30
			if strings.HasPrefix(n[i+1:], "-") {
				e = -e
			}
		}
		exp = e
	}
	whole, frac, _ := strings.Cut(mantissa, ".")
	digits := strings.TrimLeft(whole+frac, "0")
	if digits == "" {
		return true, false // zero
	}
	trimmed := strings.TrimRight(digits, "0")
	// The value is trimmed × 10^(exp − len(frac) + trailing zeros).
	scale := exp - len(frac) + (len(digits) - len(trimmed))
	if scale < 0 {
		return false, false
	}
	return true, !negative
}

// isFullDate reports whether s is an RFC 3339 full-date (§5.6) that exists.
func isFullDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	year, ok1 := digitsValue(s[0:4])
	month, ok2 := digitsValue(s[5:7])
	day, ok3 := digitsValue(s[8:10])
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= daysIn(year, month)
}

// isDateTime reports whether s is a date and time with seconds and a UTC offset: RFC
// 3339 §5.6 date-time, plus the ISO 8601 offsets ±hh and ±hhmm.
func isDateTime(s string) bool {
	if len(s) < 20 || !isFullDate(s[:10]) || (s[10] != 'T' && s[10] != 't') {
		return false
	}
	if s[13] != ':' || s[16] != ':' {
		return false
	}
	hour, ok1 := digitsValue(s[11:13])
	minute, ok2 := digitsValue(s[14:16])
	second, ok3 := digitsValue(s[17:19])
	if !ok1 || !ok2 || !ok3 || hour > 23 || minute > 59 || second > 60 {
		return false
	}
	rest := s[19:]
	if strings.HasPrefix(rest, ".") {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 {
			return false
		}
		rest = rest[n:]
	}
	offset := 0 // minutes east of UTC
	switch {
	case rest == "Z" || rest == "z":
	case len(rest) >= 3 && (rest[0] == '+' || rest[0] == '-'):
		oh, okh := digitsValue(rest[1:3])
		om, okm := 0, true
		switch tail := rest[3:]; {
		case tail == "":
		case len(tail) == 2:
			om, okm = digitsValue(tail)
		case len(tail) == 3 && tail[0] == ':':
			om, okm = digitsValue(tail[1:])
		default:
			return false
		}
		if !okh || !okm || oh > 23 || om > 59 {
			return false
		}
		offset = oh*60 + om
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return false
	}
	if second == 60 { // a leap second comes only at 23:59 UTC (RFC 3339 §5.7)
		utc := ((hour*60+minute-offset)%1440 + 1440) % 1440
		return utc == 23*60+59
	}
	return true
}

// digitsValue returns the value of a string of ASCII digits.
func digitsValue(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, s != ""
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
