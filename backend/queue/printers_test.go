package queue

import (
	"context"
	"sync"
	"testing"
	"time"

	"certkiosk/backend/printing"
)

// tickClock is the printers' watch clock: it ticks only when the test says so.
type tickClock struct {
	tick chan time.Time

	mu  sync.Mutex
	now time.Time
}

var _ printing.Clock = (*tickClock)(nil)

func newTickClock() *tickClock { return &tickClock{now: testStart, tick: make(chan time.Time)} }

func (c *tickClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *tickClock) NewTicker(time.Duration) (<-chan time.Time, func()) { return c.tick, func() {} }

// step moves the clock on a minute and delivers a tick, once a watcher takes it.
func (c *tickClock) step(t *testing.T) {
	t.Helper()
	if !c.tryStep() {
		t.Fatal("no watcher took the tick in 5 s")
	}
}

// tryStep is step for another goroutine than the test's: it reports whether the tick
// was taken.
func (c *tickClock) tryStep() bool {
	c.mu.Lock()
	c.now = c.now.Add(time.Minute)
	now := c.now
	c.mu.Unlock()
	select {
	case c.tick <- now:
		return true
	case <-time.After(5 * time.Second):
		return false
	}
}

// pacedClock is the rig's clock, whose Sleep also yields a millisecond of real time,
// so that Run's idle loop does not spin.
type pacedClock struct{ *fakeClock }

func (c pacedClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := c.fakeClock.Sleep(ctx, d); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Millisecond):
		return nil
	}
}

// runRig is a rig whose worker runs (Run) until the test ends, its printers polled on
// a tick clock.
func runRig(t *testing.T, o Options, setup func(*testRig)) (*testRig, *tickClock) {
	t.Helper()
	rig := newRigWith(t, o, func(c *fakeClock) Clock { return pacedClock{c} })
	ticks := newTickClock()
	rig.w.WatchClock = ticks
	if setup != nil {
		setup(rig)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- rig.w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run() = %v", err)
		}
	})
	return rig, ticks
}

