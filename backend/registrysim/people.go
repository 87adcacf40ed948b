package registrysim

// people.go: the demo people and what the registries hold about them, as data. To add a
// person, add one entry to seedPeople (and, when they need one, a centre or laboratory
// to places.go); nothing else changes.

import (
	"strings"
	"time"
)

// Person is one row of the demo table (the FHIR conventions' "demo registry's people"):
// the identifier a kiosk is given and what it is expected to conclude from the record.
type Person struct {
	Profile string // jurisdiction profile: "EE", "RU-MOW", "AZ"
	System  string // identifier system, e.g. "urn:ru:snils"
	// Value is the identifier as the table writes it, which is how a person types it:
	// SNILS with its separators ("112-233-445 95").
	Value string
	// Name is the given names and the family name, as written; empty for a person no
	// registry knows.
	Name      string
	BirthDate string // YYYY-MM-DD; empty for a person no registry knows
	// Registry is Local or Federal, the registry that holds the person; empty when
	// neither does.
	Registry  string
	PatientID string // the Patient's id in that registry
	Expected  string // what the kiosk should conclude, as the table says it
}

// People returns the demo table, in its order.
func People() []Person {
	seed := seedPeople()
	people := make([]Person, 0, len(seed))
	for _, p := range seed {
		people = append(people, p.row())
	}
	return people
}

func (p seedPerson) row() Person {
	row := Person{
		Profile:   p.profile,
		System:    p.system,
		Value:     p.value,
		BirthDate: p.birth,
		Registry:  p.registry,
		PatientID: p.id,
		Expected:  p.expected,
	}
	if p.registry != "" {
		row.Name = p.given + " " + p.family
	}
	return row
}

// seedPerson is a person of the demo and their record. Every moment is an offset before
// the registry's start, so the demo tells the same story on any day.
type seedPerson struct {
	profile, system, value string
	expected               string
	registry               string // Local, Federal, or "" for nobody's patient
	id                     string // Patient.id: a country prefix and a serial that the record's ids reuse
	given, family          string // given names are separated by spaces
	gender, birth          string
	doses                  []dose
	tests                  []labTest
	illnesses              []illness
}

// dose is an Immunization.
type dose struct {
	ago        time.Duration
	vaccine    vaccine
	number, of int    // protocolApplied: dose number and doses in the series
	centre     string // id of the Organization that gave it (places.go)
	lot        string
	// reported marks a dose the registry only knows from a facility outside its own
	// system (primarySource false).
	reported bool
}

// labTest is an Observation.
type labTest struct {
	key  string // names the test in its person's record, for a Condition's evidence
	ago  time.Duration
	kind testKind
	// detected is the coded result; level, when set, replaces it with a measured value.
	detected bool
	level    *level
	lab      string // the laboratory, as displayed (places.go)
}

// level is an antibody level with the upper end of its reference range.
type level struct {
	value, high float64
	unit        string
}

// illness is a Condition.
type illness struct {
	code      string // ICD-10: icdVirusIdentified or icdClinical
	onset     time.Duration
	recovered time.Duration // abatement; zero while the person is still ill
	evidence  []string      // keys of the person's tests the diagnosis rests on
}

func days(n int) time.Duration  { return time.Duration(n) * 24 * time.Hour }
func hours(n int) time.Duration { return time.Duration(n) * time.Hour }

