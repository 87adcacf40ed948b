package staff

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/audit"
)

func TestLogin(t *testing.T) {
	r := newRig(t, AuthOptions{})
	s := r.login(t, "clerk-2")
	want := Session{
		ID: s.ID, StaffID: "clerk-2", Name: "Pille Saar", Roles: []Role{RoleClerk, RoleCommissionMember},
		Started: start, LastUsed: start, Expires: start.Add(DefaultIdleTimeout),
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Login(clerk-2) = %+v, want %+v", s, want)
	}
	if len(s.ID) != 43 {
		t.Errorf("session id %q is %d characters, want 43 (256 bits)", s.ID, len(s.ID))
	}
	if other := r.login(t, "clerk-2"); other.ID == s.ID {
		t.Error("two logins got the same session id")
	}
	if got := r.rec.last(); got != "commission-member/clerk-2 staff-login" {
		t.Errorf("recorded %q, want commission-member/clerk-2 staff-login", got)
	}
}

func TestWrongPINAndUnknownID(t *testing.T) {
	r := newRig(t, AuthOptions{})
	verified := 0
	r.auth.verify = func(h Hash, pin []byte) bool { verified++; return h.Verify(pin) }

	_, wrong := r.auth.Login(t.Context(), "lib-1", []byte("482917"))
	_, unknown := r.auth.Login(t.Context(), "lib-99", []byte("482916"))
	_, typedPIN := r.auth.Login(t.Context(), "482916", []byte("482916"))
	for _, err := range []error{wrong, unknown, typedPIN} {
		if !errors.Is(err, ErrBadCredentials) || err.Error() != ErrBadCredentials.Error() {
			t.Errorf("Login refused with %q, want exactly %q", err, ErrBadCredentials)
		}
	}
	if verified != 3 {
		t.Errorf("%d PIN hashes computed for 3 attempts, want one each (an unknown id is hashed too)", verified)
	}
	want := []string{
		"librarian/lib-1 staff-login-failed wrong-pin",
		"system/staff-login staff-login-failed unknown-account",
		"system/staff-login staff-login-failed unknown-account",
	}
	if got := r.rec.summary(); !reflect.DeepEqual(got, want) {
		t.Errorf("recorded %q, want %q", got, want)
	}
	if a, _ := r.store.Account("lib-1"); a.Failures != 1 {
		t.Errorf("lib-1 failures = %d, want 1", a.Failures)
	}
}

// TestCountedBeforeVerified: when the PIN is checked, the attempt is already on disk
// as a failure, for the account and the kiosk; a crash then loses no count.
func TestCountedBeforeVerified(t *testing.T) {
	r := newRig(t, AuthOptions{})
	var during *fileState
	r.auth.verify = func(h Hash, pin []byte) bool {
		st, err := r.store.load()
		if err != nil {
			t.Fatal(err)
		}
		during = st
		return h.Verify(pin)
	}
	r.login(t, "lib-1")
	if during == nil {
		t.Fatal("the PIN was not verified")
	}
	if i := during.find("lib-1"); during.Accounts[i].Failures != 1 || during.Kiosks[DefaultKiosk].Failures != 1 {
		t.Errorf("while verifying, failures on disk = account %d, kiosk %d; want 1 and 1",
			during.Accounts[during.find("lib-1")].Failures, during.Kiosks[DefaultKiosk].Failures)
	}
	if a, _ := r.store.Account("lib-1"); a.Failures != 0 {
		t.Errorf("after a right PIN, failures = %d, want 0", a.Failures)
	}
}

