package certpdf

// Errors returned by the package; callers test them with errors.Is and errors.As.

import (
	"errors"
	"fmt"

	"certkiosk/backend/dcc"
)

var (
	// ErrNoFont reports that no usable font was found in the system's font folders.
	ErrNoFont = errors.New("certpdf: no usable font found")
	// ErrBadFont reports a font file that cannot be used for embedding.
	ErrBadFont = errors.New("certpdf: unusable font")
	// ErrInvalid reports a Certificate that cannot be printed as given.
	ErrInvalid = errors.New("certpdf: invalid certificate")
	// ErrInvalidRefusal reports a Refusal that cannot be printed as given.
	ErrInvalidRefusal = errors.New("certpdf: invalid refusal slip")
	// ErrLanguage reports a profile language the label catalogue does not have.
	ErrLanguage = errors.New("certpdf: unsupported language")
	// ErrTooLong reports content that does not fit on one page even at the smallest
	// type size the layout allows.
	ErrTooLong = errors.New("certpdf: content does not fit on one page")
)

// MissingGlyphError reports a character that the font cannot draw (or that lies
// outside the Basic Multilingual Plane, which the PDF embedding cannot place). Printing
// it would leave a blank or a box on the certificate, so the whole render is refused.
type MissingGlyphError struct {
	Font  string // the font's full name, e.g. "DejaVu Sans Bold"
	Field string // what was being printed, e.g. "family name"
	Rune  rune
}

func (e *MissingGlyphError) Error() string {
	return fmt.Sprintf("certpdf: font %s has no glyph for %q (U+%04X) in %s", e.Font, e.Rune, e.Rune, e.Field)
}

// MissingTextError reports a refusal item that lacks its reason or its next step in
// one of the profile's languages. A reader of that language would be left without an
// explanation, so the whole slip is refused. It wraps ErrInvalidRefusal.
type MissingTextError struct {
	Item int      // index in Refusal.Items
	Kind dcc.Kind // the item's certificate kind
	Text string   // "reason" or "next step"
	Lang string   // the profile language it is missing in
}

func (e *MissingTextError) Error() string {
	return fmt.Sprintf("certpdf: refusal Items[%d] (%s) has no %s in language %q", e.Item, e.Kind, e.Text, e.Lang)
}

// Unwrap returns ErrInvalidRefusal.
func (e *MissingTextError) Unwrap() error { return ErrInvalidRefusal }
