package staff

// lockout.go: back-off and lock-out after failed logins, counted per account and per
// kiosk.

import (
	"fmt"
	"time"
)

// Policy says how failed logins in a row are answered: from BackoffAfter failures on,
// the next attempt is heard only BackoffBase·2^(failures−BackoffAfter) after the last
// failure, at most BackoffCap; at LockAfter failures the account is locked until an
// administrator unlocks it. A successful login starts the count again.
type Policy struct {
	// BackoffAfter is the number of failures in a row from which attempts wait;
	// 0: never.
	BackoffAfter int
	// LockAfter is the number of failures in a row that locks; 0: never. Only
	// accounts are locked: a kiosk is never, or any visitor could take the staff
	// functions of the kiosk away.
	LockAfter int
	// BackoffBase is the first wait; BackoffCap the longest.
	BackoffBase, BackoffCap time.Duration
}

// DefaultAccountPolicy answers failures of one account: from the 5th in a row, a wait
// of 30 s doubling to 8 min; the 10th locks the account. Reaching the lock takes a
// guesser about a quarter of an hour and ten guesses.
func DefaultAccountPolicy() Policy {
	return Policy{BackoffAfter: 5, LockAfter: 10, BackoffBase: 30 * time.Second, BackoffCap: 15 * time.Minute}
}

// DefaultKioskPolicy answers failures at one kiosk, whatever staff ids were typed:
// from the 5th in a row, a wait of 30 s doubling to 15 min, and no lock. It bounds
// guessing across many staff ids to about a hundred attempts a day.
func DefaultKioskPolicy() Policy {
	return Policy{BackoffAfter: 5, BackoffBase: 30 * time.Second, BackoffCap: 15 * time.Minute}
}

func (p Policy) check(what string) error {
	switch {
	case p.BackoffAfter < 0 || p.LockAfter < 0:
		return fmt.Errorf("staff: %s policy: negative threshold", what)
	case p.BackoffAfter > 0 && (p.BackoffBase <= 0 || p.BackoffCap < p.BackoffBase):
		return fmt.Errorf("staff: %s policy: back-off needs 0 < base <= cap", what)
	}
	return nil
}

// nextAttempt returns when an attempt is heard again after failures in a row, the
// last at last; the zero time when no back-off runs.
func (p Policy) nextAttempt(failures int, last time.Time) time.Time {
	if p.BackoffAfter <= 0 || failures < p.BackoffAfter {
		return time.Time{}
	}
	wait := p.BackoffCap
	if n := failures - p.BackoffAfter; n < 62 {
		if d := p.BackoffBase << n; d > 0 && d>>n == p.BackoffBase && d < wait {
			wait = d
		}
	}
	return last.Add(wait)
}

// locks reports whether failures in a row lock the account.
func (p Policy) locks(failures int) bool { return p.LockAfter > 0 && failures >= p.LockAfter }

// counter is a run of failures: how many, and when the last one was.
type counter struct {
	Failures    int       `json:"failures,omitempty"`
	LastFailure time.Time `json:"last_failure,omitzero"`
}

func (c *counter) fail(now time.Time) { c.Failures++; c.LastFailure = now }

func (c *counter) reset() { *c = counter{} }
