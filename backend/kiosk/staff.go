// staff.go: the staff screens — unlock with a PIN, type an identifier for a
// visitor, and look after the queue. Every method checks the role in the backend
// (staff.Authenticator.Authorize) and records what it did in the audit log.

package kiosk

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/identity"
	"certkiosk/backend/queue"
	"certkiosk/backend/registry"
	"certkiosk/backend/staff"
)

// WaitError is StaffUnlock's refusal while a back-off after failed logins runs. It
// matches ErrTryLater, and its message is the code with the whole seconds until the
// next attempt is heard, "try-later: 30", which the staff screens turn into "try
// again in 30 s".
type WaitError struct {
	Seconds int
}

func (e *WaitError) Error() string { return fmt.Sprintf("%s: %d", ErrTryLater, e.Seconds) }

// Is makes every WaitError match ErrTryLater.
func (e *WaitError) Is(target error) bool { return target == ErrTryLater }

// StaffUnlock unlocks the staff screens for a staff member with their PIN. During a
// back-off it fails with a *WaitError.
func (a *App) StaffUnlock(staffID, pin string) error {
	if a.svc == nil {
		return ErrNotReady
	}
	if a.svc.setup.Staff.Disabled {
		return ErrForbidden // no staff functions at this kiosk: no PIN is checked
	}
	s, err := a.svc.auth.Login(context.Background(), staffID, []byte(pin))
	switch {
	case errors.Is(err, staff.ErrBadCredentials):
		return ErrWrongPIN
	case errors.Is(err, staff.ErrLocked):
		return ErrLockedOut
	case errors.Is(err, staff.ErrTooSoon):
		var wait *staff.WaitError
		if !errors.As(err, &wait) {
			return ErrTryLater
		}
		return &WaitError{Seconds: waitSeconds(wait.Until.Sub(a.clock.Now()))}
	case err != nil:
		a.log.Error("kiosk: staff login failed", "err", err)
		return ErrInternal
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	a.lockStaffLocked()
	a.staffSess = &s
	roles := []string{}
	for _, r := range s.Roles {
		roles = append(roles, string(r))
	}
	a.st.Staff = &StaffView{ID: s.StaffID, Name: s.Name, Roles: roles}
	a.commitLocked()
	return nil
}

// waitSeconds is d in whole seconds, rounded up so that the wait shown never ends
// before the back-off does, and at least 1: a refusal never says "try again in 0 s".
func waitSeconds(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}

// StaffLock locks the staff screens.
func (a *App) StaffLock() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	if a.staffSess != nil {
		a.lockStaffLocked()
		a.commitLocked()
	}
}

// lockStaffLocked ends the staff session, if one is open. a.mu is held.
func (a *App) lockStaffLocked() {
	if a.staffSess != nil && a.svc != nil {
		a.svc.auth.Logout(a.staffSess.ID)
	}
	a.staffSess = nil
	a.st.Staff = nil
}

// authorize checks that the unlocked staff member may take action, and returns the
// actor to record it under.
func (a *App) authorize(action staff.Action) (audit.Actor, error) {
	if a.svc == nil {
		return audit.Actor{}, ErrNotReady
	}
	a.mu.Lock()
	a.touchLocked()
	sess := a.staffSess
	a.mu.Unlock()
	if sess == nil {
		return audit.Actor{}, ErrNoSession
	}
	actor, err := a.svc.auth.Authorize(sess.ID, action)
	switch {
	case errors.Is(err, staff.ErrForbidden):
		return audit.Actor{}, ErrForbidden
	case errors.Is(err, staff.ErrNoSession), errors.Is(err, staff.ErrSessionExpired):
		a.mu.Lock()
		if a.staffSess == sess {
			a.lockStaffLocked()
			a.commitLocked()
		}
		a.mu.Unlock()
		return audit.Actor{}, ErrNoSession
	case err != nil:
		return audit.Actor{}, ErrInternal
	}
	return actor, nil
}

// identifierSystems are the systems staff type identifiers in, by the names the
// staff screen uses.
var identifierSystems = map[string]string{
	"ee-personal-code": registry.SystemEEPersonalCode,
	"snils":            registry.SystemSNILS,
	"oms":              registry.SystemOMS,
	"fin":              registry.SystemFIN,
}

