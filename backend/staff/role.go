package staff

// role.go: the roles, the staff actions, and the table of which role may take which
// action. The backend checks it on every action (Authenticator.Authorize); the UI
// may hide what a role cannot do, but hiding is not the check.

import (
	"fmt"
	"slices"
	"strings"

	"certkiosk/backend/audit"
)

// Role is what a staff member is at this kiosk (DESIGN.md §1).
type Role string

// The roles.
const (
	// RoleLibrarian helps visitors at a library kiosk: types identifiers for them,
	// releases and reprints their certificates, looks after the queue.
	RoleLibrarian Role = "librarian"
	// RoleClerk runs the antibody-commission desk at a social-insurance office, and
	// can do what a librarian does.
	RoleClerk Role = "clerk"
	// RoleCommissionMember takes the commission's decisions, and nothing else.
	RoleCommissionMember Role = "commission-member"
	// RoleAdministrator configures the kiosk, manages staff accounts and drains the
	// queue; handing documents to residents is not an administrator's job.
	RoleAdministrator Role = "administrator"
)

// Roles returns every role, in the order accounts list them.
func Roles() []Role {
	return []Role{RoleLibrarian, RoleClerk, RoleCommissionMember, RoleAdministrator}
}

// Known reports whether r is one of the roles.
func (r Role) Known() bool { return slices.Contains(Roles(), r) }

// ParseRoles reads roles written as a comma-separated list ("librarian,clerk"):
// known, each once, in the order Roles gives.
func ParseRoles(s string) ([]Role, error) {
	var out []Role
	for _, f := range strings.Split(s, ",") {
		r := Role(strings.TrimSpace(f))
		if !r.Known() {
			return nil, fmt.Errorf("%w: role %q is not one of %s", ErrInvalid, r, joinRoles(Roles()))
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return sortRoles(out), nil
}

// sortRoles orders roles as Roles does.
func sortRoles(rs []Role) []Role {
	out := slices.Clone(rs)
	slices.SortFunc(out, func(a, b Role) int { return slices.Index(Roles(), a) - slices.Index(Roles(), b) })
	return out
}

func joinRoles(rs []Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// Action is something only staff may do.
type Action string

// The staff actions (DESIGN.md §1, §5; issue 6).
const (
	ActionEnterIdentifier    Action = "enter-identifier"    // type an identifier for a visitor
	ActionReleaseHeld        Action = "release-held"        // print a certificate held for a resident
	ActionReprint            Action = "reprint"             // print a certificate again, marked COPY
	ActionQueueRetry         Action = "queue-retry"         // make a parked or waiting job due now
	ActionQueueCancel        Action = "queue-cancel"        // cancel a job
	ActionQueueMove          Action = "queue-move"          // send a job to another printer
	ActionRecordPayment      Action = "record-payment"      // record the payment for a commission certificate
	ActionEnterLabResult     Action = "enter-lab-result"    // enter a laboratory result for the commission
	ActionCommissionDecision Action = "commission-decision" // decide, as a commission member
	ActionConfigure          Action = "configure"           // change the kiosk's configuration
	ActionManageStaff        Action = "manage-staff"        // unlock staff accounts
)

// Actions returns every action.
func Actions() []Action {
	return []Action{
		ActionEnterIdentifier, ActionReleaseHeld, ActionReprint, ActionQueueRetry, ActionQueueCancel,
		ActionQueueMove, ActionRecordPayment, ActionEnterLabResult, ActionCommissionDecision,
		ActionConfigure, ActionManageStaff,
	}
}

// Known reports whether a is one of the actions.
func (a Action) Known() bool { return slices.Contains(Actions(), a) }

// Permissions returns the table of which roles may take each action. Every action has
// at least one role; an action missing from the table is refused to everyone.
//
//	action               librarian  clerk  commission-member  administrator
//	enter-identifier         ✓        ✓
//	release-held             ✓        ✓
//	reprint                  ✓        ✓
//	queue-retry              ✓        ✓                             ✓
//	queue-cancel             ✓        ✓                             ✓
//	queue-move               ✓        ✓                             ✓
//	record-payment                    ✓
//	enter-lab-result                  ✓
//	commission-decision                          ✓
//	configure                                                       ✓
//	manage-staff                                                    ✓
//
// The one who enters a lab result is not the one who decides on it, and whoever
// configures the kiosk does not hand out certificates.
func Permissions() map[Action][]Role {
	desk := []Role{RoleLibrarian, RoleClerk}
	queue := []Role{RoleLibrarian, RoleClerk, RoleAdministrator}
	return map[Action][]Role{
		ActionEnterIdentifier:    desk,
		ActionReleaseHeld:        desk,
		ActionReprint:            desk,
		ActionQueueRetry:         queue,
		ActionQueueCancel:        queue,
		ActionQueueMove:          queue,
		ActionRecordPayment:      {RoleClerk},
		ActionEnterLabResult:     {RoleClerk},
		ActionCommissionDecision: {RoleCommissionMember},
		ActionConfigure:          {RoleAdministrator},
		ActionManageStaff:        {RoleAdministrator},
	}
}

// Allowed reports whether any of roles may take action.
func Allowed(roles []Role, action Action) bool {
	_, ok := actionKind(roles, action)
	return ok
}

// kindOf is the audit log's actor kind for a role.
func kindOf(r Role) audit.ActorKind {
	switch r {
	case RoleClerk:
		return audit.ActorClerk
	case RoleCommissionMember:
		return audit.ActorCommissionMember
	case RoleAdministrator:
		return audit.ActorAdministrator
	}
	return audit.ActorLibrarian
}

// loginKind is the actor kind a login by an account with these roles is recorded
// under: the role that can do most, administrator first.
func loginKind(roles []Role) audit.ActorKind {
	for _, r := range []Role{RoleAdministrator, RoleCommissionMember, RoleClerk} {
		if slices.Contains(roles, r) {
			return kindOf(r)
		}
	}
	return audit.ActorLibrarian
}

// actionKind is the actor kind an action is recorded under: the first of roles (in
// the order Roles gives) that allows it, so that a clerk who is also a commission
// member enters a lab result as a clerk and decides as a member.
func actionKind(roles []Role, action Action) (audit.ActorKind, bool) {
	allowed := Permissions()[action]
	for _, r := range sortRoles(roles) {
		if slices.Contains(allowed, r) {
			return kindOf(r), true
		}
	}
	return "", false
}
