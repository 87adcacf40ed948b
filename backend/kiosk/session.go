// session.go: the session behind the State — what the kiosk holds about the
// resident while they are at the screen — and the long poll, the activity and the
// idle timeout that wipes it.

package kiosk

import (
	"context"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/identity"
	"certkiosk/backend/issuance"
	"certkiosk/backend/registry"
)

// Error is an error the frontend maps through its catalogue: its message is a
// stable code.
type Error string

func (e Error) Error() string { return string(e) }

// The codes the façade's methods fail with.
const (
	ErrNotReady          Error = "not-ready"          // the kiosk's services are not open
	ErrNotDemo           Error = "not-demo"           // a demo-only method on a kiosk that is not
	ErrBusy              Error = "busy"               // not possible on the screen shown now
	ErrUnknown           Error = "unknown"            // no such demo person, offer or job
	ErrInvalidIdentifier Error = "invalid-identifier" // an identifier that fails its check
	ErrNothingToPrint    Error = "nothing-to-print"
	ErrWrongPIN          Error = "wrong-pin"
	ErrLockedOut         Error = "locked-out" // the account is locked; an administrator unlocks it
	ErrTryLater          Error = "try-later"  // a back-off after failed logins is running
	ErrNoSession         Error = "no-session" // no staff member is unlocked, or the session expired
	ErrForbidden         Error = "forbidden"  // the unlocked staff member's roles do not allow it
	ErrClaimMismatch     Error = "claim-mismatch"
	ErrClaimLocked       Error = "claim-locked"
	ErrBadClaimCode      Error = "invalid-claim-code"
	ErrNotYet            Error = "not-ready-yet" // the request still waits for the registry
	ErrNothingHeld       Error = "nothing-held"
	ErrJobState          Error = "job-state" // the job is not in a state for that
	ErrReprintExpired    Error = "reprint-expired"
	ErrInternal          Error = "internal"
)

// session is what the kiosk holds about the resident at the screen. All of it is
// dropped when the session ends.
type session struct {
	key      string // the idempotency key the session's queue jobs are named after
	person   *identity.Person
	record   *registry.Record
	outcome  issuance.Outcome
	issuedAt time.Time
	printed  int // how many print requests the session made
	jobs     []sessionJob
	request  int64 // the queued request, when the registry was unreachable
	cancel   context.CancelFunc
	actor    audit.Actor // who the session's actions are recorded under
}

// sessionJob is a print job of the session.
type sessionJob struct {
	id   int64
	what string
}

// attractState is the state of a kiosk nobody uses.
func (a *App) attractState(profile string, demo bool) State {
	lang := "et"
	if len(a.languages) > 0 {
		lang = a.languages[0].Code
	}
	st := State{
		Seq:                a.st.Seq,
		Screen:             ScreenAttract,
		Language:           lang,
		Demo:               demo,
		Profile:            profile,
		IdleTimeoutSeconds: int(a.idle / time.Second),
		Offers:             []Offer{},
		Refusals:           []Refusal{},
		Devices:            a.st.Devices,
		DemoPeople:         []DemoPerson{},
	}
	if st.Devices == nil {
		st.Devices = []Device{}
	}
	if a.svc != nil && demo {
		st.DemoPeople = a.demoPeople()
	}
	return st
}

// commitLocked publishes a change of the state: seq increases and every Poll waiting
// returns. a.mu is held.
func (a *App) commitLocked() {
	a.st.Seq++
	close(a.changed)
	a.changed = make(chan struct{})
}

// touchLocked records resident activity. a.mu is held.
func (a *App) touchLocked() { a.activity = a.clock.Now() }

// Poll returns the state as soon as its seq is above after, or after at most a
// second with the state as it is. Each call is the page's heartbeat.
func (a *App) Poll(after uint64) State {
	a.mu.Lock()
	a.heartbeat = time.Now()
	a.checkIdleLocked()
	if a.st.Seq > after {
		st := a.snapshotLocked()
		a.mu.Unlock()
		return st
	}
	ch := a.changed
	a.mu.Unlock()
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.snapshotLocked()
}

// snapshotLocked copies the state, so that the caller's copy does not change under
// it. a.mu is held.
func (a *App) snapshotLocked() State {
	st := a.st
	st.IdleRemainingSeconds = 0
	if a.idleTimerLocked() {
		left := a.idle - a.clock.Now().Sub(a.activity)
		st.IdleRemainingSeconds = int(max(0, (left+time.Second-1)/time.Second))
	}
	st.Offers = append([]Offer{}, st.Offers...)
	st.Refusals = append([]Refusal{}, st.Refusals...)
	st.Devices = append([]Device{}, st.Devices...)
	st.DemoPeople = append([]DemoPerson{}, st.DemoPeople...)
	if st.Print != nil {
		p := *st.Print
		p.Jobs = append([]PrintJob{}, p.Jobs...)
		st.Print = &p
	}
	return st
}

// LastHeartbeat returns when the page last polled; the zero time before the first
// poll. The watchdog restarts a kiosk whose page stopped polling.
func (a *App) LastHeartbeat() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.heartbeat
}

// Touch records resident activity: a tap that calls no other method.
func (a *App) Touch() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
}

// checkIdleLocked ends the session when it has been idle for the idle timeout on
// any screen but attract. a.mu is held.
func (a *App) checkIdleLocked() {
	if !a.idleTimerLocked() {
		return
	}
	if a.clock.Now().Sub(a.activity) < a.idle {
		return
	}
	a.log.Info("session idle: wiped", "screen", a.st.Screen)
	a.wipeLocked()
}

// idleTimerLocked tells whether the idle timeout runs: on every screen but attract,
// and on attract while a staff member is unlocked. a.mu is held.
func (a *App) idleTimerLocked() bool {
	return a.st.Screen != ScreenAttract || a.staffSess != nil
}

// watch checks the idle timeout and follows the session's print jobs until ctx ends.
func (a *App) watch(ctx context.Context) {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		a.mu.Lock()
		a.checkIdleLocked()
		a.mu.Unlock()
		a.refreshPrint(ctx)
		a.refreshDevices()
	}
}

// wipeLocked ends the session: everything personal is dropped from the state and
// from memory (the record, the certificates and their PDFs), work still running for
// it is cancelled, staff are locked out, and the attract screen shows. a.mu is held.
func (a *App) wipeLocked() {
	if s := a.sess; s != nil {
		if s.cancel != nil {
			s.cancel()
		}
		for i := range s.outcome.Certificates {
			clear(s.outcome.Certificates[i].PDF)
		}
		clear(s.outcome.Slip)
		*s = session{}
	}
	a.sess = nil
	a.gen++
	a.lockStaffLocked()
	if a.svc != nil && a.svc.sim != nil {
		a.svc.sim.Reader().Remove(a.clock.Now())
	}
	profile, demo := a.st.Profile, a.st.Demo
	a.st = a.attractState(profile, demo)
	a.activity = a.clock.Now()
	a.commitLocked()
}

// Finish ends the session at once: back to attract, everything personal wiped.
func (a *App) Finish() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.wipeLocked()
}
