package rules

// validity.go: a profile's validity rules, written in CertLogic in the shape of the EU
// DCC business rules, and their evaluation over a certificate's payload.

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"certkiosk/backend/certlogic"
	"certkiosk/backend/dcc"
)

// ErrPayload is wrapped when CheckValidity is given a payload that is not a DCC
// payload it can judge.
var ErrPayload = errors.New("rules: not a judgeable DCC payload")

// KindGeneral marks a rule that applies to certificates of every kind.
const KindGeneral = "general"

// Rule is one validity rule. Like an EU business rule it is evaluated over
//
//	{"payload": <the DCC payload>, "external": {"validationClock": "<RFC 3339>", "countryCode": "EE"}}
//
// and passes when its logic evaluates to true. A rule that fails gives its reason:
// a reason code refuses the certificate, a note code issues it with that note.
type Rule struct {
	ID          string          `json:"id"`     // e.g. VR-EE-0001
	Kind        string          `json:"kind"`   // vaccination, test, recovery or general
	Reason      string          `json:"reason"` // a Reason or a Note code
	Description Text            `json:"description"`
	Logic       json.RawMessage `json:"logic"` // CertLogic (specification 1.3.3)

	expr *certlogic.Expression
}

func (r *Rule) check() error {
	if r.ID == "" {
		return errors.New(".id: missing")
	}
	switch dcc.Kind(r.Kind) {
	case dcc.KindVaccination, dcc.KindTest, dcc.KindRecovery, KindGeneral:
	default:
		return fmt.Errorf(" (%s).kind: %q, want vaccination, test, recovery or general", r.ID, r.Kind)
	}
	if !slices.Contains(Reasons(), Reason(r.Reason)) && !slices.Contains(Notes(), Note(r.Reason)) {
		return fmt.Errorf(" (%s).reason: %q is neither a reason code nor a note code", r.ID, r.Reason)
	}
	if err := r.Description.check(fmt.Sprintf(" (%s).description", r.ID)); err != nil {
		return err
	}
	if len(r.Logic) == 0 {
		return fmt.Errorf(" (%s).logic: missing", r.ID)
	}
	expr, err := certlogic.Parse(r.Logic)
	if err != nil {
		return fmt.Errorf(" (%s).logic: %w", r.ID, err)
	}
	r.expr = expr
	return nil
}

// RuleFailure is a rule that a payload did not pass.
type RuleFailure struct {
	ID          string // the rule's id
	Reason      string // the rule's reason: a Reason or a Note code
	Description Text   // what the rule checks, in each language
	// Err is set when the rule could not be evaluated (a value of the wrong type in the
	// payload, a result that is not a boolean). The CertLogic specification counts
	// such a rule as failed, and so does CheckValidity.
	Err error
}

// refusal reports whether the failure refuses the certificate, as opposed to adding a
// note to it.
func (f RuleFailure) refusal() (Reason, bool) {
	r := Reason(f.Reason)
	return r, slices.Contains(Reasons(), r)
}

// CheckValidity applies the profile's rules for the payload's kind (and the general
// ones) at the given time, in the order of the profile, and returns those that fail;
// none when the certificate is valid. The validation clock is at in the profile's
// time zone, as a verifier on the kiosk's wall would give it.
func (p *Profile) CheckValidity(payload json.RawMessage, at time.Time) ([]RuleFailure, error) {
	var doc any
	if err := json.Unmarshal(payload, &doc); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPayload, err)
	}
	kind, err := payloadKind(doc)
	if err != nil {
		return nil, err
	}
	data := map[string]any{
		"payload": doc,
		"external": map[string]any{
			"validationClock": at.In(p.location).Format(time.RFC3339),
			"countryCode":     p.Country,
		},
	}
	var failures []RuleFailure
	for _, r := range p.Rules {
		if r.Kind != string(kind) && r.Kind != KindGeneral {
			continue
		}
		result, err := r.expr.Evaluate(data)
		if err == nil {
			if b, ok := result.(bool); ok && b {
				continue
			} else if !ok {
				err = fmt.Errorf("rules: rule %s evaluated to %v, not to a boolean", r.ID, result)
			}
		}
		failures = append(failures, RuleFailure{ID: r.ID, Reason: r.Reason, Description: r.Description, Err: err})
	}
	return failures, nil
}

// payloadKind tells which of the groups v, t and r the payload carries; exactly one
// must be a non-empty array.
func payloadKind(doc any) (dcc.Kind, error) {
	obj, ok := doc.(map[string]any)
	if !ok {
		return "", fmt.Errorf("%w: not a JSON object", ErrPayload)
	}
	var kinds []dcc.Kind
	for key, kind := range map[string]dcc.Kind{"v": dcc.KindVaccination, "t": dcc.KindTest, "r": dcc.KindRecovery} {
		if entries, ok := obj[key].([]any); ok && len(entries) > 0 {
			kinds = append(kinds, kind)
		}
	}
	if len(kinds) != 1 {
		return "", fmt.Errorf("%w: %d of the groups v, t and r hold entries, want exactly one", ErrPayload, len(kinds))
	}
	return kinds[0], nil
}