// identifierLength is how many characters each system's identifier has, without
// separators (the OMS policy's single number).
var identifierLength = map[string]int{
	registry.SystemEEPersonalCode: 11,
	registry.SystemSNILS:          11,
	registry.SystemOMS:            16,
	registry.SystemFIN:            7,
}

// CheckIdentifier checks an identifier as staff type it: ok with its normalised
// form, or the problem ("length", "check-digit", "format", "date"). Only staff who
// may enter identifiers get an answer; others get the problem "forbidden".
func (a *App) CheckIdentifier(system, value string) IdentifierCheck {
	if _, err := a.authorize(staff.ActionEnterIdentifier); err != nil {
		return IdentifierCheck{Problem: err.Error()}
	}
	return checkIdentifier(system, value)
}

func checkIdentifier(system, value string) IdentifierCheck {
	sys, ok := identifierSystems[system]
	if !ok {
		return IdentifierCheck{Problem: "format"}
	}
	v, err := identity.Normalize(sys, value)
	if err == nil {
		return IdentifierCheck{OK: true, Normalized: v}
	}
	var inv *identity.InvalidError
	if !errors.As(err, &inv) {
		return IdentifierCheck{Problem: "format"}
	}
	stripped := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(value))
	switch {
	case strings.Contains(inv.Check, "check"):
		return IdentifierCheck{Problem: "check-digit"}
	case strings.Contains(inv.Check, "date"):
		return IdentifierCheck{Problem: "date"}
	case len(stripped) != identifierLength[sys]:
		return IdentifierCheck{Problem: "length"}
	}
	return IdentifierCheck{Problem: "format"}
}

// StaffIdentify fetches the records of a visitor whose identifier staff typed.
func (a *App) StaffIdentify(system, value string) error {
	actor, err := a.authorize(staff.ActionEnterIdentifier)
	if err != nil {
		return err
	}
	sys, ok := identifierSystems[system]
	if !ok {
		return ErrInvalidIdentifier
	}
	p, err := identity.FromStaffEntry(sys, value)
	if err != nil {
		return ErrInvalidIdentifier
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.st.Screen == ScreenFetching || a.st.Screen == ScreenPrinting {
		return ErrBusy
	}
	if a.st.Screen == ScreenAttract || a.st.Screen == ScreenLanguage {
		a.st.Screen = ScreenIdentify
	}
	return a.beginLocked(func(context.Context) (identity.Person, error) { return p, nil }, actor)
}

// QueueJobs lists the queue's jobs for staff, with no personal data.
func (a *App) QueueJobs() ([]JobView, error) {
	if _, err := a.authorize(staff.ActionQueueRetry); err != nil {
		return nil, err
	}
	jobs, err := a.svc.queue.List(context.Background())
	if err != nil {
		return nil, ErrInternal
	}
	out := []JobView{}
	for _, j := range jobs {
		v := JobView{
			ID: jobID(j.ID), Kind: string(j.Kind), State: string(j.State), Printer: j.Printer,
			Attempts: j.Attempts, LastError: j.LastError, CreatedAt: j.Created.UTC().Format("2006-01-02T15:04:05Z"),
		}
		if j.Kind == queue.KindPrint && v.Printer == "" {
			v.Printer = a.svc.printer
		}
		if j.Claimed {
			// Staff see that the request has a claim code, never the code.
			v.ClaimHash = "claimed"
		}
		out = append(out, v)
	}
	return out, nil
}

func jobID(id int64) string { return strconv.FormatInt(id, 10) }

func parseJobID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, ErrUnknown
	}
	return id, nil
}

// queueError maps the queue's errors to the codes staff screens show.
func queueError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, queue.ErrNotFound):
		return ErrUnknown
	case errors.Is(err, queue.ErrState):
		return ErrJobState
	case errors.Is(err, queue.ErrReprintExpired):
		return ErrReprintExpired
	case errors.Is(err, queue.ErrBadClaimCode):
		return ErrBadClaimCode
	}
	return ErrInternal
}

