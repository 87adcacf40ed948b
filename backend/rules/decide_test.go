package rules

import (
	"errors"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
)

// Product codes the tests use.
const (
	comirnaty = "EU/1/20/1528"
	spikevax  = "EU/1/20/1507"
	vaxzevria = "EU/1/21/1529"
	jcovden   = "EU/1/20/1525"
	sputnikV  = "Sputnik-V"
	coronaVac = "CoronaVac"
)

// TestDecideDemoPeople decides every row of the demo registry's table (the FHIR
// conventions), with the records built here as the table describes them.
func TestDecideDemoPeople(t *testing.T) {
	tests := []struct {
		profile, name string
		local         func(*builder) // nil: not in the local registry
		federal       func(*builder) // nil: not in the federal registry
		want          string
	}{
		{"EE", "Mari Tamm", func(b *builder) { b.dose(120, comirnaty, 1, 2).dose(99, comirnaty, 2, 2) }, nil,
			"vaccination 2/2"},
		{"EE", "Jüri Õunapuu", func(b *builder) { b.dose(60, jcovden, 1, 1) }, nil,
			"vaccination 1/1"},
		{"EE", "Олег Кузнецов", func(b *builder) {
			b.pcr("pcr", days(30), true).ill(registry.ICD10VirusIdentified, 30, 16, "pcr")
		}, nil, "recovery"},
		{"EE", "Liis Kask", func(b *builder) { b.pcr("pcr", hours(24), false) }, nil,
			"test"},
		{"EE", "Andres Saar", func(b *builder) { b.dose(20, vaxzevria, 1, 2) }, nil,
			"vaccination 1/2 +course-not-complete"},
		{"EE", "Kadri Põld", func(b *builder) {
			b.pcr("pcr", days(5), true).ill(registry.ICD10VirusIdentified, 5, -1, "pcr")
		}, nil, "refused recovery: ill-now"},
		{"EE", "Mihkel Oja", func(b *builder) {
			b.pcr("pcr", days(200), true).ill(registry.ICD10VirusIdentified, 200, 186, "pcr").dose(20, comirnaty, 1, 1)
		}, nil, "vaccination 1/1 +recovery-counts-as-dose; refused recovery: recovery-expired"},
		{"EE", "not in the registry", nil, nil,
			"refused vaccination: no-record"},

		{"RU-MOW", "Иван Петров", func(b *builder) { b.dose(80, sputnikV, 1, 2).dose(59, sputnikV, 2, 2) }, nil,
			"vaccination 2/2"},
		{"RU-MOW", "Ольга Смирнова", func(b *builder) { b.dose(10, sputnikV, 1, 2) }, nil,
			"refused vaccination: first-component-only"},
		{"RU-MOW", "Сергей Волков", nil, func(b *builder) {
			b.doseIn(95, sputnikV, 1, 2, "RU").doseIn(74, sputnikV, 2, 2, "RU")
		}, "vaccination 2/2 +federal-record (federal)"},
		{"RU-MOW", "Анна Козлова", func(b *builder) {
			b.pcr("pcr", days(240), true).ill(registry.ICD10VirusIdentified, 240, 226, "pcr")
		}, nil, "refused recovery: recovery-expired"},
		{"RU-MOW", "Дмитрий Морозов", func(b *builder) {
			b.dose(15, sputnikV, 1, 2).ill(registry.ICD10VirusIdentified, 3, -1)
		}, nil, "refused recovery: ill-now"},
		{"RU-MOW", "Елена Новикова", func(b *builder) {
			b.doseIn(100, comirnaty, 1, 2, "DE").doseIn(79, comirnaty, 2, 2, "DE")
		}, nil, "refused vaccination: vaccine-not-recognised"},
		{"RU-MOW", "Николай Соколов", func(b *builder) {
			b.elisa("elisa", days(40), 4.6, 1.1).ill(registry.ICD10Clinical, 40, 26, "elisa")
		}, nil, "recovery"},
		{"RU-MOW", "Татьяна Лебедева", func(b *builder) { b.pcr("pcr", hours(30), false) }, nil,
			"test"},
		{"RU-MOW", "Павел Кузьмин", func(b *builder) {
			b.result("igg", days(35), registry.LOINCAntibody, registry.SNOMEDDetected)
		}, nil, "refused recovery: illness-not-confirmed"},

		{"AZ", "Elvin Məmmədov", func(b *builder) { b.dose(90, coronaVac, 1, 2).dose(62, coronaVac, 2, 2) }, nil,
			"vaccination 2/2"},
		{"AZ", "Günel Əliyeva", func(b *builder) {
			b.pcr("pcr", days(60), true).ill(registry.ICD10VirusIdentified, 60, 46, "pcr")
		}, nil, "recovery"},
		{"AZ", "Rəşad Hüseynov", func(b *builder) { b.dose(30, coronaVac, 1, 2) }, nil,
			"refused vaccination: first-component-only"},
	}
	for _, tt := range tests {
		t.Run(tt.profile+"/"+tt.name, func(t *testing.T) {
			p := mustLoad(t, tt.profile)
			family, given := splitName(tt.name)
			var local, federal *registry.Record
			if tt.local != nil {
				b := person(p, start, family, given)
				tt.local(b)
				local = b.rec
			}
			if tt.federal != nil {
				b := person(p, start, family, given)
				tt.federal(b)
				federal = b.rec
			}
			rec := local
			if p.NeedsFederal(local) {
				rec = MergeFederal(local, federal)
			}
			d, err := p.Decide(rec, start)
			if err != nil {
				t.Fatalf("Decide(%s) = %v", tt.name, err)
			}
			if got := summary(d); got != tt.want {
				t.Errorf("Decide(%s) = %q, want %q", tt.name, got, tt.want)
			}
			// Whatever is issued must be valid now by the profile's own rules, except
			// for the notes it carries.
			for _, e := range d.Certificates {
				failures := checkEntitlement(t, p, rec, e, start)
				for _, f := range failures {
					if _, refused := f.refusal(); refused {
						t.Errorf("%s certificate fails rule %s (%s)", e.Kind, f.ID, f.Reason)
					}
				}
			}
		})
	}
}

