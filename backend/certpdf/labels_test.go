package certpdf

import (
	"slices"
	"testing"
)

// TestCatalogueComplete fails when any label lacks any catalogue language.
func TestCatalogueComplete(t *testing.T) {
	cat := newCatalogue()
	for l := range labelCount {
		for _, lang := range Languages() {
			if s, ok := cat[l].in(lang); !ok || s == "" {
				en, _ := cat[l].in("en")
				t.Errorf("catalogue[%d %q].in(%q) = %q, want a translation", l, en, lang, s)
			}
		}
	}
}

// TestCatalogueGlyphs checks every catalogue string against both faces, so that
// no profile language can hit a missing glyph in a label.
func TestCatalogueGlyphs(t *testing.T) {
	f := mustFonts(t)
	cat := newCatalogue()
	var texts []text
	for l := range labelCount {
		for _, lang := range Languages() {
			s, _ := cat[l].in(lang)
			texts = append(texts, text{field: lang, s: s}, text{field: lang, s: s, bold: true})
		}
	}
	if err := f.checkGlyphs(texts); err != nil {
		t.Errorf("checkGlyphs(catalogue) = %v, want nil", err)
	}
}

// TestEveryPrimaryLanguage renders a certificate with each language first.
func TestEveryPrimaryLanguage(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	base := testCases(t)[1].cert
	for _, lang := range Languages() {
		t.Run(lang, func(t *testing.T) {
			c := base
			c.Languages = append([]string{lang}, slices.DeleteFunc(Languages(), func(s string) bool { return s == lang })...)
			if _, err := r.Render(c); err != nil {
				t.Errorf("Render(languages %v) = %v", c.Languages, err)
			}
		})
	}
}

func TestLanguagesUnknown(t *testing.T) {
	var tr translations
	if s, ok := tr.in("de"); ok {
		t.Errorf("translations.in(%q) = %q, true; want false", "de", s)
	}
}
