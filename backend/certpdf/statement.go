package certpdf

// The statement: the written application for an antibody commission certificate
// (RU-KAM), printed when the clerk opens a case and signed by the applicant. It
// names the applicant, the service requested, and leaves a line for the signature
// and the date.

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrInvalidStatement reports a Statement that cannot be printed as given.
var ErrInvalidStatement = errors.New("certpdf: invalid statement")

// The identifier systems a statement names, as the registries spell them.
const (
	systemSNILS = "urn:ru:snils"
	systemOMS   = "urn:ru:oms"
)

// Statement is everything printed on one application form.
type Statement struct {
	// Case is the application's register number.
	Case string
	// Name is the applicant's full name as written; BirthDate their date of birth
	// (YYYY-MM-DD).
	Name, BirthDate string
	// System is the identifier's system (urn:ru:snils or urn:ru:oms) and
	// Identifier its value as it is to be printed.
	System, Identifier string
	// Commission names the commission the application is addressed to, as printed
	// after "To the antibody commission"; empty prints none.
	Commission string
	// IssuedAt is when the application was received: printed, and the PDF's dates.
	IssuedAt time.Time
	// Location is the time zone IssuedAt is printed in; nil means UTC.
	Location *time.Location
	// Specimen marks a form printed by a demonstration kiosk.
	Specimen bool
}

func (s *Statement) check() error {
	switch {
	case s.IssuedAt.IsZero():
		return fmt.Errorf("%w: IssuedAt is not set", ErrInvalidStatement)
	case s.Case == "":
		return fmt.Errorf("%w: no application number", ErrInvalidStatement)
	case clean(s.Name) == "":
		return fmt.Errorf("%w: no applicant name", ErrInvalidStatement)
	case s.BirthDate == "":
		return fmt.Errorf("%w: no date of birth", ErrInvalidStatement)
	case s.Identifier == "":
		return fmt.Errorf("%w: no identifier", ErrInvalidStatement)
	case s.System != systemSNILS && s.System != systemOMS:
		return fmt.Errorf("%w: identifier system %q, want %s or %s", ErrInvalidStatement, s.System, systemSNILS, systemOMS)
	}
	return nil
}

// statementContent is everything printed on the form.
type statementContent struct {
	specimen  multi
	title     multi
	to        multi
	applicant multi
	fields    []personField // label and value of each applicant field
	request   multi
	service   multi
	paid      multi
	consent   multi
	signature multi
	date      multi
	received  multi
	printed   text
	separator text
}

func (c *statementContent) texts() []text {
	var out []text
	for _, m := range []multi{c.specimen, c.title, c.to, c.applicant, c.request, c.service, c.paid,
		c.consent, c.signature, c.date, c.received} {
		out = append(out, m...)
	}
	for _, f := range c.fields {
		out = append(out, f.label...)
		out = append(out, f.value)
	}
	return append(out, c.printed, c.separator)
}

// RenderStatement lays out s as a one-page A4 form and returns the PDF; the same
// Statement always gives the same bytes. An incomplete Statement wraps
// ErrInvalidStatement; a character the font cannot draw is a *MissingGlyphError.
func (r *Renderer) RenderStatement(s Statement) ([]byte, error) {
	return r.render(func() (composed, error) {
		if err := s.check(); err != nil {
			return nil, err
		}
		ct := r.statementContent(&s, newFormTexts())
		// The slip's footer sets when the application was received.
		foot := &slipContent{printedLabel: ct.received, printed: ct.printed}
		return r.slipPage(a4(), s.IssuedAt, ct.title[0].s, antibodyLanguages()[0], ct.texts(), foot,
			func(l *slipLayout) bool { return composeStatement(l, ct) })
	})
}