// TestAccountBackoffAndLock walks one account to its lock with the default account
// policy: four failures are free, the fifth starts a back-off of 30 s that doubles,
// the tenth locks until an administrator unlocks; refused attempts are not counted
// and a right PIN is not heard during a wait or a lock.
func TestAccountBackoffAndLock(t *testing.T) {
	noKioskLimit := Policy{BackoffAfter: 1000, BackoffBase: time.Second, BackoffCap: time.Second}
	r := newRig(t, AuthOptions{KioskPolicy: noKioskLimit})
	wrong := []byte("000001")
	ctx := t.Context()
	for i := 1; i <= 5; i++ {
		if _, err := r.auth.Login(ctx, "lib-1", wrong); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d = %v, want ErrBadCredentials", i, err)
		}
	}
	waits := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}
	for i, wait := range waits {
		failures := 5 + i
		_, err := r.auth.Login(ctx, "lib-1", []byte(pinOf("lib-1")))
		var we *WaitError
		if !errors.As(err, &we) || !errors.Is(err, ErrTooSoon) || we.Scope != "account" || !we.Until.Equal(r.clock.Now().Add(wait)) {
			t.Fatalf("after %d failures, Login(right PIN) = %v, want a wait of %v for the account", failures, err, wait)
		}
		r.clock.Advance(wait - time.Second)
		if _, err := r.auth.Login(ctx, "lib-1", wrong); !errors.Is(err, ErrTooSoon) {
			t.Fatalf("after %d failures, 1 s before the wait ends: %v, want ErrTooSoon", failures, err)
		}
		if a, _ := r.store.Account("lib-1"); a.Failures != failures {
			t.Fatalf("refused attempts were counted: %d failures, want %d", a.Failures, failures)
		}
		r.clock.Advance(time.Second)
		_, err = r.auth.Login(ctx, "lib-1", wrong)
		if !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d after the wait = %v, want ErrBadCredentials", failures+1, err)
		}
	}
	a, _ := r.store.Account("lib-1")
	if a.Failures != 10 || !a.Locked || !a.LockedAt.Equal(r.clock.Now()) {
		t.Fatalf("after 10 failures, account = %+v, want locked now", a)
	}
	if got := r.rec.summary(); got[len(got)-1] != "librarian/lib-1 staff-locked-out" {
		t.Errorf("last records %q, want staff-locked-out", got[len(got)-2:])
	}
	r.clock.Advance(30 * 24 * time.Hour)
	if _, err := r.auth.Login(ctx, "lib-1", []byte(pinOf("lib-1"))); !errors.Is(err, ErrLocked) {
		t.Fatalf("a month later, Login(right PIN) = %v, want ErrLocked", err)
	}
	if got := r.rec.last(); got != "librarian/lib-1 staff-login-failed locked" {
		t.Errorf("recorded %q, want the locked refusal", got)
	}

	// A restart keeps the lock; an administrator's unlock lifts it.
	r.reopen(t, AuthOptions{KioskPolicy: noKioskLimit})
	if _, err := r.auth.Login(ctx, "lib-1", []byte(pinOf("lib-1"))); !errors.Is(err, ErrLocked) {
		t.Fatalf("after a restart, Login(right PIN) = %v, want ErrLocked", err)
	}
	if err := r.store.Unlock("lib-1"); err != nil {
		t.Fatal(err)
	}
	r.login(t, "lib-1")
}

// TestSuccessStartsCountAgain: failures need to be in a row.
func TestSuccessStartsCountAgain(t *testing.T) {
	r := newRig(t, AuthOptions{})
	for range 3 {
		for range 4 {
			r.auth.Login(t.Context(), "lib-1", []byte("000001"))
		}
		r.login(t, "lib-1")
	}
	if a, _ := r.store.Account("lib-1"); a.Failures != 0 || a.Locked {
		t.Errorf("after 12 failures in runs of 4, account = %+v, want no failures", a)
	}
}

// TestKioskBackoff: failures across staff ids, known or not, slow the kiosk down for
// everyone; another kiosk sharing the store is not slowed; a kiosk is never locked.
func TestKioskBackoff(t *testing.T) {
	r := newRig(t, AuthOptions{Kiosk: "lib-3"})
	ids := []string{"x1", "lib-1", "clerk-1", "x2", "admin-1"}
	for _, id := range ids {
		if _, err := r.auth.Login(t.Context(), id, []byte("000001")); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("Login(%s) = %v, want ErrBadCredentials", id, err)
		}
	}
	_, err := r.auth.Login(t.Context(), "member-1", []byte(pinOf("member-1")))
	var we *WaitError
	if !errors.As(err, &we) || we.Scope != "kiosk" || !we.Until.Equal(start.Add(30*time.Second)) {
		t.Fatalf("after 5 failures at the kiosk, Login(member-1, right PIN) = %v, want a kiosk wait of 30 s", err)
	}
	if got := r.rec.last(); got != "system/staff-login staff-login-failed kiosk-backoff" {
		t.Errorf("recorded %q, want the kiosk back-off under system/staff-login", got)
	}
	other := r.newAuth(t, AuthOptions{Kiosk: "lib-4"})
	if _, err := other.Login(t.Context(), "member-1", []byte(pinOf("member-1"))); err != nil {
		t.Errorf("at another kiosk, Login(member-1) = %v", err)
	}
	// Keep failing: the wait grows to its cap, and never becomes a lock.
	for range 20 {
		_, err := r.auth.Login(t.Context(), "x3", []byte("000001"))
		if errors.As(err, &we) {
			r.clock.Advance(we.Until.Sub(r.clock.Now()))
			continue
		}
		if !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("Login(x3) = %v", err)
		}
	}
	_, err = r.auth.Login(t.Context(), "x3", []byte("000001"))
	if !errors.As(err, &we) || we.Until.Sub(r.clock.Now()) != 15*time.Minute {
		t.Errorf("after many failures, the kiosk wait = %v, want the 15 min cap", err)
	}
	r.clock.Advance(15 * time.Minute)
	s := r.login(t, "member-1")
	if s.StaffID != "member-1" {
		t.Errorf("after the wait, Login(member-1) = %+v", s)
	}
	// A success at the kiosk starts its count again.
	if _, err := r.auth.Login(t.Context(), "x4", []byte("000001")); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("after a success, Login(x4) = %v, want a plain ErrBadCredentials", err)
	}
}

