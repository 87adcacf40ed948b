package certpdf

// Renderer: turns a Certificate into PDF bytes, fitting the content on one A4 page.

import (
	"bytes"
	"errors"
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
func (r *Renderer) Render(c Certificate) (pdf []byte, err error) {
	// fpdf panics on input the checks here should already exclude (a character past
	// its 16-bit tables); the kiosk must not go down over one certificate.
	defer func() {
		if p := recover(); p != nil {
			pdf, err = nil, fmt.Errorf("certpdf: PDF library failed: %v", p)
		}
	}()
	l, err := r.layout(&c)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := l.pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("certpdf: writing PDF: %w", err)
	}
	return out.Bytes(), nil
}

// layout checks c, builds its content and composes the page, ready for output.
func (r *Renderer) layout(c *Certificate) (*layout, error) {
	if r.fonts == nil {
		return nil, errors.New("certpdf: renderer has no fonts")
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	b := builder{r: r, c: c, langs: c.Languages}
	ct, err := b.build()
	if err != nil {
		return nil, err
	}
	if err := r.fonts.checkGlyphs(ct.texts()); err != nil {
		return nil, err
	}
	l := &layout{ct: ct}
	if l.hc1.sym, err = encodeQR(c.HC1); err != nil {
		return nil, fmt.Errorf("certpdf: HC1 code: %w", err)
	}
	l.hc1.module = moduleFor(l.hc1.sym, hc1Width)
	if c.VerifyURL != "" {
		if l.verify.sym, err = encodeQR(c.VerifyURL); err != nil {
			return nil, fmt.Errorf("certpdf: verification address code: %w", err)
		}
		l.verify.module = moduleFor(l.verify.sym, verifyWidth)
	}

	l.pdf = r.newDocument(c, ct)
	fits := false
	for _, s := range scales() {
		l.scale = s
		if fits = l.compose(); fits {
			break
		}
	}
	if !fits {
		return nil, ErrTooLong
	}
	l.pdf.AddPage()
	l.draw = true
	l.compose()
	if err := l.pdf.Error(); err != nil {
		return nil, fmt.Errorf("certpdf: laying out: %w", err)
	}
	return l, nil
}

// newDocument starts a PDF whose every byte follows from c.
func (r *Renderer) newDocument(c *Certificate, ct *content) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	r.startDocument(pdf, c.IssuedAt, ct.title[0].s, c.Languages[0])
	pdf.SetMargins(marginX, marginTop, marginX)
	pdf.SetAutoPageBreak(false, marginBottom)
	return pdf
}

// startDocument sets up pdf so that its bytes follow from the arguments alone: fixed
// dates, sorted resource catalogues, no random identifiers (fpdf writes no /ID), and
// both faces embedded.
func (r *Renderer) startDocument(pdf *fpdf.Fpdf, issued time.Time, title, lang string) {
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	issued = issued.UTC().Truncate(time.Second)
	pdf.SetCreationDate(issued)
	pdf.SetModificationDate(issued)
	pdf.SetTitle(title, true)
	pdf.SetCreator("CertKiosk", true)
	pdf.SetLang(lang)
	pdf.SetCellMargin(0)
	pdf.AddUTF8FontFromBytes(family, "", r.fonts.regular.data)
	pdf.AddUTF8FontFromBytes(family, "B", r.fonts.bold.data)
}
