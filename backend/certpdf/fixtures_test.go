package certpdf

// Shared test fixtures: certificates of each kind, a value-set lookup and a
// synthetic HC1 string.

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"certkiosk/backend/dcc"
)

// testNames stands in for dcc.DisplayName with a few codes, some translated, so
// that golden files do not change when the real value sets do.
func testNames(set dcc.ValueSet, code, lang string) (string, bool) {
	type key struct {
		set  dcc.ValueSet
		code string
	}
	names := map[key]map[string]string{
		{dcc.ValueSetDiseaseAgent, "840539006"}: {"en": "COVID-19"},
		{dcc.ValueSetVaccineProphylaxis, "1119349007"}: {
			"en": "SARS-CoV-2 mRNA vaccine",
			"et": "SARS-CoV-2 mRNA-vaktsiin",
			"ru": "мРНК-вакцина против SARS-CoV-2",
			"az": "SARS-CoV-2 mRNT peyvəndi",
		},
		{dcc.ValueSetVaccineProphylaxis, "J07BX03"}: {
			"en": "covid-19 vaccines",
			"ru": "вакцины против COVID-19",
			"az": "COVID-19 peyvəndləri",
		},
		{dcc.ValueSetVaccineProduct, "EU/1/20/1528"}:         {"en": "Comirnaty"},
		{dcc.ValueSetVaccineProduct, "CoronaVac"}:            {"en": "CoronaVac"},
		{dcc.ValueSetVaccineManufacturer, "ORG-100030215"}:   {"en": "Biontech Manufacturing GmbH"},
		{dcc.ValueSetVaccineManufacturer, "Sinovac-Biotech"}: {"en": "Sinovac Biotech"},
		{dcc.ValueSetTestType, "LP6464-4"}: {
			"en": "Nucleic acid amplification with probe detection",
			"et": "Nukleiinhappe amplifikatsiooni test (PCR)",
			"ru": "Амплификация нуклеиновых кислот (ПЦР)",
		},
		{dcc.ValueSetTestResult, "260415000"}: {
			"en": "Not detected",
			"et": "Ei tuvastatud",
			"ru": "Не обнаружено",
			"az": "Aşkar edilməyib",
		},
		{dcc.ValueSetCountry, "EE"}: {"en": "Estonia", "et": "Eesti", "ru": "Эстония", "az": "Estoniya"},
		{dcc.ValueSetCountry, "AZ"}: {"en": "Azerbaijan", "et": "Aserbaidžaan", "ru": "Азербайджан", "az": "Azərbaycan"},
	}
	byLang, ok := names[key{set, code}]
	if !ok {
		return "", false
	}
	if s, ok := byLang[lang]; ok {
		return s, true
	}
	s, ok := byLang["en"]
	return s, ok
}

// syntheticHC1 returns "HC1:" and n Base45 characters of fixed pseudo-random bytes:
// the length and alphabet of a real vaccination certificate.
func syntheticHC1(n int) string {
	rng := rand.New(rand.NewPCG(9285, 45))
	data := make([]byte, (n/3)*2)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	return "HC1:" + dcc.EncodeBase45(data)
}

func mustLocation(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time.LoadLocation(%q) = %v", name, err)
	}
	return loc
}