// TestBackoffSurvivesRestart: the counts are on disk, so a restart in the middle of a
// back-off changes nothing.
func TestBackoffSurvivesRestart(t *testing.T) {
	r := newRig(t, AuthOptions{})
	for range 5 {
		r.auth.Login(t.Context(), "lib-1", []byte("000001"))
	}
	r.reopen(t, AuthOptions{})
	if _, err := r.auth.Login(t.Context(), "lib-1", []byte(pinOf("lib-1"))); !errors.Is(err, ErrTooSoon) {
		t.Errorf("after 5 failures and a restart, Login = %v, want ErrTooSoon", err)
	}
	r.clock.Advance(30 * time.Second)
	r.login(t, "lib-1")
}

func TestSessionIdleTimeout(t *testing.T) {
	r := newRig(t, AuthOptions{IdleTimeout: 2 * time.Minute})
	s := r.login(t, "lib-1")
	for range 5 {
		r.clock.Advance(2*time.Minute - time.Second)
		if _, err := r.auth.Authorize(s.ID, ActionReprint); err != nil {
			t.Fatalf("used within the idle timeout: %v", err)
		}
	}
	got, err := r.auth.Touch(s.ID)
	if err != nil || !got.Expires.Equal(r.clock.Now().Add(2*time.Minute)) {
		t.Errorf("Touch = %+v, %v; want it to expire 2 min from now", got, err)
	}
	r.clock.Advance(2 * time.Minute)
	if _, err := r.auth.Authorize(s.ID, ActionReprint); !errors.Is(err, ErrSessionExpired) {
		t.Fatalf("idle for 2 min: %v, want ErrSessionExpired", err)
	}
	if _, err := r.auth.Authorize(s.ID, ActionReprint); !errors.Is(err, ErrNoSession) {
		t.Errorf("after expiry: %v, want ErrNoSession", err)
	}
}

