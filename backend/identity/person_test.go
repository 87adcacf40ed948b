package identity

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"certkiosk/backend/registry"
)

func parseZone(t *testing.T, text string) MRZ {
	t.Helper()
	m, err := ParseMRZ(text, testNow())
	if err != nil {
		t.Fatalf("ParseMRZ(%q) = %v", text, err)
	}
	return m
}

func TestFromMRZEstonianIDCard(t *testing.T) {
	m := parseZone(t, readZone(t, "ee-id-card-td1.mrz"))
	want := Person{
		Identifier: registry.Identifier{System: registry.SystemEEPersonalCode, Value: "46003150224"},
		FamilyName: "TAMM", GivenNames: []string{"MARI"}, BirthDate: "1960-03-15",
		Document: &Document{Type: "ID", Number: "AB1234567", IssuingState: "EST", Nationality: "EST", Expiry: "2030-05-01"},
		Source:   SourceMRZ,
	}
	for _, systems := range [][]string{nil, {registry.SystemEEPersonalCode}} {
		got, err := FromMRZ(m, systems...)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("FromMRZ(EE ID card, %q) = %+v, %v, want %+v", systems, got, err, want)
		}
	}
}

// TestFromMRZInvalidPersonalCode: a zone whose check digits all pass can still
// carry a personal code whose own check digit fails (a forged or misprinted zone).
func TestFromMRZInvalidPersonalCode(t *testing.T) {
	text := reseal(t, TD1, zoneWith(readZone(t, "ee-id-card-td1.mrz"), 1, 26, '5'))
	p, err := FromMRZ(parseZone(t, text))
	ie, ok := errors.AsType[*InvalidError](err)
	if !ok || !errors.Is(err, ErrInvalidIdentifier) || !strings.Contains(ie.Check, "check digit is 5, want 4") {
		t.Fatalf("FromMRZ(personal code 46003150225) = %v, want an InvalidError about the check digit", err)
	}
	if p.Identifier != (registry.Identifier{}) || p.FamilyName != "TAMM" {
		t.Errorf("FromMRZ(personal code 46003150225) = %+v, want the person without an identifier", p)
	}
}

func TestFromMRZEstonianPassport(t *testing.T) {
	m := MRZ{Format: TD3, DocumentCode: "P", IssuingState: "EST", DocumentNumber: "K0000000",
		BirthDate: Date{1976, 5, 3}, Sex: "M", ExpiryDate: Date{2031, 3, 1}, Nationality: "EST",
		OptionalData: "37605030299", Primary: "OJA", Secondary: "MIHKEL JAAN"}
	lines, err := m.Lines()
	if err != nil {
		t.Fatal(err)
	}
	p, err := FromMRZ(parseZone(t, strings.Join(lines, "\n")), registry.SystemEEPersonalCode)
	if err != nil || p.Identifier.Value != "37605030299" || !reflect.DeepEqual(p.GivenNames, []string{"MIHKEL", "JAAN"}) {
		t.Errorf("FromMRZ(EE passport) = %+v, %v, want personal code 37605030299, given names MIHKEL JAAN", p, err)
	}
}

func TestFromMRZAzerbaijaniIDCard(t *testing.T) {
	p, err := FromMRZ(parseZone(t, readZone(t, "az-id-card-td1.mrz")), registry.SystemFIN)
	want := registry.Identifier{System: registry.SystemFIN, Value: "5ZJ7K2M"}
	if err != nil || p.Identifier != want || p.FamilyName != "MAMMADOV" || p.BirthDate != "1984-08-18" {
		t.Errorf("FromMRZ(AZ ID card) = %+v, %v, want FIN 5ZJ7K2M", p, err)
	}
	// The FIN standing after fillers at the end of line 2, as on older cards.
	m := MRZ{Format: TD1, DocumentCode: "I", IssuingState: "AZE", DocumentNumber: "1234567",
		BirthDate: Date{1984, 8, 18}, Sex: "M", ExpiryDate: Date{2027, 1, 1}, Nationality: "AZE",
		OptionalData2: "<<<<5ZJ7K2M", Primary: "MAMMADOV", Secondary: "ELVIN"}
	lines, err := m.Lines()
	if err != nil {
		t.Fatal(err)
	}
	if p, err := FromMRZ(parseZone(t, strings.Join(lines, "\n"))); err != nil || p.Identifier != want {
		t.Errorf("FromMRZ(AZ ID card, FIN in line 2) = %+v, %v, want FIN 5ZJ7K2M", p, err)
	}
}

