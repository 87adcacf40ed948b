package registry

// bundle.go: reading a FHIR R4 Bundle (searchset or collection) of one Patient and its
// Immunization, Observation, Condition, Organization and Location resources.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrBadBundle is wrapped by every error about a malformed bundle.
var ErrBadBundle = errors.New("registry: malformed FHIR bundle")

// ParseBundle reads a FHIR R4 Bundle holding one Patient and its records. Resources of
// other types are ignored; a resource that refers to another patient, or that lacks a
// field the kiosk needs, is an error naming the entry and the field.
func ParseBundle(data []byte) (*Record, error) {
	var b fhirBundle
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadBundle, err)
	}
	if err := checkBundleType(b.ResourceType, b.Type, "searchset", "collection"); err != nil {
		return nil, err
	}
	return parseEntries(b.Entry, "")
}

// checkBundleType checks that a resource is a Bundle of one of the wanted types.
func checkBundleType(resourceType, typ string, want ...string) error {
	if resourceType != "Bundle" {
		return fmt.Errorf("%w: resourceType is %q, want \"Bundle\"", ErrBadBundle, resourceType)
	}
	if slices.Contains(want, typ) {
		return nil
	}
	quoted := make([]string, len(want))
	for i, w := range want {
		quoted[i] = strconv.Quote(w)
	}
	return fmt.Errorf("%w: type is %q, want %s", ErrBadBundle, typ, strings.Join(quoted, " or "))
}

// parseEntries reads the entries of one person's bundle, or of the searches that make it
// up, into a Record. base is the server's base URL when the entries come from a server,
// so that absolute references ("{base}/Patient/1") resolve; "" for a bundle file.
func parseEntries(entries []fhirEntry, base string) (*Record, error) {
	p := bundleParser{
		base:          base,
		refs:          map[string]string{},
		organizations: map[string]fhirOrganization{},
		locations:     map[string]fhirLocation{},
	}
	return p.parse(entries)
}

type bundleParser struct {
	base string
	// refs maps every name a resource is known by (its fullUrl, "Type/id") to
	// "Type/id", so references in either form resolve.
	refs          map[string]string
	organizations map[string]fhirOrganization
	locations     map[string]fhirLocation
	patientRef    string
}

func (p *bundleParser) parse(entries []fhirEntry) (*Record, error) {
	rec := &Record{}
	var patients int
	// First pass: names, the patient and the resources others refer to.
	for i, e := range entries {
		var head struct {
			ResourceType string `json:"resourceType"`
			ID           string `json:"id"`
		}
		if len(e.Resource) == 0 {
			return nil, entryError(i, "", "resource: missing")
		}
		if err := json.Unmarshal(e.Resource, &head); err != nil {
			return nil, entryError(i, "", "resource: %v", err)
		}
		ref := head.ResourceType + "/" + head.ID
		p.refs[ref] = ref
		if e.FullURL != "" {
			p.refs[e.FullURL] = ref
		}
		if p.base != "" {
			p.refs[p.base+"/"+ref] = ref
		}
		var err error
		switch head.ResourceType {
		case "Patient":
			patients++
			p.patientRef = ref
			rec.Patient, err = parsePatient(e.Resource)
		case "Organization":
			var o fhirOrganization
			err = json.Unmarshal(e.Resource, &o)
			p.organizations[ref] = o
		case "Location":
			var l fhirLocation
			err = json.Unmarshal(e.Resource, &l)
			p.locations[ref] = l
		}
		if err != nil {
			return nil, entryError(i, ref, "%v", err)
		}
	}
	switch {
	case patients == 0:
		return nil, fmt.Errorf("%w: no Patient resource", ErrBadBundle)
	case patients > 1:
		return nil, fmt.Errorf("%w: %d Patient resources, want one", ErrBadBundle, patients)
	}
	// Second pass: the clinical resources.
	for i, e := range entries {
		var head struct {
			ResourceType string `json:"resourceType"`
			ID           string `json:"id"`
		}
		json.Unmarshal(e.Resource, &head) // checked in the first pass
		ref := head.ResourceType + "/" + head.ID
		var err error
		switch head.ResourceType {
		case "Immunization":
			var im Immunization
			im, err = p.immunization(e.Resource)
			rec.Immunizations = append(rec.Immunizations, im)
		case "Observation":
			var o Observation
			o, err = p.observation(e.Resource)
			rec.Observations = append(rec.Observations, o)
		case "Condition":
			var c Condition
			c, err = p.condition(e.Resource)
			rec.Conditions = append(rec.Conditions, c)
		}
		if err != nil {
			return nil, entryError(i, ref, "%v", err)
		}
	}
	return rec, nil
}

