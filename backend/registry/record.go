package registry

// record.go: the record model, what the registry holds about one person.

import "time"

// Identifier systems of the national identifiers the registries are searched by.
const (
	SystemEEPersonalCode = "urn:ee:personal-code"
	SystemSNILS          = "urn:ru:snils"
	SystemOMS            = "urn:ru:oms"
	SystemFIN            = "urn:az:fin"
)

// Code systems of the codings the kiosk reads (DESIGN.md §3a).
const (
	SystemEURegister = "https://ec.europa.eu/health/documents/community-register/html/"
	SystemLOINC      = "http://loinc.org"
	SystemSNOMED     = "http://snomed.info/sct"
	SystemICD10      = "http://hl7.org/fhir/sid/icd-10"
	// SystemDCCVaccineProduct codes the products outside the EU register by their
	// code in the DCC value set vaccine-medicinal-product (Sputnik-V, CoronaVac, …).
	SystemDCCVaccineProduct = "https://id.uvci.eu/valuesets/vaccine-medicinal-product"
)

// LOINC codes of the tests (value set test-type and the antibody tests).
const (
	LOINCNAAT            = "94309-2" // SARS-CoV-2 RNA, NAA with probe detection (PCR)
	LOINCRapidAntigen    = "94558-4" // SARS-CoV-2 antigen, rapid immunoassay
	LOINCAntibody        = "94504-8" // SARS-CoV-2 antibodies
	LOINCAntibodyELISA   = "94762-2" // SARS-CoV-2 antibodies, immunoassay
	SNOMEDNotDetected    = "260415000"
	SNOMEDDetected       = "260373001"
	ICD10VirusIdentified = "U07.1"
	ICD10Clinical        = "U07.2"
)

// Source names the registry a resource came from.
type Source string

// The registries the kiosk reads.
const (
	SourceLocal   Source = "local"   // the region's or country's own registry
	SourceFederal Source = "federal" // the second registry, asked when the local one has no usable record
)

// Record is what the registry holds about one person.
type Record struct {
	Patient       Patient
	Immunizations []Immunization
	Observations  []Observation
	Conditions    []Condition
}

// Identifier is a national identifier with its system.
type Identifier struct {
	System string
	Value  string
}

// Patient is the person: identifiers, name as written, date of birth.
type Patient struct {
	ID          string
	Identifiers []Identifier
	FamilyName  string
	GivenNames  []string
	// BirthDate is as the registry has it: YYYY, YYYY-MM or YYYY-MM-DD.
	BirthDate string
}

// Coding is a code from a code system.
type Coding struct {
	System string
	Code   string
}

// Immunization is one vaccine dose given.
type Immunization struct {
	ID          string
	Status      string // "completed" for a dose that counts
	Vaccine     Coding
	Date        time.Time
	DoseNumber  int // protocolApplied.doseNumberPositiveInt
	SeriesDoses int // protocolApplied.seriesDosesPositiveInt; 0 when absent
	LotNumber   string
	Performer   string // the facility, as displayed
	Country     string // ISO 3166-1 alpha-2 of the location, when known
	// Unconfirmed is set for a dose the registry holds only as reported by a
	// facility outside its own system (FHIR primarySource false): it needs the
	// federal registry's confirmation.
	Unconfirmed bool
	Source      Source
}

// Observation is one laboratory result.
type Observation struct {
	ID        string
	Status    string
	Code      Coding // LOINC
	Effective time.Time
	// Result is the coded result (SNOMED CT), when the value is coded.
	Result Coding
	// Quantity is a measured value (antibody level) with its reference range.
	Quantity  *Quantity
	Performer string // the laboratory, as displayed
	Country   string
	// Device is the rapid test's device identifier (DCC value set test-manf), from
	// Observation.device; empty when not given.
	Device string
	Source Source
}

// Quantity is a measured value with its unit and reference range.
type Quantity struct {
	Value    float64
	Unit     string
	RangeLow *float64
	RangeHi  *float64
}

// Condition is a diagnosis.
type Condition struct {
	ID        string
	Code      Coding // ICD-10
	Onset     time.Time
	Abatement *time.Time // nil while the person is ill
	// Evidence lists the ids of the Observations the diagnosis rests on.
	Evidence []string
	Source   Source
}

// SetSource marks every resource of the record as coming from src.
func (r *Record) SetSource(src Source) {
	for i := range r.Immunizations {
		r.Immunizations[i].Source = src
	}
	for i := range r.Observations {
		r.Observations[i].Source = src
	}
	for i := range r.Conditions {
		r.Conditions[i].Source = src
	}
}
