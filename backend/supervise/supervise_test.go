// supervise_test.go: the Supervisor against a real unixgram socket standing in for
// systemd's, with a fake heartbeat and clock.

package supervise

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// manager is the service manager's end: a unixgram socket that collects datagrams.
type manager struct {
	t    *testing.T
	path string
	conn *net.UnixConn
}

func listen(t *testing.T, name string) *manager {
	t.Helper()
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatalf("listening on %s: %v", name, err)
	}
	t.Cleanup(func() { conn.Close() })
	return &manager{t: t, path: name, conn: conn}
}

func newManager(t *testing.T) *manager {
	return listen(t, filepath.Join(t.TempDir(), "notify"))
}

// next returns the next datagram, failing the test when none comes within a second.
func (m *manager) next() string {
	m.t.Helper()
	got, ok := m.read(time.Second)
	if !ok {
		m.t.Fatal("the service manager received nothing")
	}
	return got
}

// none fails the test when a datagram is waiting. The Supervisor sends before it
// sleeps, so whatever it sent for a check is queued by the time it sleeps again.
func (m *manager) none() {
	m.t.Helper()
	if got, ok := m.read(20 * time.Millisecond); ok {
		m.t.Fatalf("the service manager received %q, want nothing", got)
	}
}

func (m *manager) read(wait time.Duration) (string, bool) {
	m.t.Helper()
	buf := make([]byte, 4096)
	if err := m.conn.SetReadDeadline(time.Now().Add(wait)); err != nil {
		m.t.Fatal(err)
	}
	n, err := m.conn.Read(buf)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "", false
	}
	if err != nil {
		m.t.Fatalf("reading the notification socket: %v", err)
	}
	return string(buf[:n]), true
}

// fakeClock's Sleep reports each wait on sleeping and returns when the test wakes it,
// the time then having moved on by the wait.
type fakeClock struct {
	mu       sync.Mutex
	now      time.Time
	sleeping chan time.Duration
	wake     chan struct{}
}

