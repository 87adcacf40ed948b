package rules

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
)

var at = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func loadEE(t *testing.T) *Profile {
	t.Helper()
	p, err := Load("EE")
	if err != nil {
		t.Fatalf("Load(EE) = %v", err)
	}
	return p
}

func bundle(t *testing.T, name string) *registry.Record {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "registry", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := registry.ParseBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func kinds(es []Entitlement) string {
	var k []string
	for _, e := range es {
		k = append(k, string(e.Kind))
	}
	return strings.Join(k, ",")
}

func TestDecideFixtures(t *testing.T) {
	p := loadEE(t)
	tests := []struct {
		file, want string
	}{
		{"mari-tamm.json", "vaccination"},
		{"liis-kask.json", "test"},
		{"oleg-kuznetsov.json", "recovery"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := p.Decide(bundle(t, tt.file), at)
			if err != nil || kinds(got) != tt.want {
				t.Errorf("Decide(%s) = %q, %v, want %q", tt.file, kinds(got), err, tt.want)
			}
		})
	}
}

func TestDecideVaccinationDoses(t *testing.T) {
	p := loadEE(t)
	got, err := p.Decide(bundle(t, "mari-tamm.json"), at)
	if err != nil {
		t.Fatal(err)
	}
	e := got[0]
	if e.DoseNumber != 2 || e.TotalDoses != 2 || !e.CourseToEnd || e.Dose.ID != "imm-1001-2" {
		t.Errorf("vaccination = dose %d/%d (complete %v, %s), want 2/2 complete from imm-1001-2", e.DoseNumber, e.TotalDoses, e.CourseToEnd, e.Dose.ID)
	}
	if want := at.AddDate(0, 0, 365); !e.Expires.Equal(want) {
		t.Errorf("Expires = %v, want %v", e.Expires, want)
	}

	// Only the first dose given by the decision time: 1/2, course not complete.
	got, _ = p.Decide(bundle(t, "mari-tamm.json"), time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC))
	if e := got[0]; e.DoseNumber != 1 || e.TotalDoses != 2 || e.CourseToEnd {
		t.Errorf("before the second dose: %d/%d complete=%v, want 1/2 not complete", e.DoseNumber, e.TotalDoses, e.CourseToEnd)
	}

	// A third dose is a booster: 3/3.
	rec := bundle(t, "mari-tamm.json")
	booster := rec.Immunizations[1]
	booster.ID, booster.DoseNumber, booster.Date = "imm-3", 3, booster.Date.AddDate(0, 3, 0)
	rec.Immunizations = append(rec.Immunizations, booster)
	got, _ = p.Decide(rec, at)
	if e := got[0]; e.DoseNumber != 3 || e.TotalDoses != 3 {
		t.Errorf("booster: %d/%d, want 3/3", e.DoseNumber, e.TotalDoses)
	}
}

func TestDecideUnknownVaccine(t *testing.T) {
	p := loadEE(t)
	_, err := p.Decide(bundle(t, "bad-unknown-vaccine.json"), at)
	if !errors.Is(err, ErrUnknownVaccine) || !strings.Contains(err.Error(), "EU/9/99/9999") {
		t.Errorf("Decide(unknown vaccine) = %v, want ErrUnknownVaccine naming the code", err)
	}
}

func TestDecideTestWindow(t *testing.T) {
	p := loadEE(t)
	rec := bundle(t, "liis-kask.json")
	sampled := rec.Observations[0].Effective
	for _, tc := range []struct {
		after time.Duration
		want  string
	}{
		{71 * time.Hour, "test"},
		{72*time.Hour - time.Second, "test"},
		{72 * time.Hour, ""},
		{73 * time.Hour, ""},
		{-time.Hour, ""}, // sampled after the decision time
	} {
		got, _ := p.Decide(rec, sampled.Add(tc.after))
		if kinds(got) != tc.want {
			t.Errorf("PCR sampled %v before: %q, want %q", tc.after, kinds(got), tc.want)
		}
	}
	// A rapid antigen test is valid 48 hours.
	rec.Observations[0].Code.Code = registry.LOINCRapidAntigen
	for _, tc := range []struct {
		after time.Duration
		want  string
	}{{47 * time.Hour, "test"}, {49 * time.Hour, ""}} {
		got, _ := p.Decide(rec, sampled.Add(tc.after))
		if kinds(got) != tc.want {
			t.Errorf("rapid test sampled %v before: %q, want %q", tc.after, kinds(got), tc.want)
		}
	}
}

func TestDecideRecoveryWindow(t *testing.T) {
	p := loadEE(t)
	rec := bundle(t, "oleg-kuznetsov.json")
	// The first positive test was taken on 2026-10-23, Tallinn time.
	day0 := time.Date(2026, 10, 23, 0, 0, 0, 0, p.Location())
	got, _ := p.Decide(rec, at)
	e := got[0]
	if want := day0.AddDate(0, 0, 11); !e.ValidFrom.Equal(want) {
		t.Errorf("ValidFrom = %v, want %v (day 11)", e.ValidFrom, want)
	}
	lastDay := day0.AddDate(0, 0, 180)
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{lastDay.Add(23 * time.Hour), "recovery"},
		{lastDay.AddDate(0, 0, 1), ""},
	} {
		got, _ := p.Decide(rec, tc.at)
		if kinds(got) != tc.want {
			t.Errorf("Decide at %v = %q, want %q", tc.at, kinds(got), tc.want)
		}
	}
	// Still ill: no recovery certificate.
	rec.Conditions[0].Abatement = nil
	if got, _ := p.Decide(rec, at); len(got) != 0 {
		t.Errorf("Decide(ill) = %q, want nothing", kinds(got))
	}
}

func TestProfileErrorsNameTheKey(t *testing.T) {
	good, err := profileFiles.ReadFile("profiles/EE.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ from, to, key string }{
		{`"country": "EE"`, `"country": "Estonia"`, "country"},
		{`"time_zone": "Europe/Tallinn"`, `"time_zone": "Europe/Atlantis"`, "time_zone"},
		{`"naat_hours": 72`, `"naat_hours": 0`, "validity.naat_hours"},
		{`"verify_url": "https://verify.certkiosk.example/ee/{uvci}"`, `"verify_url": "https://x"`, "verify_url"},
		{`"issuer": `, `"issuer_typo": `, "issuer_typo"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			bad := strings.Replace(string(good), tt.from, tt.to, 1)
			if bad == string(good) {
				t.Fatalf("fixture does not contain %q", tt.from)
			}
			if _, err := Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), tt.key) {
				t.Errorf("Parse(%s) = %v, want an error naming %q", tt.to, err, tt.key)
			}
		})
	}
	if _, err := Load("XX"); !errors.Is(err, ErrUnknownProfile) {
		t.Errorf("Load(XX) = %v, want ErrUnknownProfile", err)
	}
}

func TestVaccinesAreInTheValueSets(t *testing.T) {
	for code, v := range vaccines {
		if code != v.Product {
			t.Errorf("vaccines[%q].Product = %q", code, v.Product)
		}
		for set, c := range map[dcc.ValueSet]string{
			dcc.ValueSet("vaccine-medicinal-product"): v.Product,
			dcc.ValueSet("vaccine-mah-manf"):          v.Manufacturer,
			dcc.ValueSet("vaccine-prophylaxis"):       v.Prophylaxis,
		} {
			if !dcc.Known(set, c) {
				t.Errorf("%s: %s code %q is not in the kiosk's value set", code, set, c)
			}
		}
	}
}
