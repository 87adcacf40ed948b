package staff

// session.go: the Authenticator — logins against the store with back-off and
// lock-out, staff sessions that expire, and the role check on every staff action.

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"certkiosk/backend/audit"
)

// Session lengths when AuthOptions leaves them zero.
const (
	// DefaultIdleTimeout closes a session nobody used for 3 minutes: the kiosk
	// stands in a public room, and staff walk away from it.
	DefaultIdleTimeout = 3 * time.Minute
	// DefaultMaxAge closes any session 4 hours after its login, used or not.
	DefaultMaxAge = 4 * time.Hour
)

// DefaultKiosk is the kiosk id failures are counted under when AuthOptions names
// none: the data folder belongs to one kiosk.
const DefaultKiosk = "local"

// auditComponent is the actor id of logins refused before an account is known (an
// unknown staff id, a kiosk back-off): what was typed is never recorded, as it may
// be a PIN or a name typed into the wrong field.
const auditComponent = "staff-login"

// Reasons recorded with staff-login-failed.
const (
	reasonWrongPIN     = "wrong-pin"
	reasonUnknown      = "unknown-account"
	reasonLocked       = "locked"
	reasonBackoff      = "backoff"
	reasonKioskBackoff = "kiosk-backoff"
)

// Recorder records staff logins in the audit log; *audit.Log is one.
type Recorder interface {
	Append(ev audit.Event) (audit.Entry, error)
}

var _ Recorder = (*audit.Log)(nil)

// AuthOptions configure an Authenticator. Zero fields take their defaults.
type AuthOptions struct {
	// Recorder receives staff-login, staff-login-failed, staff-locked-out and
	// staff-logout. Required: Login refuses to run without it (ErrNoRecorder).
	Recorder Recorder
	// Kiosk is this kiosk's id, under which its failures are counted; empty:
	// DefaultKiosk.
	Kiosk string
	// Now is the clock; nil: the store's.
	Now func() time.Time
	// Rand makes session ids; nil: crypto/rand.
	Rand io.Reader
	// AccountPolicy and KioskPolicy answer failed logins; zero: DefaultAccountPolicy
	// and DefaultKioskPolicy.
	AccountPolicy, KioskPolicy Policy
	// IdleTimeout and MaxAge end sessions; zero: DefaultIdleTimeout, DefaultMaxAge.
	IdleTimeout, MaxAge time.Duration
}

// Session is a staff member logged in at the kiosk.
type Session struct {
	// ID is the session's secret handle: 256 random bits. The façade keeps it;
	// it is never logged.
	ID string
	// StaffID is the account's id.
	StaffID string
	// Name is the account's display name, for staff screens only.
	Name string
	// Roles are the account's roles at login.
	Roles []Role
	// Started is the login; LastUsed the last action authorised.
	Started, LastUsed time.Time
	// Expires is when the session ends unless used before: LastUsed plus the idle
	// timeout, or Started plus the maximum age, whichever comes first.
	Expires time.Time
}

// Authenticator logs staff in at one kiosk and checks their actions. Sessions live in
// memory only: a restart logs everyone out. It is safe for concurrent use.
type Authenticator struct {
	store        *Store
	rec          Recorder
	kiosk        string
	now          func() time.Time
	rand         io.Reader
	account      Policy
	kioskPolicy  Policy
	idle, maxAge time.Duration
	dummy        Hash                          // verified against for unknown ids, so they take as long
	verify       func(h Hash, pin []byte) bool // Hash.Verify; tests count the calls
	loginMu      sync.Mutex                    // one login at a time: a count is never raced
	mu           sync.Mutex                    // guards sessions
	sessions     map[string]*Session
}

