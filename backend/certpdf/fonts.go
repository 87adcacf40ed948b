package certpdf

// Fonts: locating, parsing and checking the TrueType faces embedded in every PDF.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
)

// Fonts holds the regular and bold faces a certificate is set in. They are embedded
// in the PDF as UTF-8 TrueType subsets. A Fonts is read-only once made and safe for
// concurrent use.
type Fonts struct {
	regular face
	bold    face
}

// face is one parsed font file.
type face struct {
	name string // full name from the font's name table, for error messages
	data []byte
	font *sfnt.Font
}

// fontPair is a regular and bold file of one family, as a Debian package installs them.
type fontPair struct {
	pkg     string // the Debian package that installs the files
	regular string
	bold    string
}

// systemFontPairs lists where SystemFonts looks, in order of preference. DejaVu Sans
// and Noto Sans both cover Latin with Estonian and Azerbaijani letters, and Cyrillic.
func systemFontPairs() []fontPair {
	return []fontPair{
		{
			pkg:     "fonts-dejavu-core",
			regular: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
			bold:    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
		},
		{
			pkg:     "fonts-noto-core",
			regular: "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
			bold:    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
		},
	}
}

// SystemFonts loads DejaVu Sans (Debian package fonts-dejavu-core) or, failing that,
// Noto Sans (fonts-noto-core) from the system's font folders. When neither is
// installed the error wraps ErrNoFont and names the package to install.
func SystemFonts() (*Fonts, error) {
	return findFonts(systemFontPairs())
}

func findFonts(pairs []fontPair) (*Fonts, error) {
	var looked []string
	for _, p := range pairs {
		if !isFile(p.regular) || !isFile(p.bold) {
			looked = append(looked, p.regular, p.bold)
			continue
		}
		return LoadFonts(p.regular, p.bold)
	}
	pkgs := make([]string, len(pairs))
	for i, p := range pairs {
		pkgs[i] = p.pkg
	}
	return nil, fmt.Errorf("%w (looked for %s): install the Debian package %s",
		ErrNoFont, strings.Join(looked, ", "), strings.Join(pkgs, " or "))
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// LoadFonts reads a regular and a bold TrueType file (.ttf with glyf outlines; CFF
// based .otf files cannot be embedded as UTF-8 subsets).
func LoadFonts(regular, bold string) (*Fonts, error) {
	r, err := os.ReadFile(regular)
	if err != nil {
		return nil, fmt.Errorf("certpdf: reading regular font: %w", err)
	}
	b, err := os.ReadFile(bold)
	if err != nil {
		return nil, fmt.Errorf("certpdf: reading bold font: %w", err)
	}
	f, err := ParseFonts(r, b)
	if err != nil {
		return nil, fmt.Errorf("%w (%s, %s)", err, filepath.Base(regular), filepath.Base(bold))
	}
	return f, nil
}

// ParseFonts makes Fonts from the bytes of a regular and a bold TrueType file. The
// slices are kept, not copied; the caller must not change them afterwards.
func ParseFonts(regular, bold []byte) (*Fonts, error) {
	r, err := parseFace(regular)
	if err != nil {
		return nil, fmt.Errorf("regular: %w", err)
	}
	b, err := parseFace(bold)
	if err != nil {
		return nil, fmt.Errorf("bold: %w", err)
	}
	return &Fonts{regular: r, bold: b}, nil
}

func parseFace(data []byte) (face, error) {
	f, err := sfnt.Parse(data)
	if err != nil {
		return face{}, fmt.Errorf("%w: %v", ErrBadFont, err)
	}
	var buf sfnt.Buffer
	name, err := f.Name(&buf, sfnt.NameIDFull)
	if err != nil || name == "" {
		name, err = f.Name(&buf, sfnt.NameIDFamily)
	}
	if err != nil {
		return face{}, fmt.Errorf("%w: no name table: %v", ErrBadFont, err)
	}
	// fpdf prints parse failures instead of returning them; a font it could not
	// parse only shows up as an undefined font when selected, so try it here.
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("probe", "", data)
	pdf.SetFont("probe", "", 10)
	if err := pdf.Error(); err != nil {
		return face{}, fmt.Errorf("%w: %s cannot be embedded: %v", ErrBadFont, name, err)
	}
	return face{name: name, data: data, font: f}, nil
}

// Name returns the full name of the regular face, e.g. "DejaVu Sans".
func (f *Fonts) Name() string { return f.regular.name }

// missingRune returns the first rune of s that the face has no glyph for. Runes
// outside the Basic Multilingual Plane count as missing even when the font has them:
// fpdf's UTF-8 embedding maps characters to 16-bit CIDs and cannot place them.
func (fc *face) missingRune(buf *sfnt.Buffer, s string) (rune, bool) {
	for _, r := range s {
		if r > 0xFFFF || r == utf8.RuneError {
			return r, true
		}
		gi, err := fc.font.GlyphIndex(buf, r)
		if err != nil || gi == 0 {
			return r, true
		}
	}
	return 0, false
}
