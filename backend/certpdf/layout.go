package certpdf

// Layout: where each block goes on the A4 page. One pass (compose) both measures and,
// when drawing, paints, so what is measured is exactly what is drawn.

import (
	"strings"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

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

// layout holds one page being composed.
type layout struct {
	pdf    *fpdf.Fpdf
	ct     *content
	hc1    placedQR
	verify placedQR // zero size when the certificate has no verification address
	scale  float64  // applied to type sizes and text spacing, never to QR codes
	draw   bool     // false: measure only
}

func (l *layout) setFont(t text, size float64) {
	style := ""
	if t.bold {
		style = "B"
	}
	l.pdf.SetFont(family, style, size*l.scale)
}

func (l *layout) setText(c rgb) { l.pdf.SetTextColor(c.r, c.g, c.b) }

// lineH is the line height for a type size, mm.
func (l *layout) lineH(size float64) float64 { return size * l.scale * mmPerPt * lineFactor }

// baseline is the distance from a line's top to its baseline, mm; it centres
// DejaVu's and Noto's ascent and descent in the line.
func (l *layout) baseline(size float64) float64 { return size * l.scale * mmPerPt * 0.98 }

// width returns the advance width of t at size, mm.
func (l *layout) width(t text, size float64) float64 {
	l.setFont(t, size)
	return l.pdf.GetStringWidth(t.s)
}

// para sets t wrapped to width w with its first line's top at y; it returns the
// height used.
func (l *layout) para(x, y, w float64, t text, size float64, c rgb) float64 {
	if t.s == "" {
		return 0
	}
	l.setFont(t, size)
	lines := l.wrap(t.s, w)
	lh := l.lineH(size)
	if l.draw {
		l.setText(c)
		for i, s := range lines {
			l.pdf.Text(x, y+float64(i)*lh+l.baseline(size), s)
		}
	}
	return float64(len(lines)) * lh
}

// wrap breaks s into lines no wider than w in the current font: after a space, a
// hyphen or a slash where possible (double-barrelled names break at the hyphen),
// else between characters.
func (l *layout) wrap(s string, w float64) []string {
	fits := func(t string) bool { return l.pdf.GetStringWidth(strings.TrimRight(t, " ")) <= w }
	var lines []string
	line := ""
	for _, tok := range breakTokens(s) {
		if fits(line + tok) {
			line += tok
			continue
		}
		if line != "" {
			lines = append(lines, strings.TrimRight(line, " "))
		}
		for !fits(tok) {
			n := 0 // bytes of the longest prefix that fits, at least one character
			for i, r := range tok {
				end := i + utf8.RuneLen(r)
				if n > 0 && !fits(tok[:end]) {
					break
				}
				n = end
			}
			lines = append(lines, tok[:n])
			tok = tok[n:]
		}
		line = tok
	}
	if line = strings.TrimRight(line, " "); line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// breakTokens splits s after each space, hyphen and slash, keeping every character.
func breakTokens(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if r == ' ' || r == '-' || r == '/' {
			out = append(out, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// others joins every text after the primary with the language separator.
func (l *layout) others(m multi) text {
	if len(m) < 2 {
		return text{}
	}
	parts := make([]string, len(m)-1)
	for i, t := range m[1:] {
		parts[i] = t.s
	}
	return text{s: strings.Join(parts, l.ct.separator.s)}
}

// block sets a multi-language text: the primary on its own line(s), the others
// joined under it, smaller. It returns the height used.
func (l *layout) block(x, y, w float64, m multi, size, otherSize float64, c, otherC rgb) float64 {
	if len(m) == 0 {
		return 0
	}
	h := l.para(x, y, w, m[0], size, c)
	return h + l.para(x, y+h, w, l.others(m), otherSize, otherC)
}

// heading sets a section heading, primary language and the others on one line when
// they fit, with a rule under it. It returns the height used including the rule.
func (l *layout) heading(x, y, w float64, m multi) float64 {
	rest := l.others(m)
	sep := text{s: l.ct.separator.s}
	pw := l.width(m[0], sizeHeading)
	ow := l.width(sep, sizeHeadingOther) + l.width(rest, sizeHeadingOther)
	var h float64
	if rest.s == "" || pw+ow <= w {
		h = l.lineH(sizeHeading)
		if l.draw {
			base := y + l.baseline(sizeHeading)
			l.setFont(m[0], sizeHeading)
			l.setText(colorAccent())
			l.pdf.Text(x, base, m[0].s)
			if rest.s != "" {
				l.setFont(rest, sizeHeadingOther)
				l.setText(colorMuted())
				l.pdf.Text(x+pw, base, sep.s+rest.s)
			}
		}
	} else {
		h = l.block(x, y, w, m, sizeHeading, sizeHeadingOther, colorAccent(), colorMuted())
	}
	h += 1.2 * l.scale
	if l.draw {
		l.rule(x, y+h, w, 0.35, colorAccent())
	}
	return h + 2.6*l.scale
}

func (l *layout) rule(x, y, w, thickness float64, c rgb) {
	l.pdf.SetDrawColor(c.r, c.g, c.b)
	l.pdf.SetLineWidth(thickness)
	l.pdf.Line(x, y, x+w, y)
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
		pad := 2.4 * l.scale
		inner := contentW - 2*pad
		h := 2*pad + l.measure(func() float64 {
			return l.block(marginX+pad, y+pad, inner, ct.specimenBanner, sizeBanner, sizeBannerOther, colorWhite(), colorWhite())
		})
		if l.draw {
			c := colorSpecimen()
			l.pdf.SetFillColor(c.r, c.g, c.b)
			l.pdf.Rect(marginX, y, contentW, h, "F")
			l.block(marginX+pad, y+pad, inner, ct.specimenBanner, sizeBanner, sizeBannerOther, colorWhite(), colorWhite())
		}
		y += h + 4*l.scale
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

// measure runs f without drawing and returns what it returns.
func (l *layout) measure(f func() float64) float64 {
	saved := l.draw
	l.draw = false
	defer func() { l.draw = saved }()
	return f()
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
