package certpdf

// The antibody commission's certificate (RU-KAM): the commission's decision on the
// presence or absence of SARS-CoV-2 antibodies, the lab result it rests on, the
// members who decided and approved it, and a QR code holding a national-only HC1.
// It is set on the certificate's page layout, with its own title, rows and marking.

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"certkiosk/backend/dcc"
)

// ErrInvalidAntibody reports an AntibodyCertificate that cannot be printed as given.
var ErrInvalidAntibody = errors.New("certpdf: invalid antibody certificate")

// AntibodyCertificate is everything printed on one antibody commission certificate.
// Its texts are in Russian and English, the languages of the RU-KAM profile.
type AntibodyCertificate struct {
	// Payload is the signed national certificate: the holder and one test entry.
	Payload dcc.HealthCertificate
	// HC1 is the signed, encoded certificate for the large QR code.
	HC1 string
	// Present is the commission's decision: antibodies present (true) or absent.
	Present bool
	// Test is the LOINC code of the laboratory's test: 94504-8 or 94762-2.
	Test string
	// Value and Unit are the measured level as the laboratory reported it;
	// ReferenceLow and ReferenceHigh its reference range (either may be empty).
	Value, Unit, ReferenceLow, ReferenceHigh string
	// Laboratory is the laboratory's name; SampleDate the day of the sample
	// (YYYY-MM-DD).
	Laboratory, SampleDate string
	// Decider is the staff id of the member who took the decision; Approvers the
	// staff ids of the members who approved it, in order.
	Decider   string
	Approvers []string
	// Case is the register number of the case.
	Case string
	// ValidUntil is the last day the certificate is valid (YYYY-MM-DD).
	ValidUntil string
	// Issuer is the issuing authority as printed; empty prints the entry's is.
	Issuer string
	// IssuedAt is the time of issue, printed and used as the PDF's dates; it must be
	// set.
	IssuedAt time.Time
	// Location is the time zone printed times are shown in; nil means UTC.
	Location *time.Location
	// VerifyURL is the verification address for the small QR code; empty leaves it
	// out.
	VerifyURL string
	// Specimen marks a certificate from a demo issuer; Copy a reprint.
	Specimen, Copy bool
}

// check reports the first reason a cannot be printed.
func (a *AntibodyCertificate) check(texts formTexts) error {
	switch {
	case a.HC1 == "":
		return fmt.Errorf("%w: HC1 is empty", ErrInvalidAntibody)
	case a.IssuedAt.IsZero():
		return fmt.Errorf("%w: IssuedAt is not set", ErrInvalidAntibody)
	case len(a.Payload.Tests) != 1 || a.Payload.Kind() != dcc.KindTest:
		return fmt.Errorf("%w: payload must hold exactly one test entry", ErrInvalidAntibody)
	case a.Payload.Name.FamilyName == "" && a.Payload.Name.FamilyNameStandardised == "":
		return fmt.Errorf("%w: no family name", ErrInvalidAntibody)
	case a.Decider == "" || len(a.Approvers) == 0:
		return fmt.Errorf("%w: the deciding and approving members must be named", ErrInvalidAntibody)
	case a.Case == "":
		return fmt.Errorf("%w: no register number", ErrInvalidAntibody)
	}
	if _, ok := texts.tests[a.Test]; !ok {
		return fmt.Errorf("%w: test %q is not an antibody test (94504-8, 94762-2)", ErrInvalidAntibody, a.Test)
	}
	return nil
}

// RenderAntibody lays out a on one A4 page and returns the PDF; the same
// AntibodyCertificate always gives the same bytes. An incomplete certificate wraps
// ErrInvalidAntibody; a character the font cannot draw is a *MissingGlyphError.
func (r *Renderer) RenderAntibody(a AntibodyCertificate) ([]byte, error) {
	return r.render(func() (composed, error) {
		texts := newFormTexts()
		if err := a.check(texts); err != nil {
			return nil, err
		}
		ct, err := r.antibodyContent(&a, texts)
		if err != nil {
			return nil, err
		}
		return r.certificatePage(ct, a.HC1, a.VerifyURL, a.IssuedAt, antibodyLanguages()[0])
	})
}