func splitName(name string) (family, given string) {
	f := strings.Fields(name)
	return f[len(f)-1], strings.Join(f[:len(f)-1], " ")
}

// checkEntitlement builds e's payload and applies the profile's rules at at.
func checkEntitlement(t *testing.T, p *Profile, rec *registry.Record, e Entitlement, at time.Time) []RuleFailure {
	t.Helper()
	raw := payloadJSON(t, p, rec, e)
	failures, err := p.CheckValidity(raw, at)
	if err != nil {
		t.Fatalf("CheckValidity(%s) = %v", raw, err)
	}
	return failures
}

func TestDecideDoseCoding(t *testing.T) {
	ee, ru := mustLoad(t, "EE"), mustLoad(t, "RU-MOW")
	tests := []struct {
		name  string
		p     *Profile
		build func(*builder)
		want  string
	}{
		{"two-dose course", ee, func(b *builder) { b.dose(60, spikevax, 1, 2).dose(30, spikevax, 2, 2) }, "vaccination 2/2"},
		{"booster after two", ee, func(b *builder) {
			b.dose(200, comirnaty, 1, 2).dose(180, comirnaty, 2, 2).dose(20, spikevax, 3, 3)
		}, "vaccination 3/3"},
		{"second booster", ee, func(b *builder) {
			b.dose(300, comirnaty, 1, 2).dose(280, comirnaty, 2, 2).dose(150, comirnaty, 3, 3).dose(20, comirnaty, 4, 4)
		}, "vaccination 4/4"},
		{"one-dose course", ee, func(b *builder) { b.dose(30, jcovden, 1, 1) }, "vaccination 1/1"},
		{"booster after the one-dose course", ee, func(b *builder) {
			b.dose(200, jcovden, 1, 1).dose(20, comirnaty, 2, 1)
		}, "vaccination 2/1"},
		{"second booster after the one-dose course", ee, func(b *builder) {
			b.dose(300, jcovden, 1, 1).dose(150, comirnaty, 2, 1).dose(20, comirnaty, 3, 3)
		}, "vaccination 3/3"},
		{"recovered, then one dose", ee, func(b *builder) {
			b.pcr("pcr", days(100), true).ill(registry.ICD10VirusIdentified, 100, 90, "pcr").dose(30, comirnaty, 1, 2)
		}, "vaccination 1/1 +recovery-counts-as-dose; recovery"},
		{"recovered, one dose, then a booster", ee, func(b *builder) {
			b.pcr("pcr", days(300), true).ill(registry.ICD10VirusIdentified, 300, 290, "pcr").
				dose(250, comirnaty, 1, 1).dose(30, comirnaty, 2, 2)
		}, "vaccination 2/1; refused recovery: recovery-expired"},
		{"ill only after the first dose", ee, func(b *builder) {
			b.dose(60, comirnaty, 1, 2).pcr("pcr", days(40), true).ill(registry.ICD10VirusIdentified, 40, 30, "pcr")
		}, "vaccination 1/2 +course-not-complete; recovery"},
		{"illness without a positive PCR does not shorten the course", ee, func(b *builder) {
			b.ill(registry.ICD10Clinical, 100, 90).dose(30, comirnaty, 1, 2)
		}, "vaccination 1/2 +course-not-complete; refused recovery: illness-not-confirmed"},
		{"RU: recovered, then one dose", ru, func(b *builder) {
			b.pcr("pcr", days(100), true).ill(registry.ICD10VirusIdentified, 100, 90, "pcr").dose(30, sputnikV, 1, 2)
		}, "recovery; refused vaccination: first-component-only"},
		{"RU: a dose abroad does not count", ru, func(b *builder) {
			b.doseIn(80, sputnikV, 1, 2, "BY").dose(50, sputnikV, 2, 2)
		}, "refused vaccination: first-component-only"},
		{"RU: an unrecognised dose does not count", ru, func(b *builder) {
			b.dose(80, comirnaty, 1, 2).dose(50, sputnikV, 1, 2).dose(29, sputnikV, 2, 2)
		}, "vaccination 2/2"},
		{"the same dose twice is one dose", ee, func(b *builder) {
			b.dose(60, comirnaty, 1, 2).dose(60, comirnaty, 1, 2)
		}, "vaccination 1/2 +course-not-complete"},
		{"a dose that is not completed does not count", ee, func(b *builder) {
			b.dose(60, comirnaty, 1, 2).dose(30, comirnaty, 2, 2)
			b.rec.Immunizations[1].Status = "not-done"
		}, "vaccination 1/2 +course-not-complete"},
		{"a dose after the decision does not count", ee, func(b *builder) {
			b.dose(60, comirnaty, 1, 2).dose(-3, comirnaty, 2, 2)
		}, "vaccination 1/2 +course-not-complete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := person(tt.p, start, "Tamm", "Mari")
			tt.build(b)
			d, err := tt.p.Decide(b.rec, start)
			if err != nil {
				t.Fatalf("Decide = %v", err)
			}
			if got := summary(d); got != tt.want {
				t.Errorf("Decide(%s) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestDecideVaccinationEntitlement(t *testing.T) {
	p := mustLoad(t, "EE")
	b := person(p, start, "Tamm", "Mari").dose(120, comirnaty, 1, 2).dose(99, comirnaty, 2, 2)
	d, err := p.Decide(b.rec, start)
	if err != nil || len(d.Certificates) != 1 {
		t.Fatalf("Decide = %q, %v, want one certificate", summary(d), err)
	}
	e := d.Certificates[0]
	last := noon(p, start, -99)
	if want := time.Date(last.Year(), last.Month(), last.Day()+7, 0, 0, 0, 0, p.Location()); !e.ValidFrom.Equal(want) {
		t.Errorf("ValidFrom = %v, want %v (7 days after the last Comirnaty dose)", e.ValidFrom, want)
	}
	if want := time.Date(last.Year(), last.Month(), last.Day()+365, 0, 0, 0, 0, p.Location()); !e.ValidUntil.Equal(want) {
		t.Errorf("ValidUntil = %v, want %v (365 days after the last dose)", e.ValidUntil, want)
	}
	if want := start.AddDate(0, 0, 365); !e.Expires.Equal(want) {
		t.Errorf("Expires = %v, want %v", e.Expires, want)
	}
	if e.Dose.ID != "imm-2" || e.Source != registry.SourceLocal || !e.CourseComplete {
		t.Errorf("rests on %s from %s (complete %v), want imm-2 from local, complete", e.Dose.ID, e.Source, e.CourseComplete)
	}

	// An incomplete course has no printed window.
	b = person(p, start, "Saar", "Andres").dose(20, vaxzevria, 1, 2)
	d, _ = p.Decide(b.rec, start)
	if e := d.Certificates[0]; !e.ValidFrom.IsZero() || !e.ValidUntil.IsZero() || e.Expires.IsZero() {
		t.Errorf("1/2: window %v–%v, expires %v; want no window and an expiry", e.ValidFrom, e.ValidUntil, e.Expires)
	}
}

func TestDecideIllNow(t *testing.T) {
	tests := []struct {
		profile string
		want    string
	}{
		// EE: illness blocks the recovery certificate only.
		{"EE", "vaccination 2/2; test; refused recovery: ill-now"},
		// RU: illness blocks every certificate, and one line says so.
		{"RU-MOW", "refused recovery: ill-now"},
		{"RU-KAM", "refused recovery: ill-now"},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			p := mustLoad(t, tt.profile)
			product := comirnaty
			if p.Country == "RU" {
				product = sputnikV
			}
			b := person(p, start, "Põld", "Kadri").dose(120, product, 1, 2).dose(99, product, 2, 2).
				pcr("neg", hours(20), false).pcr("pos", days(2), true).ill(registry.ICD10VirusIdentified, 2, -1, "pos")
			d, err := p.Decide(b.rec, start)
			if got := summary(d); err != nil || got != tt.want {
				t.Errorf("Decide(ill) = %q, %v, want %q", got, err, tt.want)
			}
		})
	}
	// Recovered tomorrow is still ill today.
	p := mustLoad(t, "EE")
	b := person(p, start, "Põld", "Kadri").pcr("pos", days(5), true).ill(registry.ICD10VirusIdentified, 5, -1, "pos")
	tomorrow := start.AddDate(0, 0, 1)
	b.rec.Conditions[0].Abatement = &tomorrow
	if d, _ := p.Decide(b.rec, start); summary(d) != "refused recovery: ill-now" {
		t.Errorf("Decide(recovering tomorrow) = %q, want ill-now", summary(d))
	}
}

func TestDecideTestEvidence(t *testing.T) {
	p := mustLoad(t, "EE")
	tests := []struct {
		name  string
		build func(*builder)
		want  string
	}{
		{"recent positive test, no doctor", func(b *builder) { b.pcr("pos", hours(10), true) },
			"refused recovery: illness-not-confirmed; refused test: test-positive"},
		{"positive after a negative", func(b *builder) { b.pcr("neg", hours(30), false).rapid("pos", hours(5), true) },
			"refused recovery: illness-not-confirmed; refused test: test-positive"},
		{"negative after a positive", func(b *builder) { b.pcr("pos", days(20), true).pcr("neg", hours(5), false) },
			"test; refused recovery: illness-not-confirmed"},
		{"old negative only", func(b *builder) { b.pcr("neg", days(10), false) },
			"refused test: test-expired"},
		{"old positive only", func(b *builder) { b.pcr("pos", days(10), true) },
			"refused recovery: illness-not-confirmed"},
		{"rapid test", func(b *builder) { b.rapid("neg", hours(5), false) },
			"test +domestic-only"},
		{"test sampled after the decision", func(b *builder) { b.pcr("neg", -hours(1), false) },
			"refused vaccination: no-record"},
		{"inconclusive result", func(b *builder) { b.result("x", hours(3), registry.LOINCNAAT, "419984006") },
			"refused vaccination: no-record"},
		{"preliminary result", func(b *builder) {
			b.pcr("neg", hours(3), false)
			b.rec.Observations[0].Status = "preliminary"
		}, "refused vaccination: no-record"},
		{"empty record", func(*builder) {}, "refused vaccination: no-record"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := person(p, start, "Kask", "Liis")
			tt.build(b)
			d, err := p.Decide(b.rec, start)
			if got := summary(d); err != nil || got != tt.want {
				t.Errorf("Decide(%s) = %q, %v, want %q", tt.name, got, err, tt.want)
			}
		})
	}
	// RU counts PCR tests only: a rapid test gives nothing.
	ru := mustLoad(t, "RU-MOW")
	b := person(ru, start, "Лебедева", "Татьяна").rapid("neg", hours(5), false)
	if d, _ := ru.Decide(b.rec, start); summary(d) != "refused vaccination: no-record" {
		t.Errorf("RU-MOW Decide(rapid test) = %q, want no-record", summary(d))
	}
}

func TestDecideRecoveryGrounds(t *testing.T) {
	tests := []struct {
		name, profile string
		build         func(*builder)
		want          string
	}{
		{"RU: ELISA above the range, U07.2", "RU-MOW", func(b *builder) {
			b.elisa("e", days(40), 4.6, 1.1).ill(registry.ICD10Clinical, 40, 26, "e")
		}, "recovery"},
		{"RU: ELISA within the range", "RU-MOW", func(b *builder) {
			b.elisa("e", days(40), 0.6, 1.1).ill(registry.ICD10Clinical, 40, 26, "e")
		}, "refused recovery: illness-not-confirmed"},
		{"RU: ELISA above the range under U07.1", "RU-MOW", func(b *builder) {
			b.elisa("e", days(40), 4.6, 1.1).ill(registry.ICD10VirusIdentified, 40, 26, "e")
		}, "refused recovery: illness-not-confirmed"},
		{"RU: antibodies alone", "RU-MOW", func(b *builder) { b.elisa("e", days(40), 4.6, 1.1) },
			"refused recovery: illness-not-confirmed"},
		{"RU: U07.2 after a positive PCR", "RU-MOW", func(b *builder) {
			b.pcr("p", days(40), true).ill(registry.ICD10Clinical, 40, 26, "p")
		}, "recovery"},
		{"EE: ELISA does not ground a recovery", "EE", func(b *builder) {
			b.elisa("e", days(40), 4.6, 1.1).ill(registry.ICD10Clinical, 40, 26, "e")
		}, "refused recovery: illness-not-confirmed"},
		{"EE: diagnosis without a test", "EE", func(b *builder) { b.ill(registry.ICD10VirusIdentified, 40, 26) },
			"refused recovery: illness-not-confirmed"},
		{"EE: diagnosis naming no evidence, PCR at its onset", "EE", func(b *builder) {
			b.pcr("p", days(41), true).ill(registry.ICD10VirusIdentified, 40, 26)
		}, "recovery"},
		{"EE: diagnosis naming no evidence, PCR a year before", "EE", func(b *builder) {
			b.pcr("p", days(400), true).ill(registry.ICD10VirusIdentified, 40, 26)
		}, "refused recovery: illness-not-confirmed"},
		{"EE: the latest of two illnesses counts", "EE", func(b *builder) {
			b.pcr("p1", days(400), true).ill(registry.ICD10VirusIdentified, 400, 390, "p1").
				pcr("p2", days(30), true).ill(registry.ICD10VirusIdentified, 30, 20, "p2")
		}, "recovery"},
		{"AZ: recovered", "AZ", func(b *builder) {
			b.pcr("p", days(60), true).ill(registry.ICD10VirusIdentified, 60, 46, "p")
		}, "recovery"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustLoad(t, tt.profile)
			b := person(p, start, "Соколов", "Николай")
			tt.build(b)
			d, err := p.Decide(b.rec, start)
			if got := summary(d); err != nil || got != tt.want {
				t.Errorf("Decide(%s) = %q, %v, want %q", tt.name, got, err, tt.want)
			}
		})
	}
}