// testCases are the certificates the golden files hold.
func testCases(t testing.TB) []struct {
	name string
	cert Certificate
} {
	tallinn := mustLocation(t, "Europe/Tallinn")
	baku := mustLocation(t, "Asia/Baku")
	issued := time.Date(2021, 6, 1, 11, 30, 0, 0, time.UTC)
	hc1 := syntheticHC1(600)
	ee := []string{"et", "en", "ru"}
	const verify = "https://dcc.terviseamet.ee/verify"

	cases := []struct {
		name string
		cert Certificate
	}{
		{"vaccination", Certificate{
			Payload: dcc.HealthCertificate{
				Version: dcc.SchemaVersion,
				Name: dcc.Name{
					FamilyName: "Иванова", FamilyNameStandardised: "IVANOVA",
					GivenName: "Мария Петровна", GivenNameStandardised: "MARIIA<PETROVNA",
				},
				DateOfBirth: "1948-03-14",
				Vaccinations: []dcc.Vaccination{{
					Target: dcc.DiseaseCOVID19, Prophylaxis: "1119349007", Product: "EU/1/20/1528",
					Manufacturer: "ORG-100030215", DoseNumber: 2, TotalDoses: 2, Date: "2021-05-29",
					Country: "EE", Issuer: "Terviseamet",
					ID: "URN:UVCI:01:EE:7C2A9F41D08B4E6A93E1B5F0C8D27A64#N",
				}},
			},
			HC1: hc1, Issuer: "Terviseamet", IssuedAt: issued, Location: tallinn,
			Languages: ee, VerifyURL: verify,
		}},
		{"test", Certificate{
			Payload: dcc.HealthCertificate{
				Version: dcc.SchemaVersion,
				Name: dcc.Name{
					FamilyName: "Tõnisson-Šmidt", FamilyNameStandardised: "TONISSON<SMIDT",
					GivenName: "Jüri Ülo", GivenNameStandardised: "JUERI<UELO",
				},
				DateOfBirth: "1952-11-02",
				Tests: []dcc.Test{{
					Target: dcc.DiseaseCOVID19, Type: "LP6464-4", Name: "Roche cobas SARS-CoV-2",
					SampledAt: "2021-06-01T06:15:00Z", Result: "260415000",
					Centre: "Tallinna Testimiskeskus, Pärnu mnt 10", Country: "EE", Issuer: "Terviseamet",
					ID: "URN:UVCI:01:EE:0F3B6D92A1C84E57B2D9E4A6C1F08B35#4",
				}},
			},
			HC1: hc1, IssuedAt: issued, Location: tallinn, Languages: ee, VerifyURL: verify,
		}},
		{"recovery", Certificate{
			Payload: dcc.HealthCertificate{
				Version: dcc.SchemaVersion,
				Name: dcc.Name{
					FamilyName: "Mägi", FamilyNameStandardised: "MAEGI",
					GivenName: "Õie", GivenNameStandardised: "OIE",
				},
				DateOfBirth: "1939-07",
				Recoveries: []dcc.Recovery{{
					Target: dcc.DiseaseCOVID19, FirstPositive: "2021-04-10", Country: "EE",
					Issuer: "Terviseamet", ValidFrom: "2021-04-21", ValidUntil: "2021-10-07",
					ID: "URN:UVCI:01:EE:5E8D1A7C3B904F26A1D7C9E3B5F28064#7",
				}},
			},
			HC1: hc1, Issuer: "Terviseamet", IssuedAt: issued, Location: tallinn,
			Languages: ee, VerifyURL: verify,
		}},
		{"az-specimen", Certificate{
			Payload: dcc.HealthCertificate{
				Version: dcc.SchemaVersion,
				Name: dcc.Name{
					FamilyName: "Hüseynova-Əliyeva", FamilyNameStandardised: "HUSEYNOVA<ALIYEVA",
					GivenName: "Gülnarə Şəhla", GivenNameStandardised: "GULNARA<SAHLA",
				},
				DateOfBirth: "1950-01-23",
				Vaccinations: []dcc.Vaccination{{
					Target: dcc.DiseaseCOVID19, Prophylaxis: "J07BX03", Product: "CoronaVac",
					Manufacturer: "Sinovac-Biotech", DoseNumber: 2, TotalDoses: 2, Date: "2021-05-20",
					Country: "AZ", Issuer: "Səhiyyə Nazirliyi",
					ID: "URN:UVCI:01:AZ:B94E0C7A2F5D41E8A36C9D1F7E2B0A58#R",
				}},
			},
			HC1: hc1, Issuer: "Azərbaycan Respublikasının Səhiyyə Nazirliyi", IssuedAt: issued,
			Location: baku, Languages: []string{"az", "ru", "en"},
			VerifyURL: "https://covidpass.az/verify", Specimen: true,
		}},
	}
	// A reprint of the first: the same page with the COPY band.
	reprint := cases[0]
	reprint.name = "vaccination-copy"
	reprint.cert.Copy = true
	return append(cases, reprint)
}

// testFonts loads the system fonts once per test binary.
var testFonts = sync.OnceValues(SystemFonts)

func mustFonts(t testing.TB) *Fonts {
	t.Helper()
	f, err := testFonts()
	if err != nil {
		t.Fatalf("SystemFonts() = %v", err)
	}
	return f
}
