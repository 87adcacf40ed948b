package certpdf

import (
	"strings"
	"testing"
)

// TestRenderCopy checks that a reprint says COPY in every profile language, on a
// certificate and on a refusal slip, and that a first print does not.
func TestRenderCopy(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	words := map[string]string{"et": "KOOPIA", "en": "COPY", "ru": "КОПИЯ", "az": "SURƏT"}
	cert := testCases(t)[3].cert // AZ: az, ru, en
	slip := refusalCases(t)[0].slip
	render := []struct {
		name  string
		langs []string
		pdf   func(copy bool) ([]byte, error)
	}{
		{"certificate", cert.Languages, func(copy bool) ([]byte, error) {
			c := cert
			c.Copy = copy
			return r.Render(c)
		}},
		{"refusal", slip.Languages, func(copy bool) ([]byte, error) {
			s := slip
			s.Copy = copy
			return r.RenderRefusal(s)
		}},
	}
	for _, tt := range render {
		t.Run(tt.name, func(t *testing.T) {
			for _, copy := range []bool{true, false} {
				pdf, err := tt.pdf(copy)
				if err != nil {
					t.Fatalf("render(copy %v) = %v", copy, err)
				}
				got := pdfText(t, pdf)
				for _, lang := range tt.langs {
					w := words[lang]
					if has := strings.Contains(got, w); has != copy {
						t.Errorf("render(copy %v): text has %q = %v, want %v", copy, w, has, copy)
					}
				}
			}
		})
	}
}
