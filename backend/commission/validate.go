package commission

// validate.go: the checks an application, a payment and a lab result pass before
// they are stored, so that every case that reaches the commission can be printed
// and signed.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"certkiosk/backend/dcc"
	"certkiosk/backend/identity"
	"certkiosk/backend/registry"
)

// Limits on what staff type.
const (
	maxName       = 150
	maxReceipt    = 40
	maxUnit       = 20
	maxLaboratory = 80 // the certificate's testing centre (tc) holds at most 80
	maxAmount     = 100_000_000_00
	currencyRUB   = "RUB"
)

// decimal is a measured level or a bound of its range, as labs print them.
var decimal = regexp.MustCompile(`^[0-9]{1,9}(\.[0-9]{1,6})?$`)

// clean trims s and turns every run of white space into one space.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// printable reports whether s holds no control characters.
func printable(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) < 0
}

// splitName splits a full name written surname first into the surname and the
// given names (first name and patronymic).
func splitName(name string) (family, given string) {
	f := strings.Fields(name)
	if len(f) == 0 {
		return "", ""
	}
	return f[0], strings.Join(f[1:], " ")
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

func (s *Service) checkApplication(a Application) (person, error) {
	urn, ok := systemURN(a.System)
	if !ok {
		return person{}, fmt.Errorf("commission: %w: system %q, want %s or %s", identity.ErrInvalidIdentifier, a.System, SystemSNILS, SystemOMS)
	}
	value, err := identity.Normalize(urn, a.Identifier)
	if err != nil {
		return person{}, fmt.Errorf("commission: %w", err)
	}
	name := clean(a.Name)
	switch {
	case name == "":
		return person{}, invalid("no name")
	case utf8.RuneCountInString(name) > maxName || !printable(name):
		return person{}, invalid("the name is longer than %d characters or holds control characters", maxName)
	}
	if _, err := dcc.NewName(splitName(name)); err != nil {
		return person{}, invalid("the name cannot be printed on a certificate: %v", err)
	}
	birth, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(a.BirthDate), s.location())
	if err != nil {
		return person{}, invalid("date of birth %q is not YYYY-MM-DD", a.BirthDate)
	}
	if birth.Year() < 1900 || birth.After(s.today()) {
		return person{}, invalid("date of birth %s is not between 1900 and today", birth.Format(time.DateOnly))
	}
	return person{System: urn, Identifier: value, Name: name, BirthDate: birth.Format(time.DateOnly)}, nil
}

func checkPayment(p Payment) (Payment, error) {
	p.ReceiptNumber = clean(p.ReceiptNumber)
	p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))
	switch {
	case p.ReceiptNumber == "" || utf8.RuneCountInString(p.ReceiptNumber) > maxReceipt || !printable(p.ReceiptNumber):
		return p, invalid("receipt number: 1 to %d printable characters", maxReceipt)
	case p.AmountMinor <= 0 || p.AmountMinor > maxAmount:
		return p, invalid("amount %d is not a positive amount in kopecks", p.AmountMinor)
	case p.Currency != currencyRUB:
		return p, invalid("currency %q, want %s", p.Currency, currencyRUB)
	}
	return p, nil
}

func (s *Service) checkResult(r LabResult) (LabResult, error) {
	num := func(v Decimal) Decimal { return Decimal(strings.ReplaceAll(strings.TrimSpace(string(v)), ",", ".")) }
	r.Test = strings.TrimSpace(r.Test)
	r.Value, r.ReferenceLow, r.ReferenceHigh = num(r.Value), num(r.ReferenceLow), num(r.ReferenceHigh)
	r.Unit, r.Laboratory, r.Date = clean(r.Unit), clean(r.Laboratory), strings.TrimSpace(r.Date)
	if r.Test != registry.LOINCAntibody && r.Test != registry.LOINCAntibodyELISA {
		return r, invalid("test %q is not an antibody test (%s, %s)", r.Test, registry.LOINCAntibody, registry.LOINCAntibodyELISA)
	}
	if !decimal.MatchString(string(r.Value)) {
		return r, invalid("value %q is not a decimal number", r.Value)
	}
	for _, b := range []Decimal{r.ReferenceLow, r.ReferenceHigh} {
		if b != "" && !decimal.MatchString(string(b)) {
			return r, invalid("reference bound %q is not a decimal number", b)
		}
	}
	if r.ReferenceLow != "" && r.ReferenceHigh != "" {
		lo, _ := strconv.ParseFloat(string(r.ReferenceLow), 64)
		hi, _ := strconv.ParseFloat(string(r.ReferenceHigh), 64)
		if lo > hi {
			return r, invalid("reference range %s to %s is upside down", r.ReferenceLow, r.ReferenceHigh)
		}
	}
	switch {
	case r.Unit == "" || utf8.RuneCountInString(r.Unit) > maxUnit || !printable(r.Unit):
		return r, invalid("unit: 1 to %d printable characters", maxUnit)
	case r.Laboratory == "" || utf8.RuneCountInString(r.Laboratory) > maxLaboratory || !printable(r.Laboratory):
		return r, invalid("laboratory: 1 to %d printable characters", maxLaboratory)
	}
	sampled, err := time.ParseInLocation(time.DateOnly, r.Date, s.location())
	if err != nil {
		return r, invalid("sample date %q is not YYYY-MM-DD", r.Date)
	}
	if sampled.After(s.today()) {
		return r, invalid("sample date %s is in the future", r.Date)
	}
	if !s.validUntil(sampled).After(s.now()) {
		return r, fmt.Errorf("%w: sampled %s, a certificate is valid %d months from the sample", ErrResultTooOld, r.Date, s.opts.ValidMonths)
	}
	return r, nil
}

func (s *Service) location() *time.Location {
	if loc := s.opts.Profile.Location(); loc != nil {
		return loc
	}
	return time.UTC
}

// today is the start of the current day in the profile's time zone.
func (s *Service) today() time.Time {
	y, m, d := s.now().In(s.location()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, s.location())
}

// validUntil is the end of a certificate's validity for a sample taken on the day
// that starts at sampled: the end of the day ValidMonths later.
func (s *Service) validUntil(sampled time.Time) time.Time {
	return sampled.AddDate(0, s.opts.ValidMonths, 1)
}