func TestDecideRecoveryEntitlement(t *testing.T) {
	// RU counts six months from the recovery; the payload says so in df and du.
	p := mustLoad(t, "RU-MOW")
	b := person(p, start, "Соколов", "Николай").elisa("e", days(40), 4.6, 1.1).ill(registry.ICD10Clinical, 40, 26, "e")
	d, err := p.Decide(b.rec, start)
	if err != nil || len(d.Certificates) != 1 {
		t.Fatalf("Decide = %q, %v", summary(d), err)
	}
	e := d.Certificates[0]
	recovered := noon(p, start, -26)
	wantFrom := time.Date(recovered.Year(), recovered.Month(), recovered.Day(), 0, 0, 0, 0, p.Location())
	if !e.ValidFrom.Equal(wantFrom) || !e.ValidUntil.Equal(wantFrom.AddDate(0, 6, 0)) || !e.Expires.Equal(e.ValidUntil) {
		t.Errorf("window = %v – %v (expires %v), want %v – %v", e.ValidFrom, e.ValidUntil, e.Expires, wantFrom, wantFrom.AddDate(0, 6, 0))
	}
	if e.Condition == nil || e.Condition.ID != "cond-1" || !e.FirstPositive.Equal(b.rec.Observations[0].Effective) {
		t.Errorf("rests on %+v from %v, want cond-1 from the ELISA sample", e.Condition, e.FirstPositive)
	}
	hc, err := p.Payload(b.rec, e, dcc.Name{FamilyNameStandardised: "SOKOLOV"}, "URN:UVCI:01:RU:MOW/X#1")
	if err != nil {
		t.Fatal(err)
	}
	r := hc.Recoveries[0]
	if r.ValidFrom != wantFrom.Format(time.DateOnly) || r.ValidUntil != wantFrom.AddDate(0, 6, -1).Format(time.DateOnly) {
		t.Errorf("payload df %s du %s, want %s and the day before %s", r.ValidFrom, r.ValidUntil, wantFrom.Format(time.DateOnly), wantFrom.AddDate(0, 6, 0).Format(time.DateOnly))
	}
}