// seedPeople is the demo table of the FHIR conventions, row for row.
func seedPeople() []seedPerson {
	return []seedPerson{
		// Estonia.
		{
			profile: "EE", system: systemEEPersonalCode, value: "46003150224",
			expected: "vaccination 2/2",
			registry: Local, id: "ee-1001", given: "Mari", family: "Tamm", gender: "female", birth: "1960-03-15",
			doses: []dose{
				{ago: days(120), vaccine: comirnaty, number: 1, of: 2, centre: "org-tkh", lot: "FK5127"},
				{ago: days(99), vaccine: comirnaty, number: 2, of: 2, centre: "org-tkh", lot: "FK9893"},
			},
		},
		{
			profile: "EE", system: systemEEPersonalCode, value: "34811020330",
			expected: "vaccination 1/1",
			registry: Local, id: "ee-1002", given: "Jüri", family: "Õunapuu", gender: "male", birth: "1948-11-02",
			doses: []dose{
				{ago: days(60), vaccine: jcovden, number: 1, of: 1, centre: "org-kliinikum", lot: "XD955"},
			},
		},
		{
			profile: "EE", system: systemEEPersonalCode, value: "37506070448",
			expected: "recovery",
			registry: Local, id: "ee-1003", given: "Олег", family: "Кузнецов", gender: "male", birth: "1975-06-07",
			tests: []labTest{
				{key: "pcr", ago: days(30), kind: pcr, detected: true, lab: labIdaTallinn},
			},
			illnesses: []illness{
				{code: icdVirusIdentified, onset: days(30), recovered: days(16), evidence: []string{"pcr"}},
			},
		},
		{
			profile: "EE", system: systemEEPersonalCode, value: "49001010557",
			expected: "test",
			registry: Local, id: "ee-1004", given: "Liis", family: "Kask", gender: "female", birth: "1990-01-01",
			tests: []labTest{
				{key: "pcr", ago: hours(24), kind: pcr, lab: labSynlab},
			},
		},
		{
			profile: "EE", system: systemEEPersonalCode, value: "38509120665",
			expected: `vaccination 1/2, printed note "course not complete"`,
			registry: Local, id: "ee-1005", given: "Andres", family: "Saar", gender: "male", birth: "1985-09-12",
			doses: []dose{
				{ago: days(20), vaccine: vaxzevria, number: 1, of: 2, centre: "org-parnu", lot: "ABV5811"},
			},
		},
		{
			profile: "EE", system: systemEEPersonalCode, value: "49912310774",
			expected: "refused: ill-now",
			registry: Local, id: "ee-1006", given: "Kadri", family: "Põld", gender: "female", birth: "1999-12-31",
			tests: []labTest{
				{key: "pcr", ago: days(5), kind: pcr, detected: true, lab: labTartu},
			},
			illnesses: []illness{
				{code: icdVirusIdentified, onset: days(5), evidence: []string{"pcr"}},
			},
		},
		{
			profile: "EE", system: systemEEPersonalCode, value: "37001010885",
			expected: "vaccination 1/1 (recovered + one dose = full course); recovery refused: recovery-expired",
			registry: Local, id: "ee-1007", given: "Mihkel", family: "Oja", gender: "male", birth: "1970-01-01",
			tests: []labTest{
				{key: "pcr", ago: days(200), kind: pcr, detected: true, lab: labIdaTallinn},
			},
			illnesses: []illness{
				{code: icdVirusIdentified, onset: days(200), recovered: days(186), evidence: []string{"pcr"}},
			},
			doses: []dose{
				{ago: days(20), vaccine: comirnaty, number: 1, of: 1, centre: "org-tkh", lot: "GH9714"},
			},
		},
		{
			profile: "EE", system: systemEEPersonalCode, value: "37605030299",
			expected: "refused: no-record",
		},

		// Moscow. The federal registry holds only the person vaccinated in another region.
		{
			profile: "RU-MOW", system: systemSNILS, value: "112-233-445 95",
			expected: "vaccination 2/2",
			registry: Local, id: "ru-2001", given: "Иван", family: "Петров", gender: "male", birth: "1970-04-12",
			doses: []dose{
				{ago: days(80), vaccine: sputnikV, number: 1, of: 2, centre: "org-gp220", lot: "I-1130621"},
				{ago: days(59), vaccine: sputnikV, number: 2, of: 2, centre: "org-gp220", lot: "II-0310721"},
			},
		},
		{
			profile: "RU-MOW", system: systemSNILS, value: "223-344-556 39",
			expected: "refused: first-component-only",
			registry: Local, id: "ru-2002", given: "Ольга", family: "Смирнова", gender: "female", birth: "1982-07-30",
			doses: []dose{
				{ago: days(10), vaccine: sputnikV, number: 1, of: 2, centre: "org-gp134", lot: "I-2250921"},
			},
		},
		{
			profile: "RU-MOW", system: systemSNILS, value: "334-455-667 84",
			expected: "vaccination 2/2, source federal",
			registry: Federal, id: "ru-2003", given: "Сергей", family: "Волков", gender: "male", birth: "1965-02-14",
			doses: []dose{
				{ago: days(95), vaccine: sputnikV, number: 1, of: 2, centre: "org-tver", lot: "I-0840521"},
				{ago: days(74), vaccine: sputnikV, number: 2, of: 2, centre: "org-tver", lot: "II-1290621"},
			},
		},
		{
			profile: "RU-MOW", system: systemSNILS, value: "445-566-778 28",
			expected: "refused: recovery-expired",
			registry: Local, id: "ru-2004", given: "Анна", family: "Козлова", gender: "female", birth: "1958-10-05",
			tests: []labTest{
				{key: "pcr", ago: days(240), kind: pcr, detected: true, lab: labGKB52},
			},
			illnesses: []illness{
				{code: icdVirusIdentified, onset: days(240), recovered: days(226), evidence: []string{"pcr"}},
			},
		},
		{
			profile: "RU-MOW", system: systemSNILS, value: "556-677-889 73",
			expected: "refused: ill-now",
			registry: Local, id: "ru-2005", given: "Дмитрий", family: "Морозов", gender: "male", birth: "1979-12-01",
			doses: []dose{
				{ago: days(15), vaccine: sputnikV, number: 1, of: 2, centre: "org-gp220", lot: "I-2080921"},
			},
			illnesses: []illness{
				{code: icdVirusIdentified, onset: days(3)},
			},
		},
		{
			profile: "RU-MOW", system: systemSNILS, value: "667-788-990 07",
			expected: "refused: vaccine-not-recognised",
			registry: Local, id: "ru-2006", given: "Елена", family: "Новикова", gender: "female", birth: "1988-03-08",
			doses: []dose{
				{ago: days(100), vaccine: comirnaty, number: 1, of: 2, centre: "org-berlin", lot: "FE3380"},
				{ago: days(79), vaccine: comirnaty, number: 2, of: 2, centre: "org-berlin", lot: "FE7051"},
			},
		},
		{
			profile: "RU-MOW", system: systemSNILS, value: "778-899-001 02",
			expected: "recovery",
			registry: Local, id: "ru-2007", given: "Николай", family: "Соколов", gender: "male", birth: "1991-05-20",
			tests: []labTest{
				{key: "elisa", ago: days(40), kind: antibodyELISA, level: &level{value: 4.6, high: 1.1, unit: "COI"}, lab: labInvitro},
			},
			illnesses: []illness{
				// Quarantine followed: 14 days at home after the finding.
				{code: icdClinical, onset: days(40), recovered: days(26), evidence: []string{"elisa"}},
			},
		},
		{
			profile: "RU-MOW", system: systemSNILS, value: "889-900-112 58",
			expected: "test",
			registry: Local, id: "ru-2008", given: "Татьяна", family: "Лебедева", gender: "female", birth: "1993-09-09",
			tests: []labTest{
				{key: "pcr", ago: hours(30), kind: pcr, lab: labGemotest},
			},
		},
		{
			profile: "RU-MOW", system: systemSNILS, value: "990-011-223 74",
			expected: "refused: illness-not-confirmed",
			registry: Local, id: "ru-2009", given: "Павел", family: "Кузьмин", gender: "male", birth: "1960-01-01",
			tests: []labTest{
				{key: "igg", ago: days(35), kind: antibodyIgG, detected: true, lab: labInvitro},
			},
		},

		// Azerbaijan.
		{
			profile: "AZ", system: systemFIN, value: "5ZJ7K2M",
			expected: "vaccine certificate (kind `vaccination`)",
			registry: Local, id: "az-3001", given: "Elvin", family: "Məmmədov", gender: "male", birth: "1984-08-18",
			doses: []dose{
				{ago: days(90), vaccine: coronaVac, number: 1, of: 2, centre: "org-baku-5", lot: "J202106032"},
				{ago: days(62), vaccine: coronaVac, number: 2, of: 2, centre: "org-baku-5", lot: "J202107019"},
			},
		},
		{
			profile: "AZ", system: systemFIN, value: "6AB3C9D",
			expected: "immunity certificate (kind `recovery`)",
			registry: Local, id: "az-3002", given: "Günel", family: "Əliyeva", gender: "female", birth: "1992-03-03",
			tests: []labTest{
				{key: "pcr", ago: days(60), kind: pcr, detected: true, lab: labBaku},
			},
			illnesses: []illness{
				{code: icdVirusIdentified, onset: days(60), recovered: days(46), evidence: []string{"pcr"}},
			},
		},
		{
			profile: "AZ", system: systemFIN, value: "7XK4P1Q",
			expected: "refused: first-component-only",
			registry: Local, id: "az-3003", given: "Rəşad", family: "Hüseynov", gender: "male", birth: "1977-11-11",
			doses: []dose{
				{ago: days(30), vaccine: coronaVac, number: 1, of: 2, centre: "org-baku-5", lot: "J202109044"},
			},
		},
	}
}

// serial is the number part of a Patient id ("ee-1001" → "1001"); the record's own ids
// carry it, as in imm-1001-1.
func (p seedPerson) serial() string {
	return p.id[strings.LastIndexByte(p.id, '-')+1:]
}
