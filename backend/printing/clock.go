package printing

// clock.go: the time the poller and job following wait on, injected so that tests
// step it by hand.

import "time"

// Clock is a source of time and ticks.
type Clock interface {
	Now() time.Time
	// NewTicker returns a channel that receives a tick every d, and the function
	// that stops the ticks.
	NewTicker(d time.Duration) (<-chan time.Time, func())
}

// SystemClock returns the Clock of the system's time.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) NewTicker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}
