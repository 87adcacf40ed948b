package certpdf

// Receipt: the slip printed when a request is accepted while the registry cannot be
// reached: a claim code to collect the certificate with later, and no personal data.

import (
	"errors"
	"fmt"
	"time"
)

// Receipt is everything printed on a claim receipt. It carries no personal data: a
// receipt left at the kiosk tells a stranger nothing, and the code alone releases
// nothing (collecting needs the date of birth too).
type Receipt struct {
	// ClaimCode is the code the resident collects the certificate with, as it is to
	// be read (e.g. "K7Q4-M2XP"); letters, digits and '-' only.
	ClaimCode string
	// Languages are the profile's languages, primary first; each one of Languages().
	Languages []string
	// IssuedAt is when the receipt is printed, printed and used as the PDF's dates;
	// it must be set.
	IssuedAt time.Time
	// Location is the time zone IssuedAt is printed in; nil means UTC.
	Location *time.Location
	// Specimen marks a receipt from a demonstration kiosk.
	Specimen bool
}

// Type sizes of the receipt, points at scale 1: the code is what the resident must
// keep, so it is the largest thing on the page.
const (
	sizeReceiptCode      = 40.0
	sizeReceiptCodeLabel = 13.0
)

// ErrInvalidReceipt reports a Receipt that cannot be printed as given.
var ErrInvalidReceipt = errors.New("certpdf: invalid receipt")

func (r *Receipt) check() error {
	if r.IssuedAt.IsZero() {
		return fmt.Errorf("%w: IssuedAt is not set", ErrInvalidReceipt)
	}
	if r.ClaimCode == "" {
		return fmt.Errorf("%w: no claim code", ErrInvalidReceipt)
	}
	for _, c := range r.ClaimCode {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("%w: claim code holds %q, want A–Z, 0–9 and '-'", ErrInvalidReceipt, c)
		}
	}
	return checkLanguages(r.Languages, ErrInvalidReceipt)
}

// receiptContent is everything printed on a receipt.
type receiptContent struct {
	slip      slipContent // banner, title, help and the printed time, set as on a refusal slip
	why       multi
	codeLabel multi
	code      text
	collect   multi
	noData    multi
}

func (c *receiptContent) texts() []text {
	out := c.slip.texts()
	for _, m := range []multi{c.why, c.codeLabel, c.collect, c.noData} {
		out = append(out, m...)
	}
	return append(out, c.code)
}

// RenderReceipt lays out r as a one-page A4 receipt and returns the PDF; the same
// Receipt always gives the same bytes. An incomplete Receipt wraps ErrInvalidReceipt
// or ErrLanguage.
func (rd *Renderer) RenderReceipt(r Receipt) ([]byte, error) {
	return rd.render(func() (composed, error) {
		if err := r.check(); err != nil {
			return nil, err
		}
		ct := rd.receiptContent(&r)
		return rd.slipPage(a4(), r.IssuedAt, ct.slip.title[0].s, r.Languages[0], ct.texts(), &ct.slip,
			func(l *slipLayout) bool { return composeReceipt(l, ct) })
	})
}

// receiptContent builds the content of a checked Receipt.
func (rd *Renderer) receiptContent(r *Receipt) *receiptContent {
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	b := builder{r: rd, langs: r.Languages}
	ct := &receiptContent{
		slip: slipContent{
			title:        b.label(labelReceiptTitle, true),
			help:         b.label(labelRefusalHelp, false),
			printedLabel: b.label(labelRefusalPrinted, false),
			printed:      text{field: "time printed", s: formatTime(r.IssuedAt, loc), bold: true},
			separator:    text{field: "language separator", s: langSeparator},
		},
		why:       b.label(labelReceiptWhy, false),
		codeLabel: b.label(labelReceiptCode, true),
		code:      text{field: "claim code", s: r.ClaimCode, bold: true},
		collect:   b.label(labelReceiptCollect, false),
		noData:    b.label(labelReceiptNoData, false),
	}
	if r.Specimen {
		ct.slip.specimenBanner = b.label(labelRefusalSpecimenBanner, true)
		for i := range ct.slip.specimenBanner {
			ct.slip.specimenBanner[i].bold = true
		}
	}
	return ct
}

// composeReceipt lays out the receipt: title, why it is a receipt, the code on a
// tinted panel, how to collect, and the printed time at the foot. It reports whether
// everything fits; with l.draw set it also paints.
func composeReceipt(l *slipLayout, ct *receiptContent) bool {
	x, w := l.sh.marginX, l.sh.contentW()
	y := l.sh.marginTop
	if len(ct.slip.specimenBanner) > 0 {
		y += l.banner(x, y, w, ct.slip.specimenBanner) + 4*l.scale
	}
	y += l.lines(x, y, w, ct.slip.title, sizeSlipTitle, sizeSlipTitleOther, colorAccent(), colorLabel(), 0.6)
	y += 2.4 * l.scale
	if l.draw {
		l.rule(x, y, w, 0.8, colorAccent())
	}
	y += 5 * l.scale
	y += l.lines(x, y, w, ct.why, sizeSlipText, sizeSlipTextOther, colorInk(), colorLabel(), 1.2)
	y += 6 * l.scale

	pad := 5 * l.scale
	panel := func(y float64) float64 {
		h := l.inline(x+pad, y, w-2*pad, ct.codeLabel, sizeReceiptCodeLabel, sizeSlipLabelOther, colorLabel(), colorLabel())
		h += 2 * l.scale
		return h + l.para(x+pad, y+h, w-2*pad, ct.code, sizeReceiptCode, colorAccent())
	}
	ph := 2*pad + l.measure(func() float64 { return panel(y + pad) })
	if l.draw {
		c := colorPanel()
		l.pdf.SetFillColor(c.r, c.g, c.b)
		l.pdf.Rect(x, y, w, ph, "F")
		panel(y + pad)
	}
	y += ph + 6*l.scale
	y += l.lines(x, y, w, ct.collect, sizeSlipText, sizeSlipTextOther, colorInk(), colorLabel(), 1.2)
	y += 5 * l.scale
	y += l.lines(x, y, w, ct.noData, sizeSlipHelp, sizeSlipHelpOther, colorInk(), colorLabel(), 0.8)
	y += 4 * l.scale
	y += l.lines(x, y, w, ct.slip.help, sizeSlipHelp, sizeSlipHelpOther, colorInk(), colorLabel(), 0.8)
	return y+4 <= l.footer()
}