// waitFor waits, up to 10 s, until cond holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// recorded reports whether the queue holds st as the main printer's state.
func recorded(t *testing.T, q *Queue, state printing.State) func() bool {
	return func() bool {
		sts, err := q.PrinterStatus(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return len(sts) == 1 && sts[0].State == state
	}
}

// TestWatchIdle: with no job queued, the worker's printer is polled on every tick,
// and its state goes to media-empty and back to ready, in the queue and in the
// worker.
func TestWatchIdle(t *testing.T) {
	rig, ticks := runRig(t, Options{}, nil)
	waitFor(t, "the first poll recorded", recorded(t, rig.q, printing.StateReady))

	rig.printer.setState(printing.StateMediaEmpty)
	ticks.step(t)
	waitFor(t, "media-empty recorded", recorded(t, rig.q, printing.StateMediaEmpty))
	sts, _ := rig.q.PrinterStatus(context.Background())
	want := PrinterStatus{URI: "fake://printer", Main: true, State: printing.StateMediaEmpty, Since: ticks.Now()}
	if got := sts[0]; got.URI != want.URI || !got.Main || !got.Since.Equal(want.Since) || got.Error != "" {
		t.Errorf("PrinterStatus() = %+v, want %+v", got, want)
	}
	if got := rig.w.PrinterStatus(); len(got) != 1 || got[0].State != printing.StateMediaEmpty || !got[0].Main {
		t.Errorf("Worker.PrinterStatus() = %+v, want the main printer media-empty", got)
	}
	if jobs, _ := rig.q.List(context.Background()); len(jobs) != 0 {
		t.Errorf("the queue holds %d jobs, want none: the printer was polled while idle", len(jobs))
	}

	// A tick without a change records nothing new; paper loaded shows at the next.
	ticks.step(t)
	rig.printer.setState(printing.StateReady)
	ticks.step(t)
	waitFor(t, "ready recorded", recorded(t, rig.q, printing.StateReady))
	if got := rig.w.PrinterStatus(); got[0].State != printing.StateReady || !got[0].Since.Equal(ticks.Now()) {
		t.Errorf("Worker.PrinterStatus() = %+v, want ready since the last tick", got)
	}
}

// TestWatchJobWaits: a print job meets a printer out of paper: it waits, not failing,
// the printer's state shown on it, and prints once the paper is back. The printer is
// not polled while the job prints.
func TestWatchJobWaits(t *testing.T) {
	rig, ticks := runRig(t, Options{Retention: time.Hour}, func(r *testRig) {
		r.printer.setState(printing.StateMediaEmpty)
	})
	waitFor(t, "media-empty recorded", recorded(t, rig.q, printing.StateMediaEmpty))
	printed := make(chan struct{})
	var once sync.Once
	rig.printer.onPrint = func() {
		once.Do(func() {
			// A tick while the job is sent: polling would find it processing
			// (the fake counts that), but the watcher is held. The wait gives a
			// poll that should not happen the time to.
			if !ticks.tryStep() {
				t.Error("no watcher took the tick in 5 s")
			}
			time.Sleep(20 * time.Millisecond)
			close(printed)
		})
	}
	mustAdd(t, rig.q, "R1", person(t, "46003150224"))
	waitFor(t, "the certificate waiting for paper", func() bool {
		j := jobsByKey(t, rig.q)["R1-c1"]
		return j.State == StatePending && j.PrinterState == "media-empty" && j.Attempts >= 3
	})
	if j := jobsByKey(t, rig.q)["R1-c1"]; j.Failures != 0 || j.LastError != "" {
		t.Errorf("R1-c1 waiting for paper = failures %d, error %q; want none", j.Failures, j.LastError)
	}
	if n := len(rig.printer.printed()); n != 0 {
		t.Fatalf("printed %d documents with no paper, want 0", n)
	}

	rig.printer.setState(printing.StateReady)
	ticks.step(t)
	waitFor(t, "the certificate printed", func() bool { return jobsByKey(t, rig.q)["R1-c1"].State == StateDone })
	<-printed
	waitFor(t, "ready recorded", recorded(t, rig.q, printing.StateReady))
	if got := rig.printer.printed()["R1-c1"]; got != 1 {
		t.Errorf("R1-c1 printed %d times, want 1", got)
	}
	rig.printer.mu.Lock()
	defer rig.printer.mu.Unlock()
	if rig.printer.statusWhilePrinting != 0 {
		t.Errorf("the printer was asked for its status %d times while the job printed, want 0", rig.printer.statusWhilePrinting)
	}
}

// TestWatchOpenFails: a printer that cannot be opened shows as offline, with why, and
// is watched once it opens.
func TestWatchOpenFails(t *testing.T) {
	var mu sync.Mutex
	plugged := false
	rig, ticks := runRig(t, Options{}, func(r *testRig) {
		r.w.Printers = func(uri string) (printing.Printer, error) {
			mu.Lock()
			defer mu.Unlock()
			if !plugged {
				return nil, printing.ErrUnavailable
			}
			return r.printer, nil
		}
	})
	waitFor(t, "offline recorded", recorded(t, rig.q, printing.StateOffline))
	if sts, _ := rig.q.PrinterStatus(context.Background()); sts[0].Error == "" {
		t.Errorf("PrinterStatus() = %+v, want the error", sts[0])
	}
	mu.Lock()
	plugged = true
	mu.Unlock()
	ticks.step(t)
	waitFor(t, "ready recorded", recorded(t, rig.q, printing.StateReady))
}

// TestRecordPrinter: a state recorded is shown on the print jobs waiting for that
// printer, not on those sent or of another printer; one printer is the main one.
func TestRecordPrinter(t *testing.T) {
	ctx := context.Background()
	rig := newRig(t, Options{Retention: time.Hour})
	rig.w.Printers = nil // a worker that only issues: the certificates stay pending
	mustAdd(t, rig.q, "R1", person(t, "46003150224"))
	mustAdd(t, rig.q, "R2", person(t, "34811020330"))
	rig.runSome(t, 2)
	jobs := jobsByKey(t, rig.q)
	if _, err := rig.q.Move(ctx, jobs["R2-c1"].ID, "fake://other"); err != nil {
		t.Fatal(err)
	}
	for _, st := range []PrinterStatus{
		{URI: "fake://old", Main: true, State: printing.StateReady, Since: testStart},
		{URI: "fake://printer", Main: true, State: printing.StateMediaJam, Reasons: []string{"media-jam-error"}, Since: testStart},
	} {
		if err := rig.q.recordPrinter(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	jobs = jobsByKey(t, rig.q)
	if jobs["R1-c1"].PrinterState != "media-jam" || jobs["R2-c1"].PrinterState != "" {
		t.Errorf("printer states on the jobs = %q, %q; want media-jam on the main printer's, none on the other's",
			jobs["R1-c1"].PrinterState, jobs["R2-c1"].PrinterState)
	}
	sts, err := rig.q.PrinterStatus(ctx)
	if err != nil || len(sts) != 2 || sts[0].URI != "fake://printer" || !sts[0].Main || sts[1].Main ||
		len(sts[0].Reasons) != 1 || sts[0].Reasons[0] != "media-jam-error" {
		t.Errorf("PrinterStatus() = %+v, %v; want fake://printer main and jammed, fake://old no longer main", sts, err)
	}
}
