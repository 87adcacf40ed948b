package rules

// windows_test.go: every validity window at its boundaries, with an injected clock, and
// across the daylight-saving changes of Europe/Tallinn.

import (
	"strings"
	"testing"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
)

// decideAt decides rec at at and returns the summary, failing the test on an error.
func decideAt(t *testing.T, p *Profile, rec *registry.Record, at time.Time) (Decision, string) {
	t.Helper()
	d, err := p.Decide(rec, at)
	if err != nil {
		t.Fatalf("Decide(at %v) = %v", at, err)
	}
	return d, summary(d)
}

func midnight(p *Profile, day time.Time, n int) time.Time {
	y, m, d := day.In(p.Location()).Date()
	return time.Date(y, m, d+n, 0, 0, 0, 0, p.Location())
}

func TestVaccinationProtectionBoundary(t *testing.T) {
	p := mustLoad(t, "EE")
	tests := []struct {
		product        string
		doses          int
		before, within int // days after the last dose
	}{
		{comirnaty, 2, 6, 7},
		{spikevax, 2, 13, 14},
		{jcovden, 1, 13, 14},
		{vaxzevria, 2, 14, 15},
		{"EU/1/21/1618", 2, 13, 14},
	}
	for _, tt := range tests {
		t.Run(tt.product, func(t *testing.T) {
			b := person(p, start, "Tamm", "Mari")
			for i := 1; i <= tt.doses; i++ {
				b.dose(40*(tt.doses-i), tt.product, i, tt.doses)
			}
			wantFrom := midnight(p, start, tt.within)
			for _, tc := range []struct {
				day      int
				wantNote bool
			}{{tt.before, true}, {tt.within, false}} {
				at := noon(p, start, tc.day)
				d, got := decideAt(t, p, b.rec, at)
				if len(d.Certificates) != 1 {
					t.Fatalf("Decide(day %d) = %q, want a vaccination certificate", tc.day, got)
				}
				e := d.Certificates[0]
				if !e.ValidFrom.Equal(wantFrom) {
					t.Errorf("Decide(day %d).ValidFrom = %v, want %v", tc.day, e.ValidFrom, wantFrom)
				}
				hasNote := strings.Contains(got, string(NoteValidFromLater))
				failures := checkEntitlement(t, p, b.rec, e, at)
				if hasNote != tc.wantNote || (failedIDs(failures) == "VR-EE-0003") != tc.wantNote || (!tc.wantNote && len(failures) != 0) {
					t.Errorf("day %d after the last %s dose: Decide = %q, failing rules %q; want the note and VR-EE-0003 failing: %v",
						tc.day, tt.product, got, failedIDs(failures), tc.wantNote)
				}
			}
		})
	}
}

func TestVaccinationExpiryBoundary(t *testing.T) {
	tests := []struct {
		profile, product, rule string
	}{
		{"EE", comirnaty, "VR-EE-0004"},
		{"RU-MOW", sputnikV, "VR-RU-0003"},
		{"RU-KAM", sputnikV, "VR-RU-0003"},
		{"AZ", coronaVac, "VR-AZ-0003"},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			p := mustLoad(t, tt.profile)
			b := person(p, start, "Tamm", "Mari").dose(21, tt.product, 1, 2).dose(0, tt.product, 2, 2)
			if _, got := decideAt(t, p, b.rec, noon(p, start, 364)); got != "vaccination 2/2" {
				t.Errorf("Decide(364 days after the last dose) = %q, want vaccination 2/2", got)
			}
			d, got := decideAt(t, p, b.rec, noon(p, start, 366))
			want := Refusal{Kind: dcc.KindVaccination, Reason: ReasonVaccinationExpired, Rule: tt.rule}
			if len(d.Certificates) != 0 || len(d.Refusals) != 1 || d.Refusals[0] != want {
				t.Errorf("Decide(366 days after the last dose) = %q %+v, want %+v", got, d.Refusals, want)
			}
		})
	}
}

