package commission

// case.go: a case and what each step brings to it, the stages it passes through,
// and who may take each step.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"certkiosk/backend/registry"
	"certkiosk/backend/staff"
)

// Stage is where a case stands. A case passes through every stage in order.
type Stage string

// The stages, in order.
const (
	StageApplied  Stage = "applied"  // the application is taken; its statement can be printed
	StagePaid     Stage = "paid"     // the payment is recorded
	StageResult   Stage = "result"   // the lab result is entered
	StageDecided  Stage = "decided"  // a member decided; approvals are collected
	StageApproved Stage = "approved" // two different members approved the decision
	StageIssued   Stage = "issued"   // the certificate is signed: the case is in the register
)

// Stages returns every stage in order.
func Stages() []Stage {
	return []Stage{StageApplied, StagePaid, StageResult, StageDecided, StageApproved, StageIssued}
}

// Known reports whether s is one of the stages.
func (s Stage) Known() bool { return slices.Contains(Stages(), s) }

// Step is one step of the workflow.
type Step string

// The steps, each taken at the stage before the one it leads to (an approval
// stays at decided until the second member approves).
const (
	StepApply   Step = "the application"
	StepPayment Step = "the payment"
	StepResult  Step = "the lab result"
	StepDecide  Step = "the decision"
	StepApprove Step = "an approval"
	StepIssue   Step = "the certificate"
	StepRead    Step = "reading the register"
)

// follows returns the stage a step is taken at; "" for a step taken at any stage.
func (s Step) follows() Stage {
	switch s {
	case StepPayment:
		return StageApplied
	case StepResult:
		return StagePaid
	case StepDecide:
		return StageResult
	case StepApprove:
		return StageDecided
	case StepIssue:
		return StageApproved
	}
	return ""
}

// roles returns the roles that may take a step. The clerk keeps the desk: takes the
// application, the payment and the lab result, and hands out the certificate once
// approved; commission members decide and approve, and nothing else; both read the
// register. The clerk's and the member's steps are those of staff.Permissions
// (record-payment, enter-lab-result: clerk; commission-decision: member).
func (s Step) roles() []staff.Role {
	switch s {
	case StepDecide, StepApprove:
		return []staff.Role{staff.RoleCommissionMember}
	case StepRead:
		return []staff.Role{staff.RoleClerk, staff.RoleCommissionMember}
	}
	return []staff.Role{staff.RoleClerk}
}

// Actor is the staff member taking a step: the staff id recorded with it, and the
// roles of their session.
type Actor struct {
	StaffID string
	Roles   []staff.Role
}

// ActorOf returns the actor of a staff session.
func ActorOf(s staff.Session) Actor { return Actor{StaffID: s.StaffID, Roles: s.Roles} }

// may checks that the actor has a staff id and one of the step's roles.
func (a Actor) may(step Step) error {
	if staff.CheckID(a.StaffID) != nil {
		return fmt.Errorf("%w: no valid staff id", ErrForbidden)
	}
	for _, r := range step.roles() {
		if slices.Contains(a.Roles, r) {
			return nil
		}
	}
	return fmt.Errorf("%w: %s needs one of the roles %v", ErrForbidden, step, step.roles())
}

// role returns the role a step is taken in (for the audit log).
func (a Actor) role(step Step) staff.Role {
	for _, r := range step.roles() {
		if slices.Contains(a.Roles, r) {
			return r
		}
	}
	return ""
}

// Decision is the commission's finding.
type Decision string

// The decisions.
const (
	DecisionPresent Decision = "present" // SARS-CoV-2 antibodies present
	DecisionAbsent  Decision = "absent"  // SARS-CoV-2 antibodies absent
)

// Identifier systems an applicant may be identified by, as the UI names them.
const (
	SystemSNILS = "snils"
	SystemOMS   = "oms"
)

// systemURN returns the registry's system for a system as the UI or the registry
// names it.
func systemURN(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case SystemSNILS, registry.SystemSNILS:
		return registry.SystemSNILS, true
	case SystemOMS, registry.SystemOMS:
		return registry.SystemOMS, true
	}
	return "", false
}

// shortSystem is the UI's name of a registry system.
func shortSystem(urn string) string {
	if urn == registry.SystemOMS {
		return SystemOMS
	}
	return SystemSNILS
}

// Application is what the applicant gives at the desk.
type Application struct {
	// System is the identifier's system: snils or oms (or urn:ru:snils, urn:ru:oms).
	System string `json:"system"`
	// Identifier is the SNILS or OMS policy number, with or without separators.
	Identifier string `json:"identifier"`
	// Name is the full name as written in the passport, surname first
	// ("Петрова Анна Сергеевна").
	Name string `json:"name"`
	// BirthDate is the date of birth, YYYY-MM-DD.
	BirthDate string `json:"birthDate"`
}

