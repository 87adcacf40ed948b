package registrysim

import (
	"regexp"
	"strings"
	"testing"

	"certkiosk/backend/registry"
)

// conventionsTable is the demo table of the shared FHIR conventions, transcribed on its
// own, so a slip in people.go shows up here.
var conventionsTable = []struct {
	profile, value, name, birth, registry, expected string
}{
	{"EE", "46003150224", "Mari Tamm", "1960-03-15", Local, "vaccination 2/2"},
	{"EE", "34811020330", "Jüri Õunapuu", "1948-11-02", Local, "vaccination 1/1"},
	{"EE", "37506070448", "Олег Кузнецов", "1975-06-07", Local, "recovery"},
	{"EE", "49001010557", "Liis Kask", "1990-01-01", Local, "test"},
	{"EE", "38509120665", "Andres Saar", "1985-09-12", Local, `vaccination 1/2, printed note "course not complete"`},
	{"EE", "49912310774", "Kadri Põld", "1999-12-31", Local, "refused: ill-now"},
	{"EE", "37001010885", "Mihkel Oja", "1970-01-01", Local, "vaccination 1/1 (recovered + one dose = full course); recovery refused: recovery-expired"},
	{"EE", "37605030299", "", "", "", "refused: no-record"},
	{"RU-MOW", "112-233-445 95", "Иван Петров", "1970-04-12", Local, "vaccination 2/2"},
	{"RU-MOW", "223-344-556 39", "Ольга Смирнова", "1982-07-30", Local, "refused: first-component-only"},
	{"RU-MOW", "334-455-667 84", "Сергей Волков", "1965-02-14", Federal, "vaccination 2/2, source federal"},
	{"RU-MOW", "445-566-778 28", "Анна Козлова", "1958-10-05", Local, "refused: recovery-expired"},
	{"RU-MOW", "556-677-889 73", "Дмитрий Морозов", "1979-12-01", Local, "refused: ill-now"},
	{"RU-MOW", "667-788-990 07", "Елена Новикова", "1988-03-08", Local, "refused: vaccine-not-recognised"},
	{"RU-MOW", "778-899-001 02", "Николай Соколов", "1991-05-20", Local, "recovery"},
	{"RU-MOW", "889-900-112 58", "Татьяна Лебедева", "1993-09-09", Local, "test"},
	{"RU-MOW", "990-011-223 74", "Павел Кузьмин", "1960-01-01", Local, "refused: illness-not-confirmed"},
	{"AZ", "5ZJ7K2M", "Elvin Məmmədov", "1984-08-18", Local, "vaccine certificate (kind `vaccination`)"},
	{"AZ", "6AB3C9D", "Günel Əliyeva", "1992-03-03", Local, "immunity certificate (kind `recovery`)"},
	{"AZ", "7XK4P1Q", "Rəşad Hüseynov", "1977-11-11", Local, "refused: first-component-only"},
}

func TestPeopleIsTheConventionsTable(t *testing.T) {
	people := People()
	if len(people) != len(conventionsTable) {
		t.Fatalf("People() has %d rows, want %d", len(people), len(conventionsTable))
	}
	for i, want := range conventionsTable {
		p := people[i]
		got := [...]string{p.Profile, p.Value, p.Name, p.BirthDate, p.Registry, p.Expected}
		exp := [...]string{want.profile, want.value, want.name, want.birth, want.registry, want.expected}
		if got != exp {
			t.Errorf("People()[%d] = %q, want %q", i, got, exp)
		}
		if (p.PatientID == "") != (p.Registry == "") {
			t.Errorf("People()[%d] (%s): PatientID %q with Registry %q", i, p.Value, p.PatientID, p.Registry)
		}
	}
}

func TestSystemsAreTheRegistryPackages(t *testing.T) {
	for _, c := range []struct{ ours, theirs string }{
		{systemEEPersonalCode, registry.SystemEEPersonalCode},
		{systemSNILS, registry.SystemSNILS},
		{systemFIN, registry.SystemFIN},
		{systemEURegister, registry.SystemEURegister},
		{systemLOINC, registry.SystemLOINC},
		{systemSNOMED, registry.SystemSNOMED},
		{systemICD10, registry.SystemICD10},
		{icdVirusIdentified, registry.ICD10VirusIdentified},
		{icdClinical, registry.ICD10Clinical},
	} {
		if c.ours != c.theirs {
			t.Errorf("registrysim uses %q where package registry has %q", c.ours, c.theirs)
		}
	}
	if got := Local; got != string(registry.SourceLocal) {
		t.Errorf("Local = %q, want %q", got, registry.SourceLocal)
	}
	if got := Federal; got != string(registry.SourceFederal) {
		t.Errorf("Federal = %q, want %q", got, registry.SourceFederal)
	}
}

