package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/audit"
)

// auditLog writes a log of n entries in a new data folder and returns the folder, the
// log's lines and its head.
func auditLog(t *testing.T, n int) (string, [][]byte, audit.Head) {
	t.Helper()
	dir := t.TempDir()
	now := issueTime
	clock := func() time.Time { now = now.Add(time.Second); return now }
	l, err := audit.Open(context.Background(), dir, audit.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i := range n {
		ev := audit.Event{
			Actor:   audit.Actor{Kind: audit.ActorResidentSession, ID: fmt.Sprintf("s-%d", i/3)},
			Action:  audit.ActionIssued,
			Person:  audit.Identifier{System: "urn:ee:personal-code", Value: "48801014221"},
			Details: map[string]string{audit.DetailUVCI: fmt.Sprintf("URN:UVCI:01:EE:%05d#K", i)},
		}
		if _, err := l.Append(ev); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, audit.LogName))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	return dir, lines[:len(lines)-1], l.Head()
}

func TestAuditVerifyIntact(t *testing.T) {
	dir, _, head := auditLog(t, 20)
	want := fmt.Sprintf("audit: 20 entries, chain intact, head 20 %s\n", head.Hash)
	for _, args := range [][]string{
		{"audit", "verify", "--data", dir},
		{"audit", "verify", "--file", filepath.Join(dir, audit.LogName)},
		{"audit", "verify", "--data", dir, "--head", fmt.Sprintf("%d:%s", head.Seq, head.Hash)},
		{"audit", "verify", "--file", filepath.Join(dir, audit.LogName), "--head", "7:" + lineHash(t, dir, 7)},
	} {
		r := run(t, "", args...)
		if r.code != 0 || r.stdout != want {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 0, %q", strings.Join(args, " "), r.code, r.stdout, r.stderr, want)
		}
	}
}

func TestAuditVerifyTampered(t *testing.T) {
	const n = 20
	tests := []struct {
		name   string
		tamper func(lines [][]byte) [][]byte
		entry  string // how the fault names the entry
		what   string
	}{
		{"edited", func(ls [][]byte) [][]byte {
			ls[6] = bytes.Replace(ls[6], []byte("00006#K"), []byte("99999#K"), 1)
			return ls
		}, "line 7 (entry 7)", "edited"},
		{"deleted first", func(ls [][]byte) [][]byte { return ls[1:] }, "line 1 (entry 2)", "entry 1 is missing"},
		{"deleted middle", func(ls [][]byte) [][]byte { return append(ls[:9:9], ls[10:]...) }, "line 10 (entry 11)", "entry 10 is missing"},
		{"deleted last", func(ls [][]byte) [][]byte { return ls[:n-1] }, "line 20 (entry 20)", "entry 20 is missing"},
		{"swapped adjacent", func(ls [][]byte) [][]byte {
			ls[4], ls[5] = ls[5], ls[4]
			return ls
		}, "line 5 (entry 6)", "entry 5 belongs here and is at line 6"},
		{"swapped apart", func(ls [][]byte) [][]byte {
			ls[2], ls[16] = ls[16], ls[2]
			return ls
		}, "line 3 (entry 17)", "entry 3 belongs here and is at line 17"},
		{"torn last line", func(ls [][]byte) [][]byte {
			ls[n-1] = ls[n-1][:50]
			return ls
		}, "line 20 (entry 20)", "torn last line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, lines, _ := auditLog(t, n)
			tampered := bytes.Join(tt.tamper(lines), nil)
			if err := os.WriteFile(filepath.Join(dir, audit.LogName), tampered, 0o600); err != nil {
				t.Fatal(err)
			}
			r := run(t, "", "audit", "verify", "--data", dir)
			if r.code != 1 || !strings.Contains(r.stdout, tt.entry) || !strings.Contains(r.stdout, tt.what) {
				t.Errorf("audit verify: exit %d, stdout %q, stderr %q; want exit 1 naming %q, saying %q", r.code, r.stdout, r.stderr, tt.entry, tt.what)
			}
			if strings.Count(r.stdout, "\n") != 1 {
				t.Errorf("audit verify printed %q, want one line", r.stdout)
			}
		})
	}
}

// TestAuditVerifyFileAndHead: a copy of the log verified on its own cannot show its
// last entries removed; a head exported earlier can.
func TestAuditVerifyFileAndHead(t *testing.T) {
	dir, lines, head := auditLog(t, 10)
	short := filepath.Join(t.TempDir(), "copy.log")
	if err := os.WriteFile(short, bytes.Join(lines[:8], nil), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", "audit", "verify", "--file", short); r.code != 0 || !strings.HasPrefix(r.stdout, "audit: 8 entries, chain intact, head 8 ") {
		t.Errorf("audit verify --file (8 of 10): exit %d, %q, want exit 0 and 8 entries", r.code, r.stdout)
	}
	r := run(t, "", "audit", "verify", "--file", short, "--head", head.String())
	if r.code != 1 || !strings.Contains(r.stdout, "line 9 (entry 9): entries 9 to 10 are missing") {
		t.Errorf("audit verify --file --head: exit %d, %q, want exit 1 naming entries 9 to 10", r.code, r.stdout)
	}
	os.Remove(filepath.Join(dir, audit.HeadName))
	r = run(t, "", "audit", "verify", "--data", dir)
	if r.code != 1 || !strings.Contains(r.stdout, "audit.head is missing") {
		t.Errorf("audit verify without a head file: exit %d, %q, want exit 1 saying the head file is missing", r.code, r.stdout)
	}
}

func TestAuditVerifyUsage(t *testing.T) {
	dir, _, _ := auditLog(t, 1)
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"audit"}, 2},
		{[]string{"audit", "rewrite"}, 2},
		{[]string{"audit", "-h"}, 0},
		{[]string{"audit", "verify", "-h"}, 0},
		{[]string{"audit", "verify", "--data", dir, "extra"}, 2},
		{[]string{"audit", "verify", "--data", dir, "--head", "seven"}, 2},
		{[]string{"audit", "verify", "--data", t.TempDir()}, 1},
		{[]string{"audit", "verify", "--file", filepath.Join(dir, "no-such.log")}, 1},
	}
	for _, tt := range tests {
		r := run(t, "", tt.args...)
		if r.code != tt.code {
			t.Errorf("%s: exit %d (stdout %q, stderr %q), want %d", strings.Join(tt.args, " "), r.code, r.stdout, r.stderr, tt.code)
		}
		if tt.code != 0 && r.stderr == "" {
			t.Errorf("%s: nothing on stderr", strings.Join(tt.args, " "))
		}
	}
}

// lineHash returns the hash of the entry on line n of the data folder's log.
func lineHash(t *testing.T, dir string, n int) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, audit.LogName))
	if err != nil {
		t.Fatal(err)
	}
	var e audit.Entry
	if err := e.UnmarshalJSON(bytes.SplitAfter(data, []byte("\n"))[n-1]); err != nil {
		t.Fatal(err)
	}
	return e.Hash.String()
}
