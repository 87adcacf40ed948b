package registrysim

// seed.go: turning the demo table into FHIR R4 resources, dated relative to the start.

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The registries the simulator serves.
const (
	Local   = "local"   // the region's or country's own registry, at /fhir
	Federal = "federal" // the second registry, at /federal/fhir
)

// resource is one row of the store: a FHIR resource and the columns its searches use.
type resource struct {
	registry, typ, id string
	patient           string // the Patient the resource belongs to (a Patient: itself)
	idSystem, idValue string // a Patient's identifier, as searched
	body              []byte
}

// seedResources returns every resource of the demo, each dated relative to start:
// the people's records in the registry that holds them, and the centres those records
// name.
func seedResources(start time.Time) ([]resource, error) {
	orgs := organizations()
	var out []resource
	used := map[string]bool{} // registry + "/" + organization id, already added
	for _, p := range seedPeople() {
		if p.registry == "" {
			continue
		}
		for _, d := range p.doses {
			key := p.registry + "/" + d.centre
			if used[key] {
				continue
			}
			o, ok := orgs[d.centre]
			if !ok {
				return nil, fmt.Errorf("registrysim: %s: no vaccination centre %q", p.id, d.centre)
			}
			r, err := o.resource(p.registry)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
			used[key] = true
		}
		rs, err := p.resources(start, orgs)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// resources returns the person's Patient and record.
func (p seedPerson) resources(start time.Time, orgs map[string]organization) ([]resource, error) {
	pt := fhirPatient{
		ResourceType: "Patient",
		ID:           p.id,
		Identifier:   []fhirIdentifier{{Use: "official", System: p.system, Value: normalizeIdentifier(p.system, p.value)}},
		Active:       true,
		Name:         []fhirHumanName{{Use: "official", Family: p.family, Given: strings.Fields(p.given)}},
		Gender:       p.gender,
		BirthDate:    p.birth,
	}
	var list []any
	list = append(list, pt)
	for i, d := range p.doses {
		list = append(list, p.immunization(i+1, d, start, orgs[d.centre].name))
	}
	tests := map[string]string{} // key → Observation id
	for _, t := range p.tests {
		o := p.observation(t, start)
		tests[t.key] = o.ID
		list = append(list, o)
	}
	for i, ill := range p.illnesses {
		c, err := p.condition(i+1, ill, start, tests)
		if err != nil {
			return nil, err
		}
		list = append(list, c)
	}
	out := make([]resource, 0, len(list))
	for _, v := range list {
		body, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("registrysim: %s: %w", p.id, err)
		}
		r := resource{registry: p.registry, body: body, patient: p.id}
		switch v := v.(type) {
		case fhirPatient:
			r.typ, r.id = "Patient", v.ID
			r.idSystem, r.idValue = v.Identifier[0].System, v.Identifier[0].Value
		case fhirImmunization:
			r.typ, r.id = "Immunization", v.ID
		case fhirObservation:
			r.typ, r.id = "Observation", v.ID
		case fhirCondition:
			r.typ, r.id = "Condition", v.ID
		}
		out = append(out, r)
	}
	return out, nil
}

func (p seedPerson) immunization(n int, d dose, start time.Time, centre string) fhirImmunization {
	return fhirImmunization{
		ResourceType: "Immunization",
		ID:           fmt.Sprintf("imm-%s-%d", p.serial(), n),
		Status:       "completed",
		VaccineCode: fhirCodeableConcept{Coding: []fhirCoding{{
			System: d.vaccine.system(), Code: string(d.vaccine), Display: d.vaccine.display(),
		}}},
		Patient:            &fhirReference{Reference: "Patient/" + p.id},
		OccurrenceDateTime: dateBefore(start, d.ago),
		PrimarySource:      !d.reported,
		LotNumber:          d.lot,
		Performer:          []fhirPerformer{{Actor: fhirReference{Reference: "Organization/" + d.centre, Display: centre}}},
		ProtocolApplied: []fhirProtocol{{
			TargetDisease:          []fhirCodeableConcept{{Coding: []fhirCoding{{System: systemSNOMED, Code: snomedCOVID19, Display: "COVID-19"}}}},
			DoseNumberPositiveInt:  d.number,
			SeriesDosesPositiveInt: d.of,
		}},
	}
}

func (p seedPerson) observation(t labTest, start time.Time) fhirObservation {
	code, text := t.kind.loinc()
	o := fhirObservation{
		ResourceType: "Observation",
		ID:           fmt.Sprintf("obs-%s-%s", p.serial(), t.key),
		Status:       "final",
		Category: []fhirCodeableConcept{{Coding: []fhirCoding{{
			System: systemObsCategory, Code: "laboratory", Display: "Laboratory",
		}}}},
		Code:              fhirCodeableConcept{Coding: []fhirCoding{{System: systemLOINC, Code: code}}, Text: text},
		Subject:           &fhirReference{Reference: "Patient/" + p.id},
		EffectiveDateTime: start.Add(-t.ago).In(zone(p.profile)).Format(time.RFC3339),
		Performer:         []fhirReference{{Display: t.lab}},
	}
	switch {
	case t.level != nil:
		o.ValueQuantity = &fhirQuantity{Value: t.level.value, Unit: t.level.unit, System: systemUCUM, Code: "{" + t.level.unit + "}"}
		o.ReferenceRange = []fhirRange{{High: &fhirQuantity{Value: t.level.high, Unit: t.level.unit, System: systemUCUM, Code: "{" + t.level.unit + "}"}}}
	case t.detected:
		o.ValueCodeableConcept = &fhirCodeableConcept{Coding: []fhirCoding{{System: systemSNOMED, Code: "260373001", Display: "Detected"}}}
	default:
		o.ValueCodeableConcept = &fhirCodeableConcept{Coding: []fhirCoding{{System: systemSNOMED, Code: "260415000", Display: "Not detected"}}}
	}
	return o
}

func (p seedPerson) condition(n int, ill illness, start time.Time, tests map[string]string) (fhirCondition, error) {
	display := "COVID-19, virus identified"
	if ill.code == icdClinical {
		display = "COVID-19, virus not identified"
	}
	status := "active"
	if ill.recovered > 0 {
		status = "resolved"
	}
	c := fhirCondition{
		ResourceType:       "Condition",
		ID:                 fmt.Sprintf("cond-%s", p.serial()),
		ClinicalStatus:     fhirCodeableConcept{Coding: []fhirCoding{{System: systemClinical, Code: status}}},
		VerificationStatus: fhirCodeableConcept{Coding: []fhirCoding{{System: systemVerification, Code: "confirmed"}}},
		Category: []fhirCodeableConcept{{Coding: []fhirCoding{{
			System: systemCondCategory, Code: "encounter-diagnosis", Display: "Encounter Diagnosis",
		}}}},
		Code:          fhirCodeableConcept{Coding: []fhirCoding{{System: systemICD10, Code: ill.code, Display: display}}},
		Subject:       fhirReference{Reference: "Patient/" + p.id},
		OnsetDateTime: dateBefore(start, ill.onset),
	}
	if n > 1 {
		c.ID = fmt.Sprintf("cond-%s-%d", p.serial(), n)
	}
	if ill.recovered > 0 {
		c.AbatementDateTime = dateBefore(start, ill.recovered)
	}
	if len(ill.evidence) > 0 {
		var ev fhirEvidence
		for _, key := range ill.evidence {
			id, ok := tests[key]
			if !ok {
				return c, fmt.Errorf("registrysim: %s: evidence %q is none of the person's tests", p.id, key)
			}
			ev.Detail = append(ev.Detail, fhirReference{Reference: "Observation/" + id})
		}
		c.Evidence = []fhirEvidence{ev}
	}
	return c, nil
}

func (o organization) resource(registry string) (resource, error) {
	addr := fhirAddress{City: o.city, State: o.state, PostalCode: o.postalCode, Country: o.country}
	if o.line != "" {
		addr.Line = []string{o.line}
	}
	body, err := json.Marshal(fhirOrganization{
		ResourceType: "Organization",
		ID:           o.id,
		Active:       true,
		Type: []fhirCodeableConcept{{Coding: []fhirCoding{{
			System: "http://terminology.hl7.org/CodeSystem/organization-type", Code: "prov", Display: "Healthcare Provider",
		}}}},
		Name:    o.name,
		Address: []fhirAddress{addr},
	})
	if err != nil {
		return resource{}, fmt.Errorf("registrysim: %s: %w", o.id, err)
	}
	return resource{registry: registry, typ: "Organization", id: o.id, body: body}, nil
}

// dateBefore is the FHIR date of the day the moment ago before start falls on, in UTC:
// read back as midnight UTC, it is never later than that moment, so a dose "20 days
// ago" is at least 20 days old.
func dateBefore(start time.Time, ago time.Duration) string {
	return start.Add(-ago).UTC().Format(time.DateOnly)
}

// normalizeIdentifier is the form an identifier is stored and searched in: a SNILS
// without its separators ("112-233-445 95" → "11223344595"), others as given.
func normalizeIdentifier(system, value string) string {
	value = strings.TrimSpace(value)
	if system == systemSNILS {
		value = strings.NewReplacer(" ", "", "-", "").Replace(value)
	}
	return value
}
