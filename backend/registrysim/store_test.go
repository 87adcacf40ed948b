package registrysim

import (
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileIsWALWithFullSync(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "folder not yet made?#", FileName)
	r, err := Open(path, testStart)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	defer r.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the registry file is not at %s: %v", path, err)
	}
	var sync int
	if err := r.db.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
		t.Errorf("PRAGMA synchronous = %d (%v), want 2 (FULL)", sync, err)
	}
	// The journal mode is the file's: its header says WAL (versions 2 at offsets 18
	// and 19; sqlite's "Database File Format", "File format version numbers"), and a
	// connection of its own finds WAL too.
	header := make([]byte, 100)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadFull(f, header)
	f.Close()
	if err != nil || header[18] != 2 || header[19] != 2 {
		t.Errorf("file header versions %d, %d (%v); want 2, 2 (WAL)", header[18], header[19], err)
	}
	abs, _ := filepath.Abs(path)
	other, err := sql.Open("sqlite3", fileURI(abs, "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var mode string
	if err := other.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("PRAGMA journal_mode = %q (%v), want wal", mode, err)
	}
	var version int
	if err := other.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != 2 {
		t.Errorf("PRAGMA user_version = %d (%v), want 2", version, err)
	}
}

// TestSearchesUseIndexes asks sqlite how it runs each search: by an index, never by
// reading the whole table.
func TestSearchesUseIndexes(t *testing.T) {
	r := openTest(t, testStart)
	tests := []struct {
		q     query
		index string
	}{
		{patientQuery(Local, systemSNILS, "11223344595"), "resource_by_identifier"},
		{patientQuery(Local, "", "11223344595"), "resource_by_identifier"},
		{recordQuery(Local, "Immunization", "ee-1001"), "resource_by_patient"},
		{recordQuery(Federal, "Observation", "ru-2003"), "resource_by_patient"},
	}
	for _, tt := range tests {
		rows, err := r.db.Query(`EXPLAIN QUERY PLAN SELECT type, id, body FROM resource WHERE `+tt.q.cond+` ORDER BY rowid`, tt.q.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		if got := strings.Join(plan, "; "); !strings.Contains(got, "USING INDEX "+tt.index) {
			t.Errorf("plan for %q is %q, want one using %s", tt.q.cond, got, tt.index)
		}
	}
}

// TestReopenReseeds opens the same file twice: the second Open replaces the seed rather
// than adding to it.
func TestReopenReseeds(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	count := func() int {
		r, err := Open(path, testStart)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var n int
		if err := r.db.QueryRow(`SELECT count(*) FROM resource`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	first, second := count(), count()
	rows, err := seedResources(testStart)
	if err != nil {
		t.Fatal(err)
	}
	if first != len(rows) || second != len(rows) {
		t.Errorf("rows after the first and second Open: %d, %d; want %d each", first, second, len(rows))
	}
}

func TestOpenRefusesAFileThatIsNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, testStart)
	if err == nil {
		r.Close()
		t.Fatalf("Open(%s) of a text file succeeded", path)
	}
	if !strings.HasPrefix(err.Error(), "registrysim: ") || !strings.Contains(err.Error(), path) {
		t.Errorf("Open error %q does not name the package and the file", err)
	}
}

func TestReadAllKeepsOrderAndSkipsUnknown(t *testing.T) {
	r := openTest(t, testStart)
	got, err := r.readAll(context.Background(), Local, "Organization", []string{"org-parnu", "org-nowhere", "org-tkh"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range got {
		ids = append(ids, s.id)
	}
	if strings.Join(ids, ",") != "org-parnu,org-tkh" {
		t.Errorf("readAll = %v, want [org-parnu org-tkh]", ids)
	}
}
