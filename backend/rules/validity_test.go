package rules

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/certlogic"
	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
)

// payloadJSON builds e's payload as issuance would, with a stand-in name.
func payloadJSON(t testing.TB, p *Profile, rec *registry.Record, e Entitlement) json.RawMessage {
	t.Helper()
	hc, err := p.Payload(rec, e, dcc.Name{FamilyNameStandardised: "TEST"}, p.candidateUVCI())
	if err != nil {
		t.Fatalf("Payload(%s) = %v", e.Kind, err)
	}
	raw, err := json.Marshal(hc)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func failedIDs(fs []RuleFailure) string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	return strings.Join(ids, ",")
}

func TestShippedRulesAreCertLogic(t *testing.T) {
	for _, code := range Codes() {
		p := mustLoad(t, code)
		if len(p.Rules) == 0 {
			t.Errorf("%s has no validity rules", code)
		}
		for _, r := range p.Rules {
			if err := certlogic.Validate(r.Logic); err != nil {
				t.Errorf("%s: certlogic.Validate(%s) = %v", code, r.ID, err)
			}
			if !strings.Contains(r.ID, "-"+p.Country+"-") {
				t.Errorf("%s: rule id %s does not name the country %s", code, r.ID, p.Country)
			}
		}
	}
}

// TestRulesAgreeWithWindows holds each profile's CertLogic rules to its windows: at
// midday on every day of a year and more (and on every hour around a test's window),
// a rule refuses exactly when the printed window excludes the moment, and the
// protection rule fails exactly before the window opens.
func TestRulesAgreeWithWindows(t *testing.T) {
	for _, code := range Codes() {
		p := mustLoad(t, code)
		t.Run(code+"/vaccination", func(t *testing.T) {
			for _, product := range p.Vaccination.Vaccines {
				b := person(p, start, "Tamm", "Mari")
				n := p.vaccines[product].CourseDoses
				for i := 1; i <= n; i++ {
					b.dose(30*(n-i), product, i, n)
				}
				d, err := p.Decide(b.rec, start.AddDate(0, 0, 30))
				if err != nil || len(d.Certificates) != 1 {
					t.Fatalf("%s: Decide = %q, %v, want a certificate", product, summary(d), err)
				}
				sweepDays(t, p, b.rec, d.Certificates[0], start, 0, 400)
			}
		})
		t.Run(code+"/recovery", func(t *testing.T) {
			b := person(p, start, "Kuznetsov", "Oleg").pcr("p", 0, true).ill(registry.ICD10VirusIdentified, 0, 0, "p")
			recovered := b.fhirDate(-5)
			b.rec.Conditions[0].Abatement = &recovered
			d, err := p.Decide(b.rec, start.AddDate(0, 0, 30))
			if err != nil || len(d.Certificates) != 1 {
				t.Fatalf("Decide = %q, %v, want a certificate", summary(d), err)
			}
			sweepDays(t, p, b.rec, d.Certificates[0], start, 5, 400)
		})
		t.Run(code+"/test", func(t *testing.T) {
			for _, loinc := range []string{registry.LOINCNAAT, registry.LOINCRapidAntigen} {
				if p.testWindow(loinc) == nil {
					continue
				}
				b := person(p, start, "Kask", "Liis").result("t", 0, loinc, registry.SNOMEDNotDetected)
				d, err := p.Decide(b.rec, start.Add(time.Hour))
				if err != nil || len(d.Certificates) != 1 {
					t.Fatalf("%s: Decide = %q, %v, want a certificate", loinc, summary(d), err)
				}
				e := d.Certificates[0]
				raw := payloadJSON(t, p, b.rec, e)
				for h := 0; h <= 100; h++ {
					at := start.Add(hours(h))
					failures, err := p.CheckValidity(raw, at)
					if err != nil {
						t.Fatal(err)
					}
					if got, want := len(failures) > 0, !at.Before(e.ValidUntil); got != want {
						t.Errorf("%s %d h after the sample: rules fail %v (%s), window says expired %v", loinc, h, got, failedIDs(failures), want)
					}
				}
			}
		})
	}
}