func TestSessionMaxAge(t *testing.T) {
	r := newRig(t, AuthOptions{IdleTimeout: 10 * time.Minute, MaxAge: time.Hour})
	s := r.login(t, "clerk-1")
	for elapsed := time.Duration(0); elapsed < time.Hour-5*time.Minute; elapsed += 5 * time.Minute {
		r.clock.Advance(5 * time.Minute)
		got, err := r.auth.Touch(s.ID)
		if err != nil {
			t.Fatalf("used every 5 min, at %v: %v", elapsed+5*time.Minute, err)
		}
		if want := minTime(r.clock.Now().Add(10*time.Minute), start.Add(time.Hour)); !got.Expires.Equal(want) {
			t.Fatalf("Expires = %v, want %v", got.Expires, want)
		}
	}
	r.clock.Advance(5 * time.Minute)
	if _, err := r.auth.Touch(s.ID); !errors.Is(err, ErrSessionExpired) {
		t.Errorf("an hour after login, in use: %v, want ErrSessionExpired", err)
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func TestSweep(t *testing.T) {
	r := newRig(t, AuthOptions{})
	r.login(t, "lib-1")
	r.login(t, "clerk-1")
	r.clock.Advance(DefaultIdleTimeout)
	r.auth.Sweep()
	if n := len(r.auth.sessions); n != 0 {
		t.Errorf("after Sweep, %d sessions in memory, want 0", n)
	}
}

// TestAuthorizeEveryAction logs each test account in and tries every action.
func TestAuthorizeEveryAction(t *testing.T) {
	r := newRig(t, AuthOptions{})
	want := wantPermissions()
	for _, acct := range testAccounts {
		s := r.login(t, acct.account.ID)
		for _, action := range Actions() {
			allowed := false
			for _, role := range acct.account.Roles {
				allowed = allowed || slices.Contains(want[role], action)
			}
			actor, err := r.auth.Authorize(s.ID, action)
			switch {
			case allowed && err != nil:
				t.Errorf("%s: Authorize(%s) = %v, want allowed", acct.account.ID, action, err)
			case allowed && (actor.ID != acct.account.ID || !actor.Kind.Known()):
				t.Errorf("%s: Authorize(%s) actor = %+v", acct.account.ID, action, actor)
			case !allowed && !errors.Is(err, ErrForbidden):
				t.Errorf("%s: Authorize(%s) = %+v, %v; want ErrForbidden", acct.account.ID, action, actor, err)
			}
		}
		if _, err := r.auth.Authorize(s.ID, Action("drop-tables")); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s: Authorize(unknown action) = %v, want ErrForbidden", acct.account.ID, err)
		}
	}
	if _, err := r.auth.Authorize("no-such-session", ActionReprint); !errors.Is(err, ErrNoSession) {
		t.Errorf("Authorize(unknown session) = %v, want ErrNoSession", err)
	}
}

func TestLogout(t *testing.T) {
	r := newRig(t, AuthOptions{})
	s := r.login(t, "admin-1")
	if err := r.auth.Logout(s.ID); err != nil {
		t.Fatal(err)
	}
	if got := r.rec.last(); got != "administrator/admin-1 staff-logout" {
		t.Errorf("recorded %q, want administrator/admin-1 staff-logout", got)
	}
	if _, err := r.auth.Authorize(s.ID, ActionConfigure); !errors.Is(err, ErrNoSession) {
		t.Errorf("after Logout, Authorize = %v, want ErrNoSession", err)
	}
	if err := r.auth.Logout(s.ID); !errors.Is(err, ErrNoSession) {
		t.Errorf("Logout twice = %v, want ErrNoSession", err)
	}
}

// TestSessionEndsWithAccount: removing or locking an account ends its sessions.
func TestSessionEndsWithAccount(t *testing.T) {
	r := newRig(t, AuthOptions{IdleTimeout: 3 * time.Hour, MaxAge: 24 * time.Hour})
	lib := r.login(t, "lib-1")
	clerk := r.login(t, "clerk-1")
	if err := r.store.Remove("lib-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.auth.Authorize(lib.ID, ActionReprint); !errors.Is(err, ErrSessionExpired) {
		t.Errorf("account removed: Authorize = %v, want ErrSessionExpired", err)
	}
	for range 10 {
		r.auth.Login(t.Context(), "clerk-1", []byte("000001"))
		r.clock.Advance(10 * time.Minute)
	}
	if a, _ := r.store.Account("clerk-1"); !a.Locked {
		t.Fatalf("clerk-1 = %+v, want locked", a)
	}
	if _, err := r.auth.Authorize(clerk.ID, ActionReprint); !errors.Is(err, ErrSessionExpired) || !strings.Contains(err.Error(), "locked") {
		t.Errorf("account locked: Authorize = %v, want ErrSessionExpired for the lock", err)
	}
	if _, err := r.auth.Touch(clerk.ID); !errors.Is(err, ErrNoSession) {
		t.Errorf("after the lock ended it, Touch = %v, want ErrNoSession", err)
	}
}

func TestUnlockBySession(t *testing.T) {
	r := newRig(t, AuthOptions{KioskPolicy: Policy{BackoffAfter: 1000, BackoffBase: time.Second, BackoffCap: time.Second}})
	for range 10 {
		r.auth.Login(t.Context(), "lib-1", []byte("000001"))
		r.clock.Advance(10 * time.Minute)
	}
	clerk := r.login(t, "clerk-1")
	if err := r.auth.Unlock(clerk.ID, "lib-1"); !errors.Is(err, ErrForbidden) {
		t.Errorf("a clerk's Unlock = %v, want ErrForbidden", err)
	}
	admin := r.login(t, "admin-1")
	if err := r.auth.Unlock(admin.ID, "lib-1"); err != nil {
		t.Fatal(err)
	}
	if got := r.rec.last(); got != "administrator/admin-1 configuration-changed" {
		t.Errorf("recorded %q, want the unlock as a configuration change", got)
	}
	r.login(t, "lib-1")
}

func TestRecorderRequired(t *testing.T) {
	r := newRig(t, AuthOptions{})
	r.rec.fail = true
	if _, err := r.auth.Login(t.Context(), "lib-1", []byte(pinOf("lib-1"))); !errors.Is(err, ErrRecord) {
		t.Errorf("Login with a failing recorder = %v, want ErrRecord", err)
	}
	if n := len(r.auth.sessions); n != 0 {
		t.Errorf("%d sessions opened by a login that was not recorded", n)
	}
	_, err := r.auth.Login(t.Context(), "lib-1", []byte("000001"))
	if !errors.Is(err, ErrBadCredentials) || !errors.Is(err, ErrRecord) {
		t.Errorf("wrong PIN with a failing recorder = %v, want ErrBadCredentials and ErrRecord", err)
	}
	if a, _ := r.store.Account("lib-1"); a.Failures != 1 {
		t.Errorf("failures = %d, want the wrong PIN counted even so", a.Failures)
	}
	noRec, err := NewAuthenticator(r.store, AuthOptions{Now: r.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := noRec.Login(t.Context(), "lib-1", []byte(pinOf("lib-1"))); !errors.Is(err, ErrNoRecorder) {
		t.Errorf("Login without a recorder = %v, want ErrNoRecorder", err)
	}
}

// TestRehash: a PIN hashed under older parameters is hashed again at login.
func TestRehash(t *testing.T) {
	r := newRig(t, AuthOptions{})
	stronger := cheap()
	stronger.Time = 2
	var err error
	if r.store, err = OpenStore(r.dir, StoreOptions{Now: r.clock.Now, Params: stronger}); err != nil {
		t.Fatal(err)
	}
	r.auth = r.newAuth(t, AuthOptions{})
	r.login(t, "lib-1")
	st, err := r.store.load()
	if err != nil {
		t.Fatal(err)
	}
	h, err := ParsePHC(st.Accounts[st.find("lib-1")].PIN)
	if err != nil || h.Params != stronger || !h.Verify([]byte(pinOf("lib-1"))) {
		t.Errorf("after login, lib-1's hash = %+v, %v; want t=2 and the same PIN", h.Params, err)
	}
	if h2, _ := ParsePHC(st.Accounts[st.find("clerk-1")].PIN); h2.Params != cheap() {
		t.Errorf("clerk-1 did not log in, yet its hash changed to %+v", h2.Params)
	}
}

// TestWithAuditLog runs logins through a real audit log: the chain verifies, holds
// the expected entries, and neither the log nor any other file holds a PIN, and the
// log holds no display name.
func TestWithAuditLog(t *testing.T) {
	r := newRig(t, AuthOptions{})
	log, err := audit.Open(t.Context(), r.dir, audit.Options{Now: r.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	auth := r.newAuth(t, AuthOptions{Recorder: log})
	for _, a := range testAccounts {
		s, err := auth.Login(t.Context(), a.account.ID, []byte(a.pin))
		if err != nil {
			t.Fatalf("Login(%s) = %v", a.account.ID, err)
		}
		if err := auth.Logout(s.ID); err != nil {
			t.Fatal(err)
		}
	}
	auth.Login(t.Context(), "lib-1", []byte("605193"))
	auth.Login(t.Context(), "913372", []byte("913372"))
	rep, err := audit.VerifyDir(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Entries != 2*len(testAccounts)+2 {
		t.Errorf("audit log has %d entries, want %d", rep.Entries, 2*len(testAccounts)+2)
	}
	raw, err := os.ReadFile(filepath.Join(r.dir, audit.LogName))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"actor":{"kind":"administrator","id":"admin-1"},"action":"staff-login"`,
		`"actor":{"kind":"librarian","id":"lib-1"},"action":"staff-login-failed","details":{"reason":"wrong-pin"}`,
		`"actor":{"kind":"system","id":"staff-login"},"action":"staff-login-failed","details":{"reason":"unknown-account"}`,
	} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("audit.log has no %s", want)
		}
	}
	for _, a := range testAccounts {
		for _, part := range strings.Fields(a.account.Name) {
			if strings.Contains(string(raw), part) {
				t.Errorf("audit.log holds %q of a display name", part)
			}
		}
	}
	entries, _ := os.ReadDir(r.dir)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(r.dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, pin := range []string{"605193", "913372", "482916", "731905", "650284", "270648"} {
			if strings.Contains(string(data), pin) {
				t.Errorf("%s holds the PIN %s", e.Name(), pin)
			}
		}
	}
}
