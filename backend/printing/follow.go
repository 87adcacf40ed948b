package printing

// follow.go: following a job the printer accepted until it is done.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// DefaultFollowInterval is the time between two job polls when FollowOptions leave
// it zero.
const DefaultFollowInterval = 2 * time.Second

// FollowOptions configure FollowJob. The zero value of every field selects its
// default.
type FollowOptions struct {
	// Interval is the time between two polls of the job.
	Interval time.Duration
	// Clock ticks the polls; nil uses SystemClock.
	Clock Clock
	// OnChange is called with the first state read and every change.
	OnChange func(JobStatus)
}

// FollowJob asks the printer where the job is until it is done (completed, canceled
// or aborted) and returns its last status. A printer that does not answer for a while
// is asked again; any other error ends the following. When ctx ends first, FollowJob
// returns the last status read with an error wrapping ctx's error (and the last
// unanswered request's error, if any). Bound it with a context deadline.
func FollowJob(ctx context.Context, p Printer, ref JobRef, o FollowOptions) (JobStatus, error) {
	if o.Interval <= 0 {
		o.Interval = DefaultFollowInterval
	}
	if o.Clock == nil {
		o.Clock = SystemClock()
	}
	tick, stop := o.Clock.NewTicker(o.Interval)
	defer stop()
	var (
		last    JobStatus
		have    bool
		lastErr error
	)
	for {
		st, err := p.Job(ctx, ref)
		switch {
		case err == nil:
			lastErr = nil
			if !have || st.State != last.State || !slices.Equal(st.Reasons, last.Reasons) {
				if o.OnChange != nil {
					o.OnChange(st)
				}
			}
			last, have = st, true
			if st.Done() {
				return st, nil
			}
		case ctx.Err() != nil:
		case errors.Is(err, ErrUnavailable):
			lastErr = err
		default:
			return last, err
		}
		select {
		case <-ctx.Done():
			if lastErr != nil {
				return last, fmt.Errorf("printing: following job %d: %w (last answer: %w)", ref.ID, ctx.Err(), lastErr)
			}
			return last, fmt.Errorf("printing: following job %d: %w", ref.ID, ctx.Err())
		case <-tick:
		}
	}
}
