// supervise.go: the Supervisor: readiness, the watchdog loop and its decision.

package supervise

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"
)

// DefaultStale is how old the page's last heartbeat may be while the kiosk still
// counts as alive. The page long-polls the façade, each poll returning within 1 s,
// so a live page beats at least once a second; five seconds let a busy page (a long
// garbage collection, a large image decoded) through without a restart. With
// WatchdogSec=10 a dead page is restarted at most 15 s after its last beat.
const DefaultStale = 5 * time.Second

// ErrWatchdogUsec is returned for a $WATCHDOG_USEC that is not a positive number.
var ErrWatchdogUsec = errors.New("supervise: WATCHDOG_USEC is not a positive number of microseconds")

// Heartbeat is what the kiosk's page does to show it is alive: the façade records the
// time of the page's last call.
type Heartbeat interface {
	// LastHeartbeat is when the page last called; the zero time if it never has.
	LastHeartbeat() time.Time
}

// Clock tells the time and waits.
type Clock interface {
	Now() time.Time
	// Sleep waits for d, or until ctx ends, in which case it returns ctx's error.
	Sleep(ctx context.Context, d time.Duration) error
}

// Options configures a Supervisor. The zero value reads the process's environment
// and follows the process alone.
type Options struct {
	// Getenv reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID; nil means os.Getenv.
	Getenv func(string) string
	// Heartbeat is the page's; nil means the watchdog pings while the process runs.
	Heartbeat Heartbeat
	// Stale is how old a heartbeat may be; 0 means DefaultStale.
	Stale time.Duration
	// Clock is the time; nil means the machine's.
	Clock Clock
	// Log receives a line when the heartbeat goes stale and when it comes back;
	// nil discards them.
	Log *slog.Logger
	// PID and ParentPID are the process's and its parent's; 0 means the real ones.
	PID, ParentPID int
}

// Supervisor reports the kiosk's state to the service manager.
type Supervisor struct {
	notifier  *Notifier
	interval  time.Duration // between watchdog pings; 0: no watchdog
	heartbeat Heartbeat
	stale     time.Duration
	clock     Clock
	log       *slog.Logger

	readyOnce sync.Once
	mu        sync.Mutex
	readyAt   time.Time // zero until Ready
	stalled   bool      // the last check found the heartbeat stale
}

// New returns a Supervisor for the service manager named in the environment.
func New(opts Options) (*Supervisor, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	notifier, err := NewNotifier(getenv("NOTIFY_SOCKET"))
	if err != nil {
		return nil, err
	}
	pid, ppid := opts.PID, opts.ParentPID
	if pid == 0 {
		pid = os.Getpid()
	}
	if ppid == 0 {
		ppid = os.Getppid()
	}
	timeout, err := watchdogTimeout(getenv("WATCHDOG_USEC"), getenv("WATCHDOG_PID"), pid, ppid)
	if err != nil {
		return nil, err
	}
	s := &Supervisor{
		notifier:  notifier,
		interval:  timeout / 2, // sd_watchdog_enabled(3): "about half the time"
		heartbeat: opts.Heartbeat,
		stale:     opts.Stale,
		clock:     opts.Clock,
		log:       opts.Log,
	}
	if !notifier.Enabled() {
		s.interval = 0
	}
	if s.stale <= 0 {
		s.stale = DefaultStale
	}
	if s.clock == nil {
		s.clock = systemClock{}
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return s, nil
}

// watchdogTimeout reads the watchdog's timeout from the environment's values: zero
// when none is asked for, or when it is asked of another process. The kiosk runs as
// the child of the cage compositor, the unit's main process, and inherits the
// environment systemd gave cage: WATCHDOG_PID is then cage's, our parent's, and the
// unit (NotifyAccess=all) takes our pings.
func watchdogTimeout(usec, forPID string, pid, ppid int) (time.Duration, error) {
	if usec == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(usec, 10, 63)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%w: %q", ErrWatchdogUsec, usec)
	}
	if forPID != "" {
		p, err := strconv.Atoi(forPID)
		if err != nil || (p != pid && p != ppid) {
			return 0, nil
		}
	}
	return time.Duration(n) * time.Microsecond, nil
}

// Supervised tells whether a service manager listens.
func (s *Supervisor) Supervised() bool { return s.notifier.Enabled() }

// WatchdogInterval is the time between watchdog pings; zero when the service manager
// asked for no watchdog.
func (s *Supervisor) WatchdogInterval() time.Duration { return s.interval }

// Ready tells the service manager that the kiosk is up: its page has loaded. Only the
// first call sends anything (the page loads again after a reload); from then on the
// watchdog follows the heartbeat.
func (s *Supervisor) Ready() error {
	var err error
	s.readyOnce.Do(func() {
		s.mu.Lock()
		s.readyAt = s.clock.Now()
		s.mu.Unlock()
		err = s.notifier.Notify("READY=1\nSTATUS=The kiosk page has loaded")
	})
	return err
}

// Stopping tells the service manager that the kiosk is shutting down.
func (s *Supervisor) Stopping() error {
	return s.notifier.Notify("STOPPING=1\nSTATUS=Shutting down")
}

// Close releases the notification socket.
func (s *Supervisor) Close() error { return s.notifier.Close() }

// Run pings the watchdog every WatchdogInterval while Alive, until ctx ends. It
// returns at once when no watchdog is asked for. A failed ping is logged, not fatal:
// a service manager that misses pings restarts the kiosk, which is the cure.
func (s *Supervisor) Run(ctx context.Context) error {
	if s.interval <= 0 {
		return nil
	}
	for {
		if s.check() {
			if err := s.notifier.Notify("WATCHDOG=1"); err != nil {
				s.log.Warn("watchdog ping failed", "err", err)
			}
		}
		if err := s.clock.Sleep(ctx, s.interval); err != nil {
			return nil
		}
	}
}

// check tells whether the kiosk is alive now, and logs when that changes.
func (s *Supervisor) check() bool {
	now := s.clock.Now()
	alive, age := s.Alive(now)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case !alive && !s.stalled:
		s.log.Error("the page's heartbeat stopped: no more watchdog pings, the service manager will restart the kiosk",
			"age", age.Round(time.Millisecond), "limit", s.stale)
	case alive && s.stalled:
		s.log.Info("the page's heartbeat is back", "age", age.Round(time.Millisecond))
	}
	s.stalled = !alive
	return alive
}

// Alive tells whether the kiosk counts as alive at now, and how old its heartbeat
// is. Until Ready it is: the page is still loading, which the unit's start timeout
// bounds. After Ready the heartbeat must be at most Stale old; the moment of Ready
// counts as a beat, so a page that never polls is given Stale to start.
func (s *Supervisor) Alive(now time.Time) (bool, time.Duration) {
	s.mu.Lock()
	readyAt := s.readyAt
	s.mu.Unlock()
	if readyAt.IsZero() || s.heartbeat == nil {
		return true, 0
	}
	last := s.heartbeat.LastHeartbeat()
	if last.Before(readyAt) {
		last = readyAt
	}
	age := now.Sub(last)
	return age <= s.stale, age
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
