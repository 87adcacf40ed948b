package staff

// account.go: a staff account as callers see it, and what its id and name may be.

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on an account's id and display name.
const (
	MaxIDLen   = 32
	MaxNameLen = 80
)

// Account is a staff member's account. Its PIN hash never leaves the store.
type Account struct {
	// ID is the staff id typed at login and recorded in the audit log: 1 to 32 of
	// A–Z a–z 0–9 . _ -, starting with a letter or digit. Never a name.
	ID string
	// Name is how staff screens greet the account's owner. It is personal data of
	// the staff member: shown on staff screens and in `certkiosk staff list`, never
	// logged and never recorded in the audit log.
	Name string
	// Roles are what the account may do (see Permissions); at least one.
	Roles []Role
	// Created is when the account was added.
	Created time.Time
	// Failures counts the failed logins since the last successful one (or unlock).
	Failures int
	// LastFailure is when the last of them happened; zero when Failures is 0.
	LastFailure time.Time
	// Locked is set once the account reached the lock-out threshold; an
	// administrator unlocks it (Store.Unlock, `certkiosk staff unlock`).
	Locked bool
	// LockedAt is when it was locked.
	LockedAt time.Time
}

// CheckID refuses a staff id that is not 1 to 32 of A–Z a–z 0–9 . _ -, starting with
// a letter or a digit. Ids have this shape so that an id is never a name or a
// sentence, and fits the audit log's actor ids.
func CheckID(id string) error {
	if id == "" || len(id) > MaxIDLen {
		return fmt.Errorf("%w: a staff id is 1 to %d characters", ErrInvalid, MaxIDLen)
	}
	for i, c := range id {
		alnum := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return fmt.Errorf("%w: a staff id is made of A-Z a-z 0-9 . _ - and starts with a letter or digit", ErrInvalid)
		}
	}
	return nil
}

// checkName refuses a display name that is empty, longer than 80 characters, not
// UTF-8, or holds control characters.
func checkName(name string) error {
	if strings.TrimSpace(name) == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxNameLen {
		return fmt.Errorf("%w: a display name is 1 to %d characters of text", ErrInvalid, MaxNameLen)
	}
	if strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return fmt.Errorf("%w: a display name holds no control characters", ErrInvalid)
	}
	return nil
}

// checkRoles refuses an empty list, unknown roles and a role given twice.
func checkRoles(roles []Role) error {
	if len(roles) == 0 {
		return fmt.Errorf("%w: an account needs a role (%s)", ErrInvalid, joinRoles(Roles()))
	}
	for i, r := range roles {
		if !r.Known() {
			return fmt.Errorf("%w: role %q is not one of %s", ErrInvalid, r, joinRoles(Roles()))
		}
		if slices.Contains(roles[:i], r) {
			return fmt.Errorf("%w: role %s given twice", ErrInvalid, r)
		}
	}
	return nil
}