func TestTestWindowBoundary(t *testing.T) {
	tests := []struct {
		profile, loinc       string
		within, lasts, after int // hours after the sample
		rule, wantWithin     string
	}{
		{"EE", registry.LOINCNAAT, 71, 72, 73, "TR-EE-0002", "test"},
		{"EE", registry.LOINCRapidAntigen, 47, 48, 49, "TR-EE-0002", "test +domestic-only"},
		{"RU-MOW", registry.LOINCNAAT, 71, 72, 73, "TR-RU-0002", "test"},
		{"RU-KAM", registry.LOINCNAAT, 71, 72, 73, "TR-RU-0002", "test"},
		{"AZ", registry.LOINCNAAT, 71, 72, 73, "TR-AZ-0002", "test"},
	}
	for _, tt := range tests {
		t.Run(tt.profile+"/"+tt.loinc, func(t *testing.T) {
			p := mustLoad(t, tt.profile)
			b := person(p, start, "Kask", "Liis").result("t", 0, tt.loinc, registry.SNOMEDNotDetected)
			d, got := decideAt(t, p, b.rec, start.Add(hours(tt.within)))
			if got != tt.wantWithin {
				t.Fatalf("Decide(%d h after the sample) = %q, want %q", tt.within, got, tt.wantWithin)
			}
			if e := d.Certificates[0]; !e.ValidFrom.Equal(start) || !e.ValidUntil.Equal(start.Add(hours(tt.lasts))) {
				t.Errorf("window = %v – %v, want the sample time and %d hours later", e.ValidFrom, e.ValidUntil, tt.lasts)
			}
			d, got = decideAt(t, p, b.rec, start.Add(hours(tt.after)))
			want := Refusal{Kind: dcc.KindTest, Reason: ReasonTestExpired, Rule: tt.rule}
			if len(d.Refusals) != 1 || d.Refusals[0] != want {
				t.Errorf("Decide(%d h after the sample) = %q %+v, want %+v", tt.after, got, d.Refusals, want)
			}
		})
	}
}

func TestRecoveryWindowBoundary(t *testing.T) {
	// The first positive test is taken on day 0; the person has recovered by day 8.
	build := func(p *Profile) *builder {
		b := person(p, start, "Kuznetsov", "Oleg").pcr("p", 0, true).ill(registry.ICD10VirusIdentified, 0, 0, "p")
		recovered := b.fhirDate(-8)
		b.rec.Conditions[0].Abatement = &recovered
		return b
	}
	tests := []struct {
		profile string
		day     int
		want    Refusal // zero: a recovery certificate
	}{
		{"EE", 10, Refusal{dcc.KindRecovery, ReasonRecoveryTooEarly, "RR-EE-0001"}},
		{"EE", 11, Refusal{}},
		{"EE", 180, Refusal{}},
		{"EE", 181, Refusal{dcc.KindRecovery, ReasonRecoveryExpired, "RR-EE-0002"}},
		{"AZ", 8, Refusal{}},
		{"AZ", 179, Refusal{}},
		{"AZ", 180, Refusal{dcc.KindRecovery, ReasonRecoveryExpired, "RR-AZ-0001"}},
	}
	for _, tt := range tests {
		p := mustLoad(t, tt.profile)
		b := build(p)
		d, got := decideAt(t, p, b.rec, noon(p, start, tt.day))
		switch {
		case tt.want == Refusal{} && got != "recovery":
			t.Errorf("%s: Decide(day %d) = %q, want recovery", tt.profile, tt.day, got)
		case tt.want != Refusal{} && (len(d.Refusals) != 1 || d.Refusals[0] != tt.want):
			t.Errorf("%s: Decide(day %d) = %q %+v, want %+v", tt.profile, tt.day, got, d.Refusals, tt.want)
		}
	}

	// EE counts day 11 to day 180 after the first positive test.
	p := mustLoad(t, "EE")
	d, _ := decideAt(t, p, build(p).rec, noon(p, start, 11))
	if e := d.Certificates[0]; !e.ValidFrom.Equal(midnight(p, start, 11)) || !e.ValidUntil.Equal(midnight(p, start, 181)) {
		t.Errorf("EE window = %v – %v, want %v – %v", e.ValidFrom, e.ValidUntil, midnight(p, start, 11), midnight(p, start, 181))
	}

	// RU counts six months from the recovery (day 8).
	for _, code := range []string{"RU-MOW", "RU-KAM"} {
		p := mustLoad(t, code)
		b := build(p)
		recovered := midnight(p, start, 8)
		lastDay := recovered.AddDate(0, 6, -1)
		if _, got := decideAt(t, p, b.rec, noon(p, lastDay, 0)); got != "recovery" {
			t.Errorf("%s: Decide(last day of six months) = %q, want recovery", code, got)
		}
		d, got := decideAt(t, p, b.rec, noon(p, lastDay, 1))
		want := Refusal{dcc.KindRecovery, ReasonRecoveryExpired, "RR-RU-0001"}
		if len(d.Refusals) != 1 || d.Refusals[0] != want {
			t.Errorf("%s: Decide(six months after recovery) = %q %+v, want %+v", code, got, d.Refusals, want)
		}
	}
}

