package printing

// watch.go: the poller that asks a printer for its status while the kiosk is idle and
// reports each change, so that "out of paper" shows before a resident waits.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// The defaults used for the zero values of WatchOptions.
const (
	DefaultWatchInterval = 10 * time.Second
	DefaultWatchTimeout  = 10 * time.Second
)

// Update is one printer status the Watcher published.
type Update struct {
	Status Status
	// Err is why the status could not be read, if it could not; Status then says
	// what the printer's Status method made of it (offline, error).
	Err error
}

// changed reports whether u differs from prev in what the UI shows: the state, the
// printer's reasons, or whether the status could be read at all.
func (u Update) changed(prev Update) bool {
	return u.Status.State != prev.Status.State ||
		!slices.Equal(u.Status.Reasons, prev.Status.Reasons) ||
		(u.Err == nil) != (prev.Err == nil)
}

// WatchOptions configure a Watcher. The zero value of every field but OnChange
// selects its default.
type WatchOptions struct {
	// Interval is the time between two polls.
	Interval time.Duration
	// Timeout bounds one poll.
	Timeout time.Duration
	// Clock ticks the polls; nil uses SystemClock.
	Clock Clock
	// OnChange is called with the first status read and then with every change. It
	// is called from Run's goroutine, one call at a time; a slow OnChange delays the
	// next poll.
	OnChange func(Update)
}

// Watcher polls one printer's status every interval while nobody holds it, and
// publishes each change through OnChange.
type Watcher struct {
	p    Printer
	o    WatchOptions
	poke chan struct{}

	mu    sync.Mutex
	holds int    // Hold calls not yet released
	last  Update // the last update published
	have  bool   // whether last is set
}

// NewWatcher returns a Watcher of p; Run starts it.
func NewWatcher(p Printer, o WatchOptions) (*Watcher, error) {
	if o.Interval < 0 || o.Timeout < 0 {
		return nil, fmt.Errorf("printing: watch interval %v and timeout %v must not be negative", o.Interval, o.Timeout)
	}
	if o.Interval == 0 {
		o.Interval = DefaultWatchInterval
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultWatchTimeout
	}
	if o.Clock == nil {
		o.Clock = SystemClock()
	}
	return &Watcher{p: p, o: o, poke: make(chan struct{}, 1)}, nil
}

// Run polls at once, then on every tick of the interval while the Watcher is not
// held, and whenever Poke asks, until ctx ends; it returns ctx's error.
func (w *Watcher) Run(ctx context.Context) error {
	tick, stop := w.o.Clock.NewTicker(w.o.Interval)
	defer stop()
	w.poll(ctx)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick:
			if !w.held() {
				w.poll(ctx)
			}
		case <-w.poke:
			w.poll(ctx)
		}
	}
}

// Hold stops the polling until the returned function is called: while a job prints,
// the job is followed instead, and some printers (USB ones in particular) answer
// status requests poorly in the middle of a job. When the last hold is released the
// printer is polled at once. Holds nest; calling a release twice has no effect.
func (w *Watcher) Hold() (release func()) {
	w.mu.Lock()
	w.holds++
	w.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			w.mu.Lock()
			w.holds--
			last := w.holds == 0
			w.mu.Unlock()
			if last {
				w.Poke()
			}
		})
	}
}

// Poke asks for a poll now, held or not (after staff cleared a jam, say). It does
// not wait for the poll.
func (w *Watcher) Poke() {
	select {
	case w.poke <- struct{}{}:
	default: // a poll is already due
	}
}

// Last returns the last update published, false before the first.
func (w *Watcher) Last() (Update, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last, w.have
}

func (w *Watcher) held() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.holds > 0
}

// poll reads the status once and publishes it when it changed.
func (w *Watcher) poll(ctx context.Context) {
	pctx, cancel := context.WithTimeout(ctx, w.o.Timeout)
	st, err := w.p.Status(pctx)
	cancel()
	if ctx.Err() != nil {
		return // stopping: not a printer state
	}
	if err != nil && st.State == "" { // a printer that says nothing beside its error
		st.State = StateError
		if errors.Is(err, ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) {
			st.State = StateOffline
		}
	}
	if st.CheckedAt.IsZero() {
		st.CheckedAt = w.o.Clock.Now()
	}
	u := Update{Status: st, Err: err}
	w.mu.Lock()
	publish := !w.have || u.changed(w.last)
	w.last, w.have = u, true
	w.mu.Unlock()
	if publish && w.o.OnChange != nil {
		w.o.OnChange(u)
	}
}
