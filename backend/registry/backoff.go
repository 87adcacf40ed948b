package registry

// backoff.go: the wait before retrying a request: exponential backoff with full jitter.

import (
	"context"
	"math/rand/v2"
	"time"
)

// backoff returns the wait before retry n (0 for the first retry): a duration drawn
// uniformly from [0, min(BackoffCap, BackoffBase·2ⁿ)]. Drawing from the whole range
// ("full jitter") spreads out kiosks that lost the registry at the same moment, so
// they do not all come back at once.
func (c *Client) backoff(n int) time.Duration {
	return c.jitter(backoffCeiling(c.opts.BackoffBase, c.opts.BackoffCap, n))
}

// backoffCeiling returns min(limit, base·2ⁿ) without overflowing.
func backoffCeiling(base, limit time.Duration, n int) time.Duration {
	d := base
	for i := 0; i < n && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// jitter returns a duration drawn uniformly from [0, ceiling].
func (c *Client) jitter(ceiling time.Duration) time.Duration {
	if ceiling <= 0 {
		return 0
	}
	if c.opts.Rand == nil {
		return rand.N(ceiling + 1)
	}
	c.randMu.Lock()
	defer c.randMu.Unlock()
	return time.Duration(c.opts.Rand.Int64N(int64(ceiling) + 1))
}

// sleepContext waits for d, or until ctx ends, in which case it returns ctx's error.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