// badEntryError is a malformed entry: where it stands among the entries parsed, the
// resource's "Type/id" when known, and what is wrong with it.
type badEntryError struct {
	index   int
	ref     string
	problem string
}

func entryError(i int, ref, format string, args ...any) error {
	return &badEntryError{index: i, ref: ref, problem: fmt.Sprintf(format, args...)}
}

func (e *badEntryError) Error() string {
	return ErrBadBundle.Error() + ": " + e.at(e.index)
}

func (e *badEntryError) Unwrap() error { return ErrBadBundle }

// at describes the problem as found in entry i, so that a caller that gathered the
// entries from several pages can name the entry's place on its own page.
func (e *badEntryError) at(i int) string {
	where := fmt.Sprintf("entry %d", i)
	if e.ref != "" {
		where += " (" + e.ref + ")"
	}
	return where + ": " + e.problem
}

func parsePatient(raw json.RawMessage) (Patient, error) {
	var r fhirPatient
	if err := json.Unmarshal(raw, &r); err != nil {
		return Patient{}, err
	}
	pt := Patient{ID: r.ID, BirthDate: r.BirthDate}
	for _, id := range r.Identifier {
		pt.Identifiers = append(pt.Identifiers, Identifier{System: id.System, Value: id.Value})
	}
	name, ok := officialName(r.Name)
	if !ok {
		return Patient{}, errors.New("name: missing")
	}
	pt.FamilyName = strings.TrimSpace(name.Family)
	for _, g := range name.Given {
		if g = strings.TrimSpace(g); g != "" {
			pt.GivenNames = append(pt.GivenNames, g)
		}
	}
	if pt.FamilyName == "" && len(pt.GivenNames) == 0 {
		return Patient{}, errors.New("name: neither family nor given name")
	}
	if r.BirthDate == "" {
		return Patient{}, errors.New("birthDate: missing")
	}
	if !validPartialDate(r.BirthDate) {
		// The value is not repeated: it is a date of birth, and this error is
		// logged by the queue (docs/PRIVACY.md).
		return Patient{}, errors.New("birthDate: not YYYY, YYYY-MM or YYYY-MM-DD")
	}
	return pt, nil
}

// officialName picks the name to print: the one used "official", else the first.
func officialName(names []fhirHumanName) (fhirHumanName, bool) {
	for _, n := range names {
		if n.Use == "official" {
			return n, true
		}
	}
	if len(names) == 0 {
		return fhirHumanName{}, false
	}
	return names[0], true
}

func (p *bundleParser) checkSubject(field string, r *fhirReference) error {
	if r == nil || r.Reference == "" {
		return nil // the bundle is one person's; an unstated subject is that person
	}
	if p.refs[r.Reference] != p.patientRef {
		return fmt.Errorf("%s: refers to %q, not to the bundle's Patient", field, r.Reference)
	}
	return nil
}

func (p *bundleParser) immunization(raw json.RawMessage) (Immunization, error) {
	var r fhirImmunization
	if err := json.Unmarshal(raw, &r); err != nil {
		return Immunization{}, err
	}
	if err := p.checkSubject("patient", r.Patient); err != nil {
		return Immunization{}, err
	}
	im := Immunization{ID: r.ID, Status: r.Status, LotNumber: r.LotNumber, Source: SourceLocal}
	im.Unconfirmed = r.PrimarySource != nil && !*r.PrimarySource
	if r.Status == "" {
		return im, errors.New("status: missing")
	}
	c, ok := codingOf(r.VaccineCode, SystemEURegister, SystemDCCVaccineProduct)
	if !ok {
		return im, errors.New("vaccineCode: no coding")
	}
	im.Vaccine = c
	t, err := parseDateTime(r.OccurrenceDateTime)
	if err != nil {
		return im, fmt.Errorf("occurrenceDateTime: %v", err)
	}
	im.Date = t
	if len(r.ProtocolApplied) > 0 {
		im.DoseNumber = r.ProtocolApplied[0].DoseNumberPositiveInt
		im.SeriesDoses = r.ProtocolApplied[0].SeriesDosesPositiveInt
	}
	if im.DoseNumber < 1 && im.Status == "completed" {
		return im, errors.New("protocolApplied.doseNumberPositiveInt: missing")
	}
	if len(r.Performer) > 0 {
		im.Performer, im.Country = p.organization(r.Performer[0].Actor)
	}
	if r.Location != nil {
		if l, ok := p.locations[p.refs[r.Location.Reference]]; ok {
			if l.Address != nil && l.Address.Country != "" {
				im.Country = l.Address.Country
			}
			if im.Performer == "" {
				im.Performer = l.Name
			}
		} else if im.Performer == "" {
			im.Performer = r.Location.Display
		}
	}
	return im, nil
}

