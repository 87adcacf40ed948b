package staff

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"certkiosk/backend/audit"
)

// cheap are parameters that make a hash take microseconds, for tests that hash many
// PINs; DefaultParams is tested on its own.
func cheap() Params { return Params{Time: 1, Memory: 64, Threads: 1, SaltLen: 16, KeyLen: 32} }

// start is the moment the tests' clocks begin.
var start = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// clock is a clock the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: start} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// recorder keeps the events appended, and fails when fail is set.
type recorder struct {
	mu     sync.Mutex
	events []audit.Event
	fail   bool
}

func (r *recorder) Append(ev audit.Event) (audit.Entry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return audit.Entry{}, errors.New("disk full")
	}
	r.events = append(r.events, ev)
	return audit.Entry{Seq: uint64(len(r.events)), Actor: ev.Actor, Action: ev.Action, Details: ev.Details}, nil
}

// summary returns the events as "kind/id action reason" lines.
func (r *recorder) summary() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, ev := range r.events {
		s := string(ev.Actor.Kind) + "/" + ev.Actor.ID + " " + string(ev.Action)
		if reason := ev.Details[audit.DetailReason]; reason != "" {
			s += " " + reason
		}
		out = append(out, s)
	}
	return out
}

func (r *recorder) last() string {
	s := r.summary()
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

// The test accounts, one per role and one with two; PINs as typed.
var testAccounts = []struct {
	account Account
	pin     string
}{
	{Account{ID: "lib-1", Name: "Anna Kask", Roles: []Role{RoleLibrarian}}, "482916"},
	{Account{ID: "clerk-1", Name: "Ольга Смирнова", Roles: []Role{RoleClerk}}, "731905"},
	{Account{ID: "member-1", Name: "Rəşad Əliyev", Roles: []Role{RoleCommissionMember}}, "650284"},
	{Account{ID: "admin-1", Name: "Jaan Tamm", Roles: []Role{RoleAdministrator}}, "913372"},
	{Account{ID: "clerk-2", Name: "Pille Saar", Roles: []Role{RoleClerk, RoleCommissionMember}}, "270648"},
}

// rig is a store with the test accounts and an Authenticator over it.
type rig struct {
	dir   string
	clock *clock
	rec   *recorder
	store *Store
	auth  *Authenticator
}

func newRig(t *testing.T, o AuthOptions) *rig {
	t.Helper()
	r := &rig{dir: t.TempDir(), clock: newClock(), rec: &recorder{}}
	var err error
	r.store, err = OpenStore(r.dir, StoreOptions{Now: r.clock.Now, Params: cheap()})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range testAccounts {
		if err := r.store.Add(a.account, []byte(a.pin)); err != nil {
			t.Fatalf("Add(%s) = %v", a.account.ID, err)
		}
	}
	r.auth = r.newAuth(t, o)
	return r
}

// newAuth returns another Authenticator over the rig's store (a restart, or another
// kiosk sharing the file).
func (r *rig) newAuth(t *testing.T, o AuthOptions) *Authenticator {
	t.Helper()
	if o.Recorder == nil {
		o.Recorder = r.rec
	}
	if o.Now == nil {
		o.Now = r.clock.Now
	}
	a, err := NewAuthenticator(r.store, o)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// reopen opens the store again from its folder, as a restarted kiosk does.
func (r *rig) reopen(t *testing.T, o AuthOptions) {
	t.Helper()
	var err error
	r.store, err = OpenStore(r.dir, StoreOptions{Now: r.clock.Now, Params: cheap()})
	if err != nil {
		t.Fatal(err)
	}
	r.auth = r.newAuth(t, o)
}

func pinOf(id string) string {
	for _, a := range testAccounts {
		if a.account.ID == id {
			return a.pin
		}
	}
	panic("no test account " + id)
}

func (r *rig) login(t *testing.T, id string) Session {
	t.Helper()
	s, err := r.auth.Login(t.Context(), id, []byte(pinOf(id)))
	if err != nil {
		t.Fatalf("Login(%s, right PIN) = %v", id, err)
	}
	return s
}

// vector is a line of testdata/phc.txt.
type vector struct {
	ok       bool
	pin, phc string
	line     int
}

func readVectors(t testing.TB) []vector {
	t.Helper()
	f, err := os.Open("testdata/phc.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []vector
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) == 0 || strings.HasPrefix(fields[0], "#"):
		case fields[0] == "ok" && len(fields) == 3:
			out = append(out, vector{ok: true, pin: fields[1], phc: fields[2], line: n})
		case fields[0] == "bad" && len(fields) == 2:
			out = append(out, vector{phc: fields[1], line: n})
		default:
			t.Fatalf("testdata/phc.txt:%d: malformed line", n)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
