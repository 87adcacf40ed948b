package rules

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"certkiosk/backend/dcc"
)

func TestShippedProfiles(t *testing.T) {
	tests := []struct {
		code, country, zone string
		languages           []string
		systems             []string
		illNowBlocks        string
	}{
		{"AZ", "AZ", "Asia/Baku", []string{"az", "ru", "en"}, []string{"urn:az:fin"}, "recovery"},
		{"EE", "EE", "Europe/Tallinn", []string{"et", "en", "ru"}, []string{"urn:ee:personal-code"}, "recovery"},
		{"RU-KAM", "RU", "Asia/Kamchatka", []string{"ru", "en"}, []string{"urn:ru:snils", "urn:ru:oms"}, "all"},
		{"RU-MOW", "RU", "Europe/Moscow", []string{"ru", "en"}, []string{"urn:ru:snils", "urn:ru:oms"}, "all"},
	}
	var codes []string
	for _, tt := range tests {
		codes = append(codes, tt.code)
		t.Run(tt.code, func(t *testing.T) {
			p := mustLoad(t, tt.code)
			if p.Code != tt.code || p.Country != tt.country || p.Location().String() != tt.zone || p.IllNowBlocks != tt.illNowBlocks {
				t.Errorf("Load(%s) = code %s, country %s, zone %s, ill_now_blocks %s; want %s, %s, %s, %s",
					tt.code, p.Code, p.Country, p.Location(), p.IllNowBlocks, tt.code, tt.country, tt.zone, tt.illNowBlocks)
			}
			if !slices.Equal(p.Languages, tt.languages) || !slices.Equal(p.IdentifierSystems, tt.systems) {
				t.Errorf("Load(%s) languages %v, identifier systems %v; want %v, %v", tt.code, p.Languages, p.IdentifierSystems, tt.languages, tt.systems)
			}
			if !strings.Contains(p.VerifyURL, ".example/") {
				t.Errorf("Load(%s).VerifyURL = %s, want a placeholder .example host", tt.code, p.VerifyURL)
			}
			uvci, err := dcc.NewUVCI(p.Country, p.UVCIIssuer, "ABC")
			if err != nil || dcc.CheckUVCI(uvci) != nil {
				t.Errorf("Load(%s): UVCI %q: %v", tt.code, uvci, err)
			}
		})
	}
	if got := Codes(); !slices.Equal(got, codes) {
		t.Errorf("Codes() = %v, want %v", got, codes)
	}
	if _, err := Load("XX"); !errors.Is(err, ErrUnknownProfile) || !strings.Contains(err.Error(), "RU-MOW") {
		t.Errorf("Load(XX) = %v, want ErrUnknownProfile listing the shipped ones", err)
	}
}

func TestRecognisedVaccines(t *testing.T) {
	tests := []struct {
		code           string
		recognised     []string
		not            []string
		firstDoseGives bool
	}{
		{"EE", []string{comirnaty, spikevax, vaxzevria, jcovden}, []string{sputnikV, coronaVac}, true},
		{"RU-MOW", []string{sputnikV, "Sputnik-Light", "EpiVacCorona", "CoviVac"}, []string{comirnaty, coronaVac}, false},
		{"RU-KAM", []string{sputnikV}, []string{comirnaty}, false},
		{"AZ", []string{coronaVac, sputnikV, comirnaty, "BBIBP-CorV"}, []string{"EpiVacCorona"}, false},
	}
	for _, tt := range tests {
		p := mustLoad(t, tt.code)
		for _, v := range tt.recognised {
			if !p.recognises(v) {
				t.Errorf("%s recognises %s = false, want true", tt.code, v)
			}
		}
		for _, v := range tt.not {
			if p.recognises(v) {
				t.Errorf("%s recognises %s = true, want false", tt.code, v)
			}
		}
		// The first dose of a two-dose course: a certificate with a note, or a refusal.
		b := person(p, start, "Tamm", "Mari").dose(20, tt.recognised[0], 1, 2)
		d, err := p.Decide(b.rec, start)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(d.Certificates) == 1; got != tt.firstDoseGives {
			t.Errorf("%s: Decide(first of two doses) = %q, want a certificate: %v", tt.code, summary(d), tt.firstDoseGives)
		}
	}
}