func TestDecideUnknownVaccine(t *testing.T) {
	p := mustLoad(t, "EE")
	b := person(p, start, "Tamm", "Mari").dose(30, "EU/9/99/9999", 1, 2)
	_, err := p.Decide(b.rec, start)
	if !errors.Is(err, ErrUnknownVaccine) || !strings.Contains(err.Error(), "EU/9/99/9999") {
		t.Errorf("Decide(unknown vaccine) = %v, want ErrUnknownVaccine naming the code", err)
	}
}

func TestNeedsFederal(t *testing.T) {
	p := mustLoad(t, "RU-MOW")
	unconfirmed := person(p, start, "Волков", "Сергей").dose(80, sputnikV, 1, 2).dose(59, sputnikV, 2, 2)
	unconfirmed.rec.Immunizations[1].Unconfirmed = true
	tests := []struct {
		name string
		rec  *registry.Record
		want bool
	}{
		{"no record", nil, true},
		{"nothing in the record", person(p, start, "Волков", "Сергей").rec, true},
		{"a dose awaiting confirmation", unconfirmed.rec, true},
		{"confirmed doses", person(p, start, "Петров", "Иван").dose(80, sputnikV, 1, 2).rec, false},
		{"only a test", person(p, start, "Лебедева", "Татьяна").pcr("p", hours(3), false).rec, false},
		{"federal record merged in", MergeFederal(nil, unconfirmed.rec), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.NeedsFederal(tt.rec); got != tt.want {
				t.Errorf("NeedsFederal(%s) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

func TestDecideReconciliation(t *testing.T) {
	p := mustLoad(t, "RU-MOW")
	local := func() *registry.Record {
		b := person(p, start, "Волков", "Сергей").dose(80, sputnikV, 1, 2).dose(59, sputnikV, 2, 2)
		b.rec.Immunizations[1].Unconfirmed = true
		return b.rec
	}
	confirming := person(p, start, "Волков", "Сергей").dose(59, sputnikV, 2, 2).rec
	otherDay := person(p, start, "Волков", "Сергей").dose(58, sputnikV, 2, 2).rec
	tests := []struct {
		name    string
		federal *registry.Record
		want    string
	}{
		{"the federal registry does not know the person", nil, "refused vaccination: reconciliation-pending"},
		{"the federal registry confirms the dose", confirming, "vaccination 2/2 +federal-record (federal)"},
		{"the federal registry holds another dose", otherDay, "refused vaccination: reconciliation-pending"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := local()
			merged := MergeFederal(l, tt.federal)
			d, err := p.Decide(merged, start)
			if got := summary(d); err != nil || got != tt.want {
				t.Errorf("Decide(%s) = %q, %v, want %q", tt.name, got, err, tt.want)
			}
			if l.Immunizations[0].Source != registry.SourceLocal || (tt.federal != nil && tt.federal.Immunizations[0].Source != registry.SourceLocal) {
				t.Error("MergeFederal changed its arguments")
			}
		})
	}
	if MergeFederal(nil, nil) != nil {
		t.Error("MergeFederal(nil, nil) != nil")
	}
	// The local patient is kept; only the federal resources are marked federal.
	merged := MergeFederal(local(), confirming)
	if merged.Patient.FamilyName != "Волков" || len(merged.Immunizations) != 3 || merged.Immunizations[2].Source != registry.SourceFederal || merged.Immunizations[0].Source != registry.SourceLocal {
		t.Errorf("MergeFederal = %+v", merged)
	}
}
