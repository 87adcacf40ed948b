package certpdf

// Layout: where each block of a certificate goes on the A4 page. One pass (compose)
// both measures and, when drawing, paints, so what is measured is exactly what is
// drawn.

// Page geometry, in mm unless named otherwise.
const (
	pageW        = 210.0
	pageH        = 297.0
	marginX      = 18.0
	marginTop    = 16.0
	marginBottom = 16.0
	contentW     = pageW - 2*marginX

	ptPerMM = 72 / 25.4
	mmPerPt = 25.4 / 72

	hc1Width    = 62.0 // the HC1 symbol without quiet zone; at least 50 mm scans reliably off paper
	verifyWidth = 20.0 // the verification address symbol without quiet zone
	labelColW   = 64.0 // label column of the entry table
	columnGap   = 5.0
	rowPad      = 2.1 // above and below each table row
	lineFactor  = 1.25
	family      = "body"
)

// Type sizes in points at scale 1.
const (
	sizeTitle        = 21.0
	sizeTitleOther   = 13.0
	sizeHeading      = 11.5
	sizeHeadingOther = 10.0
	sizeLabel        = 10.5
	sizeLabelOther   = 9.0
	sizeValue        = 13.0
	sizeValueOther   = 10.0
	sizeValueMin     = 8.5
	sizeName         = 16.0
	sizeStd          = 10.5
	sizeBanner       = 12.5
	sizeBannerOther  = 9.0
	sizeFooter       = 10.0
	sizeFooterOther  = 9.0
	sizeURL          = 11.5
	sizeNote         = 10.5
	sizeMark         = 80.0
	sizeMarkOther    = 30.0
	sizeCopy         = 20.0
	sizeCopyOther    = 14.0
)

type rgb struct{ r, g, b int }

// The palette. Functions rather than variables, so that no package state exists to
// be changed.

func colorInk() rgb      { return rgb{20, 20, 20} }
func colorLabel() rgb    { return rgb{50, 50, 50} }
func colorMuted() rgb    { return rgb{100, 100, 100} }
func colorAccent() rgb   { return rgb{0, 51, 102} }
func colorRule() rgb     { return rgb{185, 185, 185} }
func colorSpecimen() rgb { return rgb{170, 0, 30} }
func colorMark() rgb     { return rgb{245, 200, 200} }
func colorWhite() rgb    { return rgb{255, 255, 255} }

// layout holds one certificate page being composed.
type layout struct {
	pen
	ct     *content
	hc1    placedQR
	verify placedQR // zero size when the certificate has no verification address
}

// compose lays out the whole page; it reports whether everything fits. When
// l.draw is set it also paints.
func (l *layout) compose() bool {
	ct := l.ct
	if l.draw && len(ct.specimenWord) > 0 {
		l.specimenMark()
	}
	y := marginTop

	if len(ct.specimenBanner) > 0 {
		y += l.banner(marginX, y, contentW, ct.specimenBanner) + 4*l.scale
	}
	if len(ct.copyWord) > 0 {
		y += l.copyBand(marginX, y, contentW, ct.copyWord) + 4*l.scale
	}

	// Title in every language, and a rule across the page.
	y += l.block(marginX, y, contentW, ct.title, sizeTitle, sizeTitleOther, colorAccent(), colorMuted())
	y += 2.2 * l.scale
	if l.draw {
		l.rule(marginX, y, contentW, 0.8, colorAccent())
	}
	y += 5 * l.scale

	// The holder on the left, the HC1 code on the right.
	l.hc1.x = pageW - marginX - l.hc1.box() + quietZone*l.hc1.module
	l.hc1.y = y
	leftW := l.hc1.x + quietZone*l.hc1.module - columnGap - marginX - 3
	ly := y + l.heading(marginX, y, leftW, ct.holderHeading)
	for _, p := range ct.holder {
		ly += l.block(marginX, ly, leftW, p.label, sizeLabel, sizeLabelOther, colorLabel(), colorMuted())
		ly += 0.8 * l.scale
		ly += l.para(marginX, ly, leftW, p.value, sizeName, colorInk())
		ly += l.para(marginX, ly, leftW, p.std, sizeStd, colorMuted())
		ly += 3.4 * l.scale
	}
	if l.draw {
		l.hc1.draw(l.pdf)
	}
	y = max(ly, l.hc1.y+l.hc1.box()) + 3*l.scale

	// The entry: label and value columns.
	y += l.heading(marginX, y, contentW, ct.entryHeading)
	valueX := marginX + labelColW + columnGap
	valueW := contentW - labelColW - columnGap
	for i, r := range ct.rows {
		top := y + rowPad*l.scale
		lh := l.block(marginX, top, labelColW, r.label, sizeLabel, sizeLabelOther, colorLabel(), colorMuted())
		vh := l.value(valueX, top, valueW, r)
		y = top + max(lh, vh) + rowPad*l.scale
		if l.draw && i < len(ct.rows)-1 {
			l.rule(marginX, y, contentW, 0.2, colorRule())
		}
	}

	if len(ct.notes) > 0 {
		y += 3 * l.scale
		y += l.heading(marginX, y, contentW, ct.notesHeading)
		for _, n := range ct.notes {
			y += l.para(marginX, y, contentW, n, sizeNote, colorInk()) + 1*l.scale
		}
	}

	return y+4 <= l.footer()
}

