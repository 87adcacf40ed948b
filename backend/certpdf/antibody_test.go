package certpdf

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/dcc"
)

// antibodyFixture is a certificate of antibodies present, as the commission issues
// it in Kamchatka.
func antibodyFixture(t testing.TB) AntibodyCertificate {
	uvci := "URN:UVCI:01:RU:KAM/AK000007X9#F"
	return AntibodyCertificate{
		Payload: dcc.HealthCertificate{
			Version: dcc.SchemaVersion,
			Name: dcc.Name{
				FamilyName: "Петрова", FamilyNameStandardised: "PETROVA",
				GivenName: "Анна Сергеевна", GivenNameStandardised: "ANNA<SERGEEVNA",
			},
			DateOfBirth: "1957-09-02",
			Tests: []dcc.Test{{
				Target: dcc.DiseaseCOVID19, Type: "94504-8", SampledAt: "2026-11-18T00:00:00+12:00",
				Result: "260373001", Centre: "КДЛ Елизово", Country: "RU", Issuer: "Kamchatka Health Ministry", ID: uvci,
			}},
		},
		HC1:     syntheticHC1(420),
		Present: true, Test: "94762-2", Value: "74.2", Unit: "BAU/mL", ReferenceLow: "0", ReferenceHigh: "7.1",
		Laboratory: "КДЛ Елизово", SampleDate: "2026-11-18",
		Decider: "member1", Approvers: []string{"member1", "member2"},
		Case: "AK000007", ValidUntil: "2027-05-18",
		Issuer:    "Министерство здравоохранения Камчатского края / Kamchatka Health Ministry",
		IssuedAt:  time.Date(2026, 11, 22, 1, 30, 0, 0, time.UTC),
		Location:  mustLocation(t, "Asia/Kamchatka"),
		VerifyURL: "https://verify.certkiosk.example/ru-kam/" + uvci,
	}
}

func TestRenderAntibodyText(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	for _, present := range []bool{true, false} {
		a := antibodyFixture(t)
		a.Present = present
		pdf, err := r.RenderAntibody(a)
		if err != nil {
			t.Fatalf("RenderAntibody() = %v", err)
		}
		got := runningText(t, pdf)
		want := []string{
			"Сертификат комиссии по антителам", "Certificate of the antibody commission",
			"Петрова", "PETROVA", "Анна Сергеевна", "1957-09-02",
			"74.2 BAU/mL", "0 – 7.1 BAU/mL", "LOINC 94762-2", "КДЛ Елизово", "2026-11-18",
			"member1", "member1, member2", "AK000007", "2027-05-18",
			"URN:UVCI:01:RU:KAM/AK000007X9#F", "2026-11-22 13:30 (UTC+12:00)",
			"Действителен только в Камчатском крае (RU-KAM); не является цифровым COVID-сертификатом ЕС.",
			"Valid only in Kamchatka Krai (RU-KAM); not an EU Digital COVID Certificate.",
		}
		if present {
			want = append(want, "Антитела к SARS-CoV-2 обнаружены", "SARS-CoV-2 antibodies present")
		} else {
			want = append(want, "Антитела к SARS-CoV-2 не обнаружены", "SARS-CoV-2 antibodies absent")
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("RenderAntibody(present=%v) text lacks %q", present, w)
			}
		}
		if !present && strings.Contains(got, "antibodies present") {
			t.Errorf("RenderAntibody(present=false) says antibodies present")
		}
	}
}

// TestRenderAntibodyQR scans the printed page: the HC1 and the verification address
// come back byte for byte.
func TestRenderAntibodyQR(t *testing.T) {
	a := antibodyFixture(t)
	pdf, err := NewRenderer(mustFonts(t), testNames).RenderAntibody(a)
	if err != nil {
		t.Fatalf("RenderAntibody() = %v", err)
	}
	got := scanPage(t, pdf)
	if len(got) != 2 || got[0] != a.HC1 || got[1] != a.VerifyURL {
		t.Errorf("scanned codes = %q, want [%q %q]", got, a.HC1, a.VerifyURL)
	}
}

func TestRenderAntibodyDeterministic(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	a := antibodyFixture(t)
	first, err := r.RenderAntibody(a)
	if err != nil {
		t.Fatal(err)
	}
	second, err := r.RenderAntibody(a)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("RenderAntibody gave different bytes for the same certificate")
	}
	a.Copy = true
	copied, err := r.RenderAntibody(a)
	if err != nil {
		t.Fatal(err)
	}
	if text := runningText(t, copied); !strings.Contains(text, "COPY") {
		t.Error("RenderAntibody(Copy) does not say COPY")
	}
	a.Copy, a.Specimen = false, true
	specimen, err := r.RenderAntibody(a)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(specimen, first) {
		t.Error("RenderAntibody(Specimen) gave the same bytes as without the mark")
	}
}

func TestRenderAntibodyInvalid(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	tests := []struct {
		name   string
		change func(a *AntibodyCertificate)
	}{
		{"no HC1", func(a *AntibodyCertificate) { a.HC1 = "" }},
		{"no time", func(a *AntibodyCertificate) { a.IssuedAt = time.Time{} }},
		{"vaccination payload", func(a *AntibodyCertificate) {
			a.Payload.Tests = nil
			a.Payload.Vaccinations = []dcc.Vaccination{{ID: "x"}}
		}},
		{"no name", func(a *AntibodyCertificate) { a.Payload.Name = dcc.Name{} }},
		{"no approvers", func(a *AntibodyCertificate) { a.Approvers = nil }},
		{"no case", func(a *AntibodyCertificate) { a.Case = "" }},
		{"PCR test", func(a *AntibodyCertificate) { a.Test = dcc.LOINCNAAT }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := antibodyFixture(t)
			tt.change(&a)
			if _, err := r.RenderAntibody(a); !errors.Is(err, ErrInvalidAntibody) {
				t.Errorf("RenderAntibody(%s) = %v, want ErrInvalidAntibody", tt.name, err)
			}
		})
	}
	a := antibodyFixture(t)
	a.Laboratory = "Lab \U0001F9EA"
	var mg *MissingGlyphError
	if _, err := r.RenderAntibody(a); !errors.As(err, &mg) {
		t.Errorf("RenderAntibody(emoji in laboratory) = %v, want *MissingGlyphError", err)
	}
}

func TestReferenceRange(t *testing.T) {
	tests := []struct{ low, high, unit, want string }{
		{"0.8", "10", "U/mL", "0.8 – 10 U/mL"},
		{"1.1", "", "", "≥ 1.1"},
		{"", "7.1", "BAU/mL", "≤ 7.1 BAU/mL"},
		{"", "", "BAU/mL", ""},
	}
	for _, tt := range tests {
		if got := referenceRange(tt.low, tt.high, tt.unit); got != tt.want {
			t.Errorf("referenceRange(%q, %q, %q) = %q, want %q", tt.low, tt.high, tt.unit, got, tt.want)
		}
	}
}
