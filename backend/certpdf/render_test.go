package certpdf

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/dcc"
)

// TestRenderGolden compares each fixture's PDF with testdata/<name>.pdf; run with
// -update to rewrite them after an intended layout change, then look at the pages.
func TestRenderGolden(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	for _, tc := range testCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Render(tc.cert)
			if err != nil {
				t.Fatalf("Render(%s) = %v", tc.name, err)
			}
			checkGolden(t, "Render("+tc.name+")", tc.name, got)
		})
	}
}

// TestRenderDeterministic renders each fixture twice, once with fonts and renderer
// made afresh, and once in another time zone's view of the same instant.
func TestRenderDeterministic(t *testing.T) {
	first := NewRenderer(mustFonts(t), testNames)
	fresh, err := SystemFonts()
	if err != nil {
		t.Fatalf("SystemFonts() = %v", err)
	}
	second := NewRenderer(fresh, testNames)
	for _, tc := range testCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			a, err := first.Render(tc.cert)
			if err != nil {
				t.Fatalf("Render(%s) = %v", tc.name, err)
			}
			c := tc.cert
			c.IssuedAt = c.IssuedAt.In(time.FixedZone("elsewhere", -5*3600))
			b, err := second.Render(c)
			if err != nil {
				t.Fatalf("Render(%s) = %v", tc.name, err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("Render(%s) twice = %d and %d bytes that differ, want identical bytes", tc.name, len(a), len(b))
			}
		})
	}
}

func TestRenderMissingGlyph(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	base := testCases(t)[0].cert
	tests := []struct {
		name      string
		edit      func(c *Certificate)
		wantField string
		wantRune  rune
	}{
		{"family name", func(c *Certificate) { c.Payload.Name.FamilyName = "王漢" }, "family name", '王'},
		{"given name", func(c *Certificate) { c.Payload.Name.GivenName = "Mari 😀" }, "given name", '😀'},
		{"transliteration", func(c *Certificate) { c.Payload.Name.GivenNameStandardised = "MARI\u0007" }, "transliterated given name", '\u0007'},
		{"issuer", func(c *Certificate) { c.Issuer = "कार्यालय" }, "certificate issuer", 'क'},
		{"note", func(c *Certificate) { c.Notes = []string{"ok", "ที่"} }, "note 2", 'ท'},
		{"display name", func(c *Certificate) {
			c.Payload.Vaccinations[0].Product = "漢字"
		}, "vaccine product", '漢'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			c.Payload.Vaccinations = append([]dcc.Vaccination(nil), base.Payload.Vaccinations...)
			tt.edit(&c)
			_, err := r.Render(c)
			var mg *MissingGlyphError
			if !errors.As(err, &mg) {
				t.Fatalf("Render(%s) = %v, want *MissingGlyphError", tt.name, err)
			}
			if mg.Field != tt.wantField || mg.Rune != tt.wantRune {
				t.Errorf("Render(%s) = error for %q %q, want %q %q", tt.name, mg.Field, mg.Rune, tt.wantField, tt.wantRune)
			}
			if !strings.HasPrefix(mg.Error(), "certpdf: font DejaVu Sans") && !strings.HasPrefix(mg.Error(), "certpdf: font Noto Sans") {
				t.Errorf("Render(%s) error = %q, want it to name the font", tt.name, mg.Error())
			}
		})
	}
}

func TestMissingGlyphErrorMessage(t *testing.T) {
	err := &MissingGlyphError{Font: "DejaVu Sans", Field: "family name", Rune: '漢'}
	want := "certpdf: font DejaVu Sans has no glyph for '漢' (U+6F22) in family name"
	if got := err.Error(); got != want {
		t.Errorf("MissingGlyphError.Error() = %q, want %q", got, want)
	}
}