// sweepDays checks the rules against e's window at midday of each day from..to
// days after day.
func sweepDays(t *testing.T, p *Profile, rec *registry.Record, e Entitlement, day time.Time, from, to int) {
	t.Helper()
	raw := payloadJSON(t, p, rec, e)
	for k := from; k <= to; k++ {
		at := noon(p, day, k)
		failures, err := p.CheckValidity(raw, at)
		if err != nil {
			t.Fatal(err)
		}
		refused, notYet := false, false
		for _, f := range failures {
			if f.Err != nil {
				t.Fatalf("rule %s: %v", f.ID, f.Err)
			}
			_, r := f.refusal()
			refused = refused || r
			notYet = notYet || f.Reason == string(NoteValidFromLater)
		}
		outside := !at.Before(e.ValidUntil)
		early := at.Before(e.ValidFrom)
		if e.Kind == dcc.KindRecovery {
			outside = outside || early
		}
		if refused != outside || (e.Kind == dcc.KindVaccination && notYet != early) {
			t.Errorf("%s (%s) on day %d: rules refuse %v, not yet valid %v (%s); window %v – %v says outside %v, early %v",
				e.Kind, e.Vaccine.Product, k, refused, notYet, failedIDs(failures), e.ValidFrom, e.ValidUntil, outside, early)
		}
	}
}

func TestCheckValidityExternal(t *testing.T) {
	// The rules see the validation clock in the profile's zone and the profile's
	// country, under the names the EU rules engine gives them.
	ee, err := Parse(withRules(t, "EE", `[{"id": "GR-EE-0001", "kind": "general", "reason": "test-expired",
		"description": {"et": "x", "en": "x", "ru": "x", "az": "x"},
		"logic": {"and": [
			{"===": [{"var": "external.validationClock"}, "2026-11-22T12:00:00+02:00"]},
			{"===": [{"var": "external.countryCode"}, "EE"]}
		]}}]`))
	if err != nil {
		t.Fatal(err)
	}
	raw := json.RawMessage(`{"ver": "1.3.0", "t": [{"tg": "840539006"}]}`)
	for _, tc := range []struct {
		at   time.Time
		want string
	}{{start, ""}, {start.Add(time.Second), "GR-EE-0001"}} {
		failures, err := ee.CheckValidity(raw, tc.at)
		if err != nil || failedIDs(failures) != tc.want {
			t.Errorf("CheckValidity(at %v) = %q, %v, want %q", tc.at, failedIDs(failures), err, tc.want)
		}
	}

	// RU refuses a recognised vaccine given abroad.
	ru := mustLoad(t, "RU-MOW")
	for _, tc := range []struct{ co, want string }{{"RU", ""}, {"BY", "VR-RU-0002"}} {
		raw := json.RawMessage(`{"ver": "1.3.0", "v": [{"tg": "840539006", "mp": "Sputnik-V", "dn": 2, "sd": 2,
			"dt": "2026-10-01", "co": "` + tc.co + `"}]}`)
		failures, err := ru.CheckValidity(raw, start)
		if err != nil || failedIDs(failures) != tc.want {
			t.Errorf("RU-MOW CheckValidity(co %s) = %q, %v, want %q", tc.co, failedIDs(failures), err, tc.want)
		}
	}
}

func TestCheckValidityBadPayload(t *testing.T) {
	p := mustLoad(t, "EE")
	for _, raw := range []string{`not json`, `[]`, `{"ver": "1.3.0"}`, `{"v": [], "t": []}`, `{"v": [{}], "r": [{}]}`} {
		if _, err := p.CheckValidity(json.RawMessage(raw), start); !errors.Is(err, ErrPayload) {
			t.Errorf("CheckValidity(%s) = %v, want ErrPayload", raw, err)
		}
	}
}

func TestRuleThatCannotBeEvaluated(t *testing.T) {
	tests := []struct{ name, logic string }{
		{"a string compared as an integer", `{">=": [{"var": "payload.v.0.mp"}, 1]}`},
		{"a result that is not a boolean", `{"var": "payload.v.0.dn"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(withRules(t, "EE", `[{"id": "VR-EE-9999", "kind": "vaccination", "reason": "vaccination-expired",
				"description": {"et": "x", "en": "x", "ru": "x", "az": "x"}, "logic": `+tt.logic+`}]`))
			if err != nil {
				t.Fatal(err)
			}
			b := person(p, start, "Tamm", "Mari").dose(60, comirnaty, 1, 2).dose(30, comirnaty, 2, 2)
			if _, err := p.Decide(b.rec, start); err == nil || !strings.Contains(err.Error(), "VR-EE-9999") {
				t.Errorf("Decide with %s = %v, want an error naming the rule", tt.name, err)
			}
		})
	}
}

// withRules returns a shipped profile file with its rules replaced.
func withRules(t *testing.T, code, rulesJSON string) []byte {
	t.Helper()
	data, err := profileFiles.ReadFile("profiles/" + code + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	doc["rules"] = json.RawMessage(rulesJSON)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
