package staff

// errors.go: the sentinel errors, and WaitError, the refusal during a back-off.

import (
	"errors"
	"fmt"
	"time"
)

// Errors of Login. A login is refused with exactly one of these; none of them says
// whether the staff id exists, except ErrLocked, which only an account can be.
var (
	// ErrBadCredentials: the staff id is unknown or the PIN is wrong.
	ErrBadCredentials = errors.New("staff: wrong staff id or PIN")
	// ErrLocked: the account failed too many logins in a row and stays locked until
	// an administrator unlocks it. The PIN was not tried.
	ErrLocked = errors.New("staff: account locked after too many failed logins; an administrator must unlock it")
	// ErrTooSoon is matched by every *WaitError: a back-off is running after
	// repeated failures. The PIN was not tried.
	ErrTooSoon = errors.New("staff: too many failed logins; wait before trying again")
	// ErrNoRecorder: the Authenticator has no Recorder, and a login that cannot be
	// recorded is not allowed.
	ErrNoRecorder = errors.New("staff: no audit recorder")
	// ErrRecord wraps a Recorder's failure. A successful login that cannot be
	// recorded gives no session.
	ErrRecord = errors.New("staff: audit record failed")
)

// Errors of Authorize, Touch and Logout.
var (
	// ErrNoSession: no session has that id (never opened, logged out, or swept
	// after it expired).
	ErrNoSession = errors.New("staff: no such session")
	// ErrSessionExpired: the session was idle too long or reached its maximum age;
	// it is closed now.
	ErrSessionExpired = errors.New("staff: session expired; log in again")
	// ErrForbidden: none of the session's roles may take the action.
	ErrForbidden = errors.New("staff: not allowed")
)

// Errors of the store.
var (
	// ErrInvalid: a staff id, display name, role or action that is not allowed.
	ErrInvalid = errors.New("staff: invalid account")
	// ErrWeakPIN: a PIN refused by the PIN rules (see CheckPIN).
	ErrWeakPIN = errors.New("staff: PIN refused")
	// ErrExists: an account with that staff id exists already.
	ErrExists = errors.New("staff: account exists")
	// ErrNotFound: no account has that staff id.
	ErrNotFound = errors.New("staff: no such account")
	// ErrCorrupt: the store file cannot be read as a store: not JSON of the
	// expected shape, an invalid account in it, or a PIN hash that does not parse.
	ErrCorrupt = errors.New("staff: store file damaged")
	// ErrPermissions: the store file may be read or written by other users.
	ErrPermissions = errors.New("staff: store file not private")
	// ErrPHC: a string that is not an argon2id hash in the PHC string format, or
	// whose parameters are outside the bounds accepted (see ParsePHC).
	ErrPHC = errors.New("staff: not an argon2id PHC string")
)

// WaitError is a login refused because a back-off is running: Scope says whose
// failures caused it ("account" or "kiosk") and Until when the next attempt will be
// heard.
type WaitError struct {
	Scope string
	Until time.Time
}

func (e *WaitError) Error() string {
	return fmt.Sprintf("staff: too many failed logins at this %s; try again after %s", e.Scope, e.Until.UTC().Format(time.RFC3339))
}

// Is makes every WaitError match ErrTooSoon.
func (e *WaitError) Is(target error) bool { return target == ErrTooSoon }
