package certpdf

// Content: what goes on the page, as strings tagged with the face they are set in,
// built from a Certificate before any layout so that every string can be checked
// against the font first.

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"certkiosk/backend/dcc"
	"golang.org/x/image/font/sfnt"
)

// setTestDevice is the value set of rapid antigen test devices (eu-dcc-valuesets
// test-manf). dcc holds no table for it, so the device identifier is printed unless
// a lookup knows the name.
const setTestDevice dcc.ValueSet = "covid-19-lab-test-manufacturer-and-name"

const (
	langSeparator    = " / "
	missingValueText = "—"
)

// text is one string as printed: field names it in error messages, bold selects the face.
type text struct {
	field string
	s     string
	bold  bool
}

// multi is the same thing in several languages, primary first. Printing shows the
// primary text prominently and the others, joined by langSeparator, smaller.
type multi []text

// personField is one stacked field of the holder block: the name as written with
// its transliteration under it.
type personField struct {
	label multi
	value text
	std   text // transliterated form; empty when there is none to show
}

// row is one label/value row of the entry table.
type row struct {
	label  multi
	value  multi
	strong bool // the value matters most (result, validity): set it in bold
	narrow bool // an identifier: shrink to fit one line before wrapping
}

// content is everything printed on the page.
type content struct {
	title          multi
	specimenWord   multi // empty unless Specimen
	specimenBanner multi
	copyWord       multi // empty unless Copy
	holderHeading  multi
	holder         []personField
	entryHeading   multi
	rows           []row
	notesHeading   multi
	notes          []text
	verifyLabel    multi
	verifyURL      text
	paperNote      multi
	separator      text
}

// texts lists every string the page prints, for the glyph check.
func (c *content) texts() []text {
	var out []text
	add := func(m multi) { out = append(out, m...) }
	for _, m := range []multi{c.title, c.specimenWord, c.specimenBanner, c.copyWord, c.holderHeading,
		c.entryHeading, c.verifyLabel, c.paperNote} {
		add(m)
	}
	for _, p := range c.holder {
		add(p.label)
		out = append(out, p.value, p.std)
	}
	for _, r := range c.rows {
		add(r.label)
		add(r.value)
	}
	if len(c.notes) > 0 {
		add(c.notesHeading)
		out = append(out, c.notes...)
	}
	out = append(out, c.verifyURL, c.separator)
	return out
}

// checkGlyphs returns a *MissingGlyphError for the first character of any printed
// string that the face it is set in cannot draw.
func (f *Fonts) checkGlyphs(texts []text) error {
	var buf sfnt.Buffer
	for _, t := range texts {
		fc := &f.regular
		if t.bold {
			fc = &f.bold
		}
		if r, missing := fc.missingRune(&buf, t.s); missing {
			return &MissingGlyphError{Font: fc.name, Field: t.field, Rune: r}
		}
	}
	return nil
}

// builder makes the content of one certificate.
type builder struct {
	r     *Renderer
	c     *Certificate
	langs []string
}

// label returns catalogue entry l in the profile's languages; bold sets the primary
// language's text in the bold face.
func (b *builder) label(l label, bold bool) multi {
	en, _ := b.r.cat[l].in("en")
	out := make(multi, 0, len(b.langs))
	for i, lang := range b.langs {
		s, _ := b.r.cat[l].in(lang) // languages and catalogue are checked before
		out = append(out, text{
			field: fmt.Sprintf("label %q (%s)", en, lang),
			s:     s,
			bold:  bold && i == 0,
		})
	}
	return out
}

// copyWord returns the reprint mark in the profile's languages, all bold.
func (b *builder) copyWord() multi {
	m := b.label(labelCopyWord, true)
	for i := range m {
		m[i].bold = true
	}
	return m
}

// names returns the display names of a value-set code in the profile's languages,
// distinct and primary first; the code itself when no language has a name.
func (b *builder) names(field string, set dcc.ValueSet, code string) multi {
	if code == "" {
		return multi{{field: field, s: missingValueText}}
	}
	var out multi
	if b.r.names != nil {
		for _, lang := range b.langs {
			s, ok := b.r.names(set, code, lang)
			if !ok || s == "" || slices.ContainsFunc(out, func(t text) bool { return t.s == s }) {
				continue
			}
			out = append(out, text{field: fmt.Sprintf("%s (%s)", field, lang), s: s})
		}
	}
	if len(out) == 0 {
		out = multi{{field: field, s: code}}
	}
	return out
}

// plain is a value that is the same in every language.
func plain(field, s string) multi {
	if s == "" {
		s = missingValueText
	}
	return multi{{field: field, s: s}}
}

func (b *builder) row(l label, value multi) row {
	return row{label: b.label(l, false), value: value}
}

// formatTime prints an instant in the certificate's time zone with its offset, which
// reads the same in every language: 2021-06-01 14:30 (UTC+03:00).
func formatTime(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return t.Format("2006-01-02 15:04") + " (UTC" + t.Format("-07:00") + ")"
}

