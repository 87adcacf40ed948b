package queue

// backoff.go: the wait before a job is tried again: exponential backoff with full jitter.

import (
	"math/rand/v2"
	"time"
)

// Backoff shapes the waits between attempts: before retry n (counting from 0) a
// duration drawn uniformly from [0, min(Cap, Base·2ⁿ)]. Drawing from the whole range
// ("full jitter") spreads out kiosks that lost the registry at the same moment, so
// they do not all come back at once.
type Backoff struct {
	Base time.Duration
	Cap  time.Duration
}

// Ceiling returns min(Cap, Base·2ⁿ), the longest wait before retry n.
func (b Backoff) Ceiling(n int) time.Duration {
	d := b.Base
	for i := 0; i < n && d < b.Cap; i++ {
		d *= 2
	}
	return max(0, min(d, b.Cap))
}

// Delay draws the wait before retry n from r.
func (b Backoff) Delay(n int, r *rand.Rand) time.Duration {
	c := b.Ceiling(n)
	if c <= 0 {
		return 0
	}
	return time.Duration(r.Int64N(int64(c) + 1))
}
