package queue

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"certkiosk/backend/printing"
	"certkiosk/backend/registrysim"
)

// secrets lists what must never be found in plaintext at rest for the demo people:
// names (whole and each part long enough not to turn up by chance in random bytes),
// identifiers as typed and as stored, and dates of birth.
func secrets() []string {
	var out []string
	for _, p := range registrysim.People() {
		out = append(out, p.Value, strings.NewReplacer("-", "", " ", "").Replace(p.Value))
		if p.BirthDate != "" {
			out = append(out, p.BirthDate)
		}
		if p.Name != "" {
			out = append(out, p.Name)
			for _, part := range strings.Fields(p.Name) {
				if len(part) >= 4 && utf8.RuneCountInString(part) >= 3 {
					out = append(out, part)
				}
			}
		}
	}
	return out
}

// plaintextIn returns each secret (and each of more) found in the files under dir,
// with the file.
func plaintextIn(t testing.TB, dir string, skip func(path string) bool, more ...string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || skip(path) {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range append(secrets(), more...) {
			if bytes.Contains(raw, []byte(s)) {
				found = append(found, fmt.Sprintf("%q in %s", s, filepath.Base(path)))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestNoPlaintextAtRest runs every demo person through the queue, half of them while
// the registry is down (so that claim codes and dates of birth are kept), prints on
// the folder printer, has every request's documents printed again as copies, and
// greps the raw bytes of the queue file, its WAL and every other file in the data
// folder (the printer's output included) for every demo person's names, identifiers
// and date of birth, and the queue's files for the certificates' UVCIs: while the jobs
// are kept, after they were purged, and after the reprint window.
func TestNoPlaintextAtRest(t *testing.T) {
	rig := newRig(t, Options{Retention: time.Hour})
	folder, err := printing.NewFolder(filepath.Join(rig.dir, "printed"), printing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rig.w.Printers = func(string) (printing.Printer, error) { return folder, nil }
	people := registrysim.People()
	rig.sim.Registry.SetFaults(registrysim.Local, registrysim.Faults{Down: true})
	for i, p := range people[:len(people)/2] {
		mustAdd(t, rig.q, fmt.Sprintf("A%02d", i), p)
	}
	rig.runSome(t, 3*len(people))
	rig.sim.Registry.SetFaults(registrysim.Local, registrysim.Faults{})
	for i, p := range people[len(people)/2:] {
		mustAdd(t, rig.q, fmt.Sprintf("B%02d", i), p)
	}
	rig.runUntilEmpty(t)

	// The test is not vacuous: the queue holds the data, sealed.
	jobs := jobsByKey(t, rig.q)
	held, sealed := 0, 0
	for _, j := range jobs {
		if j.State == StateHeld {
			held++
		}
		if _, err := rig.q.getSealed(context.Background(), j.ID, j.Key); err == nil {
			sealed++
		}
	}
	if held == 0 || sealed < len(people) {
		t.Fatalf("queue holds %d held jobs and %d sealed values, want some of each", held, sealed)
	}
	if _, err := os.Stat(filepath.Join(rig.dir, FileName+"-wal")); err != nil {
		t.Fatalf("no WAL beside the queue while it is open: %v", err)
	}
	skipRegistry := func(path string) bool { return filepath.Base(path) == registrysim.FileName }
	if found := plaintextIn(t, rig.dir, skipRegistry); len(found) > 0 {
		t.Errorf("plaintext at rest while the jobs are kept:\n%s", strings.Join(found, "\n"))
	}
	for _, j := range jobs {
		if j.State == StateHeld {
			if _, err := rig.q.Release(context.Background(), j.Parent); err != nil {
				t.Fatal(err)
			}
		}
	}
	rig.runUntilEmpty(t)
	ctx := context.Background()
	for _, j := range jobsByKey(t, rig.q) {
		if j.Kind != KindIssue {
			continue
		}
		if _, err := rig.q.Reprint(ctx, rig.w.Services, j.ID, ""); err != nil {
			t.Errorf("Reprint(%s) = %v", j.Key, err)
		}
	}
	rig.runUntilEmpty(t)
	var kept, copies int
	rig.q.rdb.QueryRow("SELECT count(data) FROM reprint").Scan(&kept)
	rig.q.rdb.QueryRow("SELECT count(*) FROM job WHERE copy_of != 0 AND state = 'done'").Scan(&copies)
	if kept < len(people) || copies < len(people) {
		t.Fatalf("the queue keeps %d documents for reprints and printed %d copies, want one at least per person", kept, copies)
	}
	var uvcis []string
	for _, r := range rig.reporter.reports {
		uvcis = append(uvcis, r.Certificates...)
	}
	if len(uvcis) == 0 {
		t.Fatal("no certificate was reported")
	}
	queueFiles := func(path string) bool { return !strings.HasPrefix(filepath.Base(path), FileName) }
	if found := plaintextIn(t, rig.dir, queueFiles, uvcis...); len(found) > 0 {
		t.Errorf("plaintext in the queue with the copies kept:\n%s", strings.Join(found, "\n"))
	}
	rig.clock.Advance(time.Hour)
	if _, err := rig.q.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	if found := plaintextIn(t, rig.dir, skipRegistry); len(found) > 0 {
		t.Errorf("plaintext at rest after purge:\n%s", strings.Join(found, "\n"))
	}
	rig.clock.Advance(DefaultReprintWindow)
	if _, err := rig.q.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	var rows int
	rig.q.rdb.QueryRow("SELECT count(data), (SELECT count(*) FROM job) + (SELECT count(*) FROM sealed) FROM reprint").Scan(&kept, &rows)
	if kept != 0 || rows != 0 {
		t.Errorf("after the reprint window: %d documents kept for reprints, %d job and sealed rows; want none", kept, rows)
	}
	if found := plaintextIn(t, rig.dir, queueFiles, uvcis...); len(found) > 0 {
		t.Errorf("plaintext in the queue after the reprint window:\n%s", strings.Join(found, "\n"))
	}
	rig.q.Close()
	if found := plaintextIn(t, rig.dir, skipRegistry); len(found) > 0 {
		t.Errorf("plaintext at rest after close:\n%s", strings.Join(found, "\n"))
	}
}
