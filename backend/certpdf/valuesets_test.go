package certpdf

import (
	"fmt"
	"testing"

	"certkiosk/backend/dcc"
)

// TestValueSetGlyphs checks every display name dcc holds, in every language, against
// both faces: no certificate can fail on a value-set name.
func TestValueSetGlyphs(t *testing.T) {
	f := mustFonts(t)
	var texts []text
	for _, set := range dcc.ValueSets() {
		for _, code := range dcc.Codes(set) {
			for _, lang := range Languages() {
				s, ok := dcc.DisplayName(set, code, lang)
				if !ok {
					continue
				}
				field := fmt.Sprintf("%s %s (%s)", set, code, lang)
				texts = append(texts, text{field: field, s: s}, text{field: field, s: s, bold: true})
			}
		}
	}
	if len(texts) == 0 {
		t.Fatal("dcc.DisplayName gave no names")
	}
	if err := f.checkGlyphs(texts); err != nil {
		t.Errorf("checkGlyphs(value-set names) = %v, want nil", err)
	}
}

// TestRenderWithValueSets renders the fixtures with the kiosk's own value-set lookup.
func TestRenderWithValueSets(t *testing.T) {
	r := NewRenderer(mustFonts(t), dcc.DisplayName)
	for _, tc := range testCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := r.Render(tc.cert); err != nil {
				t.Errorf("Render(%s) with dcc.DisplayName = %v", tc.name, err)
			}
		})
	}
}
