package registrysim

// resources.go: the FHIR R4 JSON shapes the simulator writes, reduced to the elements
// its records use. Field order follows the specification's, so the JSON reads as a
// server's would.

import "encoding/json"

type fhirCoding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

type fhirCodeableConcept struct {
	Coding []fhirCoding `json:"coding"`
	Text   string       `json:"text,omitempty"`
}

type fhirReference struct {
	Reference string `json:"reference,omitempty"`
	Display   string `json:"display,omitempty"`
}

type fhirIdentifier struct {
	Use    string `json:"use,omitempty"`
	System string `json:"system"`
	Value  string `json:"value"`
}

type fhirHumanName struct {
	Use    string   `json:"use,omitempty"`
	Family string   `json:"family,omitempty"`
	Given  []string `json:"given,omitempty"`
}

type fhirAddress struct {
	Line       []string `json:"line,omitempty"`
	City       string   `json:"city,omitempty"`
	State      string   `json:"state,omitempty"`
	PostalCode string   `json:"postalCode,omitempty"`
	Country    string   `json:"country,omitempty"`
}

type fhirPatient struct {
	ResourceType string           `json:"resourceType"`
	ID           string           `json:"id"`
	Identifier   []fhirIdentifier `json:"identifier"`
	Active       bool             `json:"active"`
	Name         []fhirHumanName  `json:"name"`
	Gender       string           `json:"gender,omitempty"`
	BirthDate    string           `json:"birthDate"`
}

type fhirOrganization struct {
	ResourceType string                `json:"resourceType"`
	ID           string                `json:"id"`
	Active       bool                  `json:"active"`
	Type         []fhirCodeableConcept `json:"type,omitempty"`
	Name         string                `json:"name"`
	Address      []fhirAddress         `json:"address,omitempty"`
}

type fhirPerformer struct {
	Actor fhirReference `json:"actor"`
}

type fhirProtocol struct {
	TargetDisease          []fhirCodeableConcept `json:"targetDisease,omitempty"`
	DoseNumberPositiveInt  int                   `json:"doseNumberPositiveInt"`
	SeriesDosesPositiveInt int                   `json:"seriesDosesPositiveInt,omitempty"`
}

type fhirImmunization struct {
	ResourceType       string              `json:"resourceType"`
	ID                 string              `json:"id"`
	Status             string              `json:"status"`
	VaccineCode        fhirCodeableConcept `json:"vaccineCode"`
	Patient            *fhirReference      `json:"patient"`
	OccurrenceDateTime string              `json:"occurrenceDateTime"`
	PrimarySource      bool                `json:"primarySource"`
	LotNumber          string              `json:"lotNumber,omitempty"`
	Performer          []fhirPerformer     `json:"performer,omitempty"`
	ProtocolApplied    []fhirProtocol      `json:"protocolApplied"`
}

type fhirQuantity struct {
	Value  float64 `json:"value"`
	Unit   string  `json:"unit,omitempty"`
	System string  `json:"system,omitempty"`
	Code   string  `json:"code,omitempty"`
}

type fhirRange struct {
	Low  *fhirQuantity `json:"low,omitempty"`
	High *fhirQuantity `json:"high,omitempty"`
}

type fhirObservation struct {
	ResourceType         string                `json:"resourceType"`
	ID                   string                `json:"id"`
	Status               string                `json:"status"`
	Category             []fhirCodeableConcept `json:"category,omitempty"`
	Code                 fhirCodeableConcept   `json:"code"`
	Subject              *fhirReference        `json:"subject"`
	EffectiveDateTime    string                `json:"effectiveDateTime"`
	Performer            []fhirReference       `json:"performer,omitempty"`
	ValueQuantity        *fhirQuantity         `json:"valueQuantity,omitempty"`
	ValueCodeableConcept *fhirCodeableConcept  `json:"valueCodeableConcept,omitempty"`
	ReferenceRange       []fhirRange           `json:"referenceRange,omitempty"`
}

type fhirEvidence struct {
	Detail []fhirReference `json:"detail"`
}

type fhirCondition struct {
	ResourceType       string                `json:"resourceType"`
	ID                 string                `json:"id"`
	ClinicalStatus     fhirCodeableConcept   `json:"clinicalStatus"`
	VerificationStatus fhirCodeableConcept   `json:"verificationStatus"`
	Category           []fhirCodeableConcept `json:"category,omitempty"`
	Code               fhirCodeableConcept   `json:"code"`
	Subject            fhirReference         `json:"subject"`
	OnsetDateTime      string                `json:"onsetDateTime"`
	AbatementDateTime  string                `json:"abatementDateTime,omitempty"`
	Evidence           []fhirEvidence        `json:"evidence,omitempty"`
}

// The shapes of the answers.

type fhirBundle struct {
	ResourceType string      `json:"resourceType"`
	Type         string      `json:"type"`
	Total        int         `json:"total"`
	Link         []fhirLink  `json:"link,omitempty"`
	Entry        []fhirEntry `json:"entry,omitempty"`
}

type fhirLink struct {
	Relation string `json:"relation"`
	URL      string `json:"url"`
}

type fhirEntry struct {
	FullURL  string          `json:"fullUrl"`
	Resource json.RawMessage `json:"resource"`
	Search   fhirSearch      `json:"search"`
}

type fhirSearch struct {
	Mode string `json:"mode"` // "match" or "include"
}

type fhirOutcome struct {
	ResourceType string      `json:"resourceType"`
	Issue        []fhirIssue `json:"issue"`
}

type fhirIssue struct {
	Severity    string `json:"severity"`
	Code        string `json:"code"`
	Diagnostics string `json:"diagnostics"`
}

type fhirCapability struct {
	ResourceType string `json:"resourceType"`
	Status       string `json:"status"`
	Date         string `json:"date"`
	Publisher    string `json:"publisher"`
	Kind         string `json:"kind"`
	Software     struct {
		Name string `json:"name"`
	} `json:"software"`
	Implementation struct {
		Description string `json:"description"`
		URL         string `json:"url"`
	} `json:"implementation"`
	FHIRVersion string     `json:"fhirVersion"`
	Format      []string   `json:"format"`
	Rest        []fhirRest `json:"rest"`
}

type fhirRest struct {
	Mode     string             `json:"mode"`
	Resource []fhirRestResource `json:"resource"`
}

type fhirRestResource struct {
	Type              string            `json:"type"`
	Interaction       []fhirInteraction `json:"interaction"`
	ConditionalCreate bool              `json:"conditionalCreate,omitempty"`
	SearchInclude     []string          `json:"searchInclude,omitempty"`
	SearchParam       []fhirSearchParam `json:"searchParam"`
}

type fhirInteraction struct {
	Code string `json:"code"`
}

type fhirSearchParam struct {
	Name string `json:"name"`
	Type string `json:"type"`
}
