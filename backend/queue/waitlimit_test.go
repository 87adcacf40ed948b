package queue

import (
	"context"
	"testing"
	"time"

	"certkiosk/backend/registrysim"
)

// sealedRows counts the rows of sealed personal data in q.
func sealedRows(t *testing.T, q *Queue) int {
	t.Helper()
	var n int
	if err := q.rdb.QueryRow("SELECT count(*) FROM sealed").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWaitLimit: a request accepted while the registry was down, whose resident
// never comes back, waits held no longer than the wait limit; then it is cancelled
// and its personal data deleted (docs/PRIVACY.md, finding 3). A request still
// pending offline past the limit goes the same way.
func TestWaitLimit(t *testing.T) {
	ctx := context.Background()
	limit := 7 * 24 * time.Hour
	rig := newRig(t, Options{WaitLimit: limit, Backoff: Backoff{Base: time.Second, Cap: time.Minute}})
	rig.sim.Registry.SetFaults(registrysim.Local, registrysim.Faults{Down: true})
	mustAdd(t, rig.q, "H1", person(t, "46003150224"))
	rig.runSome(t, 5) // the claim receipt
	rig.sim.Registry.SetFaults(registrysim.Local, registrysim.Faults{})
	rig.clock.Advance(time.Minute)
	rig.runUntilEmpty(t)
	jobs := jobsByKey(t, rig.q)
	if jobs["H1-c1"].State != StateHeld {
		t.Fatalf("H1-c1 = %s, want held", jobs["H1-c1"].State)
	}

	// Still within the limit: kept.
	rig.clock.Advance(limit - time.Hour)
	if _, err := rig.q.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	if j := jobsByKey(t, rig.q)["H1-c1"]; j.State != StateHeld {
		t.Fatalf("H1-c1 within the wait limit = %s, want held", j.State)
	}

	// A second request accepted offline, never looked up.
	rig.sim.Registry.SetFaults(registrysim.Local, registrysim.Faults{Down: true})
	mustAdd(t, rig.q, "H2", person(t, "34811020330"))
	rig.runSome(t, 3)
	if j := jobsByKey(t, rig.q)["H2"]; j.State != StatePending || !j.Claimed {
		t.Fatalf("H2 with the registry down = %s, claimed %v; want pending, claimed", j.State, j.Claimed)
	}

	rig.clock.Advance(2 * time.Hour) // H1's certificate has waited past the limit
	if _, err := rig.q.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	jobs = jobsByKey(t, rig.q)
	if _, ok := jobs["H1-c1"]; ok {
		t.Errorf("H1-c1 past the wait limit = %s (%s), want cancelled and purged", jobs["H1-c1"].State, jobs["H1-c1"].LastError)
	}
	if _, ok := jobs["H1"]; ok {
		t.Errorf("H1 is still in the queue past the wait limit")
	}
	if j := jobs["H2"]; j.State != StatePending {
		t.Errorf("H2 within the wait limit = %s, want pending", j.State)
	}

	rig.clock.Advance(limit)
	if _, err := rig.q.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	if jobs := jobsByKey(t, rig.q); len(jobs) != 0 {
		t.Errorf("past the wait limit the queue holds %d jobs, want none", len(jobs))
	}
	if n := sealedRows(t, rig.q); n != 0 {
		t.Errorf("past the wait limit the queue holds %d sealed rows, want none", n)
	}
	var kept int
	if err := rig.q.rdb.QueryRow("SELECT count(*) FROM reprint WHERE data IS NOT NULL").Scan(&kept); err != nil || kept != 0 {
		t.Errorf("past the wait limit the queue keeps %d documents for reprints (%v), want none", kept, err)
	}
}
