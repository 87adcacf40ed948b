package issuance

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/certpdf"
	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
	"certkiosk/backend/rules"
	"certkiosk/backend/signer"
)

var at = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func newService(tb testing.TB) *Service {
	tb.Helper()
	p, err := rules.Load("EE")
	if err != nil {
		tb.Fatal(err)
	}
	iss, err := signer.LoadDemo(tb.TempDir(), at)
	if err != nil {
		tb.Fatal(err)
	}
	fonts, err := certpdf.SystemFonts()
	if err != nil {
		tb.Fatal(err)
	}
	return &Service{Profile: p, Issuer: iss, Renderer: certpdf.NewRenderer(fonts, dcc.DisplayName)}
}

func bundle(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "registry", "testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func record(tb testing.TB, name string) *registry.Record {
	tb.Helper()
	rec, err := registry.ParseBundle(bundle(tb, name))
	if err != nil {
		tb.Fatal(err)
	}
	return rec
}

// allKinds is Mari Tamm's record with a negative test and a past illness added: it
// supports a certificate of every kind.
func allKinds(tb testing.TB) *registry.Record {
	rec := record(tb, "mari-tamm.json")
	rec.Observations = append(rec.Observations, record(tb, "liis-kask.json").Observations...)
	ill := record(tb, "oleg-kuznetsov.json")
	rec.Observations = append(rec.Observations, ill.Observations...)
	rec.Conditions = ill.Conditions
	return rec
}

func TestIssueOneCertificatePerKind(t *testing.T) {
	s := newService(t)
	out, err := s.Issue(allKinds(t), at)
	if err != nil {
		t.Fatal(err)
	}
	certs := out.Certificates
	if len(out.Refusals) != 0 {
		t.Errorf("Issue(all kinds).Refusals = %+v, want none", out.Refusals)
	}
	var kinds []string
	v := dcc.NewVerifier(s.Issuer.Certificate)
	for _, c := range certs {
		kinds = append(kinds, string(c.Kind))
		if c.Payload.Kind() != c.Kind || c.Payload.CertificateID() != c.UVCI {
			t.Errorf("%s: payload kind %q and id %q do not match", c.Kind, c.Payload.Kind(), c.Payload.CertificateID())
		}
		if !strings.HasPrefix(string(c.PDF), "%PDF-") {
			t.Errorf("%s: PDF does not start with %%PDF-", c.Kind)
		}
		if res := v.Verify(c.HC1, at); !res.Valid {
			t.Errorf("%s: Verify = %s: %v", c.Kind, res.Reason, res.Err)
		}
		if name := c.Payload.Name; name.FamilyName != "Tamm" || name.FamilyNameStandardised != "TAMM" || name.GivenNameStandardised != "MARI" {
			t.Errorf("%s: name = %+v", c.Kind, name)
		}
	}
	if got := strings.Join(kinds, ","); got != "vaccination,recovery,test" {
		t.Errorf("kinds = %s, want vaccination,recovery,test", got)
	}
	if certs[0].UVCI == certs[1].UVCI || certs[1].UVCI == certs[2].UVCI {
		t.Errorf("UVCIs repeat: %s %s %s", certs[0].UVCI, certs[1].UVCI, certs[2].UVCI)
	}
}

func TestIssueIsRepeatable(t *testing.T) {
	s := newService(t)
	a, err := s.Issue(record(t, "mari-tamm.json"), at)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Issue(record(t, "mari-tamm.json"), at.Add(500*time.Millisecond))
	c, _ := s.Issue(record(t, "mari-tamm.json"), at.Add(time.Second))
	if a.Certificates[0].UVCI != b.Certificates[0].UVCI {
		t.Errorf("UVCI within the same second: %s then %s, want the same", a.Certificates[0].UVCI, b.Certificates[0].UVCI)
	}
	if a.Certificates[0].UVCI == c.Certificates[0].UVCI {
		t.Errorf("UVCI a second later = %s, want a new one", c.Certificates[0].UVCI)
	}
}

func TestIssueRefusesWhatItCannotPrint(t *testing.T) {
	s := newService(t)
	rec := record(t, "mari-tamm.json")
	rec.Patient.FamilyName = "王"
	if _, err := s.Issue(rec, at); err == nil || !strings.Contains(err.Error(), "王") {
		t.Errorf("Issue(name 王) = %v, want an error naming the character", err)
	}
	rec = record(t, "mari-tamm.json")
	rec.Immunizations[1].Vaccine.Code = "EU/0/00/0000"
	if _, err := s.Issue(rec, at); !errors.Is(err, rules.ErrUnknownVaccine) {
		t.Errorf("Issue(unknown vaccine) = %v, want rules.ErrUnknownVaccine", err)
	}
}