// TestWindowsAcrossDaylightSaving counts windows that cross the last Sunday of March
// (29 March 2026: 03:00 EET becomes 04:00 EEST) and of October (25 October 2026:
// 04:00 EEST becomes 03:00 EET) in days of the Tallinn calendar.
func TestWindowsAcrossDaylightSaving(t *testing.T) {
	p := mustLoad(t, "EE")
	tallinn := p.Location()
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, tallinn) }
	fhirDate := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

	t.Run("vaccination across March", func(t *testing.T) {
		rec := person(p, start, "Tamm", "Mari").rec
		rec.Immunizations = []registry.Immunization{
			{ID: "i1", Status: "completed", Vaccine: registry.Coding{Code: comirnaty}, Date: fhirDate(2026, 3, 4), DoseNumber: 1},
			{ID: "i2", Status: "completed", Vaccine: registry.Coding{Code: comirnaty}, Date: fhirDate(2026, 3, 25), DoseNumber: 2},
		}
		d, got := decideAt(t, p, rec, at(2026, 3, 31, 12, 0))
		if got != "vaccination 2/2 +valid-from-later" {
			t.Fatalf("Decide(6 days after) = %q, want the certificate with valid-from-later", got)
		}
		e := d.Certificates[0]
		if want := at(2026, 4, 1, 0, 0); !e.ValidFrom.Equal(want) {
			t.Errorf("ValidFrom = %v, want %v (midnight EEST, 7 calendar days)", e.ValidFrom, want)
		}
		if want := at(2027, 3, 25, 0, 0); !e.ValidUntil.Equal(want) {
			t.Errorf("ValidUntil = %v, want %v (midnight EET, 365 calendar days)", e.ValidUntil, want)
		}
		if _, got := decideAt(t, p, rec, at(2026, 4, 1, 12, 0)); got != "vaccination 2/2" {
			t.Errorf("Decide(7 days after) = %q, want vaccination 2/2", got)
		}
	})

	t.Run("recovery across October and March", func(t *testing.T) {
		b := person(p, start, "Kuznetsov", "Oleg")
		rec := b.rec
		rec.Observations = []registry.Observation{{ID: "p", Status: "final", Code: registry.Coding{Code: registry.LOINCNAAT},
			Effective: at(2026, 10, 20, 9, 0), Result: registry.Coding{Code: registry.SNOMEDDetected}}}
		recovered := fhirDate(2026, 10, 28)
		rec.Conditions = []registry.Condition{{ID: "c", Code: registry.Coding{Code: registry.ICD10VirusIdentified},
			Onset: fhirDate(2026, 10, 20), Abatement: &recovered, Evidence: []string{"p"}}}

		if d, got := decideAt(t, p, rec, at(2026, 10, 30, 12, 0)); len(d.Refusals) != 1 || d.Refusals[0].Reason != ReasonRecoveryTooEarly {
			t.Errorf("Decide(day 10) = %q, want recovery-too-early", got)
		}
		d, got := decideAt(t, p, rec, at(2026, 10, 31, 12, 0))
		if got != "recovery" {
			t.Fatalf("Decide(day 11) = %q, want recovery", got)
		}
		e := d.Certificates[0]
		if want := at(2026, 10, 31, 0, 0); !e.ValidFrom.Equal(want) {
			t.Errorf("ValidFrom = %v, want %v (midnight EET, not 23:00)", e.ValidFrom, want)
		}
		if want := at(2027, 4, 19, 0, 0); !e.ValidUntil.Equal(want) {
			t.Errorf("ValidUntil = %v, want %v", e.ValidUntil, want)
		}
		hc, err := p.Payload(rec, e, dcc.Name{FamilyNameStandardised: "K"}, p.candidateUVCI())
		if err != nil {
			t.Fatal(err)
		}
		if r := hc.Recoveries[0]; r.FirstPositive != "2026-10-20" || r.ValidFrom != "2026-10-31" || r.ValidUntil != "2027-04-18" {
			t.Errorf("payload fr %s df %s du %s, want 2026-10-20, 2026-10-31, 2027-04-18", r.FirstPositive, r.ValidFrom, r.ValidUntil)
		}
		if _, got := decideAt(t, p, rec, at(2027, 4, 18, 12, 0)); got != "recovery" {
			t.Errorf("Decide(day 180) = %q, want recovery", got)
		}
		if _, got := decideAt(t, p, rec, at(2027, 4, 19, 12, 0)); got != "refused recovery: recovery-expired" {
			t.Errorf("Decide(day 181) = %q, want recovery-expired", got)
		}
	})

	t.Run("test across October", func(t *testing.T) {
		// 72 hours are elapsed hours: a sample at 12:00 EEST expires at 11:00 EET.
		rec := person(p, start, "Kask", "Liis").rec
		rec.Observations = []registry.Observation{{ID: "t", Status: "final", Code: registry.Coding{Code: registry.LOINCNAAT},
			Effective: at(2026, 10, 24, 12, 0), Result: registry.Coding{Code: registry.SNOMEDNotDetected}}}
		d, got := decideAt(t, p, rec, at(2026, 10, 27, 10, 59))
		if got != "test" || !d.Certificates[0].ValidUntil.Equal(at(2026, 10, 27, 11, 0)) {
			t.Errorf("Decide(10:59 EET) = %q, want a test certificate valid until 11:00 EET", got)
		}
		if _, got := decideAt(t, p, rec, at(2026, 10, 27, 11, 0)); got != "refused test: test-expired" {
			t.Errorf("Decide(11:00 EET) = %q, want test-expired", got)
		}
	})

	t.Run("a FHIR date is a Tallinn date", func(t *testing.T) {
		// A dose dated 25 March counts from midnight in Tallinn, which is still
		// 24 March in UTC.
		rec := person(p, start, "Tamm", "Mari").rec
		rec.Immunizations = []registry.Immunization{
			{ID: "i1", Status: "completed", Vaccine: registry.Coding{Code: comirnaty}, Date: fhirDate(2026, 3, 25), DoseNumber: 1},
		}
		d, got := decideAt(t, p, rec, at(2026, 3, 25, 0, 30))
		if got != "vaccination 1/2 +course-not-complete" {
			t.Fatalf("Decide(00:30 on the day of the dose) = %q, want vaccination 1/2", got)
		}
		hc, _ := p.Payload(rec, d.Certificates[0], dcc.Name{FamilyNameStandardised: "T"}, p.candidateUVCI())
		if dt := hc.Vaccinations[0].Date; dt != "2026-03-25" {
			t.Errorf("payload dt = %s, want 2026-03-25", dt)
		}
		// A dose given at 23:30 UTC on 24 March was given on 25 March in Tallinn.
		rec.Immunizations[0].Date = time.Date(2026, 3, 24, 23, 30, 0, 0, time.UTC)
		d, _ = decideAt(t, p, rec, at(2026, 3, 26, 12, 0))
		hc, _ = p.Payload(rec, d.Certificates[0], dcc.Name{FamilyNameStandardised: "T"}, p.candidateUVCI())
		if dt := hc.Vaccinations[0].Date; dt != "2026-03-25" {
			t.Errorf("payload dt of a 23:30 UTC dose = %s, want 2026-03-25", dt)
		}
	})
}

