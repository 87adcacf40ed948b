package certpdf

// Slip layout: where each block of a refusal slip goes on the sheet, and rendering it.
// Everything is placed from the sheet's measurements, so the slip can move to other
// paper (a receipt roll) by changing the sheet alone.

import "time"

// Type sizes in points at scale 1. The slip is read by people who may see poorly
// and may not read the primary language: everything is larger than on the
// certificate, and the other languages' reasons and next steps are set in
// near-black, not grey.
const (
	sizeSlipTitle          = 24.0
	sizeSlipTitleOther     = 15.0
	sizeSlipNameLabel      = 11.0
	sizeSlipNameLabelOther = 10.0
	sizeSlipName           = 18.0
	sizeSlipKind           = 17.0
	sizeSlipKindOther      = 12.0
	sizeSlipLabel          = 12.5
	sizeSlipLabelOther     = 11.0
	sizeSlipText           = 15.0
	sizeSlipTextOther      = 12.5
	sizeSlipHelp           = 13.0
	sizeSlipHelpOther      = 11.5
	sizeSlipPrinted        = 12.0

	slipBar       = 1.6   // the accent bar on the left of each item, mm
	slipNameSplit = 120.0 // content width, mm, from which surname and forename sit side by side
)

func colorPanel() rgb { return rgb{240, 244, 249} }

// slipScales are the type scales tried, largest first, until the slip fits: finer
// steps than the certificate's, since every step down costs an elderly reader. The
// last goes below the certificate's smallest: a slip in small print is better than
// none, and at 0.64 the other languages are still set at 8 pt.
func slipScales() []float64 {
	return []float64{1, 0.96, 0.92, 0.88, 0.85, 0.82, 0.79, 0.76, 0.73, 0.7, 0.67, 0.64}
}

// slipLayout holds one slip being composed.
type slipLayout struct {
	pen
	sh sheet
	ct *slipContent
}

// RenderRefusal lays out s as a one-page A4 slip and returns the PDF. With the same
// fonts, the same Refusal always gives the same bytes. A character the font cannot
// draw is a *MissingGlyphError; an item without its reason or next step in a profile
// language is a *MissingTextError; any other incomplete Refusal wraps
// ErrInvalidRefusal or ErrLanguage; texts too long for one page even in smaller type
// are ErrTooLong.
func (r *Renderer) RenderRefusal(s Refusal) ([]byte, error) {
	return r.render(func() (composed, error) { return r.layoutRefusal(&s, a4()) })
}

// layoutRefusal checks s, builds its content and composes it on sh.
func (r *Renderer) layoutRefusal(s *Refusal, sh sheet) (*slipLayout, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	ct := r.refusalContent(s)
	return r.slipPage(sh, s.IssuedAt, ct.title[0].s, s.Languages[0], ct.texts(), ct, (*slipLayout).compose)
}

// slipPage checks texts, everything the page prints, against the font, then sets
// the page on sh with compose at the largest slip scale that fits; title and lang
// are the document's. ct is what the slip's own parts (banner, title, footer) print:
// the refusal slip, the receipt and the statement share them.
func (r *Renderer) slipPage(sh sheet, issued time.Time, title, lang string, texts []text, ct *slipContent,
	compose func(*slipLayout) bool) (*slipLayout, error) {
	if err := r.fonts.checkGlyphs(texts); err != nil {
		return nil, err
	}
	l := &slipLayout{pen: pen{pdf: r.newDocument(sh.newPDF(), sh, issued, title, lang)}, sh: sh, ct: ct}
	if err := composePage(&l.pen, slipScales(), func() bool { return compose(l) }); err != nil {
		return nil, err
	}
	return l, nil
}

// compose lays out the whole slip; it reports whether everything fits. When l.draw
// is set it also paints.
func (l *slipLayout) compose() bool {
	ct := l.ct
	x, w := l.sh.marginX, l.sh.contentW()
	y := l.sh.marginTop

	if len(ct.specimenBanner) > 0 {
		y += l.banner(x, y, w, ct.specimenBanner) + 4*l.scale
	}
	if len(ct.copyWord) > 0 {
		y += l.copyBand(x, y, w, ct.copyWord) + 4*l.scale
	}

	// The title, each language on a line of its own so that every reader finds
	// theirs at a glance, and a rule across.
	y += l.lines(x, y, w, ct.title, sizeSlipTitle, sizeSlipTitleOther, colorAccent(), colorLabel(), 0.6)
	y += 2.4 * l.scale
	if l.draw {
		l.rule(x, y, w, 0.8, colorAccent())
	}
	y += 5 * l.scale

	if len(ct.name) > 0 {
		y += l.name(x, y, w) + 6*l.scale
	}

	for _, it := range ct.items {
		y += l.item(x, y, w, it) + 5*l.scale
	}

	y += l.lines(x, y, w, ct.help, sizeSlipHelp, sizeSlipHelpOther, colorInk(), colorLabel(), 0.8)

	return y+4 <= l.footer()
}

