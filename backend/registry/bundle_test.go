package registry

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readBundle(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseBundleVaccinated(t *testing.T) {
	rec, err := ParseBundle(readBundle(t, "mari-tamm.json"))
	if err != nil {
		t.Fatalf("ParseBundle = %v", err)
	}
	p := rec.Patient
	if p.FamilyName != "Tamm" || len(p.GivenNames) != 1 || p.GivenNames[0] != "Mari" || p.BirthDate != "1960-03-15" {
		t.Errorf("Patient = %+v, want Tamm, Mari, 1960-03-15", p)
	}
	if len(p.Identifiers) != 1 || p.Identifiers[0] != (Identifier{SystemEEPersonalCode, "46003150224"}) {
		t.Errorf("Identifiers = %v", p.Identifiers)
	}
	if len(rec.Immunizations) != 2 {
		t.Fatalf("%d immunizations, want 2", len(rec.Immunizations))
	}
	im := rec.Immunizations[1]
	want := Immunization{
		ID: "imm-1001-2", Status: "completed",
		Vaccine:    Coding{SystemEURegister, "EU/1/20/1528"},
		Date:       time.Date(2026, 8, 15, 0, 0, 0, 0, time.UTC),
		DoseNumber: 2, SeriesDoses: 2, LotNumber: "FK9893",
		Performer: "Tallinna Kiirabi vaktsineerimiskeskus", Country: "EE", Source: SourceLocal,
	}
	if !im.Date.Equal(want.Date) {
		t.Errorf("Date = %v, want %v", im.Date, want.Date)
	}
	im.Date = want.Date
	if im != want {
		t.Errorf("Immunization = %+v, want %+v", im, want)
	}
}

func TestParseBundleTestAndRecovery(t *testing.T) {
	rec, err := ParseBundle(readBundle(t, "liis-kask.json"))
	if err != nil {
		t.Fatal(err)
	}
	o := rec.Observations[0]
	if o.Code.Code != LOINCNAAT || o.Result.Code != SNOMEDNotDetected || o.Performer != "Synlab Eesti" {
		t.Errorf("Observation = %+v", o)
	}
	if want := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC); !o.Effective.Equal(want) {
		t.Errorf("Effective = %v, want %v", o.Effective, want)
	}

	rec, err = ParseBundle(readBundle(t, "oleg-kuznetsov.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := rec.Conditions[0]
	if c.Code.Code != ICD10VirusIdentified || c.Abatement == nil || len(c.Evidence) != 1 || c.Evidence[0] != "obs-1003-pcr" {
		t.Errorf("Condition = %+v", c)
	}
	if rec.Patient.FamilyName != "Кузнецов" {
		t.Errorf("FamilyName = %q, want Кузнецов", rec.Patient.FamilyName)
	}
}

func TestParseBundleErrors(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"no birth date", "bad-no-birthdate.json", "birthDate: missing"},
		{"other patient", "bad-other-patient.json", "not to the bundle's Patient"},
		{"truncated", "bad-truncated.json", "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseBundle(readBundle(t, tt.file))
			if !errors.Is(err, ErrBadBundle) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseBundle(%s) = %v, want ErrBadBundle mentioning %q", tt.file, err, tt.want)
			}
		})
	}
	inline := []struct{ name, body, want string }{
		{"not json", `<html>`, "invalid character"},
		{"not a bundle", `{"resourceType":"Patient"}`, `resourceType is "Patient"`},
		{"wrong type", `{"resourceType":"Bundle","type":"transaction"}`, `type is "transaction"`},
		{"no patient", `{"resourceType":"Bundle","type":"collection","entry":[]}`, "no Patient"},
		{"two patients", `{"resourceType":"Bundle","type":"collection","entry":[
			{"resource":{"resourceType":"Patient","id":"a","name":[{"family":"A"}],"birthDate":"1990"}},
			{"resource":{"resourceType":"Patient","id":"b","name":[{"family":"B"}],"birthDate":"1990"}}]}`, "2 Patient"},
		{"bad birth date", `{"resourceType":"Bundle","type":"collection","entry":[
			{"resource":{"resourceType":"Patient","id":"a","name":[{"family":"A"}],"birthDate":"15.03.1960"}}]}`, "birthDate"},
		{"dose without date", `{"resourceType":"Bundle","type":"collection","entry":[
			{"resource":{"resourceType":"Patient","id":"a","name":[{"family":"A"}],"birthDate":"1990"}},
			{"resource":{"resourceType":"Immunization","id":"i","status":"completed","vaccineCode":{"coding":[{"code":"CoronaVac"}]},
			 "protocolApplied":[{"doseNumberPositiveInt":1}]}}]}`, "entry 1 (Immunization/i): occurrenceDateTime: missing"},
		{"observation without value", `{"resourceType":"Bundle","type":"collection","entry":[
			{"resource":{"resourceType":"Patient","id":"a","name":[{"family":"A"}],"birthDate":"1990"}},
			{"resource":{"resourceType":"Observation","id":"o","status":"final","code":{"coding":[{"code":"94309-2"}]},
			 "effectiveDateTime":"2026-01-01T00:00:00Z"}}]}`, "neither valueCodeableConcept nor valueQuantity"},
		{"dangling evidence", `{"resourceType":"Bundle","type":"collection","entry":[
			{"resource":{"resourceType":"Patient","id":"a","name":[{"family":"A"}],"birthDate":"1990"}},
			{"resource":{"resourceType":"Condition","id":"c","code":{"coding":[{"code":"U07.1"}]},"onsetDateTime":"2026-01-01",
			 "evidence":[{"detail":[{"reference":"Observation/missing"}]}]}}]}`, `"Observation/missing" is not an Observation`},
	}
	for _, tt := range inline {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseBundle([]byte(tt.body))
			if !errors.Is(err, ErrBadBundle) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseBundle(%s) = %v, want ErrBadBundle mentioning %q", tt.name, err, tt.want)
			}
		})
	}
}

