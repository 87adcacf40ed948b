package certpdf

import (
	"bytes"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"certkiosk/backend/dcc"
)

// TestRenderRefusalGolden compares each slip with testdata/<name>.pdf; run with
// -update to rewrite them after an intended layout change, then look at the pages.
func TestRenderRefusalGolden(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	for _, tc := range refusalCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.RenderRefusal(tc.slip)
			if err != nil {
				t.Fatalf("RenderRefusal(%s) = %v", tc.name, err)
			}
			checkGolden(t, "RenderRefusal("+tc.name+")", tc.name, got)
		})
	}
}

// TestRenderRefusalDeterministic renders each slip twice, the second time with fonts
// and renderer made afresh, the time of issue seen from another time zone, and the
// item texts in new maps holding a language the profile does not print.
func TestRenderRefusalDeterministic(t *testing.T) {
	first := NewRenderer(mustFonts(t), testNames)
	fresh, err := SystemFonts()
	if err != nil {
		t.Fatalf("SystemFonts() = %v", err)
	}
	second := NewRenderer(fresh, nil)
	for _, tc := range refusalCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			a, err := first.RenderRefusal(tc.slip)
			if err != nil {
				t.Fatalf("RenderRefusal(%s) = %v", tc.name, err)
			}
			s := tc.slip
			s.IssuedAt = s.IssuedAt.In(time.FixedZone("elsewhere", -5*3600))
			s.Items = nil
			for _, it := range tc.slip.Items {
				it.Reason, it.NextStep = rebuilt(it.Reason), rebuilt(it.NextStep)
				s.Items = append(s.Items, it)
			}
			b, err := second.RenderRefusal(s)
			if err != nil {
				t.Fatalf("RenderRefusal(%s) = %v", tc.name, err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("RenderRefusal(%s) twice = %d and %d bytes that differ, want identical bytes", tc.name, len(a), len(b))
			}
		})
	}
}

// rebuilt copies m, adding a language the profiles here do not use.
func rebuilt(m map[string]string) map[string]string {
	out := maps.Clone(m)
	out["de"] = "Nicht gedruckt."
	return out
}

// TestRenderRefusalMissingText leaves out one text in one language: the error names
// the item, the text and the language.
func TestRenderRefusalMissingText(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	base := refusalCases(t)[0].slip // et, en, ru
	tests := []struct {
		name string
		edit func(s *Refusal)
		want MissingTextError
	}{
		{"reason missing", func(s *Refusal) { delete(s.Items[0].Reason, "ru") },
			MissingTextError{Item: 0, Kind: dcc.KindVaccination, Text: "reason", Lang: "ru"}},
		{"next step blank", func(s *Refusal) { s.Items[1].NextStep["en"] = " \n\t" },
			MissingTextError{Item: 1, Kind: dcc.KindRecovery, Text: "next step", Lang: "en"}},
		{"no reasons at all", func(s *Refusal) { s.Items[1].Reason = nil },
			MissingTextError{Item: 1, Kind: dcc.KindRecovery, Text: "reason", Lang: "et"}},
		{"primary language missing", func(s *Refusal) { delete(s.Items[0].NextStep, "et") },
			MissingTextError{Item: 0, Kind: dcc.KindVaccination, Text: "next step", Lang: "et"}},
		{"text in another language only", func(s *Refusal) {
			s.Items = reasons(t, "first dose only")
			s.Languages = []string{"et", "az"}
			delete(s.Items[0].Reason, "az")
		}, MissingTextError{Item: 0, Kind: dcc.KindVaccination, Text: "reason", Lang: "az"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base
			s.Items = reasons(t, "first dose only", "recovered too long ago")
			tt.edit(&s)
			_, err := r.RenderRefusal(s)
			var mt *MissingTextError
			if !errors.As(err, &mt) {
				t.Fatalf("RenderRefusal(%s) = %v, want *MissingTextError", tt.name, err)
			}
			if *mt != tt.want {
				t.Errorf("RenderRefusal(%s) = %+v, want %+v", tt.name, *mt, tt.want)
			}
			if !errors.Is(err, ErrInvalidRefusal) {
				t.Errorf("RenderRefusal(%s) = %v, want it to wrap ErrInvalidRefusal", tt.name, err)
			}
			for _, w := range []string{"Items[" + strconv.Itoa(tt.want.Item) + "]", string(tt.want.Kind), tt.want.Text, `"` + tt.want.Lang + `"`} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("RenderRefusal(%s) error = %q, want it to mention %s", tt.name, err, w)
				}
			}
		})
	}
}

