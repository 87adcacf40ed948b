package queue

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"certkiosk/backend/printing/printingtest"
	"certkiosk/backend/registrysim"
)

// crashRequests is how many requests the crash test makes: over 200 in make test,
// CERTKIOSK_SOAK of them in make soak.
func crashRequests(t *testing.T) int {
	n := 210
	if s := os.Getenv("CERTKIOSK_SOAK"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("CERTKIOSK_SOAK=%q, want a number of requests", s)
		}
		n = v
	}
	return n
}

// buildBinary builds the certkiosk binary: the command line needs no window, so a
// plain build serves. The module's root embeds frontend/dist, which make builds.
func buildBinary(t *testing.T) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(here), "..", "..")
	if _, err := os.Stat(filepath.Join(root, "frontend", "dist")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("frontend/dist is missing; `make test` builds it first: %v", err)
		}
		t.Skipf("frontend/dist is missing (make frontend builds it); the crash test needs the binary")
	}
	bin := filepath.Join(t.TempDir(), "certkiosk")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestCrashExactlyOnce runs `certkiosk queue run --until-empty` as a child process
// against a real IPP printer (ippeveprinter), kills it with SIGKILL at random
// moments, and starts it again until it finds the queue empty and exits by itself.
// Every request must then be done, and every document it printed must be in the
// printer's spool exactly once, counted by job-name; no request lost.
func TestCrashExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test runs child processes for a minute or more")
	}
	n := crashRequests(t)
	bin := buildBinary(t)
	ipp := printingtest.StartIPPEve(t, printingtest.Options{})
	data := t.TempDir()
	seed := uint64(time.Now().UnixNano())
	r := rand.New(rand.NewPCG(seed, 1))
	t.Logf("%d requests; kill moments drawn with seed %d", n, seed)

	// The requests, added as `queue add` adds them: the key file beside the queue.
	ctx := context.Background()
	keys := FileKeyStore{Path: KeyPath(data)}
	q, err := Open(ctx, Path(data), Options{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	people := registrysim.People()
	requests := make([]string, n)
	for i := range n {
		p := people[i%len(people)]
		requests[i] = fmt.Sprintf("CRASH%04d", i)
		mustAdd(t, q, requests[i], p)
	}
	q.Close()

	args := []string{"queue", "run", "--data", data, "--until-empty", "--printer", ipp.URI,
		"--poll", "20ms", "--retention", "24h"}
	deadline := time.Now().Add(15 * time.Minute)
	start := time.Now()
	kills, runs := 0, 0
	for {
		if time.Now().After(deadline) {
			t.Fatalf("the queue is not empty after %v, %d runs and %d kills", time.Since(start), runs, kills)
		}
		var stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = nil, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		runs++
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		// Most kills fall while jobs run; a few let the process get further.
		life := time.Duration(30+r.IntN(370)) * time.Millisecond
		if r.IntN(20) == 0 {
			life = time.Duration(1000+r.IntN(1500)) * time.Millisecond
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("queue run exited by itself with %v:\n%s", err, stderr.String())
			}
		case <-time.After(life):
			cmd.Process.Signal(syscall.SIGKILL)
			err := <-done
			var exit *exec.ExitError
			if errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signaled() {
				kills++
				continue
			}
			if err != nil {
				t.Fatalf("queue run ended with %v:\n%s", err, stderr.String())
			}
		}
		break
	}
	elapsed := time.Since(start)

	q, err = Open(ctx, Path(data), Options{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	jobs := jobsByKey(t, q)
	spooled := map[string]int{}
	for _, s := range ipp.Spooled(t) {
		spooled[s.Name]++
	}
	documents, retaken := 0, 0
	for _, key := range requests {
		if j, ok := jobs[key]; !ok || j.State != StateDone {
			t.Errorf("request %s = %v (%s), want done", key, j.State, j.LastError)
		}
	}
	for key, j := range jobs {
		if j.Kind != KindPrint {
			continue
		}
		documents++
		if j.Attempts > 1 {
			retaken++
		}
		name := printingtest.SpoolName(key)
		if j.State != StateDone || spooled[name] != 1 {
			t.Errorf("%s = %s (%s), in the spool %d times; want done, once", key, j.State, j.LastError, spooled[name])
		}
		delete(spooled, name)
	}
	for name, c := range spooled {
		t.Errorf("the spool holds %d documents named %s, which no job printed", c, name)
	}
	if documents < n {
		t.Errorf("%d documents for %d requests, want at least one each", documents, n)
	}
	t.Logf("%d requests, %d documents printed once each (%d of them started more than once); %d runs, %d killed with SIGKILL; %v",
		n, documents, retaken, runs, kills, elapsed.Round(time.Millisecond))
	if kills < 5 {
		t.Errorf("only %d kills, want the worker killed often", kills)
	}
}
