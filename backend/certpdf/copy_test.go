package certpdf

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// textOf returns the text layer of a PDF, as pdftotext reads it.
func textOf(t *testing.T, pdf []byte) string {
	t.Helper()
	needTool(t, "pdftotext", "poppler-utils")
	path := filepath.Join(t.TempDir(), "page.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

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
				got := textOf(t, pdf)
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
