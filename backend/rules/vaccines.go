package rules

// vaccines.go: what the rules need to know of each vaccine product, keyed by its code
// in the DCC value set vaccine-medicinal-product (EU register number or name code).
// Which products a jurisdiction recognises, and when protection is full, is profile
// data; this table holds only facts about the products.

// Vaccine is a vaccine product with its DCC codings and its primary course.
type Vaccine struct {
	Product      string // vaccine-medicinal-product
	Manufacturer string // vaccine-mah-manf
	Prophylaxis  string // vaccine-prophylaxis
	// CourseDoses is the number of doses of a full primary course.
	CourseDoses int
}

// Prophylaxis codes (value set vaccine-prophylaxis).
const (
	prophylaxisMRNA         = "1119349007"     // SARS-CoV-2 mRNA vaccine
	prophylaxisAntigen      = "1119305005"     // SARS-CoV-2 antigen vaccine
	prophylaxisViralVector  = "29061000087103" // COVID-19 non-replicating viral vector vaccine
	prophylaxisInactivated  = "1157024006"     // Inactivated whole SARS-CoV-2 antigen vaccine
	prophylaxisRecombinantS = "1162643001"     // SARS-CoV-2 recombinant spike protein antigen vaccine
)

// vaccineTable returns the products the kiosk knows. It is built on each call so that
// no caller can change what another sees.
func vaccineTable() map[string]Vaccine {
	return map[string]Vaccine{
		"EU/1/20/1528":  {"EU/1/20/1528", "ORG-100030215", prophylaxisMRNA, 2},         // Comirnaty, BioNTech
		"EU/1/20/1507":  {"EU/1/20/1507", "ORG-100031184", prophylaxisMRNA, 2},         // Spikevax, Moderna
		"EU/1/21/1529":  {"EU/1/21/1529", "ORG-100001699", prophylaxisViralVector, 2},  // Vaxzevria, AstraZeneca
		"EU/1/20/1525":  {"EU/1/20/1525", "ORG-100001417", prophylaxisViralVector, 1},  // Jcovden, Janssen
		"EU/1/21/1618":  {"EU/1/21/1618", "ORG-100032020", prophylaxisRecombinantS, 2}, // Nuvaxovid, Novavax
		"EU/1/21/1624":  {"EU/1/21/1624", "ORG-100036422", prophylaxisInactivated, 2},  // COVID-19 Vaccine Valneva
		"Sputnik-V":     {"Sputnik-V", "Gamaleya-Research-Institute", prophylaxisViralVector, 2},
		"Sputnik-Light": {"Sputnik-Light", "Gamaleya-Research-Institute", prophylaxisViralVector, 1},
		"Sputnik-M":     {"Sputnik-M", "Gamaleya-Research-Institute", prophylaxisViralVector, 2},
		"EpiVacCorona":  {"EpiVacCorona", "Vector-Institute", prophylaxisAntigen, 2},
		"CoviVac":       {"CoviVac", "Chumakov-Federal-Scientific-Center", prophylaxisInactivated, 2},
		"CoronaVac":     {"CoronaVac", "Sinovac-Biotech", prophylaxisInactivated, 2},
		"BBIBP-CorV":    {"BBIBP-CorV", "ORG-100020693", prophylaxisInactivated, 2}, // Sinopharm
	}
}

// LookupVaccine returns the product with the given value-set code.
func LookupVaccine(code string) (Vaccine, bool) {
	v, ok := vaccineTable()[code]
	return v, ok
}
