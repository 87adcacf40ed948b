package audit

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestDirSince: the folder of a log held open elsewhere hands out the entries after a
// sequence number, leaves a line being appended for later, has nothing before its
// first entry, and hands out nothing of a tampered log.
func TestDirSince(t *testing.T) {
	empty := t.TempDir()
	if got, err := Dir(empty).Since(0); err != nil || len(got) != 0 {
		t.Errorf("Dir(no log).Since(0) = %d entries, %v; want none, nil", len(got), err)
	}

	dir, entries := writeLog(t, 5)
	got, err := Dir(dir).Since(2)
	if err != nil || len(got) != 3 || got[0].Seq != 3 || got[2].Hash != entries[4].Hash {
		t.Fatalf("Dir.Since(2) = %d entries, %v; want entries 3 to 5", len(got), err)
	}

	// A line half written by the Log that appends now.
	path := filepath.Join(dir, LogName)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte(`{"seq":6,"time":`))
	f.Close()
	if got, err := Dir(dir).Since(4); err != nil || len(got) != 1 || got[0].Seq != 5 {
		t.Errorf("Dir.Since(4) with a line being appended = %d entries, %v; want entry 5", len(got), err)
	}

	// An entry edited: nothing is handed out.
	data := readLog(t, dir)
	lines := splitLines(data)
	edited := append([]byte(nil), lines[1]...)
	edited[len(edited)-3] ^= 1 // in the hash
	tampered := append(append([]byte(nil), lines[0]...), edited...)
	for _, l := range lines[2:5] {
		tampered = append(tampered, l...)
	}
	os.WriteFile(path, tampered, 0o600)
	var fault *Fault
	if got, err := Dir(dir).Since(0); !errors.As(err, &fault) || got != nil {
		t.Errorf("Dir.Since(0) of a tampered log = %d entries, %v; want a *Fault", len(got), err)
	}

	// Cut short under its head file.
	os.WriteFile(path, append(append([]byte(nil), lines[0]...), lines[1]...), 0o600)
	if _, err := Dir(dir).Since(0); !errors.Is(err, ErrMissing) && !errors.Is(err, ErrAnchor) {
		t.Errorf("Dir.Since(0) of a log cut short = %v, want ErrMissing or ErrAnchor", err)
	}
}