func TestMissingTextErrorMessage(t *testing.T) {
	err := &MissingTextError{Item: 2, Kind: dcc.KindTest, Text: "next step", Lang: "az"}
	want := `certpdf: refusal Items[2] (test) has no next step in language "az"`
	if got := err.Error(); got != want {
		t.Errorf("MissingTextError.Error() = %q, want %q", got, want)
	}
}

func TestRenderRefusalInvalid(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	base := refusalCases(t)[0].slip
	tests := []struct {
		name string
		edit func(s *Refusal)
		want error
	}{
		{"no items", func(s *Refusal) { s.Items = nil }, ErrInvalidRefusal},
		{"no kind", func(s *Refusal) { s.Items[0].Kind = "" }, ErrInvalidRefusal},
		{"unknown kind", func(s *Refusal) { s.Items[1].Kind = "antibody" }, ErrInvalidRefusal},
		{"no time printed", func(s *Refusal) { s.IssuedAt = time.Time{} }, ErrInvalidRefusal},
		{"no languages", func(s *Refusal) { s.Languages = nil }, ErrInvalidRefusal},
		{"unknown language", func(s *Refusal) { s.Languages = []string{"et", "de"} }, ErrLanguage},
		{"language twice", func(s *Refusal) { s.Languages = []string{"et", "en", "et"} }, ErrInvalidRefusal},
		{"too much text", func(s *Refusal) {
			long := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 12)
			for range 4 {
				s.Items = append(s.Items, RefusalItem{
					Kind:     dcc.KindTest,
					Reason:   map[string]string{"et": long, "en": long, "ru": long},
					NextStep: map[string]string{"et": long, "en": long, "ru": long},
				})
			}
		}, ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base
			s.Items = reasons(t, "first dose only", "recovered too long ago")
			tt.edit(&s)
			if _, err := r.RenderRefusal(s); !errors.Is(err, tt.want) {
				t.Errorf("RenderRefusal(%s) = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
	if _, err := (&Renderer{}).RenderRefusal(base); err == nil {
		t.Error("RenderRefusal without fonts = nil error, want an error")
	}
}

func TestRenderRefusalMissingGlyph(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	base := refusalCases(t)[0].slip
	tests := []struct {
		name      string
		edit      func(s *Refusal)
		wantField string
		wantRune  rune
	}{
		{"family name", func(s *Refusal) { s.FamilyName = "王漢" }, "family name", '王'},
		{"given name", func(s *Refusal) { s.GivenName = "Mari 😀" }, "given name", '😀'},
		{"reason", func(s *Refusal) { s.Items[1].Reason["ru"] = "Причина: 漢字" }, "Items[1] (recovery) reason (ru)", '漢'},
		{"next step", func(s *Refusal) { s.Items[0].NextStep["et"] = "ที่" }, "Items[0] (vaccination) next step (et)", 'ท'},
		{"control character", func(s *Refusal) { s.Items[0].Reason["en"] = "Only the first\u0007 dose." }, "Items[0] (vaccination) reason (en)", '\u0007'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base
			s.Items = reasons(t, "first dose only", "recovered too long ago")
			tt.edit(&s)
			_, err := r.RenderRefusal(s)
			var mg *MissingGlyphError
			if !errors.As(err, &mg) {
				t.Fatalf("RenderRefusal(%s) = %v, want *MissingGlyphError", tt.name, err)
			}
			if mg.Field != tt.wantField || mg.Rune != tt.wantRune {
				t.Errorf("RenderRefusal(%s) = error for %q %q, want %q %q", tt.name, mg.Field, mg.Rune, tt.wantField, tt.wantRune)
			}
		})
	}
}

// TestRenderRefusalText reads the slip's text layer back: every reason and next
// step in every profile language and the name are there, and once those, the
// catalogue's labels and the time printed are taken away, nothing is left: no
// date of birth, no identifier, no other personal data.
func TestRenderRefusalText(t *testing.T) {
	needTool(t, "pdftotext", "poppler-utils")
	r := NewRenderer(mustFonts(t), testNames)
	for _, tc := range refusalCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.slip
			raw := slipText(t, r, s)
			got := noSpace(raw)

			var want []string
			want = append(want, s.FamilyName, s.GivenName)
			for _, it := range s.Items {
				for _, lang := range s.Languages {
					want = append(want, it.Reason[lang], it.NextStep[lang])
				}
			}
			for _, w := range want {
				if !strings.Contains(got, noSpace(w)) {
					t.Errorf("pdftotext(RenderRefusal(%s)) lacks %q", tc.name, w)
				}
			}

			known := append(want, formatTime(s.IssuedAt, s.location()))
			cat := newCatalogue()
			for l := range labelCount {
				for _, lang := range s.Languages {
					str, _ := cat[l].in(lang)
					known = append(known, str)
				}
			}
			// Longest first, so that a label inside a longer text goes with it.
			slices.SortFunc(known, func(a, b string) int { return len(b) - len(a) })
			rest := got
			for _, k := range known {
				rest = strings.ReplaceAll(rest, noSpace(k), "")
			}
			if i := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }); i >= 0 {
				t.Errorf("pdftotext(RenderRefusal(%s)) has text beyond the name, the item texts, labels and time: %q", tc.name, rest)
			}
			if m := regexp.MustCompile(`\d{5,}`).FindString(raw); m != "" {
				t.Errorf("pdftotext(RenderRefusal(%s)) shows %q, a number like an identifier", tc.name, m)
			}
			dates := regexp.MustCompile(`\d{4}-\d{2}(-\d{2})?`).FindAllString(raw, -1)
			if wantDate := s.IssuedAt.In(s.location()).Format("2006-01-02"); !slices.Equal(dates, []string{wantDate}) {
				t.Errorf("pdftotext(RenderRefusal(%s)) dates = %q, want only the date printed %q", tc.name, dates, wantDate)
			}
		})
	}
}

