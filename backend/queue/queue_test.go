package queue

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/registry"
)

// step is one move of the state machine tests: what is done to the request's job,
// and the state and failures it must be in afterwards (or the error it must give).
type step struct {
	name     string
	do       func(ctx context.Context, q *Queue, l *lease, id int64) error
	want     State
	failures int
	err      error
}

func claimStep(want State) step {
	return step{name: "claim", want: want, do: func(ctx context.Context, q *Queue, l *lease, id int64) error {
		got, ok, err := q.claim(ctx, []Kind{KindIssue})
		if err != nil {
			return err
		}
		if ok {
			*l = got
		}
		return nil
	}}
}

func TestTransitions(t *testing.T) {
	fail := func(want State, failures int) step {
		return step{name: "fail", want: want, failures: failures, do: func(ctx context.Context, q *Queue, l *lease, id int64) error {
			_, err := q.fail(ctx, l, "boom")
			return err
		}}
	}
	finish := step{name: "finish", want: StateDone, do: func(ctx context.Context, q *Queue, l *lease, id int64) error {
		return q.finish(ctx, l)
	}}
	later := step{name: "later", want: StatePending, do: func(ctx context.Context, q *Queue, l *lease, id int64) error {
		return q.later(ctx, l, time.Second, "waiting", "media-empty")
	}}
	park := step{name: "park", want: StateParked, failures: 1, do: func(ctx context.Context, q *Queue, l *lease, id int64) error {
		return q.park(ctx, l, "needs staff")
	}}
	retry := func(want State, err error) step {
		return step{name: "retry", want: want, err: err, do: func(ctx context.Context, q *Queue, l *lease, id int64) error {
			return q.Retry(ctx, id)
		}}
	}
	cancel := func(want State, err error) step {
		return step{name: "cancel", want: want, err: err, do: func(ctx context.Context, q *Queue, l *lease, id int64) error {
			_, err := q.Cancel(ctx, id)
			return err
		}}
	}
	release := func(want State, err error) step {
		return step{name: "release", want: want, err: err, do: func(ctx context.Context, q *Queue, l *lease, id int64) error {
			_, err := q.Release(ctx, id)
			return err
		}}
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"done", []step{claimStep(StateRunning), finish, retry(StateDone, ErrState), cancel(StateDone, ErrState)}},
		{"wait and finish", []step{claimStep(StateRunning), later, claimStep(StatePending), retry(StatePending, nil),
			claimStep(StateRunning), finish}},
		{"parked after three failures", []step{
			claimStep(StateRunning), fail(StatePending, 1),
			retry(StatePending, nil), claimStep(StateRunning), fail(StatePending, 2),
			retry(StatePending, nil), claimStep(StateRunning), fail(StateParked, 3),
			claimStep(StateParked), retry(StatePending, nil), claimStep(StateRunning), finish,
		}},
		{"parked for staff, cancelled", []step{claimStep(StateRunning), park, cancel(StateCancelled, nil),
			retry(StateCancelled, ErrState), claimStep(StateCancelled)}},
		{"cancelled while pending", []step{cancel(StateCancelled, nil), claimStep(StateCancelled)}},
		{"running cannot be cancelled", []step{claimStep(StateRunning), cancel(StateRunning, ErrState), finish}},
		{"release waits for the request", []step{release(StatePending, ErrNotReady)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			clock := newFakeClock()
			q, _ := openTest(t, clock, Options{MaxFailures: 3})
			j := mustAdd(t, q, "K1", person(t, "46003150224"))
			var l lease
			for i, s := range tt.steps {
				err := s.do(ctx, q, &l, j.ID)
				if !errors.Is(err, s.err) || (s.err == nil) != (err == nil) {
					t.Fatalf("step %d %s = %v, want %v", i, s.name, err, s.err)
				}
				got := mustGet(t, q, j.ID)
				if got.State != s.want || got.Failures != s.failures && s.err == nil && s.name == "fail" {
					t.Fatalf("step %d %s: state %s, failures %d; want %s, %d", i, s.name, got.State, got.Failures, s.want, s.failures)
				}
			}
		})
	}
}

