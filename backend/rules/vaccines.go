package rules

// vaccines.go: what the rules need to know of each vaccine product, keyed by its code
// in the DCC value set vaccine-medicinal-product (EU register number or name code).

// Vaccine is a vaccine product with its DCC codings and its course.
type Vaccine struct {
	Product      string // vaccine-medicinal-product
	Manufacturer string // vaccine-mah-manf
	Prophylaxis  string // vaccine-prophylaxis
	// CourseDoses is the number of doses of a full primary course.
	CourseDoses int
	// ProtectionDays is how long after the last dose of the course protection is
	// counted as full (seed 003: Comirnaty 7, Spikevax 14, Vaxzevria 15, Janssen 14).
	ProtectionDays int
}

// Prophylaxis codes (value set vaccine-prophylaxis).
const (
	prophylaxisMRNA         = "1119349007"     // SARS-CoV-2 mRNA vaccine
	prophylaxisViralVector  = "29061000087103" // COVID-19 non-replicating viral vector vaccine
	prophylaxisInactivated  = "1157024006"     // Inactivated whole SARS-CoV-2 antigen vaccine
	prophylaxisRecombinantS = "1162643001"     // SARS-CoV-2 recombinant spike protein antigen vaccine
)

var vaccines = map[string]Vaccine{
	"EU/1/20/1528": {"EU/1/20/1528", "ORG-100030215", prophylaxisMRNA, 2, 7},          // Comirnaty, BioNTech
	"EU/1/20/1507": {"EU/1/20/1507", "ORG-100031184", prophylaxisMRNA, 2, 14},         // Spikevax, Moderna
	"EU/1/21/1529": {"EU/1/21/1529", "ORG-100001699", prophylaxisViralVector, 2, 15},  // Vaxzevria, AstraZeneca
	"EU/1/20/1525": {"EU/1/20/1525", "ORG-100001417", prophylaxisViralVector, 1, 14},  // Jcovden, Janssen
	"EU/1/21/1618": {"EU/1/21/1618", "ORG-100032020", prophylaxisRecombinantS, 2, 14}, // Nuvaxovid, Novavax
	"Sputnik-V":    {"Sputnik-V", "Gamaleya-Research-Institute", prophylaxisViralVector, 2, 14},
	"CoronaVac":    {"CoronaVac", "Sinovac-Biotech", prophylaxisInactivated, 2, 14},
	"BBIBP-CorV":   {"BBIBP-CorV", "ORG-100020693", prophylaxisInactivated, 2, 14},
}

// LookupVaccine returns the product with the given value-set code.
func LookupVaccine(code string) (Vaccine, bool) {
	v, ok := vaccines[code]
	return v, ok
}