// NewAuthenticator returns an Authenticator over store. It hashes a dummy PIN once
// (as long as one login takes), for the logins with an unknown staff id.
func NewAuthenticator(store *Store, o AuthOptions) (*Authenticator, error) {
	if store == nil {
		return nil, errors.New("staff: no store")
	}
	if o.Kiosk == "" {
		o.Kiosk = DefaultKiosk
	}
	if err := CheckID(o.Kiosk); err != nil {
		return nil, fmt.Errorf("staff: kiosk id: %w", err)
	}
	if o.Now == nil {
		o.Now = store.now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.AccountPolicy == (Policy{}) {
		o.AccountPolicy = DefaultAccountPolicy()
	}
	if o.KioskPolicy == (Policy{}) {
		o.KioskPolicy = DefaultKioskPolicy()
	}
	if err := errors.Join(o.AccountPolicy.check("account"), o.KioskPolicy.check("kiosk")); err != nil {
		return nil, err
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.MaxAge == 0 {
		o.MaxAge = DefaultMaxAge
	}
	if o.IdleTimeout < 0 || o.MaxAge < 0 {
		return nil, errors.New("staff: negative session length")
	}
	dummy, err := HashPIN([]byte("no account has this PIN"), store.params, nil)
	if err != nil {
		return nil, err
	}
	return &Authenticator{
		store: store, rec: o.Recorder, kiosk: o.Kiosk, now: o.Now, rand: o.Rand,
		account: o.AccountPolicy, kioskPolicy: o.KioskPolicy, idle: o.IdleTimeout, maxAge: o.MaxAge,
		dummy: dummy, verify: Hash.Verify, sessions: map[string]*Session{},
	}, nil
}

// Login checks a staff id and PIN and opens a session. Before the PIN is tried, a
// running back-off (*WaitError, matching ErrTooSoon) or a locked account (ErrLocked)
// refuses the attempt without counting it. Otherwise the attempt is counted as a
// failure first, on disk, for the account and for the kiosk, so that no crash or
// concurrent attempt gets a guess for free; a right PIN then clears both counts. A
// wrong PIN and an unknown id are both ErrBadCredentials and take the same time: an
// unknown id is hashed against a dummy. Every attempt is recorded through the
// Recorder, and a login that cannot be recorded opens no session (ErrRecord).
//
// The caller keeps pin and wipes it after the call; Login copies nothing of it.
func (a *Authenticator) Login(ctx context.Context, id string, pin []byte) (Session, error) {
	if a.rec == nil {
		return Session{}, ErrNoRecorder
	}
	if err := ctx.Err(); err != nil {
		return Session{}, err
	}
	a.loginMu.Lock()
	defer a.loginMu.Unlock()
	a.Sweep()

	now := a.now()
	var (
		acct    fileAccount
		known   bool
		refusal error
		reason  string
	)
	err := a.store.update(func(st *fileState) (bool, error) {
		if st.Kiosks == nil {
			st.Kiosks = map[string]counter{}
		}
		k := st.Kiosks[a.kiosk]
		if until := a.kioskPolicy.nextAttempt(k.Failures, k.LastFailure); now.Before(until) {
			refusal, reason = &WaitError{Scope: "kiosk", Until: until}, reasonKioskBackoff
			return false, nil
		}
		if i := st.find(id); i >= 0 {
			ac := &st.Accounts[i]
			acct, known = *ac, true
			if !ac.LockedAt.IsZero() || a.account.locks(ac.Failures) {
				refusal, reason = ErrLocked, reasonLocked
				return false, nil
			}
			if until := a.account.nextAttempt(ac.Failures, ac.LastFailure); now.Before(until) {
				refusal, reason = &WaitError{Scope: "account", Until: until}, reasonBackoff
				return false, nil
			}
			ac.fail(now)
			acct = *ac
		}
		k.fail(now)
		st.Kiosks[a.kiosk] = k
		return true, nil
	})
	if err != nil {
		return Session{}, err
	}
	if refusal != nil {
		if reason == reasonKioskBackoff {
			known = false
		}
		return Session{}, errors.Join(refusal, a.recordFailure(acct, known, reason))
	}

	if !known {
		a.verify(a.dummy, pin)
		return Session{}, errors.Join(ErrBadCredentials, a.recordFailure(acct, false, reasonUnknown))
	}
	h, err := ParsePHC(acct.PIN)
	if err != nil {
		return Session{}, fmt.Errorf("%w: account %s: %v", ErrCorrupt, acct.ID, err)
	}
	if !a.verify(h, pin) {
		return Session{}, a.failed(acct, now)
	}
	return a.succeeded(acct, h, pin, now)
}

// failed finishes a wrong PIN: the account is locked when the count reached the
// threshold, and both are recorded.
func (a *Authenticator) failed(acct fileAccount, now time.Time) error {
	errs := []error{ErrBadCredentials}
	if a.account.locks(acct.Failures) {
		err := a.store.update(func(st *fileState) (bool, error) {
			i := st.find(acct.ID)
			if i < 0 || !st.Accounts[i].LockedAt.IsZero() {
				return false, nil
			}
			st.Accounts[i].LockedAt = now
			return true, nil
		})
		errs = append(errs, err, a.recordFailure(acct, true, reasonWrongPIN), a.record(audit.Event{
			Actor:  audit.Actor{Kind: loginKind(acct.Roles), ID: acct.ID},
			Action: audit.ActionStaffLockedOut,
		}))
		return errors.Join(errs...)
	}
	return errors.Join(append(errs, a.recordFailure(acct, true, reasonWrongPIN))...)
}

// succeeded finishes a right PIN: the counts start again, a PIN hashed under older
// parameters is hashed again under the store's, the login is recorded and the
// session opened.
func (a *Authenticator) succeeded(acct fileAccount, h Hash, pin []byte, now time.Time) (Session, error) {
	var rehashed string
	if h.Params != a.store.params {
		if nh, err := HashPIN(pin, a.store.params, a.store.rand); err == nil {
			rehashed = nh.String()
		}
	}
	err := a.store.update(func(st *fileState) (bool, error) {
		if i := st.find(acct.ID); i >= 0 {
			st.Accounts[i].reset()
			if rehashed != "" && st.Accounts[i].PIN == acct.PIN {
				st.Accounts[i].PIN = rehashed
			}
		}
		k := st.Kiosks[a.kiosk]
		k.reset()
		st.Kiosks[a.kiosk] = k
		return true, nil
	})
	if err != nil {
		return Session{}, err
	}
	if err := a.record(audit.Event{
		Actor:  audit.Actor{Kind: loginKind(acct.Roles), ID: acct.ID},
		Action: audit.ActionStaffLogin,
	}); err != nil {
		return Session{}, err
	}
	var raw [32]byte
	if _, err := io.ReadFull(a.rand, raw[:]); err != nil {
		return Session{}, fmt.Errorf("staff: session id: %w", err)
	}
	s := &Session{
		ID:      base64.RawURLEncoding.EncodeToString(raw[:]),
		StaffID: acct.ID,
		Name:    acct.Name,
		Roles:   slices.Clone(acct.Roles),
		Started: now, LastUsed: now,
	}
	a.mu.Lock()
	a.sessions[s.ID] = s
	a.mu.Unlock()
	return a.view(s), nil
}

// recordFailure records a refused login: under the account when the staff id is
// known, else under this component, never with what was typed.
func (a *Authenticator) recordFailure(acct fileAccount, known bool, reason string) error {
	actor := audit.Actor{Kind: audit.ActorSystem, ID: auditComponent}
	if known {
		actor = audit.Actor{Kind: loginKind(acct.Roles), ID: acct.ID}
	}
	return a.record(audit.Event{
		Actor:   actor,
		Action:  audit.ActionStaffLoginFailed,
		Details: map[string]string{audit.DetailReason: reason},
	})
}

func (a *Authenticator) record(ev audit.Event) error {
	if _, err := a.rec.Append(ev); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrRecord, ev.Action, err)
	}
	return nil
}