// TestLeaseFencing: a worker that lost its lease changes nothing.
func TestLeaseFencing(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	dir := t.TempDir()
	a := openAt(t, dir, clock, Options{Owner: "a", LeaseTTL: time.Minute})
	b := openAt(t, dir, clock, Options{Owner: "b", LeaseTTL: time.Minute})
	j := mustAdd(t, a, "K1", person(t, "46003150224"))
	la, ok, err := a.claim(ctx, []Kind{KindIssue})
	if err != nil || !ok {
		t.Fatalf("a.claim() = %v, %v; want the job", ok, err)
	}
	if _, ok, _ := b.claim(ctx, []Kind{KindIssue}); ok {
		t.Fatalf("b.claim() within a's lease = a job, want none")
	}
	clock.Advance(time.Minute)
	lb, ok, err := b.claim(ctx, []Kind{KindIssue})
	if err != nil || !ok || lb.ID != j.ID || lb.Attempts != 2 {
		t.Fatalf("b.claim() after a's lease = %+v, %v, %v; want job %d, attempt 2", lb.Job, ok, err, j.ID)
	}
	if err := a.finish(ctx, &la); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("a.finish() after takeover = %v, want ErrLeaseLost", err)
	}
	if err := b.finish(ctx, &lb); err != nil {
		t.Errorf("b.finish() = %v", err)
	}
	if got := mustGet(t, a, j.ID); got.State != StateDone || got.LeaseOwner != "" {
		t.Errorf("job after takeover = %s owned by %q, want done", got.State, got.LeaseOwner)
	}
}

// TestDeadOwnerTakeover: the jobs of a worker process of this host that is gone are
// taken over at once, without waiting for the lease.
func TestDeadOwnerTakeover(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	dir := t.TempDir()
	host, _ := os.Hostname()
	host = strings.ReplaceAll(host, "/", "_")
	// A pid that no process has: the highest possible pid is far below this.
	dead := host + "/2147483000/x"
	a := openAt(t, dir, clock, Options{Owner: dead, LeaseTTL: time.Hour})
	j := mustAdd(t, a, "K1", person(t, "46003150224"))
	if _, ok, err := a.claim(ctx, []Kind{KindIssue}); err != nil || !ok {
		t.Fatalf("claim() = %v, %v", ok, err)
	}
	alive := openAt(t, dir, clock, Options{Owner: host + "/1/y", LeaseTTL: time.Hour}) // pid 1 runs
	mustAdd(t, alive, "K2", person(t, "34811020330"))
	if _, ok, err := alive.claim(ctx, []Kind{KindIssue}); err != nil || !ok {
		t.Fatalf("claim() = %v, %v", ok, err)
	}
	b := openAt(t, dir, clock, Options{LeaseTTL: time.Hour})
	l, ok, err := b.claim(ctx, []Kind{KindIssue})
	if err != nil || !ok || l.ID != j.ID {
		t.Fatalf("claim() of a dead owner's job = %v, %v, want job %d", ok, err, j.ID)
	}
	if l, ok, err := b.claim(ctx, []Kind{KindIssue}); err != nil || ok {
		t.Errorf("claim() of a live owner's job = job %d, %v; want none", l.ID, err)
	}
}