func (r *Renderer) statementContent(s *Statement, texts formTexts) *statementContent {
	b := builder{r: r, langs: antibodyLanguages()}
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	to := texts.statementTo
	if c := clean(s.Commission); c != "" {
		to = ruEn{to.ru + ": " + c, to.en + ": " + c}
	}
	system := texts.snils
	if s.System == systemOMS {
		system = texts.oms
	}
	field := func(label ruEn, name, value string) personField {
		return personField{label: label.multi(name+" label", false), value: text{field: name, s: value, bold: true}}
	}
	ct := &statementContent{
		title:     texts.statementTitle.multi("title", true),
		to:        to.multi("addressee", true),
		applicant: texts.applicant.multi("applicant", true),
		fields: []personField{
			field(texts.fullName, "applicant name", clean(s.Name)),
			{label: b.label(labelDateOfBirth, false), value: text{field: "date of birth", s: s.BirthDate, bold: true}},
			field(system, "identifier", strings.TrimSpace(s.Identifier)),
			field(texts.number, "application number", s.Case),
		},
		request:   texts.request.multi("request", true),
		service:   texts.service.multi("service", false),
		paid:      texts.paid.multi("payment", false),
		consent:   texts.consent.multi("consent", false),
		signature: texts.signature.multi("signature", false),
		date:      texts.date.multi("date", false),
		received:  texts.received.multi("received", false),
		printed:   text{field: "time received", s: formatTime(s.IssuedAt, loc), bold: true},
		separator: text{field: "language separator", s: langSeparator},
	}
	if s.Specimen {
		ct.specimen = b.label(labelRefusalSpecimenBanner, true)
		for i := range ct.specimen {
			ct.specimen[i].bold = true
		}
	}
	return ct
}

// Widths of the form's blanks, mm.
const (
	signatureLineW = 90.0
	dateLineW      = 45.0
)

// composeStatement lays out the form: the addressee, the title, the applicant's
// data, the request, the consent, and the lines for signature and date; the time
// the application was received sits at the foot. It reports whether everything
// fits; with l.draw set it also paints.
func composeStatement(l *slipLayout, ct *statementContent) bool {
	x, w := l.sh.marginX, l.sh.contentW()
	y := l.sh.marginTop
	if len(ct.specimen) > 0 {
		y += l.banner(x, y, w, ct.specimen) + 4*l.scale
	}
	y += l.lines(x, y, w, ct.to, sizeSlipLabel, sizeSlipLabelOther, colorInk(), colorLabel(), 0.6)
	y += 6 * l.scale
	y += l.lines(x, y, w, ct.title, sizeSlipTitle, sizeSlipTitleOther, colorAccent(), colorLabel(), 0.6)
	y += 2.4 * l.scale
	if l.draw {
		l.rule(x, y, w, 0.8, colorAccent())
	}
	y += 5 * l.scale

	y += l.heading(x, y, w, ct.applicant)
	for _, f := range ct.fields {
		y += l.inline(x, y, w, f.label, sizeSlipNameLabel, sizeSlipNameLabelOther, colorLabel(), colorLabel())
		y += 0.6 * l.scale
		y += l.para(x, y, w, f.value, sizeSlipText, colorInk()) + 3*l.scale
	}
	y += 3 * l.scale

	y += l.inline(x, y, w, ct.request, sizeSlipKind, sizeSlipKindOther, colorAccent(), colorMuted())
	y += 1.5 * l.scale
	y += l.lines(x, y, w, ct.service, sizeSlipText, sizeSlipTextOther, colorInk(), colorLabel(), 1.2)
	y += 4 * l.scale
	y += l.lines(x, y, w, ct.paid, sizeSlipHelp, sizeSlipHelpOther, colorInk(), colorLabel(), 0.8)
	y += 4 * l.scale
	y += l.lines(x, y, w, ct.consent, sizeSlipHelp, sizeSlipHelpOther, colorInk(), colorLabel(), 0.8)
	y += 14 * l.scale

	// The blanks: a line to sign on, and one for the date beside it.
	dateX := x + w - dateLineW
	if l.draw {
		l.rule(x, y, signatureLineW, 0.35, colorInk())
		l.rule(dateX, y, dateLineW, 0.35, colorInk())
	}
	y += 1.2 * l.scale
	h := l.inline(x, y, signatureLineW, ct.signature, sizeSlipNameLabel, sizeSlipNameLabelOther, colorLabel(), colorLabel())
	h = max(h, l.inline(dateX, y, dateLineW, ct.date, sizeSlipNameLabel, sizeSlipNameLabelOther, colorLabel(), colorLabel()))
	y += h

	return y+4 <= l.footer()
}
