package issuance

import (
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
	certs, err := s.Issue(allKinds(t), at)
	if err != nil {
		t.Fatal(err)
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
	if a[0].UVCI != b[0].UVCI {
		t.Errorf("UVCI within the same second: %s then %s, want the same", a[0].UVCI, b[0].UVCI)
	}
	if a[0].UVCI == c[0].UVCI {
		t.Errorf("UVCI a second later = %s, want a new one", c[0].UVCI)
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
	certs, err := s.Issue(record(b, "mari-tamm.json"), at)
	if err != nil {
		b.Fatal(err)
	}
	c := certs[0]
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
			if _, err := s.Render(c.Payload, c.HC1, at); err != nil {
				b.Fatal(err)
			}
		}
	})
}