func TestIssueExplainsRefusals(t *testing.T) {
	s := newService(t)
	ill := record(t, "oleg-kuznetsov.json")
	ill.Conditions[0].Abatement = nil
	tests := []struct {
		name string
		rec  *registry.Record
		want []RefusalText
	}{
		{"ill", ill, []RefusalText{{Kind: dcc.KindRecovery, Code: rules.ReasonIllNow}}},
		{"in no registry", nil, []RefusalText{{Kind: dcc.KindVaccination, Code: rules.ReasonNoRecord}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := s.Issue(tt.rec, at)
			if err != nil {
				t.Fatalf("Issue(%s) = %v", tt.name, err)
			}
			if len(out.Certificates) != 0 || len(out.Refusals) != len(tt.want) {
				t.Fatalf("Issue(%s) = %d certificates, refusals %+v; want none and %+v", tt.name, len(out.Certificates), out.Refusals, tt.want)
			}
			for i, r := range out.Refusals {
				if r.Kind != tt.want[i].Kind || r.Code != tt.want[i].Code {
					t.Errorf("Issue(%s).Refusals[%d] = %s %s, want %s %s", tt.name, i, r.Kind, r.Code, tt.want[i].Kind, tt.want[i].Code)
				}
				ex, _ := s.Profile.Explain(r.Code)
				for _, lang := range rules.Languages() {
					if r.Reason[lang] == "" || r.NextStep[lang] == "" || r.Reason[lang] != ex.Reason[lang] {
						t.Errorf("Issue(%s).Refusals[%d] in %s = %q / %q, want the profile's texts", tt.name, i, lang, r.Reason[lang], r.NextStep[lang])
					}
				}
			}
		})
	}
}

func TestIssuePrintsNotes(t *testing.T) {
	s := newService(t)
	// Only the first of Mari Tamm's two doses: 1/2, not complete.
	rec := record(t, "mari-tamm.json")
	rec.Immunizations = rec.Immunizations[:1]
	out, err := s.Issue(rec, at)
	if err != nil || len(out.Certificates) != 1 {
		t.Fatalf("Issue(first dose) = %+v, %v, want one certificate", out, err)
	}
	c := out.Certificates[0]
	if v := c.Payload.Vaccinations[0]; v.DoseNumber != 1 || v.TotalDoses != 2 {
		t.Errorf("dose %d/%d, want 1/2", v.DoseNumber, v.TotalDoses)
	}
	if len(c.Notes) != 1 || c.Notes[0] != rules.NoteCourseNotComplete || !c.ValidFrom.IsZero() {
		t.Errorf("Notes = %v, ValidFrom %v; want course-not-complete and no window", c.Notes, c.ValidFrom)
	}
	lines, err := s.NoteLines(rules.Entitlement{Notes: c.Notes})
	if err != nil || len(lines) != len(s.Profile.Languages) || !strings.Contains(lines[0], "kuur") {
		t.Errorf("NoteLines = %q, %v, want the note in et, en and ru, Estonian first", lines, err)
	}

	// A record from the federal registry says so.
	out, err = s.Issue(rules.MergeFederal(nil, record(t, "mari-tamm.json")), at)
	if err != nil || len(out.Certificates) != 1 {
		t.Fatalf("Issue(federal) = %+v, %v", out, err)
	}
	if c := out.Certificates[0]; c.Source != registry.SourceFederal || len(c.Notes) != 1 || c.Notes[0] != rules.NoteFederalRecord {
		t.Errorf("federal certificate: source %s, notes %v; want federal with the federal-record note", c.Source, c.Notes)
	}
}

// BenchmarkIssue measures issuing one vaccination certificate: the whole path from
// the bundle's bytes to the PDF's, and its parts.
func BenchmarkIssue(b *testing.B) {
	s := newService(b)
	data := bundle(b, "mari-tamm.json")
	b.Run("bundle-to-pdf", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rec, err := registry.ParseBundle(data)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.Issue(rec, at); err != nil {
				b.Fatal(err)
			}
		}
	})
	out, err := s.Issue(record(b, "mari-tamm.json"), at)
	if err != nil {
		b.Fatal(err)
	}
	c := out.Certificates[0]
	b.Run("sign-and-encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Sign(c.Payload, at, c.Expires); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pdf", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Render(c.Payload, c.HC1, nil, at); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestUVCIKeyed: under a UVCI key the same request at the same moment still gets the
// same UVCI, another key another one, and none of them is the unkeyed hash anyone
// could recompute from the identifier (docs/PRIVACY.md, finding 5).
func TestUVCIKeyed(t *testing.T) {
	s := newService(t)
	uvci := func(key []byte) string {
		t.Helper()
		s.UVCIKey = key
		out, err := s.Issue(record(t, "mari-tamm.json"), at)
		if err != nil || len(out.Certificates) == 0 {
			t.Fatalf("Issue() = %v", err)
		}
		return out.Certificates[0].UVCI
	}
	unkeyed := uvci(nil)
	k1 := bytes.Repeat([]byte{1}, 32)
	a, b := uvci(k1), uvci(k1)
	other := uvci(bytes.Repeat([]byte{2}, 32))
	if a != b {
		t.Errorf("the same key gave %s then %s, want the same UVCI", a, b)
	}
	if a == unkeyed || other == unkeyed || a == other {
		t.Errorf("UVCIs unkeyed %s, key 1 %s, key 2 %s: want three different", unkeyed, a, other)
	}
	if err := dcc.CheckUVCI(a); err != nil {
		t.Errorf("keyed UVCI %s: %v", a, err)
	}
}
