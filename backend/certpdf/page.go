package certpdf

// Page: the one path every layout takes from its content to PDF bytes: a document
// whose bytes follow from its inputs alone, the largest type scale at which the
// content fits, the page drawn at that scale, and the bytes written out.

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// sheet is the paper a page is set on, mm.
type sheet struct {
	w, h                             float64
	marginX, marginTop, marginBottom float64
}

// a4 is the sheet the kiosk prints on: the certificate's page and margins.
func a4() sheet {
	return sheet{w: pageW, h: pageH, marginX: marginX, marginTop: marginTop, marginBottom: marginBottom}
}

func (s sheet) contentW() float64 { return s.w - 2*s.marginX }

// composed is a layout whose page has been drawn.
type composed interface {
	document() *fpdf.Fpdf
}

// document returns the PDF the pen sets text on.
func (p *pen) document() *fpdf.Fpdf { return p.pdf }

// render runs page, which checks, builds and composes one page, and returns the PDF.
// fpdf panics on input the checks should already exclude (a character past its
// 16-bit tables); the kiosk must not go down over one page, so a panic comes back
// as an error.
func (r *Renderer) render(page func() (composed, error)) (pdf []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			pdf, err = nil, fmt.Errorf("certpdf: PDF library failed: %v", p)
		}
	}()
	if r.fonts == nil {
		return nil, errors.New("certpdf: renderer has no fonts")
	}
	l, err := page()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := l.document().Output(&out); err != nil {
		return nil, fmt.Errorf("certpdf: writing PDF: %w", err)
	}
	return out.Bytes(), nil
}

// newPDF returns an empty portrait document the size of the sheet.
func (s sheet) newPDF() *fpdf.Fpdf {
	return fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: s.w, Ht: s.h}})
}

// newDocument sets up pdf, an empty document the size of sh, so that its bytes
// follow from the arguments alone: fixed dates, sorted resource catalogues, no
// random identifiers (fpdf writes no /ID), and both faces embedded. Text is placed
// by hand within sh's margins, so fpdf never breaks a page.
func (r *Renderer) newDocument(pdf *fpdf.Fpdf, sh sheet, issued time.Time, title, lang string) *fpdf.Fpdf {
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
	pdf.SetMargins(sh.marginX, sh.marginTop, sh.marginX)
	pdf.SetAutoPageBreak(false, sh.marginBottom)
	return pdf
}

// composePage finds the largest of scales, tried largest first, at which compose
// reports that everything fits, then adds the page and composes it again with p
// drawing. Content that fits at none of them is ErrTooLong.
func composePage(p *pen, scales []float64, compose func() bool) error {
	fits := false
	for _, s := range scales {
		p.scale = s
		if fits = compose(); fits {
			break
		}
	}
	if !fits {
		return ErrTooLong
	}
	p.pdf.AddPage()
	p.draw = true
	compose()
	if err := p.pdf.Error(); err != nil {
		return fmt.Errorf("certpdf: laying out: %w", err)
	}
	return nil
}