// slipText renders s and returns its text layer in drawing order.
func slipText(t *testing.T, r *Renderer, s Refusal) string {
	t.Helper()
	pdf, err := r.RenderRefusal(s)
	if err != nil {
		t.Fatalf("RenderRefusal = %v", err)
	}
	return pdfText(t, pdf, "-raw")
}

// noSpace drops all white space: the layout breaks lines wherever they fill up.
func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// TestRenderRefusalPrimaryLargest checks the type: the primary language's texts are
// set larger than the others', and the primary next step in bold.
func TestRenderRefusalPrimaryLargest(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	s := refusalCases(t)[2].slip
	l, err := r.layoutRefusal(&s, a4())
	if err != nil {
		t.Fatalf("layoutRefusal = %v", err)
	}
	if l.scale != 1 {
		t.Errorf("one-item slip set at scale %.2f, want 1", l.scale)
	}
	for _, p := range [][2]float64{
		{sizeSlipTitle, sizeSlipTitleOther}, {sizeSlipText, sizeSlipTextOther},
		{sizeSlipKind, sizeSlipKindOther}, {sizeSlipLabel, sizeSlipLabelOther},
	} {
		if p[0] <= p[1] {
			t.Errorf("primary size %.1f pt <= others' %.1f pt, want it larger", p[0], p[1])
		}
	}
	it := l.ct.items[0]
	if !it.next[0].bold || slices.ContainsFunc(it.next[1:], func(t text) bool { return t.bold }) {
		t.Errorf("next-step boldness = %v, want only the primary bold", []bool{it.next[0].bold, it.next[1].bold, it.next[2].bold})
	}
}

// TestRenderRefusalEveryPrimaryLanguage renders a two-item slip in all four
// catalogue languages with each of them first.
func TestRenderRefusalEveryPrimaryLanguage(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	for _, lang := range Languages() {
		t.Run(lang, func(t *testing.T) {
			s := refusalCases(t)[0].slip
			s.Items = reasons(t, "first dose only", "recovered too long ago")
			s.Languages = append([]string{lang}, slices.DeleteFunc(Languages(), func(s string) bool { return s == lang })...)
			if _, err := r.RenderRefusal(s); err != nil {
				t.Errorf("RenderRefusal(languages %v) = %v", s.Languages, err)
			}
		})
	}
}

