package printing

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// jobScript answers each Job call with the next of its answers, then repeats the
// last.
type jobScript struct {
	Folder
	answers []jobAnswer
	calls   int
}

type jobAnswer struct {
	st  JobStatus
	err error
}

func (p *jobScript) Job(ctx context.Context, ref JobRef) (JobStatus, error) {
	a := p.answers[min(p.calls, len(p.answers)-1)]
	p.calls++
	return a.st, a.err
}

// tickingClock delivers ticks as fast as they are taken.
type tickingClock struct{ now time.Time }

func (c *tickingClock) Now() time.Time { return c.now }

func (c *tickingClock) NewTicker(d time.Duration) (<-chan time.Time, func()) {
	ch := make(chan time.Time)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case ch <- c.now:
			case <-done:
				return
			}
		}
	}()
	return ch, func() { close(done) }
}

func TestFollowJob(t *testing.T) {
	pending := jobAnswer{st: JobStatus{State: JobPending}}
	printing := jobAnswer{st: JobStatus{State: JobProcessing, Reasons: []string{"job-printing"}}}
	stopped := jobAnswer{st: JobStatus{State: JobStopped, Reasons: []string{"printer-stopped"}}}
	completed := jobAnswer{st: JobStatus{State: JobCompleted, Reasons: []string{"job-completed-successfully"}}}
	aborted := jobAnswer{st: JobStatus{State: JobAborted}}
	offline := jobAnswer{err: fmt.Errorf("%w: refused", ErrUnavailable)}
	gone := jobAnswer{err: fmt.Errorf("%w: job 3", ErrJobNotFound)}
	tests := []struct {
		name        string
		answers     []jobAnswer
		want        JobState
		wantErr     error
		wantChanges int
	}{
		{"prints", []jobAnswer{pending, printing, printing, completed}, JobCompleted, nil, 3},
		{"out of paper and back", []jobAnswer{printing, stopped, stopped, printing, completed}, JobCompleted, nil, 4},
		{"printer away a while", []jobAnswer{printing, offline, offline, completed}, JobCompleted, nil, 2},
		{"aborted", []jobAnswer{pending, aborted}, JobAborted, nil, 2},
		{"forgotten", []jobAnswer{printing, gone}, JobProcessing, ErrJobNotFound, 1},
		{"never done", []jobAnswer{pending, printing}, JobProcessing, context.DeadlineExceeded, 2},
		{"never answers", []jobAnswer{offline}, "", ErrUnavailable, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &jobScript{answers: tt.answers}
			changes := 0
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			st, err := FollowJob(ctx, p, JobRef{ID: 3}, FollowOptions{
				Clock:    &tickingClock{},
				OnChange: func(JobStatus) { changes++ },
			})
			if st.State != tt.want || !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil {
				t.Errorf("FollowJob() = %+v, %v; want %s, %v", st, err, tt.want, tt.wantErr)
			}
			if changes != tt.wantChanges {
				t.Errorf("OnChange called %d times, want %d", changes, tt.wantChanges)
			}
		})
	}
}

// TestFollowJobWaitsForTicks checks that polls happen on ticks only.
func TestFollowJobWaitsForTicks(t *testing.T) {
	p := &jobScript{answers: []jobAnswer{{st: JobStatus{State: JobPending}}, {st: JobStatus{State: JobCompleted}}}}
	clock := newFakeClock()
	done := make(chan JobStatus)
	go func() {
		st, _ := FollowJob(context.Background(), p, JobRef{ID: 1}, FollowOptions{Clock: clock})
		done <- st
	}()
	select {
	case st := <-done:
		t.Fatalf("FollowJob returned %+v before any tick", st)
	case <-time.After(50 * time.Millisecond):
	}
	clock.step(t)
	select {
	case st := <-done:
		if st.State != JobCompleted {
			t.Errorf("FollowJob() = %+v, want completed", st)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("FollowJob did not return after the tick")
	}
}