// Payment is the payment for the service, as the cashier's receipt shows it.
type Payment struct {
	ReceiptNumber string `json:"receiptNumber"`
	// AmountMinor is the amount in minor units (kopecks).
	AmountMinor int64 `json:"amountMinor"`
	// Currency is the ISO 4217 code; RUB.
	Currency string `json:"currency"`
}

// LabResult is the laboratory's result the commission decides on.
type LabResult struct {
	// Test is the LOINC code: 94504-8 (SARS-CoV-2 antibodies) or 94762-2 (by
	// immunoassay).
	Test string `json:"test"`
	// Value is the measured level ("74.2"); Unit its unit ("BAU/mL").
	Value Decimal `json:"value"`
	Unit  string  `json:"unit"`
	// ReferenceLow and ReferenceHigh bound the reference range; either may be
	// empty.
	ReferenceLow  Decimal `json:"referenceLow"`
	ReferenceHigh Decimal `json:"referenceHigh"`
	// Laboratory is the laboratory's name.
	Laboratory string `json:"laboratory"`
	// Date is the day the sample was taken, YYYY-MM-DD.
	Date string `json:"date"`
}

// Decimal is a decimal number as the laboratory prints it, kept as written so that
// the certificate shows what the report shows ("74.20" stays "74.20"). In JSON it is
// read from a number or a string, and written as a string.
type Decimal string

// UnmarshalJSON reads a JSON number or string.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*d = Decimal(n)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%w: %s is not a number", ErrInvalid, b)
	}
	*d = Decimal(s)
	return nil
}

// Case is one applicant's case as staff see it. The identifier is shown masked:
// staff confirm it against a document, they do not copy it from the screen.
type Case struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	BirthDate  string     `json:"birthDate"`
	System     string     `json:"system"`     // snils or oms
	Identifier string     `json:"identifier"` // the last four characters, after "…"
	Stage      Stage      `json:"stage"`
	Payment    *Payment   `json:"payment,omitempty"`
	Result     *LabResult `json:"result,omitempty"`
	Decision   Decision   `json:"decision,omitempty"`
	DecidedBy  string     `json:"decidedBy,omitempty"`
	// Approvals counts the members who approved the decision; ApprovedBy are their
	// staff ids, in order.
	Approvals  int       `json:"approvals"`
	ApprovedBy []string  `json:"approvedBy"`
	AppliedAt  time.Time `json:"appliedAt"`
	IssuedAt   time.Time `json:"issuedAt,omitzero"`
	UVCI       string    `json:"uvci,omitempty"`
}

// Issued is a certificate just issued: the case, the certificate's identifier, the
// HC1 string in its code, and the PDF to print.
type Issued struct {
	Case Case   `json:"case"`
	UVCI string `json:"uvci"`
	HC1  string `json:"hc1"`
	PDF  []byte `json:"pdf"`
}

// Query selects cases. Every field set must match; the zero Query lists every case.
// In JSON it is an object with these fields, or a string: the Text alone, as a
// search box sends it.
type Query struct {
	// Text matches a case id, a UVCI, or a part of the name (letter case and ё/е
	// ignored).
	Text string `json:"text,omitempty"`
	// System and Identifier find the cases of one applicant (by the keyed hash).
	System     string `json:"system,omitempty"`
	Identifier string `json:"identifier,omitempty"`
	// Stage keeps only the cases at that stage; issued gives the register.
	Stage Stage `json:"stage,omitempty"`
	// IssuedFrom and IssuedTo (YYYY-MM-DD, inclusive, in the profile's time zone)
	// keep only certificates issued in that range.
	IssuedFrom string `json:"issuedFrom,omitempty"`
	IssuedTo   string `json:"issuedTo,omitempty"`
}

// UnmarshalJSON reads a Query object, or a string as Query{Text: s}.
func (q *Query) UnmarshalJSON(b []byte) error {
	var text string
	if err := json.Unmarshal(b, &text); err == nil {
		*q = Query{Text: text}
		return nil
	}
	type plain Query // without this method
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("%w: query: %v", ErrInvalid, err)
	}
	*q = Query(p)
	return nil
}

// casePrefix starts every case id: an antibody commission case (антительная
// комиссия).
const casePrefix = "AK"

func caseID(n int64) string { return fmt.Sprintf("%s%06d", casePrefix, n) }

// parseCaseID returns the row of a case id; false for text that is not one.
func parseCaseID(id string) (int64, bool) {
	digits, ok := strings.CutPrefix(strings.ToUpper(strings.TrimSpace(id)), casePrefix)
	if !ok || digits == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil && n > 0
}

// mask shows the last four characters of an identifier.
func mask(v string) string {
	if len(v) <= 4 {
		return "…"
	}
	return "…" + v[len(v)-4:]
}
