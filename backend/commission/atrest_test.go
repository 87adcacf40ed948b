package commission

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// secrets are the applicant's data in every form they were typed or printed in.
func secrets() []string {
	return []string{testName, "Петрова", "Анна Сергеевна", "PETROVA", "ANNA<SERGEEVNA", testSNILS, testSNILSRaw,
		"112-233-445", testBirth, "19570902", testLab}
}

// TestNothingInClear runs cases through every stage and reads the register's
// files — the database, its WAL and its shared-memory file — byte by byte: no name,
// identifier, date of birth or laboratory may be found in them.
func TestNothingInClear(t *testing.T) {
	e := newEnv(t)
	is := e.toStage(t, StageIssued)
	e.toStage(t, StageResult) // a second, open case of the same applicant
	if is.UVCI == "" {
		t.Fatal("no certificate issued")
	}
	db := filepath.Join(e.dir, FileName)
	files := []string{db, db + "-wal", db + "-shm"}
	check := func(when string, paths []string) {
		uvci := false // the UVCI is kept in clear: finding it shows the bytes read are the data
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			if len(data) == 0 {
				t.Fatalf("%s: %s is empty: nothing was checked", when, p)
			}
			for _, s := range secrets() {
				if bytes.Contains(data, []byte(s)) {
					t.Errorf("%s: %s holds %q in clear", when, filepath.Base(p), s)
				}
			}
			uvci = uvci || bytes.Contains(data, []byte(is.UVCI))
		}
		if !uvci {
			t.Errorf("%s: the UVCI is in none of %v: the files read do not hold the register", when, paths)
		}
	}
	check("while open", files)
	for _, p := range []string{db, filepath.Join(e.dir, KeyFileName)} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
	if err := e.svc.Close(); err != nil {
		t.Fatal(err)
	}
	check("after close", []string{db})
}

// TestSealBoundToCase: a sealed value copied onto another case does not open, so
// rows cannot be swapped to pass one applicant's data off as another's.
func TestSealBoundToCase(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	first := e.toStage(t, StageApplied)
	second := must[Case](t, "Apply")(e.svc.Apply(ctx, clerk, Application{
		System: "oms", Identifier: "1234567890123456", Name: "Семёнов Пётр", BirthDate: "1961-01-30"}))
	if _, err := e.svc.st.db.Exec(`UPDATE cases SET person = (SELECT person FROM cases WHERE id = 1) WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Case(ctx, clerk, second.ID); !errors.Is(err, ErrSealed) {
		t.Errorf("Case(%s) with %s's sealed data = %v, want ErrSealed", second.ID, first.ID, err)
	}
	if _, err := e.svc.Case(ctx, clerk, first.ID); err != nil {
		t.Errorf("Case(%s) = %v", first.ID, err)
	}
}

// TestWrongKey: the register opened under another key opens nothing.
func TestWrongKey(t *testing.T) {
	e := newEnv(t)
	c := e.toStage(t, StageApplied)
	e.svc.Close()
	if err := os.Remove(filepath.Join(e.dir, KeyFileName)); err != nil {
		t.Fatal(err)
	}
	other := open(t, e.dir) // makes a new key
	if _, err := other.svc.Case(context.Background(), clerk, c.ID); !errors.Is(err, ErrSealed) {
		t.Errorf("Case() under a new key = %v, want ErrSealed", err)
	}
}
