package registrysim

// auditevent.go: the audit entries a kiosk ships, each a FHIR R4 AuditEvent created
// with POST [base]/AuditEvent, usually as a conditional create on the entry's hash
// (If-None-Exist: entity:identifier=urn:certkiosk:audit-entry|HASH), so that an
// entry sent again is stored once; a read and a search by entity:identifier show
// what was stored. They are kept with the reports (report.go).

import (
	"encoding/json"
	"strings"
	"time"
)

// auditType is the resource type of a shipped audit entry.
const auditType = "AuditEvent"

// auditEvents are the audit entries the kiosk ships. AuditEvent has no identifier
// element (FHIR R4): an entry is found by the identifier of the entity it names,
// with the :identifier modifier of a reference search parameter (R4 search.html).
var auditEvents = written{typ: auditType, param: "entity:identifier", parse: parseAuditEvent}

// writable returns the written resource type a path segment names.
func writable(typ string) (written, bool) {
	switch typ {
	case reportType:
		return communications, true
	case auditType:
		return auditEvents, true
	}
	return written{}, false
}

// auditFields are the elements of an AuditEvent the registry checks: those R4 makes
// required (type, recorded, agent with requestor, source with observer) and the
// entities, whose identifiers it keeps to find the event again.
type auditFields struct {
	ResourceType string           `json:"resourceType"`
	Type         *json.RawMessage `json:"type"`
	Recorded     string           `json:"recorded"`
	Agent        []struct {
		Requestor *bool `json:"requestor"`
	} `json:"agent"`
	Source *struct {
		Observer *json.RawMessage `json:"observer"`
	} `json:"source"`
	Entity []struct {
		What *struct {
			Identifier *fhirIdentifier `json:"identifier"`
		} `json:"what"`
	} `json:"entity"`
}

// parseAuditEvent checks that body is a FHIR JSON AuditEvent with the elements R4
// requires and at least one entity named by an identifier, and returns it as it is
// stored.
func parseAuditEvent(body []byte, id string, now time.Time) (newReport, error) {
	elems, err := decodeObject(body, auditType)
	if err != nil {
		return newReport{}, err
	}
	var f auditFields
	if err := json.Unmarshal(body, &f); err != nil {
		return newReport{}, badRequest("the body is not a valid AuditEvent: %v", err)
	}
	switch {
	case f.ResourceType != auditType:
		return newReport{}, badRequest("resourceType %q: the registry takes an AuditEvent here", f.ResourceType)
	case f.Type == nil:
		return newReport{}, badRequest("the AuditEvent has no type")
	case f.Recorded == "":
		return newReport{}, badRequest("the AuditEvent has no recorded time")
	case len(f.Agent) == 0:
		return newReport{}, badRequest("the AuditEvent has no agent")
	case f.Source == nil || f.Source.Observer == nil:
		return newReport{}, badRequest("the AuditEvent has no source.observer")
	}
	if _, err := time.Parse(time.RFC3339Nano, f.Recorded); err != nil {
		return newReport{}, badRequest("recorded %q is not an instant", f.Recorded)
	}
	for i, a := range f.Agent {
		if a.Requestor == nil {
			return newReport{}, badRequest("agent[%d] has no requestor", i)
		}
	}
	var idents []fhirIdentifier
	for i, en := range f.Entity {
		if en.What == nil || en.What.Identifier == nil {
			continue
		}
		if strings.TrimSpace(en.What.Identifier.Value) == "" {
			return newReport{}, badRequest("entity[%d].what.identifier has no value", i)
		}
		idents = append(idents, *en.What.Identifier)
	}
	if len(idents) == 0 {
		return newReport{}, badRequest("the AuditEvent names no entity by identifier: it needs one to be found again")
	}
	out, err := storedBody(auditType, id, elems, now)
	if err != nil {
		return newReport{}, err
	}
	return newReport{id: id, identifiers: idents, body: out}, nil
}
