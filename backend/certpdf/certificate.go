package certpdf

// Certificate: what one printed certificate shows, and the checks made before layout.

import (
	"fmt"
	"slices"
	"time"

	"certkiosk/backend/dcc"
)

// Certificate is everything printed on one certificate page.
type Certificate struct {
	// Payload is the signed health certificate; exactly one entry in one group.
	Payload dcc.HealthCertificate
	// HC1 is the signed, encoded certificate ("HC1:" and Base45) for the large QR code.
	HC1 string
	// Issuer is the issuing authority as printed in the issuer row; empty prints the
	// entry's own issuer field (is).
	Issuer string
	// IssuedAt is the time of issue. It is printed, and it is also the PDF's creation
	// and modification date, which keeps the bytes reproducible; it must be set.
	IssuedAt time.Time
	// Location is the time zone printed times are shown in; nil means UTC.
	Location *time.Location
	// Languages are the profile's languages, primary first (e.g. et, en, ru); each must
	// be one of Languages().
	Languages []string
	// VerifyURL is the verification site's address: the content of the small QR code,
	// also printed beside it. Empty leaves the small QR code out.
	VerifyURL string
	// Specimen marks a certificate from a demo or test issuer: the page carries a
	// banner and a diagonal mark saying it is not valid.
	Specimen bool
	// Copy marks a reprint of a certificate printed before: a band across the top of
	// the page says "COPY" in each profile language (KOOPIA, COPY, КОПИЯ, SURƏT).
	Copy bool
	// Notes are extra lines, already in the languages wanted, printed under the entry
	// (e.g. that the vaccination course is not complete).
	Notes []string
}

// check reports the first reason c cannot be printed.
func (c *Certificate) check() error {
	if c.HC1 == "" {
		return fmt.Errorf("%w: HC1 is empty", ErrInvalid)
	}
	if c.IssuedAt.IsZero() {
		return fmt.Errorf("%w: IssuedAt is not set", ErrInvalid)
	}
	if err := checkLanguages(c.Languages, ErrInvalid); err != nil {
		return err
	}
	hc := &c.Payload
	n := len(hc.Vaccinations) + len(hc.Tests) + len(hc.Recoveries)
	if hc.Kind() == "" || n != 1 {
		return fmt.Errorf("%w: payload must hold exactly one entry, has %d vaccinations, %d tests, %d recoveries",
			ErrInvalid, len(hc.Vaccinations), len(hc.Tests), len(hc.Recoveries))
	}
	if hc.Name.FamilyName == "" && hc.Name.FamilyNameStandardised == "" {
		return fmt.Errorf("%w: no family name", ErrInvalid)
	}
	return nil
}

// checkLanguages reports a profile language list that is empty or lists a language
// twice (wrapping invalid), or that has a language the catalogue lacks (ErrLanguage).
func checkLanguages(langs []string, invalid error) error {
	if len(langs) == 0 {
		return fmt.Errorf("%w: no languages", invalid)
	}
	supported := Languages()
	for i, lang := range langs {
		if !slices.Contains(supported, lang) {
			return fmt.Errorf("%w %q (the catalogue has %v)", ErrLanguage, lang, supported)
		}
		if slices.Contains(langs[:i], lang) {
			return fmt.Errorf("%w: language %q listed twice", invalid, lang)
		}
	}
	return nil
}

// location returns the time zone printed times use.
func (c *Certificate) location() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}
