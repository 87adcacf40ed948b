package rules

import (
	"strings"
	"testing"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
)

func TestPayloadTestFields(t *testing.T) {
	p, err := Load("EE")
	if err != nil {
		t.Fatal(err)
	}
	rec := &registry.Record{Patient: registry.Patient{FamilyName: "Kask", BirthDate: "1990-01-01"}}
	name := dcc.Name{FamilyName: "Kask", FamilyNameStandardised: "KASK"}
	test := func(loinc, country, lab, device string) Entitlement {
		return Entitlement{Kind: dcc.KindTest, Test: &registry.Observation{
			ID: "o", Code: registry.Coding{Code: loinc}, Result: registry.Coding{Code: registry.SNOMEDNotDetected},
			Effective: time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC), Performer: lab, Country: country, Device: device,
		}}
	}
	long := strings.Repeat("Laboratoorium ", 10)
	tests := []struct {
		name                 string
		e                    Entitlement
		country, device, err string
		wantCentre           int
	}{
		{name: "no country: the profile's", e: test(registry.LOINCNAAT, "", "Synlab", ""), country: "EE"},
		{name: "lower case", e: test(registry.LOINCNAAT, "lv", "Synlab", ""), country: "LV"},
		{name: "not alpha-2", e: test(registry.LOINCNAAT, "Latvia", "Synlab", ""), err: `country "Latvia"`},
		{name: "alpha-3", e: test(registry.LOINCNAAT, "LVA", "Synlab", ""), err: `country "LVA"`},
		{name: "rapid test carries its device", e: test(registry.LOINCRapidAntigen, "", "Apteek", "1232"), country: "EE", device: "1232"},
		{name: "PCR carries no device", e: test(registry.LOINCNAAT, "", "Synlab", "1232"), country: "EE"},
		{name: "long lab name cut to 80", e: test(registry.LOINCNAAT, "", long, ""), country: "EE", wantCentre: 80},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hc, err := p.Payload(rec, tt.e, name, "URN:UVCI:01:EE:CK/X#1")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("Payload = %v, want an error mentioning %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := hc.Tests[0]
			if got.Country != tt.country || got.Device != tt.device {
				t.Errorf("co, ma = %q, %q, want %q, %q", got.Country, got.Device, tt.country, tt.device)
			}
			if tt.wantCentre != 0 && len([]rune(got.Centre)) > tt.wantCentre {
				t.Errorf("tc has %d characters, want at most %d", len([]rune(got.Centre)), tt.wantCentre)
			}
		})
	}
}