func (p *bundleParser) observation(raw json.RawMessage) (Observation, error) {
	var r fhirObservation
	if err := json.Unmarshal(raw, &r); err != nil {
		return Observation{}, err
	}
	if err := p.checkSubject("subject", r.Subject); err != nil {
		return Observation{}, err
	}
	o := Observation{ID: r.ID, Status: r.Status, Source: SourceLocal}
	c, ok := codingOf(r.Code, SystemLOINC)
	if !ok {
		return o, errors.New("code: no coding")
	}
	o.Code = c
	t, err := parseDateTime(r.EffectiveDateTime)
	if err != nil {
		return o, fmt.Errorf("effectiveDateTime: %v", err)
	}
	o.Effective = t
	switch {
	case r.ValueCodeableConcept != nil:
		if o.Result, ok = codingOf(*r.ValueCodeableConcept, SystemSNOMED); !ok {
			return o, errors.New("valueCodeableConcept: no coding")
		}
	case r.ValueQuantity != nil:
		q := &Quantity{Value: r.ValueQuantity.Value, Unit: r.ValueQuantity.Unit}
		if len(r.ReferenceRange) > 0 {
			if rr := r.ReferenceRange[0]; rr.Low != nil {
				q.RangeLow = &rr.Low.Value
			}
			if rr := r.ReferenceRange[0]; rr.High != nil {
				q.RangeHi = &rr.High.Value
			}
		}
		o.Quantity = q
	default:
		return o, errors.New("value: neither valueCodeableConcept nor valueQuantity")
	}
	if r.Device != nil {
		o.Device = r.Device.Display
		if r.Device.Identifier != nil && r.Device.Identifier.Value != "" {
			o.Device = r.Device.Identifier.Value
		}
	}
	if len(r.Performer) > 0 {
		o.Performer, o.Country = p.organization(&r.Performer[0])
	}
	return o, nil
}

func (p *bundleParser) condition(raw json.RawMessage) (Condition, error) {
	var r fhirCondition
	if err := json.Unmarshal(raw, &r); err != nil {
		return Condition{}, err
	}
	if err := p.checkSubject("subject", r.Subject); err != nil {
		return Condition{}, err
	}
	c := Condition{ID: r.ID, Source: SourceLocal}
	code, ok := codingOf(r.Code, SystemICD10)
	if !ok {
		return c, errors.New("code: no coding")
	}
	c.Code = code
	t, err := parseDateTime(r.OnsetDateTime)
	if err != nil {
		return c, fmt.Errorf("onsetDateTime: %v", err)
	}
	c.Onset = t
	if r.AbatementDateTime != "" {
		t, err := parseDateTime(r.AbatementDateTime)
		if err != nil {
			return c, fmt.Errorf("abatementDateTime: %v", err)
		}
		c.Abatement = &t
	}
	for _, ev := range r.Evidence {
		for _, d := range ev.Detail {
			if ref, ok := p.refs[d.Reference]; ok && strings.HasPrefix(ref, "Observation/") {
				c.Evidence = append(c.Evidence, strings.TrimPrefix(ref, "Observation/"))
			} else {
				return c, fmt.Errorf("evidence: %q is not an Observation in the bundle", d.Reference)
			}
		}
	}
	return c, nil
}

// organization resolves a performer to its name and country: the Organization in the
// bundle when the reference resolves, else the reference's display text.
func (p *bundleParser) organization(r *fhirReference) (name, country string) {
	if r == nil {
		return "", ""
	}
	if o, ok := p.organizations[p.refs[r.Reference]]; ok {
		name = o.Name
		if len(o.Address) > 0 {
			country = o.Address[0].Country
		}
	}
	if name == "" {
		name = r.Display
	}
	return name, country
}