// FuzzParseBundle checks that no input makes the parser panic, and that whatever it
// accepts has a named patient with a birth date.
func FuzzParseBundle(f *testing.F) {
	entries, _ := os.ReadDir("testdata")
	for _, e := range entries {
		if data, err := os.ReadFile(filepath.Join("testdata", e.Name())); err == nil && !e.IsDir() {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := ParseBundle(data)
		if err != nil {
			if !errors.Is(err, ErrBadBundle) {
				t.Fatalf("ParseBundle error %v does not wrap ErrBadBundle", err)
			}
			return
		}
		if rec.Patient.BirthDate == "" || (rec.Patient.FamilyName == "" && len(rec.Patient.GivenNames) == 0) {
			t.Fatalf("ParseBundle accepted a patient without name or birth date: %+v", rec.Patient)
		}
	})
}

// TestParseBundlePicksCodingBySystem: a registry may put a local code before the
// standard one; the parser takes the standard one wherever it stands.
func TestParseBundlePicksCodingBySystem(t *testing.T) {
	body := `{"resourceType":"Bundle","type":"collection","entry":[
		{"resource":{"resourceType":"Patient","id":"a","name":[{"family":"A"}],"birthDate":"1990"}},
		{"resource":{"resourceType":"Immunization","id":"i","status":"completed",
		 "vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"208"},
		                          {"system":"https://ec.europa.eu/health/documents/community-register/html/","code":"EU/1/20/1528"}]},
		 "occurrenceDateTime":"2026-01-01","protocolApplied":[{"doseNumberPositiveInt":1}]}},
		{"resource":{"resourceType":"Observation","id":"o","status":"final",
		 "code":{"coding":[{"system":"urn:lab:local","code":"COV-PCR"},{"system":"http://loinc.org","code":"94558-4"}]},
		 "effectiveDateTime":"2026-01-01T10:00:00Z",
		 "valueCodeableConcept":{"coding":[{"system":"urn:lab:local","code":"NEG"},{"system":"http://snomed.info/sct","code":"260415000"}]},
		 "device":{"identifier":{"system":"https://covid-19-diagnostics.jrc.ec.europa.eu/devices","value":"1232"},"display":"Abbott Panbio"}}}]}`
	rec, err := ParseBundle([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.Immunizations[0].Vaccine.Code; got != "EU/1/20/1528" {
		t.Errorf("vaccine code = %q, want EU/1/20/1528", got)
	}
	o := rec.Observations[0]
	if o.Code.Code != LOINCRapidAntigen || o.Result.Code != SNOMEDNotDetected || o.Device != "1232" {
		t.Errorf("observation = code %q, result %q, device %q; want 94558-4, 260415000, 1232", o.Code.Code, o.Result.Code, o.Device)
	}
}