func TestProfileErrorsNameTheKey(t *testing.T) {
	good, err := profileFiles.ReadFile("profiles/EE.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ from, to, key string }{
		{`"code": "EE"`, `"code": ""`, "code"},
		{`"country": "EE"`, `"country": "Estonia"`, "country"},
		{`"languages": ["et", "en", "ru"]`, `"languages": ["et", "fi"]`, "languages[1]"},
		{`"languages": ["et", "en", "ru"]`, `"languages": ["et", "et"]`, "languages[1]"},
		{`"time_zone": "Europe/Tallinn"`, `"time_zone": "Europe/Atlantis"`, "time_zone"},
		{`"identifier_systems": ["urn:ee:personal-code"]`, `"identifier_systems": []`, "identifier_systems"},
		{`"uvci_issuer": "CK"`, `"uvci_issuer": "C/K"`, "uvci_issuer"},
		{`"verify_url": "https://verify.certkiosk.example/ee/{uvci}"`, `"verify_url": "https://x"`, "verify_url"},
		{`"ill_now_blocks": "recovery"`, `"ill_now_blocks": "some"`, "ill_now_blocks"},
		{`"issuer": `, `"issuer_typo": `, "issuer_typo"},
		{`"doses_abroad": true`, `"doses_abroad": "yes"`, "vaccination.doses_abroad"},
		{`"vaccines": ["EU/1/20/1528"`, `"vaccines": ["EU/9/99/9999"`, "vaccination.vaccines[0]"},
		{`"protection": "P14D"`, `"protection": "14 days"`, "vaccination.protection"},
		{`"EU/1/21/1529": "P15D"`, `"Sputnik-V": "P15D"`, "vaccination.protection_by_product.Sputnik-V"},
		{`"lasts": "P365D"`, `"lasts": "PT8760H"`, "vaccination.lasts"},
		{`"evidence": "naat-positive"`, `"evidence": "rumour"`, "recovery.grounds[0].evidence"},
		{`"diagnoses": ["U07.1", "U07.2"]`, `"diagnoses": ["J12.8"]`, "recovery.grounds[0].diagnoses[0]"},
		{`"counted_from": "first-positive"`, `"counted_from": "onset"`, "recovery.counted_from"},
		{`"starts": "P11D"`, `"starts": "P200D"`, "recovery.starts"},
		{`"naat": {"lasts": "PT72H"}`, `"naat": {"lasts": "PT0H"}`, "tests.naat.lasts"},
		{`"notes": ["domestic-only"]`, `"notes": ["home-only"]`, "tests.rapid_antigen.notes[0]"},
		{`"reconciliation-pending": {`, `"reconciled": {`, "texts.reasons.reconciled"},
		{`"az": "Müsbət PCR testinizdən 180 gündən çox vaxt keçib."`, `"fi": "x"`, "texts.reasons.recovery-expired.text.az"},
		{`"id": "VR-EE-0002"`, `"id": "VR-EE-0001"`, "rules[1].id"},
		{`"kind": "test"`, `"kind": "tests"`, "rules[4] (TR-EE-0001).kind"},
		{`"reason": "test-positive"`, `"reason": "looks bad"`, "rules[4] (TR-EE-0001).reason"},
		{`"az": "Testin nəticəsi mənfidir."`, `"AZ": "Testin nəticəsi mənfidir."`, "rules[4] (TR-EE-0001).description.az"},
		{`{"===": [{"var": "payload.t.0.tr"}, "260415000"]}`, `{"==": [{"var": "payload.t.0.tr"}, "260415000"]}`, "rules[4] (TR-EE-0001).logic"},
		{`"rules": [`, `"rules_": [`, "rules_"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			bad := strings.Replace(string(good), tt.from, tt.to, 1)
			if bad == string(good) {
				t.Fatalf("EE.json does not contain %q", tt.from)
			}
			if _, err := Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), tt.key) {
				t.Errorf("Parse(%s) = %v, want an error naming %q", tt.to, err, tt.key)
			}
		})
	}
	if _, err := Parse(append(slices.Clone(good), []byte(` {}`)...)); err == nil {
		t.Error("Parse(profile followed by more JSON) succeeded, want an error")
	}
}

