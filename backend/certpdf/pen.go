package certpdf

// Pen: the text primitives the certificate and the refusal slip are set with. One
// pass both measures and, when drawing, paints, so what is measured is exactly what
// is drawn.

import (
	"strings"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

// pen sets text on one PDF page at a type scale.
type pen struct {
	pdf   *fpdf.Fpdf
	scale float64 // applied to type sizes and text spacing, never to QR codes
	draw  bool    // false: measure only
}

func (p *pen) setFont(t text, size float64) {
	style := ""
	if t.bold {
		style = "B"
	}
	p.pdf.SetFont(family, style, size*p.scale)
}

func (p *pen) setText(c rgb) { p.pdf.SetTextColor(c.r, c.g, c.b) }

// lineH is the line height for a type size, mm.
func (p *pen) lineH(size float64) float64 { return size * p.scale * mmPerPt * lineFactor }

// baseline is the distance from a line's top to its baseline, mm; it centres
// DejaVu's and Noto's ascent and descent in the line.
func (p *pen) baseline(size float64) float64 { return size * p.scale * mmPerPt * 0.98 }

// width returns the advance width of t at size, mm.
func (p *pen) width(t text, size float64) float64 {
	p.setFont(t, size)
	return p.pdf.GetStringWidth(t.s)
}

// para sets t wrapped to width w with its first line's top at y; it returns the
// height used.
func (p *pen) para(x, y, w float64, t text, size float64, c rgb) float64 {
	if t.s == "" {
		return 0
	}
	p.setFont(t, size)
	lines := p.wrap(t.s, w)
	lh := p.lineH(size)
	if p.draw {
		p.setText(c)
		for i, s := range lines {
			p.pdf.Text(x, y+float64(i)*lh+p.baseline(size), s)
		}
	}
	return float64(len(lines)) * lh
}

// wrap breaks s into lines no wider than w in the current font: after a space, a
// hyphen or a slash where possible (double-barrelled names break at the hyphen),
// else between characters.
func (p *pen) wrap(s string, w float64) []string {
	fits := func(t string) bool { return p.pdf.GetStringWidth(strings.TrimRight(t, " ")) <= w }
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
func (p *pen) others(m multi) text {
	if len(m) < 2 {
		return text{}
	}
	parts := make([]string, len(m)-1)
	for i, t := range m[1:] {
		parts[i] = t.s
	}
	return text{s: strings.Join(parts, langSeparator)}
}

// block sets a multi-language text: the primary on its own line(s), the others
// joined under it, smaller. It returns the height used.
func (p *pen) block(x, y, w float64, m multi, size, otherSize float64, c, otherC rgb) float64 {
	if len(m) == 0 {
		return 0
	}
	h := p.para(x, y, w, m[0], size, c)
	return h + p.para(x, y+h, w, p.others(m), otherSize, otherC)
}

// heading sets a section heading, primary language and the others on one line when
// they fit, with a rule under it. It returns the height used including the rule.
func (p *pen) heading(x, y, w float64, m multi) float64 {
	h := p.inline(x, y, w, m, sizeHeading, sizeHeadingOther, colorAccent(), colorMuted())
	h += 1.2 * p.scale
	if p.draw {
		p.rule(x, y+h, w, 0.35, colorAccent())
	}
	return h + 2.6*p.scale
}

// inline sets a short multi-language text on one line, the primary followed by the
// others in smaller type, when it fits in w; otherwise as a block. It returns the
// height used.
func (p *pen) inline(x, y, w float64, m multi, size, otherSize float64, c, otherC rgb) float64 {
	rest := p.others(m)
	sep := text{s: langSeparator}
	pw := p.width(m[0], size)
	ow := p.width(sep, otherSize) + p.width(rest, otherSize)
	if rest.s != "" && pw+ow > w {
		return p.block(x, y, w, m, size, otherSize, c, otherC)
	}
	if p.draw {
		base := y + p.baseline(size)
		p.setFont(m[0], size)
		p.setText(c)
		p.pdf.Text(x, base, m[0].s)
		if rest.s != "" {
			p.setFont(rest, otherSize)
			p.setText(otherC)
			p.pdf.Text(x+pw, base, sep.s+rest.s)
		}
	}
	return p.lineH(size)
}

func (p *pen) rule(x, y, w, thickness float64, c rgb) {
	p.pdf.SetDrawColor(c.r, c.g, c.b)
	p.pdf.SetLineWidth(thickness)
	p.pdf.Line(x, y, x+w, y)
}

// measure runs f without drawing and returns what it returns.
func (p *pen) measure(f func() float64) float64 {
	saved := p.draw
	p.draw = false
	defer func() { p.draw = saved }()
	return f()
}

// banner sets m in white on a specimen-red band w wide, with its top at y; it
// returns the band's height.
func (p *pen) banner(x, y, w float64, m multi) float64 {
	return p.band(x, y, w, m, colorSpecimen(), sizeBanner, sizeBannerOther, p.block)
}

// copyBand sets the reprint mark m in white on a dark band w wide, with its top at
// y, the primary language large and the others beside it when they fit; it returns
// the band's height.
func (p *pen) copyBand(x, y, w float64, m multi) float64 {
	return p.band(x, y, w, m, colorAccent(), sizeCopy, sizeCopyOther, p.inline)
}

// band sets m in white, laid out by set (block or inline), on a band of colour
// fill w wide with its top at y; it returns the band's height.
func (p *pen) band(x, y, w float64, m multi, fill rgb, size, otherSize float64,
	set func(x, y, w float64, m multi, size, otherSize float64, c, otherC rgb) float64) float64 {
	pad := 2.4 * p.scale
	inner := w - 2*pad
	h := 2*pad + p.measure(func() float64 {
		return set(x+pad, y+pad, inner, m, size, otherSize, colorWhite(), colorWhite())
	})
	if p.draw {
		p.pdf.SetFillColor(fill.r, fill.g, fill.b)
		p.pdf.Rect(x, y, w, h, "F")
		set(x+pad, y+pad, inner, m, size, otherSize, colorWhite(), colorWhite())
	}
	return h
}
