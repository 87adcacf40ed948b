package printing

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// fakeClock ticks only when the test says so. A send on tick returns once the
// receiver took the tick.
type fakeClock struct {
	now  time.Time
	tick chan time.Time

	mu       sync.Mutex
	interval time.Duration
	stopped  bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), tick: make(chan time.Time)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTicker(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	c.interval = d
	c.mu.Unlock()
	return c.tick, func() {
		c.mu.Lock()
		c.stopped = true
		c.mu.Unlock()
	}
}

// step advances the clock by one interval and delivers the tick.
func (c *fakeClock) step(t *testing.T) {
	t.Helper()
	c.mu.Lock()
	c.now = c.now.Add(c.interval)
	now := c.now
	c.mu.Unlock()
	select {
	case c.tick <- now:
	case <-time.After(5 * time.Second):
		t.Fatal("nobody took the tick in 5 s")
	}
}

// scriptedPrinter answers each Status call with the next answer the test sends.
type scriptedPrinter struct {
	Folder  // for the methods the watcher does not call
	answers chan statusAnswer
	calls   chan struct{}
}

type statusAnswer struct {
	st  Status
	err error
}

func newScriptedPrinter() *scriptedPrinter {
	return &scriptedPrinter{answers: make(chan statusAnswer), calls: make(chan struct{}, 100)}
}

func (p *scriptedPrinter) Status(ctx context.Context) (Status, error) {
	p.calls <- struct{}{}
	select {
	case a := <-p.answers:
		return a.st, a.err
	case <-ctx.Done():
		return Status{}, ctx.Err()
	}
}

// answer hands the next Status call its answer.
func (p *scriptedPrinter) answer(t *testing.T, st State, reasons ...string) {
	t.Helper()
	p.answerErr(t, statusAnswer{st: Status{State: st, Reasons: reasons}})
}

func (p *scriptedPrinter) answerErr(t *testing.T, a statusAnswer) {
	t.Helper()
	select {
	case p.answers <- a:
	case <-time.After(5 * time.Second):
		t.Fatal("no Status call to answer in 5 s")
	}
}

func TestWatcher(t *testing.T) {
	clock := newFakeClock()
	p := newScriptedPrinter()
	updates := make(chan Update, 10)
	w, err := NewWatcher(p, WatchOptions{Interval: 7 * time.Second, Clock: clock, OnChange: func(u Update) { updates <- u }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()

	expect := func(want State, wantErr bool) {
		t.Helper()
		select {
		case u := <-updates:
			if u.Status.State != want || (u.Err != nil) != wantErr || u.Status.CheckedAt.IsZero() {
				t.Fatalf("update = %+v, want state %s, error %v, checked", u, want, wantErr)
			}
			if last, ok := w.Last(); !ok || last.Status.State != want {
				t.Errorf("Last() = %+v, %v; want %s", last, ok, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no update in 5 s, want %s", want)
		}
	}
	// settle proves the previous poll has finished: the next tick is taken only
	// when Run is back waiting. Then nothing must have been published.
	settle := func(same State, reasons ...string) {
		t.Helper()
		clock.step(t)
		p.answer(t, same, reasons...) // the poll the settling tick started: no change
		select {
		case u := <-updates:
			t.Fatalf("unexpected update %+v", u)
		default:
		}
	}

	p.answer(t, StateReady) // the first poll, at once
	expect(StateReady, false)
	if clock.interval != 7*time.Second {
		t.Errorf("ticker interval = %v, want 7s", clock.interval)
	}

	clock.step(t)
	p.answer(t, StateReady) // no change: nothing published
	settle(StateReady)

	clock.step(t)
	p.answer(t, StateMediaEmpty, "media-empty-report")
	expect(StateMediaEmpty, false)

	clock.step(t)
	p.answer(t, StateMediaEmpty, "media-empty-report", "media-needed-report") // new reason: published
	expect(StateMediaEmpty, false)

	clock.step(t)
	p.answerErr(t, statusAnswer{st: Status{State: StateOffline}, err: fmt.Errorf("%w: refused", ErrUnavailable)})
	expect(StateOffline, true)

	clock.step(t)
	p.answerErr(t, statusAnswer{err: fmt.Errorf("%w: still refused", ErrUnavailable)}) // no state given: offline, unchanged
	clock.step(t)
	p.answer(t, StateReady)
	expect(StateReady, false)

	// Held: ticks do not poll; releasing the last hold polls at once.
	calls := len(p.calls)
	release1, release2 := w.Hold(), w.Hold()
	clock.step(t)
	release1()
	release1() // twice: no effect
	clock.step(t)
	// Poke polls even while held; handled after the ticks, its poll proves that
	// they were skipped.
	w.Poke()
	p.answer(t, StateReady)
	if got := len(p.calls); got != calls+1 {
		t.Fatalf("Status called %d times while held, want only the poke's", got-calls)
	}
	release2()
	p.answer(t, StatePrinting)
	expect(StatePrinting, false)

	// Poke polls now, held or not.
	release := w.Hold()
	w.Poke()
	p.answer(t, StateMediaJam, "media-jam-error")
	expect(StateMediaJam, false)
	release()
	p.answer(t, StateMediaJam, "media-jam-error")
	settle(StateMediaJam, "media-jam-error")

	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run() = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	clock.mu.Lock()
	defer clock.mu.Unlock()
	if !clock.stopped {
		t.Error("Run left its ticker running")
	}
}

// TestWatcherTimeout: a printer that never answers is offline once a poll's time
// limit passes.
func TestWatcherTimeout(t *testing.T) {
	p := newScriptedPrinter() // never answered
	updates := make(chan Update, 1)
	w, err := NewWatcher(p, WatchOptions{Timeout: 50 * time.Millisecond, Clock: newFakeClock(), OnChange: func(u Update) { updates <- u }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	select {
	case u := <-updates:
		if u.Status.State != StateOffline || !errors.Is(u.Err, context.DeadlineExceeded) {
			t.Errorf("update = %+v, want offline after the deadline", u)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no update in 5 s")
	}
}

func TestNewWatcherRefuses(t *testing.T) {
	if _, err := NewWatcher(newScriptedPrinter(), WatchOptions{Interval: -time.Second}); err == nil {
		t.Error("NewWatcher with a negative interval succeeded")
	}
}

// TestWatcherFolder watches a real folder printer whose folder goes away.
func TestWatcherFolder(t *testing.T) {
	f := newTestFolder(t)
	clock := newFakeClock()
	updates := make(chan Update, 10)
	w, err := NewWatcher(f, WatchOptions{Clock: clock, OnChange: func(u Update) { updates <- u }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	next := func() Update {
		t.Helper()
		select {
		case u := <-updates:
			return u
		case <-time.After(5 * time.Second):
			t.Fatal("no update in 5 s")
		}
		return Update{}
	}
	if u := next(); u.Status.State != StateReady {
		t.Fatalf("first update = %+v, want ready", u)
	}
	if err := os.Remove(f.Dir()); err != nil {
		t.Fatal(err)
	}
	clock.step(t)
	if u := next(); u.Status.State != StateOffline || !errors.Is(u.Err, ErrUnavailable) {
		t.Fatalf("update after the folder went = %+v, want offline", u)
	}
}
