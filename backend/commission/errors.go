package commission

// errors.go: the errors of the workflow, and the stable codes the UI maps them to.

import (
	"errors"
	"fmt"

	"certkiosk/backend/identity"
	"certkiosk/backend/staff"
)

var (
	// ErrForbidden: none of the actor's roles may take the step. It matches
	// staff.ErrForbidden too, so the façade answers it as every refused staff action.
	ErrForbidden = fmt.Errorf("commission: %w", staff.ErrForbidden)
	// ErrNotFound: no case has that id.
	ErrNotFound = errors.New("commission: no such case")
	// ErrOutOfOrder is matched by every *StageError: the step does not follow the
	// case's stage.
	ErrOutOfOrder = errors.New("commission: step out of order")
	// ErrSameMember: the member approved this case already; the second approval
	// must come from another member.
	ErrSameMember = errors.New("commission: this member approved the case already")
	// ErrOpenCase: the applicant has a case that is not yet issued; one case per
	// applicant at a time.
	ErrOpenCase = errors.New("commission: the applicant has an open case")
	// ErrInvalid: a field of an application, payment, result or query that is not
	// allowed (the message names it).
	ErrInvalid = errors.New("commission: invalid input")
	// ErrResultTooOld: the lab result is older than the certificate's validity, so
	// the certificate would be born expired.
	ErrResultTooOld = errors.New("commission: the lab result is too old for a certificate")
	// ErrSealed: a sealed value does not open under the register's key (another
	// key, another row, or damage).
	ErrSealed = errors.New("commission: sealed data does not open")
	// ErrAudit wraps the audit recorder's failure. The step itself is done and
	// stays done; only its audit entry is missing.
	ErrAudit = errors.New("commission: audit record failed")
)

// StageError is a step refused because the case is not at the stage the step
// follows. It matches ErrOutOfOrder.
type StageError struct {
	Case  string // the case id
	Step  Step   // the step tried
	Stage Stage  // the case's stage
	Want  Stage  // the stage the step follows
}

func (e *StageError) Error() string {
	return fmt.Sprintf("commission: case %s is at stage %s; %s comes at stage %s", e.Case, e.Stage, e.Step, e.Want)
}

// Is makes every StageError match ErrOutOfOrder.
func (e *StageError) Is(target error) bool { return target == ErrOutOfOrder }

// Code returns the stable code of an error of this package for the UI to translate:
// forbidden, not-found, out-of-order, same-member, open-case, invalid-identifier,
// invalid, result-too-old, audit-failed (the step is done, its audit entry is
// not); internal for anything else, and "" for nil.
func Code(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, staff.ErrForbidden):
		return "forbidden"
	case errors.Is(err, ErrNotFound):
		return "not-found"
	case errors.Is(err, ErrOutOfOrder):
		return "out-of-order"
	case errors.Is(err, ErrSameMember):
		return "same-member"
	case errors.Is(err, ErrOpenCase):
		return "open-case"
	case errors.Is(err, identity.ErrInvalidIdentifier):
		return "invalid-identifier"
	case errors.Is(err, ErrInvalid):
		return "invalid"
	case errors.Is(err, ErrResultTooOld):
		return "result-too-old"
	case errors.Is(err, ErrAudit):
		return "audit-failed"
	}
	return "internal"
}
