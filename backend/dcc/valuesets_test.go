package dcc

// Tests of the value-set tables: all four languages, and agreement with the official value sets.

import (
	"encoding/json"
	"strings"
	"testing"

	"certkiosk/backend/dcc/refdata"
)

// completeValueSets are the sets whose every official code the kiosk holds.
var completeValueSets = []ValueSet{
	ValueSetDiseaseAgent, ValueSetVaccineProphylaxis, ValueSetVaccineProduct,
	ValueSetVaccineManufacturer, ValueSetTestType, ValueSetTestResult,
}

func TestValueSetEntriesHaveEveryLanguage(t *testing.T) {
	for _, set := range ValueSets() {
		codes := Codes(set)
		if len(codes) == 0 {
			t.Errorf("Codes(%s) is empty", set)
		}
		seen := map[string]bool{}
		for _, code := range codes {
			if seen[code] {
				t.Errorf("%s lists %q twice", set, code)
			}
			seen[code] = true
			for _, lang := range Languages() {
				name, ok := DisplayName(set, code, lang)
				if !ok || name == "" || name != strings.TrimSpace(name) {
					t.Errorf("DisplayName(%s, %q, %q) = %q, %v, want a trimmed non-empty name", set, code, lang, name, ok)
				}
			}
		}
	}
}

func TestDisplayName(t *testing.T) {
	tests := []struct {
		set        ValueSet
		code, lang string
		want       string
		ok         bool
	}{
		{ValueSetVaccineProduct, "EU/1/20/1528", "en", "Comirnaty", true},
		{ValueSetVaccineProduct, "EU/1/20/1528", "ru", "Comirnaty", true},
		{ValueSetVaccineProduct, "EU/1/20/1525", "az", "Jcovden", true},
		{ValueSetVaccineProduct, "Sputnik-V", "ru", "Sputnik-V", true},
		{ValueSetVaccineManufacturer, "ORG-100030215", "et", "Biontech Manufacturing GmbH", true},
		{ValueSetVaccineManufacturer, "Gamaleya-Research-Institute", "en", "Gamaleya Research Institute", true},
		{ValueSetVaccineProphylaxis, "1119349007", "et", "SARS-CoV-2 mRNA-vaktsiin", true},
		{ValueSetVaccineProphylaxis, "J07BX03", "en", "covid-19 vaccines", true},
		{ValueSetDiseaseAgent, DiseaseCOVID19, "az", "COVID-19", true},
		{ValueSetTestResult, "260415000", "et", "Ei tuvastatud", true},
		{ValueSetTestResult, "260373001", "ru", "Обнаружено", true},
		{ValueSetTestResult, "260415000", "az", "Aşkar edilməyib", true},
		{ValueSetTestType, TestTypeNAAT, "en", "Nucleic acid amplification with probe detection", true},
		{ValueSetTestType, TestTypeRAT, "ru", "Экспресс-иммуноанализ", true},
		{ValueSetCountry, "EE", "et", "Eesti", true},
		{ValueSetCountry, "AZ", "az", "Azərbaycan", true},
		{ValueSetCountry, "RU", "en", "Russian Federation", true},
		{ValueSetCountry, "FJ", "en", "", false},         // not in the kiosk's table
		{ValueSetCountry, "EE", "de", "", false},         // no German, and no fallback
		{ValueSetCountry, "EE", "EN", "", false},         // language codes are lower case
		{ValueSetTestType, LOINCNAAT, "en", "", false},   // a LOINC observation code, not a test type
		{ValueSet("test-manf"), "1232", "en", "", false}, // not held
		{ValueSetVaccineProduct, "eu/1/20/1528", "en", "", false},
	}
	for _, tt := range tests {
		got, ok := DisplayName(tt.set, tt.code, tt.lang)
		if got != tt.want || ok != tt.ok {
			t.Errorf("DisplayName(%s, %q, %q) = %q, %v, want %q, %v", tt.set, tt.code, tt.lang, got, ok, tt.want, tt.ok)
		}
	}
}

