package staff

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"certkiosk/backend/audit"
)

// wantPermissions is the table written out again, role by role, so that a change to
// Permissions has to be made twice to pass.
func wantPermissions() map[Role][]Action {
	queue := []Action{ActionQueueRetry, ActionQueueCancel, ActionQueueMove}
	desk := slices.Concat([]Action{ActionEnterIdentifier, ActionReleaseHeld, ActionReprint}, queue)
	return map[Role][]Action{
		RoleLibrarian:        desk,
		RoleClerk:            slices.Concat(desk, []Action{ActionRecordPayment, ActionEnterLabResult}),
		RoleCommissionMember: {ActionCommissionDecision},
		RoleAdministrator:    slices.Concat([]Action{ActionConfigure, ActionManageStaff}, queue),
	}
}

func TestPermissions(t *testing.T) {
	want := wantPermissions()
	for _, action := range Actions() {
		if len(Permissions()[action]) == 0 {
			t.Errorf("action %s has no role", action)
		}
		for _, role := range Roles() {
			allowed := slices.Contains(want[role], action)
			if got := Allowed([]Role{role}, action); got != allowed {
				t.Errorf("Allowed(%s, %s) = %v, want %v", role, action, got, allowed)
			}
		}
		if Allowed(nil, action) {
			t.Errorf("Allowed(no role, %s) = true", action)
		}
	}
	if len(Permissions()) != len(Actions()) {
		t.Errorf("Permissions() has %d actions, Actions() %d", len(Permissions()), len(Actions()))
	}
	if Allowed(Roles(), Action("drop-tables")) {
		t.Error("Allowed(every role, unknown action) = true")
	}
}

func TestParseRoles(t *testing.T) {
	tests := []struct {
		in   string
		want []Role
	}{
		{"librarian", []Role{RoleLibrarian}},
		{"commission-member,clerk", []Role{RoleClerk, RoleCommissionMember}},
		{" clerk , clerk ", []Role{RoleClerk}},
		{"administrator,librarian", []Role{RoleLibrarian, RoleAdministrator}},
	}
	for _, tt := range tests {
		got, err := ParseRoles(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseRoles(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "root", "librarian,", "Librarian"} {
		if _, err := ParseRoles(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseRoles(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestActorKinds(t *testing.T) {
	tests := []struct {
		roles  []Role
		action Action
		want   audit.ActorKind
	}{
		{[]Role{RoleClerk, RoleCommissionMember}, ActionEnterLabResult, audit.ActorClerk},
		{[]Role{RoleClerk, RoleCommissionMember}, ActionCommissionDecision, audit.ActorCommissionMember},
		{[]Role{RoleLibrarian, RoleAdministrator}, ActionReprint, audit.ActorLibrarian},
		{[]Role{RoleLibrarian, RoleAdministrator}, ActionConfigure, audit.ActorAdministrator},
	}
	for _, tt := range tests {
		if got, ok := actionKind(tt.roles, tt.action); !ok || got != tt.want {
			t.Errorf("actionKind(%v, %s) = %s, %v; want %s", tt.roles, tt.action, got, ok, tt.want)
		}
	}
	for _, r := range Roles() {
		if !loginKind([]Role{r}).Known() {
			t.Errorf("loginKind(%s) = %s, not an audit actor kind", r, loginKind([]Role{r}))
		}
	}
}