// lines sets each language of m as a paragraph of its own, the primary at size and
// the others at otherSize, gap mm apart at scale 1. It returns the height used.
func (l *slipLayout) lines(x, y, w float64, m multi, size, otherSize float64, c, otherC rgb, gap float64) float64 {
	h := 0.0
	for i, t := range m {
		if i == 0 {
			h += l.para(x, y+h, w, t, size, c)
			continue
		}
		h += gap * l.scale
		h += l.para(x, y+h, w, t, otherSize, otherC)
	}
	return h
}

// name sets the surname and forename, side by side when the sheet is wide enough,
// else one under the other. It returns the height used.
func (l *slipLayout) name(x, y, w float64) float64 {
	fields := l.ct.name
	field := func(x, y, w float64, p personField) float64 {
		h := l.inline(x, y, w, p.label, sizeSlipNameLabel, sizeSlipNameLabelOther, colorLabel(), colorLabel())
		h += 0.8 * l.scale
		return h + l.para(x, y+h, w, p.value, sizeSlipName, colorInk())
	}
	if len(fields) == 2 && w >= slipNameSplit {
		colW := (w - columnGap) / 2
		return max(field(x, y, colW, fields[0]), field(x+colW+columnGap, y, colW, fields[1]))
	}
	h := 0.0
	for i, p := range fields {
		if i > 0 {
			h += 3.4 * l.scale
		}
		h += field(x, y+h, w, p)
	}
	return h
}

// item sets one certificate that could not be issued on a tinted panel with an
// accent bar: its title, then why and what to do. It returns the panel's height.
func (l *slipLayout) item(x, y, w float64, it slipItem) float64 {
	pad := 4 * l.scale
	ix, iw := x+slipBar+pad, w-slipBar-2*pad
	body := func(y float64) float64 {
		h := l.inline(ix, y, iw, it.kind, sizeSlipKind, sizeSlipKindOther, colorAccent(), colorMuted())
		h += 3 * l.scale
		h += l.inline(ix, y+h, iw, l.ct.whyLabel, sizeSlipLabel, sizeSlipLabelOther, colorLabel(), colorLabel())
		h += 1 * l.scale
		h += l.lines(ix, y+h, iw, it.why, sizeSlipText, sizeSlipTextOther, colorInk(), colorLabel(), 1.2)
		h += 2.8 * l.scale
		if l.draw {
			l.rule(ix, y+h, iw, 0.25, colorRule())
		}
		h += 2.8 * l.scale
		h += l.inline(ix, y+h, iw, l.ct.nextLabel, sizeSlipLabel, sizeSlipLabelOther, colorLabel(), colorLabel())
		h += 1 * l.scale
		return h + l.lines(ix, y+h, iw, it.next, sizeSlipText, sizeSlipTextOther, colorInk(), colorLabel(), 1.2)
	}
	h := 2*pad + l.measure(func() float64 { return body(y + pad) })
	if l.draw {
		c := colorPanel()
		l.pdf.SetFillColor(c.r, c.g, c.b)
		l.pdf.Rect(x, y, w, h, "F")
		c = colorAccent()
		l.pdf.SetFillColor(c.r, c.g, c.b)
		l.pdf.Rect(x, y, slipBar, h, "F")
		body(y + pad)
	}
	return h
}

// footer sets the time the slip was printed, anchored to the bottom margin, and
// returns the top of the footer, rule included.
func (l *slipLayout) footer() float64 {
	ct := l.ct
	x, w := l.sh.marginX, l.sh.contentW()
	text := func(y float64) float64 {
		h := l.inline(x, y, w, ct.printedLabel, sizeFooter, sizeFooterOther, colorLabel(), colorMuted())
		h += 0.6 * l.scale
		return h + l.para(x, y+h, w, ct.printed, sizeSlipPrinted, colorInk())
	}
	top := l.sh.h - l.sh.marginBottom - l.measure(func() float64 { return text(0) })
	if l.draw {
		l.rule(x, top-3.5*l.scale, w, 0.35, colorAccent())
		text(top)
	}
	return top - 3.5*l.scale
}