// antibodyContent builds what the page prints, in the certificate's slots: the
// holder as on every certificate, the decision and its grounds as the entry's rows,
// the national-only marking as the notes under them.
func (r *Renderer) antibodyContent(a *AntibodyCertificate, texts formTexts) (*content, error) {
	// The certificate's own builder sets the holder, the marks and the footer; the
	// entry is replaced below.
	b := builder{r: r, langs: antibodyLanguages(), c: &Certificate{
		Payload: a.Payload, HC1: a.HC1, Issuer: a.Issuer, IssuedAt: a.IssuedAt, Location: a.Location,
		Languages: antibodyLanguages(), VerifyURL: a.VerifyURL, Specimen: a.Specimen, Copy: a.Copy,
	}}
	out, err := b.build()
	if err != nil {
		return nil, err
	}
	t := a.Payload.Tests[0]
	loc := b.c.location()
	out.title = texts.title.multi("title", true)
	out.entryHeading = texts.section.multi("section", true)
	out.notesHeading = texts.scopeHeading.multi("scope heading", true)
	out.paperNote = nil // paper and code are valid in one region only: the notes say so
	decision := texts.absent
	if a.Present {
		decision = texts.present
	}
	field := func(label ruEn, name string, value multi) row {
		return row{label: label.multi(name+" label", false), value: value}
	}
	issuer := a.Issuer
	if issuer == "" {
		issuer = t.Issuer
	}
	members := multi{
		{field: "commission members (ru)", s: "решение: " + a.Decider + "; утвердили: " + strings.Join(a.Approvers, ", ")},
		{field: "commission members (en)", s: "decision: " + a.Decider + "; approved: " + strings.Join(a.Approvers, ", ")},
	}
	lab := a.Laboratory
	if a.SampleDate != "" {
		lab += ", " + a.SampleDate
	}
	out.rows = []row{
		{label: texts.decision.multi("decision label", false), value: decision.multi("decision", true), strong: true},
		field(texts.test, "test", texts.tests[a.Test].multi("test", false)),
		field(texts.value, "result", plain("result", measured(a))),
		field(texts.laboratory, "laboratory", plain("laboratory and sample date", lab)),
		field(texts.members, "commission members", members),
		field(texts.registerNumber, "register number", plain("register number", a.Case)),
		{label: texts.validTil.multi("valid until label", false), value: plain("valid until", a.ValidUntil), strong: true},
		b.row(labelIssuer, plain("certificate issuer", issuer)),
		{label: b.label(labelIdentifier, false), value: plain("certificate identifier", t.ID), narrow: true},
		b.row(labelIssued, plain("time of issue", formatTime(a.IssuedAt, loc))),
	}
	for _, r := range out.rows {
		if r.strong {
			r.value[0].bold = true
		}
	}
	out.notes = texts.nationalOnly.multi("national-only marking", true)
	return out, nil
}

// measured prints the level with its unit and, in brackets, the reference range.
func measured(a *AntibodyCertificate) string {
	s := strings.TrimSpace(a.Value + " " + a.Unit)
	if ref := referenceRange(a.ReferenceLow, a.ReferenceHigh, a.Unit); ref != "" {
		s += " (" + ref + ")"
	}
	return s
}

// referenceRange prints a reference range: "low – high unit", or one bound alone
// with its sign.
func referenceRange(low, high, unit string) string {
	var s string
	switch {
	case low != "" && high != "":
		s = low + " – " + high
	case low != "":
		s = "≥ " + low
	case high != "":
		s = "≤ " + high
	default:
		return ""
	}
	return strings.TrimSpace(s + " " + unit)
}