// TestWindowsNearMidnight: CertLogic counts a payload's dates from midnight UTC, the
// printed window from midnight in the profile's zone. In the hours where the two
// disagree, the stricter decides, so nothing is printed outside its own window.
func TestWindowsNearMidnight(t *testing.T) {
	// Kamchatka is UTC+12: at 08:00 on the day a year after the dose, UTC is still on
	// the day before, and the rule alone would pass.
	kam := mustLoad(t, "RU-KAM")
	b := person(kam, start, "Петров", "Иван").dose(21, sputnikV, 1, 2).dose(0, sputnikV, 2, 2)
	lastDay := midnight(kam, start, 0).AddDate(1, 0, 0)
	at := lastDay.Add(8 * time.Hour)
	d, got := decideAt(t, kam, b.rec, at)
	want := Refusal{Kind: dcc.KindVaccination, Reason: ReasonVaccinationExpired}
	if len(d.Refusals) != 1 || d.Refusals[0] != want {
		t.Errorf("RU-KAM Decide(08:00 a year after the dose) = %q %+v, want %+v from the window", got, d.Refusals, want)
	}
	e, _ := decideAt(t, kam, b.rec, noon(kam, start, 30))
	if failures := checkEntitlement(t, kam, b.rec, e.Certificates[0], at); len(failures) != 0 {
		t.Errorf("RU-KAM CheckValidity(08:00 a year after the dose) fails %s, want the UTC day to pass", failedIDs(failures))
	}

	// Tallinn is UTC+2 in winter: at 00:30 on day 11 the rule still sees day 10.
	ee := mustLoad(t, "EE")
	b = person(ee, start, "Kuznetsov", "Oleg").pcr("p", 0, true).ill(registry.ICD10VirusIdentified, 0, 0, "p")
	d, got = decideAt(t, ee, b.rec, midnight(ee, start, 11).Add(30*time.Minute))
	want = Refusal{Kind: dcc.KindRecovery, Reason: ReasonRecoveryTooEarly, Rule: "RR-EE-0001"}
	if len(d.Refusals) != 1 || d.Refusals[0] != want {
		t.Errorf("EE Decide(00:30 on day 11) = %q %+v, want %+v from the rule", got, d.Refusals, want)
	}
}