func TestAddIdempotent(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	q, _ := openTest(t, clock, Options{})
	mari := person(t, "46003150224")
	first := mustAdd(t, q, "REQ-1", mari)
	again, created, err := q.Add(ctx, Request{Key: "REQ-1", Profile: "EE", Subject: identifier(mari)})
	if err != nil || created || again.ID != first.ID {
		t.Errorf("Add(REQ-1) again = %d, created %v, %v; want job %d, not created", again.ID, created, err, first.ID)
	}
	counts, _ := q.Counts(ctx)
	if counts[StatePending] != 1 {
		t.Errorf("Counts() = %v, want one pending job", counts)
	}
	if _, _, err := q.Add(ctx, Request{Key: "REQ-1", Profile: "EE", Subject: identifier(person(t, "34811020330"))}); !errors.Is(err, ErrBadKey) {
		t.Errorf("Add(REQ-1, another person) = %v, want ErrBadKey", err)
	}
	// Finished and deleted: the key is remembered, the request not carried out again.
	l, _, _ := q.claim(ctx, []Kind{KindIssue})
	if err := q.finish(ctx, &l); err != nil {
		t.Fatal(err)
	}
	if n, err := q.Purge(ctx); err != nil || n != 1 {
		t.Fatalf("Purge() = %d, %v; want 1", n, err)
	}
	after, created, err := q.Add(ctx, Request{Key: "REQ-1", Profile: "EE", Subject: identifier(mari)})
	if err != nil || created || !after.Purged || after.ID != first.ID {
		t.Errorf("Add(REQ-1) after purge = %+v, created %v, %v; want the purged job %d", after, created, err, first.ID)
	}
	bad := []struct {
		name string
		req  Request
		want error
	}{
		{"key with a space", Request{Key: "a b", Profile: "EE", Subject: identifier(mari)}, ErrBadKey},
		{"key too long", Request{Key: strings.Repeat("k", 49), Profile: "EE", Subject: identifier(mari)}, ErrBadKey},
		{"bad check digit", Request{Profile: "EE", Subject: registry.Identifier{System: mari.System, Value: "46003150225"}}, nil},
		{"no profile", Request{Subject: identifier(mari)}, nil},
	}
	for _, b := range bad {
		_, _, err := q.Add(ctx, b.req)
		if err == nil || b.want != nil && !errors.Is(err, b.want) {
			t.Errorf("Add(%s) = %v, want an error (%v)", b.name, err, b.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	b := Backoff{Base: time.Second, Cap: 30 * time.Second}
	ceilings := []struct {
		n    int
		want time.Duration
	}{{0, time.Second}, {1, 2 * time.Second}, {4, 16 * time.Second}, {5, 30 * time.Second}, {60, 30 * time.Second}}
	for _, c := range ceilings {
		if got := b.Ceiling(c.n); got != c.want {
			t.Errorf("Ceiling(%d) = %v, want %v", c.n, got, c.want)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 8 {
		var lo, hi time.Duration = b.Ceiling(n), 0
		for range 2000 {
			d := b.Delay(n, r)
			if d < 0 || d > b.Ceiling(n) {
				t.Fatalf("Delay(%d) = %v, want within [0, %v]", n, d, b.Ceiling(n))
			}
			lo, hi = min(lo, d), max(hi, d)
		}
		// Full jitter: the draws spread over the whole range.
		if c := b.Ceiling(n); lo > c/10 || hi < c*9/10 {
			t.Errorf("Delay(%d) drew within [%v, %v], want spread over [0, %v]", n, lo, hi, c)
		}
	}
}

// TestBackoffOnClock: each failure puts the job off by a backoff drawn within its
// ceiling, measured on the injected clock; nothing sleeps.
func TestBackoffOnClock(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	bo := Backoff{Base: 10 * time.Second, Cap: 80 * time.Second}
	q, _ := openTest(t, clock, Options{Backoff: bo, MaxFailures: 20})
	j := mustAdd(t, q, "K1", person(t, "46003150224"))
	start := time.Now()
	for n := range 6 {
		// Not due before its time: claim finds nothing until the clock gets there.
		got := mustGet(t, q, j.ID)
		if wait := got.NextAt.Sub(clock.Now()); wait > 0 {
			if _, ok, _ := q.claim(ctx, []Kind{KindIssue}); ok {
				t.Fatalf("claim() %v before the job is due = a job, want none", wait)
			}
			clock.Advance(wait)
		}
		l, ok, err := q.claim(ctx, []Kind{KindIssue})
		if err != nil || !ok {
			t.Fatalf("claim() when due = %v, %v", ok, err)
		}
		now := clock.Now()
		if _, err := q.fail(ctx, &l, "boom"); err != nil {
			t.Fatal(err)
		}
		got = mustGet(t, q, j.ID)
		if d := got.NextAt.Sub(now); d < 0 || d > bo.Ceiling(n) {
			t.Errorf("failure %d: next_at in %v, want within [0, %v]", n+1, d, bo.Ceiling(n))
		}
		if got.Failures != n+1 || got.LastError != "boom" {
			t.Errorf("failure %d: failures %d, last error %q", n+1, got.Failures, got.LastError)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("six backoffs took %v of real time, want no sleeping", d)
	}
}

func TestClaimCode(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := newClaimCode()
		if len(c) != 9 || c[4] != '-' {
			t.Fatalf("newClaimCode() = %q, want XXXX-XXXX", c)
		}
		got, err := NormaliseClaimCode(strings.ToLower(strings.ReplaceAll(c, "-", " ")))
		if err != nil || got != c {
			t.Fatalf("NormaliseClaimCode(%q) = %q, %v; want %q", c, got, err, c)
		}
		seen[c] = true
	}
	if len(seen) < 199 {
		t.Errorf("200 claim codes have %d different, want them random", len(seen))
	}
	tests := []struct {
		in, want string
		err      error
	}{
		{"K7Q4-M2XP", "K7Q4-M2XP", nil},
		{"k7q4m2xp", "K7Q4-M2XP", nil},
		{"K7Q4-MZXP", "K7Q4-M2XP", nil}, // Z is read as 2
		{"K7Q4-M2X", "", ErrBadClaimCode},
		{"K7Q4-M2X0", "", ErrBadClaimCode}, // no 0 in the alphabet
		{"K7Q4-M2XPP", "", ErrBadClaimCode},
	}
	for _, tt := range tests {
		got, err := NormaliseClaimCode(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("NormaliseClaimCode(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestFileKeyStore(t *testing.T) {
	dir := t.TempDir()
	ks := FileKeyStore{Path: filepath.Join(dir, "sub", KeyFileName)}
	k1, err := ks.QueueKey(context.Background())
	if err != nil || len(k1) != KeySize {
		t.Fatalf("QueueKey() = %d bytes, %v; want %d", len(k1), err, KeySize)
	}
	k2, err := ks.QueueKey(context.Background())
	if err != nil || string(k1) != string(k2) {
		t.Errorf("QueueKey() again = another key (%v), want the same", err)
	}
	fi, err := os.Stat(ks.Path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	// A key others may read is refused (PRIVACY.md, finding 2).
	for _, mode := range []os.FileMode{0o640, 0o604, 0o660} {
		os.Chmod(ks.Path, mode)
		if _, err := ks.QueueKey(context.Background()); !errors.Is(err, ErrKeyFile) {
			t.Errorf("QueueKey() of a key file of mode %04o = %v, want ErrKeyFile", mode, err)
		}
	}
	os.Chmod(ks.Path, 0o400)
	if k, err := ks.QueueKey(context.Background()); err != nil || string(k) != string(k1) {
		t.Errorf("QueueKey() of a read-only key file (a systemd credential) = %v, want the key", err)
	}
	os.Chmod(ks.Path, 0o600)
	os.WriteFile(ks.Path, []byte("short"), 0o600)
	if _, err := ks.QueueKey(context.Background()); err == nil {
		t.Errorf("QueueKey() of a 5-byte file = nil error, want one")
	}
	// The key never goes into the database.
	q := openAt(t, dir, newFakeClock(), Options{Keys: FileKeyStore{Path: filepath.Join(dir, "k")}})
	mustAdd(t, q, "K1", person(t, "46003150224"))
	key, _ := os.ReadFile(filepath.Join(dir, "k"))
	for _, name := range []string{FileName, FileName + "-wal"} {
		raw, _ := os.ReadFile(filepath.Join(dir, name))
		if strings.Contains(string(raw), string(key)) {
			t.Errorf("%s holds the key", name)
		}
	}
}