func (b *builder) build() (*content, error) {
	c := b.c
	hc := &c.Payload
	out := &content{
		holderHeading: b.label(labelSectionHolder, true),
		verifyLabel:   b.label(labelVerify, false),
		verifyURL:     text{field: "verification address", s: c.VerifyURL, bold: true},
		paperNote:     b.label(labelPaperNote, false),
		separator:     text{field: "language separator", s: langSeparator},
	}
	if c.Specimen {
		out.specimenWord = b.label(labelSpecimenWord, true)
		out.specimenBanner = b.label(labelSpecimenBanner, true)
		for i := range out.specimenWord {
			out.specimenWord[i].bold = true
			out.specimenBanner[i].bold = true
		}
	}
	if c.Copy {
		out.copyWord = b.copyWord()
	}

	fn, fnt := hc.Name.FamilyName, hc.Name.FamilyNameStandardised
	surname := personField{label: b.label(labelSurname, false)}
	if fn != "" {
		surname.value = text{field: "family name", s: fn, bold: true}
		surname.std = text{field: "transliterated family name", s: fnt}
	} else {
		surname.value = text{field: "transliterated family name", s: fnt, bold: true}
	}
	out.holder = append(out.holder, surname)
	if gn, gnt := hc.Name.GivenName, hc.Name.GivenNameStandardised; gn != "" || gnt != "" {
		given := personField{label: b.label(labelForename, false)}
		if gn != "" {
			given.value = text{field: "given name", s: gn, bold: true}
			given.std = text{field: "transliterated given name", s: gnt}
		} else {
			given.value = text{field: "transliterated given name", s: gnt, bold: true}
		}
		out.holder = append(out.holder, given)
	}
	dob := hc.DateOfBirth
	if dob == "" {
		dob = missingValueText
	}
	out.holder = append(out.holder, personField{
		label: b.label(labelDateOfBirth, false),
		value: text{field: "date of birth", s: dob, bold: true},
	})

	issuer := func(entryIssuer string) row {
		s := c.Issuer
		if s == "" {
			s = entryIssuer
		}
		return b.row(labelIssuer, plain("certificate issuer", s))
	}
	identifier := func(id string) row {
		r := b.row(labelIdentifier, plain("certificate identifier", id))
		r.narrow = true
		return r
	}
	loc := c.location()

	switch hc.Kind() {
	case dcc.KindVaccination:
		v := hc.Vaccinations[0]
		out.title = b.label(labelTitleVaccination, true)
		out.entryHeading = b.label(labelSectionVaccination, true)
		dose := strconv.Itoa(v.DoseNumber) + " / " + strconv.Itoa(v.TotalDoses)
		out.rows = []row{
			b.row(labelDisease, b.names("disease", dcc.ValueSetDiseaseAgent, v.Target)),
			b.row(labelProphylaxis, b.names("vaccine type", dcc.ValueSetVaccineProphylaxis, v.Prophylaxis)),
			b.row(labelProduct, b.names("vaccine product", dcc.ValueSetVaccineProduct, v.Product)),
			b.row(labelManufacturer, b.names("manufacturer", dcc.ValueSetVaccineManufacturer, v.Manufacturer)),
			{label: b.label(labelDose, false), value: plain("dose", dose), strong: true},
			b.row(labelVaccinationDate, plain("date of vaccination", v.Date)),
			b.row(labelVaccinationCountry, b.names("country", dcc.ValueSetCountry, v.Country)),
			issuer(v.Issuer),
			identifier(v.ID),
		}
	case dcc.KindTest:
		t := hc.Tests[0]
		out.title = b.label(labelTitleTest, true)
		out.entryHeading = b.label(labelSectionTest, true)
		sampled := t.SampledAt
		if ts, err := time.Parse(time.RFC3339, t.SampledAt); err == nil {
			sampled = formatTime(ts, loc)
		}
		out.rows = []row{
			b.row(labelDisease, b.names("disease", dcc.ValueSetDiseaseAgent, t.Target)),
			b.row(labelTestType, b.names("test type", dcc.ValueSetTestType, t.Type)),
		}
		if t.Name != "" {
			out.rows = append(out.rows, b.row(labelTestName, plain("test name", t.Name)))
		}
		if t.Device != "" {
			out.rows = append(out.rows, b.row(labelTestDevice, b.names("test device", setTestDevice, t.Device)))
		}
		out.rows = append(out.rows,
			b.row(labelSampleTime, plain("sample collection time", sampled)),
			row{label: b.label(labelTestResult, false), value: b.names("test result", dcc.ValueSetTestResult, t.Result), strong: true},
		)
		if t.Centre != "" {
			out.rows = append(out.rows, b.row(labelTestCentre, plain("testing centre", t.Centre)))
		}
		out.rows = append(out.rows,
			b.row(labelTestCountry, b.names("country", dcc.ValueSetCountry, t.Country)),
			issuer(t.Issuer),
			identifier(t.ID),
		)
	case dcc.KindRecovery:
		rc := hc.Recoveries[0]
		out.title = b.label(labelTitleRecovery, true)
		out.entryHeading = b.label(labelSectionRecovery, true)
		out.rows = []row{
			b.row(labelDisease, b.names("disease", dcc.ValueSetDiseaseAgent, rc.Target)),
			b.row(labelFirstPositive, plain("date of first positive test", rc.FirstPositive)),
			b.row(labelTestCountry, b.names("country", dcc.ValueSetCountry, rc.Country)),
			issuer(rc.Issuer),
			{label: b.label(labelValidFrom, false), value: plain("valid from", rc.ValidFrom), strong: true},
			{label: b.label(labelValidUntil, false), value: plain("valid until", rc.ValidUntil), strong: true},
			identifier(rc.ID),
		}
	default:
		return nil, fmt.Errorf("%w: payload holds no single entry", ErrInvalid)
	}
	out.rows = append(out.rows, b.row(labelIssued, plain("time of issue", formatTime(c.IssuedAt, loc))))

	for i, n := range c.Notes {
		out.notes = append(out.notes, text{field: fmt.Sprintf("note %d", i+1), s: n})
	}
	if len(out.notes) > 0 {
		out.notesHeading = b.label(labelNotes, true)
	}
	for _, r := range out.rows {
		if r.strong {
			r.value[0].bold = true
		}
	}
	return out, nil
}