// Authorize checks that the session may take action and returns the actor to record
// the action under in the audit log: the staff id, with the kind of the role that
// allows it. It refuses an unknown or closed session (ErrNoSession), one idle or old
// beyond its limits, or whose account was removed or locked since (ErrSessionExpired,
// and the session is closed), and an action none of its roles may take
// (ErrForbidden). An allowed action counts as use: the idle timeout starts again.
func (a *Authenticator) Authorize(sessionID string, action Action) (audit.Actor, error) {
	s, err := a.use(sessionID, func(s Session) error {
		if !action.Known() {
			return fmt.Errorf("%w: unknown action %q", ErrForbidden, action)
		}
		if !Allowed(s.Roles, action) {
			return fmt.Errorf("%w: %s (%s) may not %s", ErrForbidden, s.StaffID, joinRoles(s.Roles), action)
		}
		return nil
	})
	if err != nil {
		return audit.Actor{}, err
	}
	kind, _ := actionKind(s.Roles, action)
	return audit.Actor{Kind: kind, ID: s.StaffID}, nil
}

// Touch keeps a session open while its owner uses the staff screens without taking
// an action, and returns it; it fails as Authorize does.
func (a *Authenticator) Touch(sessionID string) (Session, error) {
	return a.use(sessionID, func(Session) error { return nil })
}