func TestLoadFileAndLoadFrom(t *testing.T) {
	good, err := profileFiles.ReadFile("profiles/EE.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	local := strings.Replace(string(good), `"issuer": "Terviseamet / Health Board"`, `"issuer": "Kiosk test issuer"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "EE.json"), []byte(local), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadFile(filepath.Join(dir, "EE.json"))
	if err != nil || p.Issuer != "Kiosk test issuer" {
		t.Fatalf("LoadFile = %v, %v, want the file's issuer", p, err)
	}
	p, err = LoadFrom(dir, "EE")
	if err != nil || p.Issuer != "Kiosk test issuer" {
		t.Errorf("LoadFrom(dir, EE) = %v, want the file in dir", err)
	}
	p, err = LoadFrom(dir, "AZ")
	if err != nil || p.Code != "AZ" {
		t.Errorf("LoadFrom(dir without AZ.json, AZ) = %v, want the shipped AZ", err)
	}
	if p, err := LoadFrom("", "RU-KAM"); err != nil || p.Code != "RU-KAM" {
		t.Errorf(`LoadFrom("", RU-KAM) = %v, want the shipped profile`, err)
	}

	// A file under another profile's name, and a broken file, are errors naming the
	// file and the key.
	if err := os.WriteFile(filepath.Join(dir, "RU-MOW.json"), []byte(local), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFrom(dir, "RU-MOW"); err == nil || !strings.Contains(err.Error(), "RU-MOW.json: code") {
		t.Errorf("LoadFrom(dir, RU-MOW) with EE's file = %v, want an error naming the file and code", err)
	}
	broken := filepath.Join(dir, "broken.json")
	os.WriteFile(broken, []byte(strings.Replace(local, `"time_zone": "Europe/Tallinn"`, `"time_zone": "Mars/Olympus"`, 1)), 0o644)
	if _, err := LoadFile(broken); err == nil || !strings.Contains(err.Error(), "broken.json") || !strings.Contains(err.Error(), "time_zone") {
		t.Errorf("LoadFile(broken) = %v, want an error naming the file and time_zone", err)
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("LoadFile(missing) succeeded")
	}
}

func TestParseSpan(t *testing.T) {
	tests := []struct {
		in   string
		want Span
		ok   bool
	}{
		{"P14D", Span{Days: 14}, true},
		{"P1Y", Span{Years: 1}, true},
		{"P6M", Span{Months: 6}, true},
		{"PT72H", Span{Hours: 72}, true},
		{"P0D", Span{}, true},
		{"P1Y2M3DT4H", Span{1, 2, 3, 4}, true},
		{"", Span{}, false},
		{"14D", Span{}, false},
		{"P", Span{}, false},
		{"PT", Span{}, false},
		{"P14", Span{}, false},
		{"PD", Span{}, false},
		{"P1D1Y", Span{}, false},
		{"P1W", Span{}, false},
		{"PT1M", Span{}, false},
		{"P1DT2HT3H", Span{}, false},
		{"P-1D", Span{}, false},
		{"P12345678D", Span{}, false},
	}
	for _, tt := range tests {
		got, err := parseSpan(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("parseSpan(%q) = %+v, %v, want %+v (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok && got.String() != tt.in {
			t.Errorf("parseSpan(%q).String() = %q", tt.in, got.String())
		}
	}
}

func TestVaccinesAreInTheValueSets(t *testing.T) {
	for code, v := range vaccineTable() {
		if code != v.Product || v.CourseDoses < 1 {
			t.Errorf("vaccineTable()[%q] = %+v", code, v)
		}
		for set, c := range map[dcc.ValueSet]string{
			dcc.ValueSetVaccineProduct:      v.Product,
			dcc.ValueSetVaccineManufacturer: v.Manufacturer,
			dcc.ValueSetVaccineProphylaxis:  v.Prophylaxis,
		} {
			if !dcc.Known(set, c) {
				t.Errorf("%s: %s code %q is not in the kiosk's value set", code, set, c)
			}
		}
	}
	if _, ok := LookupVaccine("EU/9/99/9999"); ok {
		t.Error("LookupVaccine(EU/9/99/9999) found a product")
	}
}
