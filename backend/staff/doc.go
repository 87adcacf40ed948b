// Package staff is staff authentication at the kiosk: accounts with roles, PINs kept
// only as argon2id hashes, back-off and lock-out after failed logins, sessions that
// expire, and the check, in the backend, of every staff action against the roles
// (DESIGN.md §1; issue 7, part 5).
//
//	store, err := staff.OpenStore(dataDir, staff.StoreOptions{})
//	if err != nil {
//		return err
//	}
//	auth, err := staff.NewAuthenticator(store, staff.AuthOptions{Recorder: auditLog, Kiosk: "lib-3"})
//	if err != nil {
//		return err
//	}
//	s, err := auth.Login(ctx, "anna.k", pin) // then clear(pin)
//	…
//	actor, err := auth.Authorize(s.ID, staff.ActionReprint)
//	if err != nil {
//		return err // ErrForbidden, ErrSessionExpired, ErrNoSession
//	}
//	auditLog.Append(audit.Event{Actor: actor, Action: audit.ActionReprinted, …})
//
// # Accounts and the store
//
// An account has a staff id (a short token, recorded in the audit log), a display
// name for staff screens only, one or more roles (librarian, clerk,
// commission-member, administrator) and a PIN. The store is one JSON file in the data
// folder, staff.json, mode 0600 and refused when others may read it, replaced
// atomically on each change while staff.lock is held, so that `certkiosk staff` and
// the running kiosk can both change it. It holds the PIN hashes, never a PIN, and
// the failure counts, so a restart does not reset a back-off or a lock.
//
// # PINs
//
// A PIN is 6 to 64 characters, not one character repeated nor a straight run of
// digits (CheckPIN). It is hashed with argon2id (RFC 9106) under DefaultParams —
// t=3, m=64 MiB, p=4, RFC 9106 §4's second recommended option — with a 16-byte
// random salt and kept as a PHC string, $argon2id$v=19$m=65536,t=3,p=4$salt$tag
// (ParsePHC reads exactly that form, within bounds). Verification recomputes the tag
// and compares it with crypto/subtle.ConstantTimeCompare. A hash under other
// parameters is replaced at the next successful login.
//
// # Failed logins
//
// Failures in a row are counted per account and per kiosk (Policy). With the
// defaults, from the 5th failure an attempt is heard only after a wait of 30 s that
// doubles with each failure; the 10th failure of an account locks it until an
// administrator unlocks it (Store.Unlock, `certkiosk staff unlock ID`, or
// Authenticator.Unlock). A kiosk is slowed down but never locked. An attempt is
// counted before its PIN is checked, so a crash in between counts as a failure. An
// unknown staff id and a wrong PIN give the same error after the same work.
//
// # Sessions and roles
//
// A session ends after 3 idle minutes or 4 hours (AuthOptions), on Logout, or when
// its account is removed or locked. Authorize looks an action up in Permissions and
// returns the audit actor to record it under. Sessions live only in memory.
//
// # Audit
//
// Login records staff-login, staff-login-failed (with a reason: wrong-pin,
// unknown-account, locked, backoff, kiosk-backoff) and staff-locked-out through the
// Recorder, an *audit.Log in the kiosk. A failure before an account is known is
// recorded under the actor system/staff-login: the text typed as a staff id is never
// recorded, since it may be a PIN typed into the wrong field. Display names and PINs
// are never recorded and never logged; this package logs nothing.
package staff