func TestFromMRZNoIdentifier(t *testing.T) {
	tests := []struct {
		file    string
		systems []string
		says    string
	}{
		{"ru-passport-td3-filler-check.mrz", []string{registry.SystemSNILS, registry.SystemOMS}, "no SNILS or OMS"},
		{"icao-9303-4-td3-specimen.mrz", nil, "UTO document"},
		{"icao-9303-5-td1-specimen.mrz", nil, "UTO document"},
		{"ee-id-card-td1.mrz", []string{registry.SystemSNILS, registry.SystemOMS}, "carries an Estonian personal code, and people are found here by SNILS or OMS policy number"},
	}
	for _, tt := range tests {
		m := parseZone(t, readZone(t, tt.file))
		p, err := FromMRZ(m, tt.systems...)
		if !errors.Is(err, ErrNoIdentifier) || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("FromMRZ(%s, %q) = %v, want ErrNoIdentifier saying %q", tt.file, tt.systems, err, tt.says)
		}
		if p.Identifier != (registry.Identifier{}) || p.FamilyName != m.Primary || p.Document == nil || p.Document.Number != m.DocumentNumber {
			t.Errorf("FromMRZ(%s) = %+v, want the person and document without an identifier", tt.file, p)
		}
	}
}

func TestFromMRZPartialBirthDate(t *testing.T) {
	m := parseZone(t, readZone(t, "icao-9303-4-td3-specimen.mrz"))
	m.BirthDate = Date{Year: 1974}
	lines, err := m.Lines()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(lines[1], "74<<<<") {
		t.Fatalf("Lines() = %q, want the date of birth written 74<<<<", lines)
	}
	p, _ := FromMRZ(parseZone(t, strings.Join(lines, "\n")))
	if p.BirthDate != "1974" {
		t.Errorf("FromMRZ(born 74<<<<).BirthDate = %q, want 1974", p.BirthDate)
	}
}

func TestFromStaffEntry(t *testing.T) {
	tests := []struct {
		system, value string
		want          Person
	}{
		{registry.SystemEEPersonalCode, " 37605030299 ", Person{
			Identifier: registry.Identifier{System: registry.SystemEEPersonalCode, Value: "37605030299"},
			BirthDate:  "1976-05-03", Source: SourceStaff}},
		{registry.SystemEEPersonalCode, "60001010007", Person{ // born in 2000
			Identifier: registry.Identifier{System: registry.SystemEEPersonalCode, Value: "60001010007"},
			BirthDate:  "2000-01-01", Source: SourceStaff}},
		{registry.SystemSNILS, "112-233-445 95", Person{
			Identifier: registry.Identifier{System: registry.SystemSNILS, Value: "11223344595"}, Source: SourceStaff}},
		{registry.SystemFIN, "5zj7k2m", Person{
			Identifier: registry.Identifier{System: registry.SystemFIN, Value: "5ZJ7K2M"}, Source: SourceStaff}},
	}
	for _, tt := range tests {
		got, err := FromStaffEntry(tt.system, tt.value)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("FromStaffEntry(%s, %q) = %+v, %v, want %+v", tt.system, tt.value, got, err, tt.want)
		}
	}
	if _, err := FromStaffEntry(registry.SystemSNILS, "112-233-445 96"); !errors.As(err, new(*InvalidError)) {
		t.Errorf("FromStaffEntry(bad SNILS) = %v, want an InvalidError", err)
	}
}