func TestRenderInvalid(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	base := testCases(t)[0].cert
	tests := []struct {
		name string
		edit func(c *Certificate)
		want error
	}{
		{"no HC1", func(c *Certificate) { c.HC1 = "" }, ErrInvalid},
		{"no time of issue", func(c *Certificate) { c.IssuedAt = time.Time{} }, ErrInvalid},
		{"no languages", func(c *Certificate) { c.Languages = nil }, ErrInvalid},
		{"unknown language", func(c *Certificate) { c.Languages = []string{"et", "de"} }, ErrLanguage},
		{"language twice", func(c *Certificate) { c.Languages = []string{"et", "en", "et"} }, ErrInvalid},
		{"no entry", func(c *Certificate) { c.Payload.Vaccinations = nil }, ErrInvalid},
		{"two groups", func(c *Certificate) { c.Payload.Recoveries = testCases(t)[2].cert.Payload.Recoveries }, ErrInvalid},
		{"two doses", func(c *Certificate) {
			c.Payload.Vaccinations = append(c.Payload.Vaccinations, c.Payload.Vaccinations[0])
		}, ErrInvalid},
		{"no family name", func(c *Certificate) { c.Payload.Name.FamilyName, c.Payload.Name.FamilyNameStandardised = "", "" }, ErrInvalid},
		{"too much text", func(c *Certificate) {
			for range 60 {
				c.Notes = append(c.Notes, "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.")
			}
		}, ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			tt.edit(&c)
			if _, err := r.Render(c); !errors.Is(err, tt.want) {
				t.Errorf("Render(%s) = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
}

// TestRenderWorstCase fills every optional field with long text: the page must still
// come out, the type scaled down if need be, with the HC1 code at full size.
func TestRenderWorstCase(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	c := testCases(t)[1].cert
	c.Specimen = true
	c.Notes = []string{
		"Vaktsineerimiskuur ei ole lõpetatud. / The vaccination course is not complete. / Курс вакцинации не завершён.",
		"Tõend kehtib ainult koos isikut tõendava dokumendiga.",
	}
	c.Payload.Name.FamilyName = strings.Repeat("Õunapuu-", 9) + "Tamm"
	c.Payload.Name.FamilyNameStandardised = strings.Repeat("OUNAPUU<", 9) + "TAMM"
	c.Payload.Tests[0].Device = "1232"
	c.Payload.Tests[0].Centre = strings.Repeat("Tallinna Ülikooli Kliinikumi Testimiskeskus ", 2)
	l, err := r.layout(&c)
	if err != nil {
		t.Fatalf("Render(worst case) = %v", err)
	}
	t.Logf("worst case set at type scale %.2f", l.scale)
	checkHC1Placement(t, l)
}

// TestHC1Placement checks the large code's size, quiet zone and distance from the
// page edges on every fixture.
func TestHC1Placement(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	for _, tc := range testCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			l, err := r.layout(&tc.cert)
			if err != nil {
				t.Fatalf("Render(%s) = %v", tc.name, err)
			}
			checkHC1Placement(t, l)
		})
	}
}

func checkHC1Placement(t *testing.T, l *layout) {
	t.Helper()
	p := l.hc1
	symbol := float64(p.sym.size) * p.module
	if symbol < 50 {
		t.Errorf("HC1 symbol width = %.1f mm, want at least 50 mm", symbol)
	}
	left, top := p.x+quietZone*p.module, p.y+quietZone*p.module
	edges := map[string]float64{
		"left": left, "top": top, "right": pageW - (left + symbol), "bottom": pageH - (top + symbol),
	}
	for side, d := range edges {
		if d < 15 {
			t.Errorf("HC1 symbol %s edge = %.1f mm from the page edge, want at least 15 mm", side, d)
		}
	}
	if q := (p.box() - symbol) / 2 / p.module; q < 4 {
		t.Errorf("HC1 quiet zone = %.1f modules, want at least 4", q)
	}
}

// TestRenderText extracts the PDF's text layer: the names, labels and identifier
// must come out as the same Unicode text (search, copy, screen readers).
func TestRenderText(t *testing.T) {
	needTool(t, "pdftotext", "poppler-utils")
	r := NewRenderer(mustFonts(t), testNames)
	for _, tc := range testCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			pdf, err := r.Render(tc.cert)
			if err != nil {
				t.Fatalf("Render(%s) = %v", tc.name, err)
			}
			got := pdfText(t, pdf)
			hc := tc.cert.Payload
			want := []string{hc.Name.FamilyName, hc.Name.FamilyNameStandardised, hc.DateOfBirth, hc.CertificateID()}
			for _, lang := range tc.cert.Languages {
				s, _ := newCatalogue()[labelSurname].in(lang)
				want = append(want, s)
			}
			for _, w := range want {
				if !strings.Contains(got, w) {
					t.Errorf("pdftotext(Render(%s)) lacks %q", tc.name, w)
				}
			}
		})
	}
}

func TestFormatTime(t *testing.T) {
	instant := time.Date(2021, 6, 1, 6, 15, 0, 0, time.UTC)
	tests := []struct {
		loc  *time.Location
		want string
	}{
		{time.UTC, "2021-06-01 06:15 (UTC+00:00)"},
		{mustLocation(t, "Europe/Tallinn"), "2021-06-01 09:15 (UTC+03:00)"},
		{mustLocation(t, "Asia/Baku"), "2021-06-01 10:15 (UTC+04:00)"},
		{time.FixedZone("", -(3*3600 + 1800)), "2021-06-01 02:45 (UTC-03:30)"},
	}
	for _, tt := range tests {
		if got := formatTime(instant, tt.loc); got != tt.want {
			t.Errorf("formatTime(%v, %v) = %q, want %q", instant, tt.loc, got, tt.want)
		}
	}
}

func TestNoDisplayNames(t *testing.T) {
	r := NewRenderer(mustFonts(t), nil)
	c := testCases(t)[0].cert
	b := builder{r: r, c: &c, langs: c.Languages}
	ct, err := b.build()
	if err != nil {
		t.Fatalf("build() = %v", err)
	}
	if got, want := ct.rows[2].value[0].s, "EU/1/20/1528"; got != want {
		t.Errorf("product without display names = %q, want the code %q", got, want)
	}
}

func BenchmarkRender(b *testing.B) {
	r := NewRenderer(mustFonts(b), testNames)
	c := testCases(b)[0].cert
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(c); err != nil {
			b.Fatal(err)
		}
	}
}
