package certpdf

// Renderer: turns a Certificate into PDF bytes, fitting the content on one A4 page.

import (
	"fmt"
	"time"

	"certkiosk/backend/dcc"
	"codeberg.org/go-pdf/fpdf"
)

// DisplayNames returns the display name of a value-set code in a language (ISO 639-1),
// false when it has none. dcc.DisplayName is the one the kiosk passes; tests pass a
// small fixed table.
type DisplayNames func(set dcc.ValueSet, code, lang string) (string, bool)

// Renderer makes certificate and refusal-slip PDFs. It is read-only once made and
// safe for concurrent use.
type Renderer struct {
	fonts *Fonts
	names DisplayNames
	cat   catalogue
}

// NewRenderer returns a Renderer that sets text in f and shows value-set codes by the
// names that names returns; a nil names prints the codes themselves.
func NewRenderer(f *Fonts, names DisplayNames) *Renderer {
	return &Renderer{fonts: f, names: names, cat: newCatalogue()}
}

// scales are the type scales tried, largest first, until the content fits the page.
func scales() []float64 { return []float64{1, 0.94, 0.88, 0.82, 0.76, 0.7} }

// Render lays out c on one A4 page and returns the PDF. With the same fonts and
// display names, the same Certificate always gives the same bytes. A character the
// font cannot draw is a *MissingGlyphError; an incomplete Certificate wraps
// ErrInvalid or ErrLanguage; content too long for one page even in smaller type is
// ErrTooLong.
func (r *Renderer) Render(c Certificate) ([]byte, error) {
	return r.render(func() (composed, error) { return r.layout(&c) })
}

// layout checks c, builds its content and composes the page.
func (r *Renderer) layout(c *Certificate) (*layout, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	b := builder{r: r, c: c, langs: c.Languages}
	ct, err := b.build()
	if err != nil {
		return nil, err
	}
	return r.certificatePage(ct, c.HC1, c.VerifyURL, c.IssuedAt, c.Languages[0])
}

// certificatePage sets ct on the certificate's page with the HC1 code and, when
// verifyURL is set, the verification address code; lang is the document's
// language. The certificate and the antibody certificate share it.
func (r *Renderer) certificatePage(ct *content, hc1, verifyURL string, issued time.Time, lang string) (*layout, error) {
	if err := r.fonts.checkGlyphs(ct.texts()); err != nil {
		return nil, err
	}
	l := &layout{ct: ct}
	var err error
	if l.hc1.sym, err = encodeQR(hc1); err != nil {
		return nil, fmt.Errorf("certpdf: HC1 code: %w", err)
	}
	l.hc1.module = moduleFor(l.hc1.sym, hc1Width)
	if verifyURL != "" {
		if l.verify.sym, err = encodeQR(verifyURL); err != nil {
			return nil, fmt.Errorf("certpdf: verification address code: %w", err)
		}
		l.verify.module = moduleFor(l.verify.sym, verifyWidth)
	}
	// fpdf's own A4 rather than a4().newPDF(): its height is 841.89 pt, 297 mm
	// rounded, which moves every y coordinate in the last digit; the certificate's
	// bytes were set on it and must not change.
	l.pdf = r.newDocument(fpdf.New("P", "mm", "A4", ""), a4(), issued, ct.title[0].s, lang)
	if err := composePage(&l.pen, scales(), l.compose); err != nil {
		return nil, err
	}
	return l, nil
}
