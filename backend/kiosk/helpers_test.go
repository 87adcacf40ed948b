package kiosk

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"certkiosk/backend/staff"
)

// fakeClock is a clock tests step by hand; its sleeps are short real waits, so the
// queue's worker keeps polling while the test moves time on.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(min(d, 10*time.Millisecond))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// openDemo opens a demo kiosk on a fresh data folder, with the fake clock.
func openDemo(t *testing.T, profile string) (*App, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	return openTest(t, Setup{DataDir: t.TempDir(), Profile: profile, Demo: true, Clock: clock}), clock
}

// openTest opens the kiosk setup describes, with quick staff hashes, a quick queue
// and a registry client that does not retry where setup leaves them out; it is
// shut down when the test ends.
func openTest(t *testing.T, setup Setup) *App {
	t.Helper()
	if setup.Registry.Timeout == 0 {
		setup.Registry.Retries, setup.Registry.Timeout = -1, 5*time.Second
	}
	if setup.StaffHash == (staff.Params{}) {
		setup.StaffHash = staff.Params{Time: 1, Memory: 64, Threads: 1, SaltLen: 16, KeyLen: 32}
	}
	if setup.QueuePoll == 0 {
		setup.QueuePoll = 20 * time.Millisecond
	}
	app, err := Open(context.Background(), setup)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { app.Shutdown(context.Background()) })
	return app
}

// waitFor polls until cond holds of the state, or fails the test after 30 s.
func waitFor(t *testing.T, app *App, what string, cond func(State) bool) State {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var seq uint64
	for {
		st := app.Poll(seq)
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: state is screen %q, failure %+v, print %+v", what, st.Screen, st.Failure, st.Print)
		}
		seq = st.Seq
	}
}

// printAllFor inserts the demo person's card, prints every certificate offered, and
// waits for the done screen.
func printAllFor(t *testing.T, app *App, personID string) State {
	t.Helper()
	if err := app.InsertDemoCard(personID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, app, "results", onScreen(ScreenResults))
	if err := app.PrintCertificates(nil); err != nil {
		t.Fatal(err)
	}
	return waitFor(t, app, "done", onScreen(ScreenDone))
}

func onScreen(s Screen) func(State) bool { return func(st State) bool { return st.Screen == s } }

// printedFiles lists the PDFs the folder printer wrote.
func printedFiles(t *testing.T, app *App) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(app.dataDir, "printed", "*.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