// RetryJob makes a parked or waiting job due now.
func (a *App) RetryJob(id string) error {
	if _, err := a.authorize(staff.ActionQueueRetry); err != nil {
		return err
	}
	n, err := parseJobID(id)
	if err != nil {
		return err
	}
	return queueError(a.svc.queue.Retry(context.Background(), n))
}

// CancelJob cancels a job that is not running, and what it started.
func (a *App) CancelJob(id string) error {
	actor, err := a.authorize(staff.ActionQueueCancel)
	if err != nil {
		return err
	}
	n, err := parseJobID(id)
	if err != nil {
		return err
	}
	if _, err := a.svc.queue.Cancel(context.Background(), n); err != nil {
		return queueError(err)
	}
	a.record(audit.Event{Actor: actor, Action: audit.ActionCancelled, Details: map[string]string{audit.DetailJob: id}})
	return nil
}

// MoveJob sends a job's documents not printed yet to another printer.
func (a *App) MoveJob(id, printer string) error {
	if _, err := a.authorize(staff.ActionQueueMove); err != nil {
		return err
	}
	n, err := parseJobID(id)
	if err != nil {
		return err
	}
	if u, err := url.Parse(printer); err != nil || u.Scheme == "" {
		return ErrUnknown
	}
	_, err = a.svc.queue.Move(context.Background(), n, printer)
	return queueError(err)
}

// ReprintJob prints a certificate or slip again, stamped COPY.
func (a *App) ReprintJob(id string) error {
	actor, err := a.authorize(staff.ActionReprint)
	if err != nil {
		return err
	}
	n, err := parseJobID(id)
	if err != nil {
		return err
	}
	copies, err := a.svc.queue.Reprint(context.Background(), a.svc.issuers, n, "")
	if err != nil {
		return queueError(err)
	}
	for _, c := range copies {
		a.record(audit.Event{Actor: actor, Action: audit.ActionReprinted, Details: map[string]string{audit.DetailJob: jobID(c.ID)}})
	}
	return nil
}

// ReleaseHeld prints the certificates held under a claim code, for a resident staff
// have identified themselves.
func (a *App) ReleaseHeld(claimCode string) error {
	actor, err := a.authorize(staff.ActionReleaseHeld)
	if err != nil {
		return err
	}
	ctx := context.Background()
	req, err := a.svc.queue.ClaimRequest(ctx, claimCode)
	if err != nil {
		return queueError(err)
	}
	n, err := a.svc.queue.Release(ctx, req.ID)
	if errors.Is(err, queue.ErrNotReady) {
		return ErrNotYet
	}
	if err != nil {
		return queueError(err)
	}
	if n == 0 {
		return ErrNothingHeld
	}
	a.record(audit.Event{Actor: actor, Action: audit.ActionReleased, Details: map[string]string{audit.DetailJob: jobID(req.ID)}})
	return nil
}

// Printers lists the printers and their state, for unlocked staff; empty otherwise.
func (a *App) Printers() []Device {
	if a.svc == nil {
		return []Device{}
	}
	a.mu.Lock()
	sess := a.staffSess
	a.mu.Unlock()
	if sess == nil {
		return []Device{}
	}
	if _, err := a.svc.auth.Touch(sess.ID); err != nil {
		return []Device{}
	}
	return a.printers()
}

// actorLocked is who the session's actions are recorded under: the staff member
// who typed the identifier, or the resident's session. a.mu is held.
func (a *App) actorLocked() audit.Actor {
	if a.sess != nil {
		return a.sess.actor
	}
	return audit.Actor{Kind: audit.ActorResidentSession, ID: "session"}
}

// record appends ev to the audit log; a failure is logged, without the event.
func (a *App) record(ev audit.Event) {
	if a.svc == nil {
		return
	}
	if _, err := a.svc.audit.Append(ev); err != nil {
		a.log.Error("kiosk: audit", "action", ev.Action, "err", err)
	}
}

// recordLocked is record with a.mu held (the log has its own lock).
func (a *App) recordLocked(ev audit.Event) { a.record(ev) }