func newFakeClock() *fakeClock {
	return &fakeClock{
		now:      time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		sleeping: make(chan time.Duration),
		wake:     make(chan struct{}),
	}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	select {
	case c.sleeping <- d:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-c.wake:
		c.mu.Lock()
		c.now = c.now.Add(d)
		c.mu.Unlock()
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fakeHeartbeat is a page whose last call the test sets.
type fakeHeartbeat struct {
	mu   sync.Mutex
	last time.Time
}

func (h *fakeHeartbeat) LastHeartbeat() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last
}

func (h *fakeHeartbeat) beat(at time.Time) {
	h.mu.Lock()
	h.last = at
	h.mu.Unlock()
}

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// TestWatchdogFollowsHeartbeat walks the watchdog through a kiosk's life: loading,
// ready, a page that beats, a page that stops, a page that comes back.
func TestWatchdogFollowsHeartbeat(t *testing.T) {
	m := newManager(t)
	clock := newFakeClock()
	page := &fakeHeartbeat{}
	sup, err := New(Options{
		Getenv:    env(map[string]string{"NOTIFY_SOCKET": m.path, "WATCHDOG_USEC": "10000000", "WATCHDOG_PID": "4242"}),
		Heartbeat: page,
		Clock:     clock,
		PID:       4242,
		ParentPID: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sup.Close()
	if got, want := sup.WatchdogInterval(), 5*time.Second; got != want {
		t.Fatalf("WatchdogInterval() = %v, want %v (half of WATCHDOG_USEC)", got, want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sup.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run() = %v after its context ended, want nil", err)
		}
	}()
	t0 := clock.Now()

	// step advances the clock by one interval and waits for the check at the new time.
	step := func() {
		t.Helper()
		clock.wake <- struct{}{}
		if d := <-clock.sleeping; d != 5*time.Second {
			t.Fatalf("the supervisor slept %v, want 5s", d)
		}
	}

	// t0: the page is loading and has never beaten: the process alone counts.
	<-clock.sleeping
	if got := m.next(); got != "WATCHDOG=1" {
		t.Fatalf("while loading the manager got %q, want WATCHDOG=1", got)
	}
	step() // t0+5s, still loading
	m.next()

	if err := sup.Ready(); err != nil {
		t.Fatal(err)
	}
	if got, want := m.next(), "READY=1\nSTATUS=The kiosk page has loaded"; got != want {
		t.Fatalf("after Ready the manager got %q, want %q", got, want)
	}

	tests := []struct {
		at       time.Duration // since t0, the check's time
		beat     time.Duration // the page's last call, since t0; negative: none since the last step
		wantPing bool
	}{
		{at: 10 * time.Second, beat: -1, wantPing: true},               // Ready at t0+5 counts as a beat: 5s old
		{at: 15 * time.Second, beat: 14 * time.Second, wantPing: true}, // the page polls
		{at: 20 * time.Second, beat: 15 * time.Second, wantPing: true}, // exactly the limit
		{at: 25 * time.Second, beat: -1, wantPing: false},              // 10s old: the page is dead
		{at: 30 * time.Second, beat: -1, wantPing: false},
		{at: 35 * time.Second, beat: 34 * time.Second, wantPing: true}, // back (a restart would come first in life)
	}
	for _, tt := range tests {
		if tt.beat >= 0 {
			page.beat(t0.Add(tt.beat))
		}
		step()
		if now := clock.Now(); !now.Equal(t0.Add(tt.at)) {
			t.Fatalf("the clock is at t0+%v, want t0+%v", now.Sub(t0), tt.at)
		}
		if tt.wantPing {
			if got := m.next(); got != "WATCHDOG=1" {
				t.Errorf("at t0+%v the manager got %q, want WATCHDOG=1", tt.at, got)
			}
		} else {
			m.none()
		}
	}

	// A reload runs the DOM-ready hook again: READY is sent once only.
	if err := sup.Ready(); err != nil {
		t.Fatal(err)
	}
	if err := sup.Stopping(); err != nil {
		t.Fatal(err)
	}
	if got, want := m.next(), "STOPPING=1\nSTATUS=Shutting down"; got != want {
		t.Errorf("after a second Ready and Stopping the manager got %q, want %q", got, want)
	}
	m.none()
}

// TestWatchdogWithoutHeartbeat: a façade without a heartbeat leaves the watchdog
// following the process.
func TestWatchdogWithoutHeartbeat(t *testing.T) {
	m := newManager(t)
	clock := newFakeClock()
	sup, err := New(Options{
		Getenv: env(map[string]string{"NOTIFY_SOCKET": m.path, "WATCHDOG_USEC": "2000000"}),
		Clock:  clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sup.Close()
	if err := sup.Ready(); err != nil {
		t.Fatal(err)
	}
	m.next()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go sup.Run(ctx)
	for i := 0; i < 3; i++ {
		if d := <-clock.sleeping; d != time.Second {
			t.Fatalf("the supervisor slept %v, want 1s", d)
		}
		if got := m.next(); got != "WATCHDOG=1" {
			t.Fatalf("ping %d: the manager got %q, want WATCHDOG=1", i, got)
		}
		clock.wake <- struct{}{}
	}
}

func TestAlive(t *testing.T) {
	clock := newFakeClock()
	page := &fakeHeartbeat{}
	sup, err := New(Options{Getenv: env(nil), Heartbeat: page, Clock: clock, Stale: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t0 := clock.Now()
	if alive, _ := sup.Alive(t0.Add(time.Hour)); !alive {
		t.Errorf("Alive(an hour on) before Ready = false, want true: the page is still loading")
	}
	sup.Ready()
	tests := []struct {
		beat, now time.Duration
		want      bool
		wantAge   time.Duration
	}{
		{beat: -time.Minute, now: 2 * time.Second, want: true, wantAge: 2 * time.Second}, // a beat before Ready counts from Ready
		{beat: time.Second, now: 4 * time.Second, want: true, wantAge: 3 * time.Second},
		{beat: time.Second, now: 4*time.Second + time.Millisecond, want: false, wantAge: 3*time.Second + time.Millisecond},
		{beat: 10 * time.Second, now: 9 * time.Second, want: true, wantAge: -time.Second}, // a clock step back
	}
	for _, tt := range tests {
		page.beat(t0.Add(tt.beat))
		alive, age := sup.Alive(t0.Add(tt.now))
		if alive != tt.want || age != tt.wantAge {
			t.Errorf("beat at t0%+v: Alive(t0+%v) = %v, %v, want %v, %v", tt.beat, tt.now, alive, age, tt.want, tt.wantAge)
		}
	}
}

// TestUnsupervised: started from a terminal, every call is a no-op.
func TestUnsupervised(t *testing.T) {
	sup, err := New(Options{Getenv: env(map[string]string{"WATCHDOG_USEC": "10000000"})})
	if err != nil {
		t.Fatal(err)
	}
	if sup.Supervised() || sup.WatchdogInterval() != 0 {
		t.Errorf("without NOTIFY_SOCKET: Supervised() = %v, WatchdogInterval() = %v, want false, 0", sup.Supervised(), sup.WatchdogInterval())
	}
	for name, call := range map[string]func() error{"Ready": sup.Ready, "Stopping": sup.Stopping, "Close": sup.Close} {
		if err := call(); err != nil {
			t.Errorf("%s() = %v, want nil", name, err)
		}
	}
	done := make(chan error)
	go func() { done <- sup.Run(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run() = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run() without a watchdog did not return")
	}
}

func TestWatchdogTimeout(t *testing.T) {
	const pid, ppid = 300, 200
	tests := []struct {
		usec, forPID string
		want         time.Duration
		wantErr      bool
	}{
		{usec: "", want: 0},
		{usec: "10000000", want: 10 * time.Second},
		{usec: "10000000", forPID: "300", want: 10 * time.Second},
		{usec: "10000000", forPID: "200", want: 10 * time.Second}, // cage's, our parent's
		{usec: "10000000", forPID: "999", want: 0},
		{usec: "10000000", forPID: "cage", want: 0},
		{usec: "0", wantErr: true},
		{usec: "-5", wantErr: true},
		{usec: "10s", wantErr: true},
	}
	for _, tt := range tests {
		got, err := watchdogTimeout(tt.usec, tt.forPID, pid, ppid)
		if tt.wantErr {
			if !errors.Is(err, ErrWatchdogUsec) {
				t.Errorf("watchdogTimeout(%q, %q) = %v, %v, want ErrWatchdogUsec", tt.usec, tt.forPID, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("watchdogTimeout(%q, %q) = %v, %v, want %v", tt.usec, tt.forPID, got, err, tt.want)
		}
	}
	if _, err := New(Options{Getenv: env(map[string]string{"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "soon"})}); !errors.Is(err, ErrWatchdogUsec) {
		t.Errorf("New with WATCHDOG_USEC=soon: %v, want ErrWatchdogUsec", err)
	}
}

func TestNotifierAbstractSocket(t *testing.T) {
	name := "@certkiosk-supervise-test-" + strconv.Itoa(os.Getpid())
	m := listen(t, name)
	n, err := NewNotifier(name)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if err := n.Notify("READY=1"); err != nil {
		t.Fatal(err)
	}
	if got := m.next(); got != "READY=1" {
		t.Errorf("the manager got %q, want READY=1", got)
	}
}

func TestNotifierErrors(t *testing.T) {
	for _, socket := range []string{"vsock:2:1234", "run/systemd/notify"} {
		if _, err := NewNotifier(socket); !errors.Is(err, ErrNotifySocket) {
			t.Errorf("NewNotifier(%q) error = %v, want ErrNotifySocket", socket, err)
		}
	}
	n, err := NewNotifier(filepath.Join(t.TempDir(), "nobody-listens"))
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Notify("READY=1"); err == nil {
		t.Error("Notify to a socket nobody listens on = nil, want an error")
	}

	// The manager goes away and comes back under the same name (daemon-reexec): the
	// failed send is reported, and the next one reaches the new socket.
	path := filepath.Join(t.TempDir(), "notify")
	first := listen(t, path)
	n, err = NewNotifier(path)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if err := n.Notify("WATCHDOG=1"); err != nil {
		t.Fatal(err)
	}
	first.next()
	first.conn.Close()
	os.Remove(path)
	if err := n.Notify("WATCHDOG=1"); err == nil {
		t.Error("Notify after the manager's socket closed = nil, want an error")
	}
	second := listen(t, path)
	if err := n.Notify("WATCHDOG=1"); err != nil {
		t.Fatalf("Notify to the manager's new socket: %v", err)
	}
	if got := second.next(); got != "WATCHDOG=1" {
		t.Errorf("the new socket got %q, want WATCHDOG=1", got)
	}
}

func ExampleNew() {
	// Outside systemd ($NOTIFY_SOCKET unset) the supervisor does nothing.
	sup, err := New(Options{Getenv: func(string) string { return "" }})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sup.Supervised(), sup.Ready(), sup.Stopping())
	// Output: false <nil> <nil>
}