func TestKnownAndDeprecated(t *testing.T) {
	for _, code := range []string{"EU/1/20/1528", "EU/1/20/1507", "EU/1/21/1529", "EU/1/20/1525", "EU/1/21/1618", "Sputnik-V", "CoronaVac", "BBIBP-CorV", "Covaxin"} {
		if !Known(ValueSetVaccineProduct, code) || Deprecated(ValueSetVaccineProduct, code) {
			t.Errorf("Known, Deprecated(vaccine-medicinal-product, %q) = %v, %v, want true, false", code, Known(ValueSetVaccineProduct, code), Deprecated(ValueSetVaccineProduct, code))
		}
	}
	for _, code := range []string{"ORG-100030215", "ORG-100031184", "ORG-100001699", "ORG-100001417", "ORG-100032020", "Gamaleya-Research-Institute", "Sinovac-Biotech", "ORG-100020693", "Bharat-Biotech"} {
		if !Known(ValueSetVaccineManufacturer, code) {
			t.Errorf("Known(vaccine-mah-manf, %q) = false, want true", code)
		}
	}
	for _, code := range []string{"1119349007", "1119305005", "J07BX03"} {
		if !Known(ValueSetVaccineProphylaxis, code) {
			t.Errorf("Known(vaccine-prophylaxis, %q) = false, want true", code)
		}
	}
	if !Deprecated(ValueSetVaccineProphylaxis, "J07BX03") || !Deprecated(ValueSetVaccineProduct, "NVX-CoV2373") {
		t.Errorf("Deprecated(J07BX03), Deprecated(NVX-CoV2373) = false, want true")
	}
	if Known(ValueSetVaccineProduct, "94309-2") || Deprecated(ValueSetVaccineProduct, "nothing") {
		t.Errorf("Known or Deprecated report a code that is not in the set")
	}
}

func TestTestTypeForLOINC(t *testing.T) {
	tests := []struct {
		loinc, want string
		ok          bool
	}{
		{"94309-2", "LP6464-4", true},
		{"94558-4", "LP217198-3", true},
		{"94504-8", "", false}, // antibodies: no DCC test type
		{"94762-2", "", false},
		{"LP6464-4", "", false},
	}
	for _, tt := range tests {
		got, ok := TestTypeForLOINC(tt.loinc)
		if got != tt.want || ok != tt.ok {
			t.Errorf("TestTypeForLOINC(%q) = %q, %v, want %q, %v", tt.loinc, got, ok, tt.want, tt.ok)
		}
		if ok && !Known(ValueSetTestType, got) {
			t.Errorf("TestTypeForLOINC(%q) = %q, which value set test-type does not hold", tt.loinc, got)
		}
	}
}

// officialValueSet is a value-set file of eu-dcc-valuesets.
type officialValueSet struct {
	ID     string `json:"valueSetId"`
	Values map[string]struct {
		Display string `json:"display"`
		Active  bool   `json:"active"`
	} `json:"valueSetValues"`
}

// TestValueSetsMatchOfficial reads the official value sets in place and checks that
// every code the kiosk holds is there with the same English display name. The one
// deliberate difference: the official names of inactive codes end in "(deprecated)",
// which the kiosk carries in Deprecated instead of printing it.
func TestValueSetsMatchOfficial(t *testing.T) {
	dir := refdata.Dir(t, "valuesets")
	for _, set := range ValueSets() {
		var official officialValueSet
		if err := json.Unmarshal(readFile(t, dir+"/"+string(set)+".json"), &official); err != nil {
			t.Fatalf("%s: %v", set, err)
		}
		codes := Codes(set)
		for _, code := range codes {
			v, ok := official.Values[code]
			if !ok {
				t.Errorf("%s: code %q is not in the official value set", set, code)
				continue
			}
			en, _ := DisplayName(set, code, "en")
			want := strings.TrimSuffix(v.Display, " (deprecated)")
			if en != want {
				t.Errorf("DisplayName(%s, %q, en) = %q, official %q", set, code, en, v.Display)
			}
			if Deprecated(set, code) == v.Active {
				t.Errorf("Deprecated(%s, %q) = %v, official active %v", set, code, Deprecated(set, code), v.Active)
			}
		}
		held := map[string]bool{}
		for _, c := range codes {
			held[c] = true
		}
		complete := false
		for _, s := range completeValueSets {
			complete = complete || s == set
		}
		for code := range official.Values {
			if complete && !held[code] {
				t.Errorf("%s: official code %q is missing from the kiosk's table", set, code)
			}
		}
		t.Logf("%s (%s): the kiosk holds %d of %d official codes", set, official.ID, len(codes), len(official.Values))
	}
}