// value sets a row's value: the primary text large (shrunk to one line first when
// the row holds an identifier), the other languages' names under it.
func (l *layout) value(x, y, w float64, r row) float64 {
	size := sizeValue
	if r.narrow {
		for size > sizeValueMin && l.width(r.value[0], size) > w {
			size -= 0.5
		}
	}
	h := l.para(x, y, w, r.value[0], size, colorInk())
	return h + l.para(x, y+h, w, l.others(r.value), sizeValueOther, colorMuted())
}

// footer lays out the bottom of the page (the verification code with its address,
// and the note that paper is as valid as digital) anchored to the bottom margin.
// It returns the top of the footer, rule included.
func (l *layout) footer() float64 {
	textX := marginX
	var box float64
	if l.verify.sym.size > 0 {
		box = l.verify.box()
		textX = marginX + verifyWidth + columnGap + 1
	}
	textW := pageW - marginX - textX
	// Measure first: the footer grows upwards from the bottom margin.
	th := l.measure(func() float64 { return l.footerText(textX, 0, textW) })
	h := max(box-2*quietZone*l.verify.module, th)
	top := pageH - marginBottom - h
	if l.draw {
		l.rule(marginX, top-3.5*l.scale, contentW, 0.35, colorAccent())
		l.footerText(textX, top, textW)
		if box > 0 {
			l.verify.x = marginX - quietZone*l.verify.module
			l.verify.y = top - quietZone*l.verify.module
			l.verify.draw(l.pdf)
		}
	}
	return top - 3.5*l.scale
}

func (l *layout) footerText(x, y, w float64) float64 {
	ct := l.ct
	h := 0.0
	if ct.verifyURL.s != "" {
		h += l.block(x, y, w, ct.verifyLabel, sizeFooter, sizeFooterOther, colorLabel(), colorMuted())
		h += 0.6 * l.scale
		h += l.para(x, y+h, w, ct.verifyURL, sizeURL, colorInk())
		h += 2 * l.scale
	}
	h += l.block(x, y+h, w, ct.paperNote, sizeFooterOther, sizeFooterOther, colorMuted(), colorMuted())
	return h
}

// specimenMark draws the diagonal "not valid" mark across the middle of the page,
// under everything else.
func (l *layout) specimenMark() {
	ct := l.ct
	cx, cy := pageW/2, pageH*0.62
	l.pdf.TransformBegin()
	l.pdf.TransformRotate(32, cx, cy)
	l.setText(colorMark())
	w := l.width(ct.specimenWord[0], sizeMark)
	l.pdf.Text(cx-w/2, cy, ct.specimenWord[0].s)
	if rest := l.others(ct.specimenWord); rest.s != "" {
		rest.bold = true
		w := l.width(rest, sizeMarkOther)
		l.setText(colorMark())
		l.pdf.Text(cx-w/2, cy+l.lineH(sizeMarkOther)+2, rest.s)
	}
	l.pdf.TransformEnd()
}
