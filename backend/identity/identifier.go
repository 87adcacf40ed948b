package identity

// identifier.go: the national identifiers and their validation.

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"certkiosk/backend/registry"
)

// ErrInvalidIdentifier is wrapped by every validation error.
var ErrInvalidIdentifier = errors.New("identity: invalid identifier")

// InvalidError says which check an identifier failed.
type InvalidError struct {
	System string // the identifier system, e.g. urn:ee:personal-code
	Value  string
	Check  string // what failed, in words
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("identity: %s %q: %s", systemName(e.System), e.Value, e.Check)
}

func (e *InvalidError) Unwrap() error { return ErrInvalidIdentifier }

func systemName(system string) string {
	switch system {
	case registry.SystemEEPersonalCode:
		return "Estonian personal code"
	case registry.SystemSNILS:
		return "SNILS"
	case registry.SystemOMS:
		return "OMS policy number"
	case registry.SystemFIN:
		return "FIN"
	}
	return system
}

// Normalize checks an identifier of the given system and returns it in the form the
// registries store: digits only for SNILS and OMS, upper case for FIN.
func Normalize(system, value string) (string, error) {
	invalid := func(check string) error { return &InvalidError{System: system, Value: value, Check: check} }
	v := strings.TrimSpace(value)
	switch system {
	case registry.SystemEEPersonalCode:
		return v, checkEEPersonalCode(v, invalid)
	case registry.SystemSNILS:
		v = stripSeparators(v)
		return v, checkSNILS(v, invalid)
	case registry.SystemOMS:
		v = stripSeparators(v)
		if len(v) != 16 || !allDigits(v) {
			return v, invalid("must be 16 digits")
		}
		return v, nil
	case registry.SystemFIN:
		v = strings.ToUpper(v)
		if len(v) != 7 || !alphanumeric(v) {
			return v, invalid("must be 7 letters and digits")
		}
		return v, nil
	}
	return v, fmt.Errorf("%w: unknown identifier system %q", ErrInvalidIdentifier, system)
}

// checkEEPersonalCode checks an Estonian personal code (isikukood, EVS 585:2007):
// GYYMMDDSSSC — G the sex and century, the birth date, a serial number and a check
// digit computed modulo 11 with two weight sequences.
func checkEEPersonalCode(v string, invalid func(string) error) error {
	if len(v) != 11 || !allDigits(v) {
		return invalid("must be 11 digits")
	}
	g := v[0] - '0'
	if g < 1 || g > 6 {
		return invalid("first digit must be 1 to 6 (sex and century of birth)")
	}
	century := 1800 + int(g-1)/2*100
	year := century + int(v[1]-'0')*10 + int(v[2]-'0')
	month := int(v[3]-'0')*10 + int(v[4]-'0')
	day := int(v[5]-'0')*10 + int(v[6]-'0')
	if d := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC); d.Year() != year || int(d.Month()) != month || d.Day() != day {
		return invalid("digits 2 to 7 are not a date of birth")
	}
	if want := eeCheckDigit(v[:10]); v[10]-'0' != want {
		return invalid(fmt.Sprintf("check digit is %c, want %d", v[10], want))
	}
	return nil
}

// eeBirthDate returns the date of birth a valid Estonian personal code encodes, as
// YYYY-MM-DD.
func eeBirthDate(code string) string {
	century := 1800 + int(code[0]-'1')/2*100
	return fmt.Sprintf("%d-%s-%s", century+int(code[1]-'0')*10+int(code[2]-'0'), code[3:5], code[5:7])
}

func eeCheckDigit(first10 string) byte {
	sum := func(weights [10]int) int {
		s := 0
		for i, w := range weights {
			s += int(first10[i]-'0') * w
		}
		return s % 11
	}
	if r := sum([10]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 1}); r < 10 {
		return byte(r)
	}
	if r := sum([10]int{3, 4, 5, 6, 7, 8, 9, 1, 2, 3}); r < 10 {
		return byte(r)
	}
	return 0
}

// checkSNILS checks a Russian insurance number (SNILS): nine digits and a two-digit
// check number, the sum of the digits weighted 9 down to 1, taken modulo 101, where
// 100 is written 00. Numbers up to 001-001-998 were issued before the check existed.
func checkSNILS(v string, invalid func(string) error) error {
	if len(v) != 11 || !allDigits(v) {
		return invalid("must be 11 digits (written NNN-NNN-NNN CC or without separators)")
	}
	if v[:9] <= "001001998" {
		return nil
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(v[i]-'0') * (9 - i)
	}
	check := sum % 101
	if check == 100 {
		check = 0
	}
	if got := int(v[9]-'0')*10 + int(v[10]-'0'); got != check {
		return invalid(fmt.Sprintf("check number is %02d, want %02d", got, check))
	}
	return nil
}

// stripSeparators removes the spaces and hyphens people write numbers with.
func stripSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func alphanumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