// use finds a live session, runs check on it and, when check passes, marks it used.
func (a *Authenticator) use(sessionID string, check func(s Session) error) (Session, error) {
	now := a.now()
	a.mu.Lock()
	s, ok := a.sessions[sessionID]
	var snap Session
	if ok {
		snap = a.view(s)
	}
	a.mu.Unlock()
	if !ok {
		return Session{}, ErrNoSession
	}
	if !now.Before(snap.Expires) {
		a.end(sessionID)
		return Session{}, ErrSessionExpired
	}
	acct, err := a.store.Account(snap.StaffID)
	if errors.Is(err, ErrNotFound) || err == nil && (acct.Locked || a.account.locks(acct.Failures)) {
		a.end(sessionID)
		return Session{}, fmt.Errorf("%w: the account was removed or locked", ErrSessionExpired)
	}
	if err != nil {
		return Session{}, err
	}
	if err := check(snap); err != nil {
		return Session{}, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.sessions[sessionID]; !ok {
		return Session{}, ErrNoSession // logged out meanwhile
	}
	s.LastUsed = now
	return a.view(s), nil
}

// Logout closes the session and records it.
func (a *Authenticator) Logout(sessionID string) error {
	s, ok := a.end(sessionID)
	if !ok {
		return ErrNoSession
	}
	return a.record(audit.Event{
		Actor:  audit.Actor{Kind: loginKind(s.Roles), ID: s.StaffID},
		Action: audit.ActionStaffLogout,
	})
}

// Unlock unlocks the account staffID for an administrator's session and records it
// as a configuration change of the setting staff.<id>.lock.
func (a *Authenticator) Unlock(sessionID, staffID string) error {
	actor, err := a.Authorize(sessionID, ActionManageStaff)
	if err != nil {
		return err
	}
	if err := a.store.Unlock(staffID); err != nil {
		return err
	}
	return a.record(audit.Event{
		Actor:   actor,
		Action:  audit.ActionConfigurationChanged,
		Details: map[string]string{audit.DetailSetting: "staff." + staffID + ".lock"},
	})
}

// end removes a session.
func (a *Authenticator) end(sessionID string) (Session, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.sessions[sessionID]
	if !ok {
		return Session{}, false
	}
	delete(a.sessions, sessionID)
	return *s, true
}

// Sweep closes every session that has expired, so that a staff member's name does
// not stay in memory until someone uses the session again. The kiosk calls it from
// its idle timer; Login sweeps too.
func (a *Authenticator) Sweep() {
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	for id, s := range a.sessions {
		if !now.Before(a.expires(s)) {
			delete(a.sessions, id)
		}
	}
}

func (a *Authenticator) expires(s *Session) time.Time {
	idle, age := s.LastUsed.Add(a.idle), s.Started.Add(a.maxAge)
	if idle.Before(age) {
		return idle
	}
	return age
}

// view returns a copy of s for the caller, with its expiry.
func (a *Authenticator) view(s *Session) Session {
	out := *s
	out.Roles = slices.Clone(s.Roles)
	out.Expires = a.expires(s)
	return out
}