// codingOf picks the coding of a concept from the first of the given code systems
// that has one: a registry may send several codings (a local code beside the LOINC
// one), and their order means nothing. A coding without a system is taken when none
// of the systems has one, as registries that omit systems still name the code.
func codingOf(cc fhirCodeableConcept, systems ...string) (Coding, bool) {
	for _, sys := range systems {
		for _, c := range cc.Coding {
			if c.System == sys && c.Code != "" {
				return Coding{System: c.System, Code: c.Code}, true
			}
		}
	}
	for _, c := range cc.Coding {
		if c.System == "" && c.Code != "" {
			return Coding{Code: c.Code}, true
		}
	}
	return Coding{}, false
}

// parseDateTime reads a FHIR dateTime. A date without a time is midnight UTC of that
// day; a partial date (YYYY or YYYY-MM) cannot date a dose or a test and is refused.
func parseDateTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("missing")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, errors.New("not a full date or date-time") // the value is health data: not repeated
}

// validPartialDate reports whether s is a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD.
func validPartialDate(s string) bool {
	for _, layout := range []string{"2006", "2006-01", time.DateOnly} {
		if len(s) == len(layout) {
			if _, err := time.Parse(layout, s); err == nil {
				return true
			}
		}
	}
	return false
}

// The FHIR R4 JSON shapes, reduced to the elements the kiosk reads.

type fhirBundle struct {
	ResourceType string      `json:"resourceType"`
	Type         string      `json:"type"`
	Entry        []fhirEntry `json:"entry"`
}

type fhirEntry struct {
	FullURL  string          `json:"fullUrl"`
	Resource json.RawMessage `json:"resource"`
}

type fhirCoding struct {
	System string `json:"system"`
	Code   string `json:"code"`
}

type fhirCodeableConcept struct {
	Coding []fhirCoding `json:"coding"`
}

type fhirReference struct {
	Reference  string `json:"reference"`
	Display    string `json:"display"`
	Identifier *struct {
		System string `json:"system"`
		Value  string `json:"value"`
	} `json:"identifier"`
}

type fhirHumanName struct {
	Use    string   `json:"use"`
	Family string   `json:"family"`
	Given  []string `json:"given"`
}

type fhirAddress struct {
	Country string `json:"country"`
}

type fhirPatient struct {
	ID         string `json:"id"`
	Identifier []struct {
		System string `json:"system"`
		Value  string `json:"value"`
	} `json:"identifier"`
	Name      []fhirHumanName `json:"name"`
	BirthDate string          `json:"birthDate"`
}

type fhirOrganization struct {
	Name    string        `json:"name"`
	Address []fhirAddress `json:"address"`
}

type fhirLocation struct {
	Name    string       `json:"name"`
	Address *fhirAddress `json:"address"`
}

type fhirImmunization struct {
	ID                 string              `json:"id"`
	Status             string              `json:"status"`
	PrimarySource      *bool               `json:"primarySource"`
	VaccineCode        fhirCodeableConcept `json:"vaccineCode"`
	Patient            *fhirReference      `json:"patient"`
	OccurrenceDateTime string              `json:"occurrenceDateTime"`
	LotNumber          string              `json:"lotNumber"`
	Location           *fhirReference      `json:"location"`
	Performer          []struct {
		Actor *fhirReference `json:"actor"`
	} `json:"performer"`
	ProtocolApplied []struct {
		DoseNumberPositiveInt  int `json:"doseNumberPositiveInt"`
		SeriesDosesPositiveInt int `json:"seriesDosesPositiveInt"`
	} `json:"protocolApplied"`
}

type fhirQuantity struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

type fhirObservation struct {
	ID                   string               `json:"id"`
	Status               string               `json:"status"`
	Code                 fhirCodeableConcept  `json:"code"`
	Subject              *fhirReference       `json:"subject"`
	EffectiveDateTime    string               `json:"effectiveDateTime"`
	ValueCodeableConcept *fhirCodeableConcept `json:"valueCodeableConcept"`
	ValueQuantity        *fhirQuantity        `json:"valueQuantity"`
	ReferenceRange       []struct {
		Low  *fhirQuantity `json:"low"`
		High *fhirQuantity `json:"high"`
	} `json:"referenceRange"`
	Performer []fhirReference `json:"performer"`
	Device    *fhirReference  `json:"device"`
}

type fhirCondition struct {
	ID                string              `json:"id"`
	Code              fhirCodeableConcept `json:"code"`
	Subject           *fhirReference      `json:"subject"`
	OnsetDateTime     string              `json:"onsetDateTime"`
	AbatementDateTime string              `json:"abatementDateTime"`
	Evidence          []struct {
		Detail []fhirReference `json:"detail"`
	} `json:"evidence"`
}
