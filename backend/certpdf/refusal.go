package certpdf

// Refusal: what one refusal slip says (which certificates could not be issued, why,
// and what the person can do), the checks made before layout, and its content.

import (
	"fmt"
	"strings"
	"time"

	"certkiosk/backend/dcc"
)

// Refusal is everything printed on one refusal slip: the slip a resident takes home
// when the kiosk cannot issue a certificate. The person's name is the only personal
// data it carries, so that a slip left at the kiosk tells a stranger nothing more.
type Refusal struct {
	// FamilyName and GivenName are the person's names as written, printed as given
	// but for runs of white space, which print as one space. Either may be empty;
	// with both empty the slip carries no name (the person was found nowhere, yet
	// still needs to know what to do).
	FamilyName, GivenName string
	// Languages are the profile's languages, primary first (e.g. et, en, ru); each
	// must be one of Languages(). The primary language is set largest.
	Languages []string
	// Items are the certificates that could not be issued, in the order printed; at
	// least one.
	Items []RefusalItem
	// IssuedAt is when the slip is printed. It is printed, and it is also the PDF's
	// creation and modification date, which keeps the bytes reproducible; it must be
	// set.
	IssuedAt time.Time
	// Location is the time zone IssuedAt is printed in; nil means UTC.
	Location *time.Location
	// Specimen marks a slip from a demonstration kiosk: it carries a banner saying it
	// is not an official notice.
	Specimen bool
	// Copy marks a reprint of a slip printed before, as on a Certificate.
	Copy bool
}

// RefusalItem is one certificate that could not be issued, with the reason and the
// next step in each profile language. The texts are the profile's own (decided
// elsewhere); runs of white space in them, line breaks included, print as one space.
type RefusalItem struct {
	// Kind is the certificate that could not be issued: vaccination, test or recovery.
	Kind dcc.Kind
	// Reason says why, by language (ISO 639-1); one entry per profile language.
	// Entries for other languages are ignored.
	Reason map[string]string
	// NextStep says what the person can do, by language; one entry per profile
	// language.
	NextStep map[string]string
}

// check reports the first reason s cannot be printed.
func (s *Refusal) check() error {
	if s.IssuedAt.IsZero() {
		return fmt.Errorf("%w: IssuedAt is not set", ErrInvalidRefusal)
	}
	if err := checkLanguages(s.Languages, ErrInvalidRefusal); err != nil {
		return err
	}
	if len(s.Items) == 0 {
		return fmt.Errorf("%w: no items (a slip names at least one certificate that could not be issued)", ErrInvalidRefusal)
	}
	for i, it := range s.Items {
		if _, ok := kindTitle(it.Kind); !ok {
			return fmt.Errorf("%w: Items[%d] has kind %q, want %s, %s or %s",
				ErrInvalidRefusal, i, it.Kind, dcc.KindVaccination, dcc.KindTest, dcc.KindRecovery)
		}
		for _, lang := range s.Languages {
			if clean(it.Reason[lang]) == "" {
				return &MissingTextError{Item: i, Kind: it.Kind, Text: "reason", Lang: lang}
			}
			if clean(it.NextStep[lang]) == "" {
				return &MissingTextError{Item: i, Kind: it.Kind, Text: "next step", Lang: lang}
			}
		}
	}
	return nil
}

// location returns the time zone the printed time uses.
func (s *Refusal) location() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// kindTitle returns the catalogue's certificate title for k.
func kindTitle(k dcc.Kind) (label, bool) {
	switch k {
	case dcc.KindVaccination:
		return labelTitleVaccination, true
	case dcc.KindTest:
		return labelTitleTest, true
	case dcc.KindRecovery:
		return labelTitleRecovery, true
	}
	return 0, false
}

// clean trims s and turns every run of white space into one space: the slip sets
// each text as one paragraph, and a stray line break or tab has no glyph to print.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// slipContent is everything printed on a refusal slip.
type slipContent struct {
	specimenBanner multi // empty unless Specimen
	copyWord       multi // empty unless Copy
	title          multi
	name           []personField
	items          []slipItem
	whyLabel       multi
	nextLabel      multi
	help           multi
	printedLabel   multi
	printed        text
	separator      text
}

// slipItem is one certificate that could not be issued, as printed.
type slipItem struct {
	kind multi // the certificate's title
	why  multi
	next multi
}

// texts lists every string the slip prints, for the glyph check.
func (c *slipContent) texts() []text {
	var out []text
	for _, m := range []multi{c.specimenBanner, c.copyWord, c.title, c.whyLabel, c.nextLabel, c.help, c.printedLabel} {
		out = append(out, m...)
	}
	for _, p := range c.name {
		out = append(out, p.label...)
		out = append(out, p.value)
	}
	for _, it := range c.items {
		out = append(out, it.kind...)
		out = append(out, it.why...)
		out = append(out, it.next...)
	}
	return append(out, c.printed, c.separator)
}

// refusalContent builds the content of a checked Refusal.
func (r *Renderer) refusalContent(s *Refusal) *slipContent {
	b := builder{r: r, langs: s.Languages}
	out := &slipContent{
		title:        b.label(labelRefusalTitle, true),
		whyLabel:     b.label(labelRefusalWhy, true),
		nextLabel:    b.label(labelRefusalNextStep, true),
		help:         b.label(labelRefusalHelp, false),
		printedLabel: b.label(labelRefusalPrinted, false),
		printed:      text{field: "time printed", s: formatTime(s.IssuedAt, s.location()), bold: true},
		separator:    text{field: "language separator", s: langSeparator},
	}
	if s.Specimen {
		out.specimenBanner = b.label(labelRefusalSpecimenBanner, true)
		for i := range out.specimenBanner {
			out.specimenBanner[i].bold = true
		}
	}
	if s.Copy {
		out.copyWord = b.copyWord()
	}
	if fn := clean(s.FamilyName); fn != "" {
		out.name = append(out.name, personField{
			label: b.label(labelSurname, false),
			value: text{field: "family name", s: fn, bold: true},
		})
	}
	if gn := clean(s.GivenName); gn != "" {
		out.name = append(out.name, personField{
			label: b.label(labelForename, false),
			value: text{field: "given name", s: gn, bold: true},
		})
	}
	for i, it := range s.Items {
		title, _ := kindTitle(it.Kind) // checked before
		item := slipItem{kind: b.label(title, true)}
		for j, lang := range s.Languages {
			item.why = append(item.why, text{
				field: fmt.Sprintf("Items[%d] (%s) reason (%s)", i, it.Kind, lang),
				s:     clean(it.Reason[lang]),
			})
			// The next step is what the reader acts on: set it bold in the
			// primary language.
			item.next = append(item.next, text{
				field: fmt.Sprintf("Items[%d] (%s) next step (%s)", i, it.Kind, lang),
				s:     clean(it.NextStep[lang]),
				bold:  j == 0,
			})
		}
		out.items = append(out.items, item)
	}
	return out
}