// TestIdentifiersAreValid checks each identifier's check digit, so the demo never
// trips the kiosk's own identifier validation.
func TestIdentifiersAreValid(t *testing.T) {
	seen := map[string]bool{}
	fin := regexp.MustCompile(`^[0-9A-Z]{7}$`)
	for _, p := range People() {
		key := p.System + "|" + normalizeIdentifier(p.System, p.Value)
		if seen[key] {
			t.Errorf("identifier %s appears twice", key)
		}
		seen[key] = true
		var ok bool
		switch p.System {
		case systemEEPersonalCode:
			ok = validPersonalCode(p.Value)
		case systemSNILS:
			ok = validSNILS(p.Value)
		case systemFIN:
			ok = fin.MatchString(p.Value)
		}
		if !ok {
			t.Errorf("%s %s %q is not a valid identifier", p.Profile, p.System, p.Value)
		}
	}
}

// validPersonalCode checks an Estonian personal code (EVS 585:2007): 11 digits, the last
// a check digit over weights 1…9,1, or 3…9,1,2,3 when the first sum leaves 10.
func validPersonalCode(s string) bool {
	if !regexp.MustCompile(`^[1-6]\d{10}$`).MatchString(s) {
		return false
	}
	check := func(weights []int) int {
		sum := 0
		for i, w := range weights {
			sum += int(s[i]-'0') * w
		}
		return sum % 11
	}
	c := check([]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 1})
	if c == 10 {
		if c = check([]int{3, 4, 5, 6, 7, 8, 9, 1, 2, 3}); c == 10 {
			c = 0
		}
	}
	return c == int(s[10]-'0')
}

// validSNILS checks a SNILS: 9 digits weighted 9…1, the sum mod 101 (100 → 00) is the
// two-digit check number.
func validSNILS(s string) bool {
	d := strings.NewReplacer(" ", "", "-", "").Replace(s)
	if !regexp.MustCompile(`^\d{11}$`).MatchString(d) {
		return false
	}
	sum := 0
	for i := range 9 {
		sum += int(d[i]-'0') * (9 - i)
	}
	sum %= 101
	if sum == 100 {
		sum = 0
	}
	return sum == int(d[9]-'0')*10+int(d[10]-'0')
}

func TestNormalizeIdentifier(t *testing.T) {
	tests := []struct{ system, in, want string }{
		{systemSNILS, "112-233-445 95", "11223344595"},
		{systemSNILS, "11223344595", "11223344595"},
		{systemSNILS, " 112 233 445 95 ", "11223344595"},
		{systemEEPersonalCode, "46003150224", "46003150224"},
		{systemFIN, " 5ZJ7K2M", "5ZJ7K2M"},
	}
	for _, tt := range tests {
		if got := normalizeIdentifier(tt.system, tt.in); got != tt.want {
			t.Errorf("normalizeIdentifier(%q, %q) = %q, want %q", tt.system, tt.in, got, tt.want)
		}
	}
}

// TestSeedIsConsistent checks what a person added to the table could get wrong: ids
// unique per registry, every centre known, every evidence a test of the person's.
func TestSeedIsConsistent(t *testing.T) {
	rows, err := seedResources(testStart)
	if err != nil {
		t.Fatalf("seedResources: %v", err)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		key := r.registry + " " + r.typ + "/" + r.id
		if seen[key] {
			t.Errorf("%s is seeded twice", key)
		}
		seen[key] = true
		if !regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`).MatchString(r.id) {
			t.Errorf("%s: the id is not a FHIR id", key)
		}
	}
	for _, p := range seedPeople() {
		if p.registry == "" {
			if len(p.doses)+len(p.tests)+len(p.illnesses) > 0 {
				t.Errorf("%s is in no registry but has a record", p.value)
			}
			continue
		}
		if !regexp.MustCompile(`^[a-z]{2}-\d+$`).MatchString(p.id) {
			t.Errorf("%s: Patient id %q is not prefix-serial", p.value, p.id)
		}
	}
}

// TestCodings checks every product and test kind the seed can name against the codings
// of the FHIR conventions.
func TestCodings(t *testing.T) {
	vaccines := []struct {
		v      vaccine
		system string
	}{
		{comirnaty, registry.SystemEURegister},
		{spikevax, registry.SystemEURegister},
		{vaxzevria, registry.SystemEURegister},
		{jcovden, registry.SystemEURegister},
		{sputnikV, "https://id.uvci.eu/valuesets/vaccine-medicinal-product"},
		{coronaVac, "https://id.uvci.eu/valuesets/vaccine-medicinal-product"},
		{bbibpCorV, "https://id.uvci.eu/valuesets/vaccine-medicinal-product"},
	}
	for _, tt := range vaccines {
		if got := tt.v.system(); got != tt.system {
			t.Errorf("vaccine(%q).system() = %q, want %q", tt.v, got, tt.system)
		}
		if tt.v.display() == "" {
			t.Errorf("vaccine(%q) has no display", tt.v)
		}
	}
	kinds := []struct {
		k    testKind
		code string
	}{
		{pcr, registry.LOINCNAAT},
		{rapidAntigen, registry.LOINCRapidAntigen},
		{antibodyIgG, registry.LOINCAntibody},
		{antibodyELISA, registry.LOINCAntibodyELISA},
	}
	for _, tt := range kinds {
		if code, text := tt.k.loinc(); code != tt.code || text == "" {
			t.Errorf("testKind(%d).loinc() = %q, %q; want %q and a text", tt.k, code, text, tt.code)
		}
	}
}
