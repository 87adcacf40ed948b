package certpdf

// QR codes: encoding at error correction level Q and drawing the modules as one
// vector fill, so the code is crisp at any printer resolution.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"
)

// quietZone is the light margin kept round a symbol, in modules (ISO/IEC 18004:2015
// §6.3.8 asks for 4).
const quietZone = 4

// qrSymbol is a QR code's module matrix without its quiet zone.
type qrSymbol struct {
	size int    // modules per side
	dark []bool // row-major, size*size
}

// encodeQR encodes content at error correction level Q, which the eHealth Network's
// Technical Specifications for EU Digital COVID Certificates (Volume 1, 2D barcode)
// require for the HC1 code. go-qrcode's High is level Q (25 % recovery, format bits
// 11), its Highest is level H.
func encodeQR(content string) (qrSymbol, error) {
	q, err := qrcode.New(content, qrcode.High)
	if err != nil {
		return qrSymbol{}, fmt.Errorf("certpdf: encoding QR code: %w", err)
	}
	q.DisableBorder = true // the layout keeps the quiet zone itself
	bm := q.Bitmap()
	s := qrSymbol{size: len(bm), dark: make([]bool, 0, len(bm)*len(bm))}
	for _, row := range bm {
		if len(row) != s.size {
			return qrSymbol{}, fmt.Errorf("certpdf: QR bitmap is not square")
		}
		s.dark = append(s.dark, row...)
	}
	return s, nil
}

// at reports whether the module in column x of row y is dark.
func (s qrSymbol) at(x, y int) bool { return s.dark[y*s.size+x] }

// fillOps returns PDF content operators that fill the dark modules in black as one
// path of rectangles, one per horizontal run. All coordinates are whole hundredths
// of a point, so neighbouring rectangles share edges exactly and no hairline seam
// appears between them. left and top are the symbol's top-left corner in
// hundredths of a point in PDF space (origin bottom-left); module is a module's side.
func (s qrSymbol) fillOps(left, top, module int64) string {
	var b strings.Builder
	b.WriteString("q 0 g\n")
	for y := range s.size {
		for x := 0; x < s.size; {
			if !s.at(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < s.size && s.at(x+run, y) {
				run++
			}
			b.WriteString(hundredths(left + int64(x)*module))
			b.WriteByte(' ')
			b.WriteString(hundredths(top - int64(y+1)*module))
			b.WriteByte(' ')
			b.WriteString(hundredths(int64(run) * module))
			b.WriteByte(' ')
			b.WriteString(hundredths(module))
			b.WriteString(" re\n")
			x += run
		}
	}
	b.WriteString("f\nQ")
	return b.String()
}

// hundredths formats v/100 with two decimals, as a PDF number.
func hundredths(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	frac := strconv.FormatInt(v%100, 10)
	if len(frac) == 1 {
		frac = "0" + frac
	}
	return sign + strconv.FormatInt(v/100, 10) + "." + frac
}

// placedQR is a symbol placed on the page: the box includes the quiet zone.
type placedQR struct {
	sym    qrSymbol
	module float64 // mm, a whole number of hundredths of a point
	x, y   float64 // top-left corner of the box, mm
}

// moduleFor returns the module side, in mm, that makes the symbol (without quiet
// zone) width mm wide, rounded down to whole hundredths of a point.
func moduleFor(sym qrSymbol, width float64) float64 {
	h := math.Floor(width * ptPerMM * 100 / float64(sym.size))
	return h / 100 / ptPerMM
}

// box returns the side of the placed symbol including its quiet zone, mm.
func (p placedQR) box() float64 { return float64(p.sym.size+2*quietZone) * p.module }

// draw paints the quiet zone white (it may lie over the specimen mark) and the dark
// modules black.
func (p placedQR) draw(pdf *fpdf.Fpdf) {
	pdf.SetFillColor(255, 255, 255)
	pdf.Rect(p.x, p.y, p.box(), p.box(), "F")
	_, pageH := pdf.GetPageSize()
	module := int64(math.Round(p.module * ptPerMM * 100))
	left := int64(math.Round(p.x*ptPerMM*100)) + quietZone*module
	top := int64(math.Round((pageH-p.y)*ptPerMM*100)) - quietZone*module
	pdf.RawWriteStr(p.sym.fillOps(left, top, module))
}
