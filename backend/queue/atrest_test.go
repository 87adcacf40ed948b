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

// plaintextIn returns each secret found in the files under dir, with the file.
func plaintextIn(t testing.TB, dir string, skip func(path string) bool) []string {
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
		for _, s := range secrets() {
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
// the folder printer, and greps the raw bytes of the queue file, its WAL and every
// other file in the data folder (the printer's output included) for every demo
// person's names, identifiers and date of birth: while the jobs are kept, and again
// after they were purged.
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
	rig.clock.Advance(time.Hour)
	if _, err := rig.q.Purge(context.Background()); err != nil {
		t.Fatal(err)
	}
	if found := plaintextIn(t, rig.dir, skipRegistry); len(found) > 0 {
		t.Errorf("plaintext at rest after purge:\n%s", strings.Join(found, "\n"))
	}
	rig.q.Close()
	if found := plaintextIn(t, rig.dir, skipRegistry); len(found) > 0 {
		t.Errorf("plaintext at rest after close:\n%s", strings.Join(found, "\n"))
	}
}
