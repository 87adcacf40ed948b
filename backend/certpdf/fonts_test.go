package certpdf

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindFontsMissing(t *testing.T) {
	dir := t.TempDir()
	_, err := findFonts([]fontPair{
		{pkg: "fonts-dejavu-core", regular: filepath.Join(dir, "a.ttf"), bold: filepath.Join(dir, "b.ttf")},
		{pkg: "fonts-noto-core", regular: filepath.Join(dir, "c.ttf"), bold: filepath.Join(dir, "d.ttf")},
	})
	if !errors.Is(err, ErrNoFont) {
		t.Fatalf("findFonts(empty folder) = %v, want ErrNoFont", err)
	}
	for _, want := range []string{"fonts-dejavu-core", "fonts-noto-core", "a.ttf"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("findFonts(empty folder) = %q, want it to mention %q", err, want)
		}
	}
}

func TestFindFontsFallback(t *testing.T) {
	pairs := systemFontPairs()
	dir := t.TempDir()
	pairs[0].regular = filepath.Join(dir, "missing.ttf")
	pairs[1] = systemFontPairs()[0] // stands in for an installed second choice
	f, err := findFonts(pairs)
	if err != nil {
		t.Fatalf("findFonts(first choice missing) = %v", err)
	}
	if got := f.Name(); got != "DejaVu Sans" {
		t.Errorf("findFonts(first choice missing).Name() = %q, want %q", got, "DejaVu Sans")
	}
}

func TestParseFontsBad(t *testing.T) {
	good, err := os.ReadFile(systemFontPairs()[0].regular)
	if err != nil {
		t.Fatalf("reading DejaVu Sans: %v (install fonts-dejavu-core)", err)
	}
	tests := []struct {
		name          string
		regular, bold []byte
	}{
		{"empty", nil, good},
		{"not a font", []byte("%PDF-1.4 not a font at all"), good},
		{"truncated bold", good, good[:1000]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseFonts(tt.regular, tt.bold); !errors.Is(err, ErrBadFont) {
				t.Errorf("ParseFonts(%s) = %v, want ErrBadFont", tt.name, err)
			}
		})
	}
}

func TestLoadFontsNoFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.ttf")
	if _, err := LoadFonts(missing, missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFonts(%q) = %v, want os.ErrNotExist", missing, err)
	}
}