// TestRenderRefusalWorstCase prints every kind refused, in three languages (as
// many as a shipped profile has), on a specimen slip with a long name: it must
// still fit one page.
func TestRenderRefusalWorstCase(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	s := refusalCases(t)[0].slip
	s.Specimen = true
	s.FamilyName = strings.Repeat("Õunapuu-", 5) + "Tamm"
	s.Languages = []string{"ru", "et", "en"}
	s.Items = reasons(t, "first dose only", "recovered too long ago", "vaccine not registered")
	s.Items[2].Kind = dcc.KindTest
	l, err := r.layoutRefusal(&s, a4())
	if err != nil {
		t.Fatalf("RenderRefusal(worst case) = %v", err)
	}
	t.Logf("worst case set at type scale %.2f", l.scale)
	if l.scale < 0.7 {
		t.Errorf("worst case set at type scale %.2f, want at least 0.70: the smaller steps are headroom for texts longer than these", l.scale)
	}
}

// TestRenderRefusalNoName prints a slip for a person the registry does not know:
// the name block is left out, the rest is printed.
func TestRenderRefusalNoName(t *testing.T) {
	needTool(t, "pdftotext", "poppler-utils")
	r := NewRenderer(mustFonts(t), testNames)
	s := refusalCases(t)[0].slip
	s.FamilyName, s.GivenName = "", " "
	got := slipText(t, r, s)
	if strings.Contains(got, "Perekonnanimi") || strings.Contains(got, "Eesnimi") {
		t.Errorf("pdftotext(RenderRefusal(no name)) = %q, want no name labels", got)
	}
	if !strings.Contains(noSpace(got), noSpace(s.Items[0].Reason["et"])) {
		t.Errorf("pdftotext(RenderRefusal(no name)) lacks the first reason")
	}
}

// TestRenderRefusalWhiteSpace checks that line breaks and runs of spaces in the
// texts print as single spaces, not as missing glyphs.
func TestRenderRefusalWhiteSpace(t *testing.T) {
	needTool(t, "pdftotext", "poppler-utils")
	r := NewRenderer(mustFonts(t), testNames)
	s := refusalCases(t)[0].slip
	s.GivenName = "  Jüri\tÜlo "
	s.Items[0].Reason["en"] = "Only the first\nof the two   doses\r\nis recorded."
	got := slipText(t, r, s)
	for _, w := range []string{"Jüri Ülo", "Only the first of the two doses is recorded."} {
		if !strings.Contains(strings.Join(strings.Fields(got), " "), w) {
			t.Errorf("pdftotext(RenderRefusal) lacks %q", w)
		}
	}
}

// TestRefusalNarrowSheet lays a slip out on receipt paper (80 mm wide): the names
// go one under the other and everything still fits.
func TestRefusalNarrowSheet(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	s := refusalCases(t)[2].slip
	receipt := sheet{w: 80, h: 400, marginX: 5, marginTop: 6, marginBottom: 10}
	l, err := r.layoutRefusal(&s, receipt)
	if err != nil {
		t.Fatalf("layoutRefusal(80 mm receipt) = %v", err)
	}
	if w, h := l.pdf.GetPageSize(); w != 80 || h != 400 {
		t.Errorf("page size = %.0f × %.0f mm, want 80 × 400", w, h)
	}
	wide := l.measure(func() float64 { return l.name(0, 0, slipNameSplit) })
	narrow := l.measure(func() float64 { return l.name(0, 0, receipt.contentW()) })
	if narrow <= wide {
		t.Errorf("name block on receipt = %.1f mm high, on A4 %.1f mm; want the receipt's stacked, so higher", narrow, wide)
	}
}

func BenchmarkRenderRefusal(b *testing.B) {
	r := NewRenderer(mustFonts(b), testNames)
	s := refusalCases(b)[1].slip
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.RenderRefusal(s); err != nil {
			b.Fatal(err)
		}
	}
}
