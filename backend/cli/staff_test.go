package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/staff"
)

func TestStaffCommands(t *testing.T) {
	data := t.TempDir()
	const pin = "582931"
	typed := []string{pin, "770413", "394857"}
	var outputs []string
	staffRun := func(stdin string, args ...string) result {
		r := run(t, stdin, append([]string{"staff", args[0], "--data", data}, args[1:]...)...)
		outputs = append(outputs, r.stdout, r.stderr)
		return r
	}

	steps := []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{pin + "\n", []string{"add", "--id", "lib-1", "--role", "librarian", "--name", "Anna Kask"}, 0, "added lib-1 (librarian)"},
		{"770413\r\n770413\r\n", []string{"add", "--id", "clerk-1", "--role", "commission-member,clerk"}, 0, "added clerk-1 (clerk, commission-member)"},
		{pin + "\n", []string{"add", "--id", "lib-1", "--role", "librarian"}, 1, "account exists"},
		{"", []string{"add", "--id", "lib-2", "--role", "librarian"}, 2, "no PIN on stdin"},
		{"394857\n394858\n", []string{"add", "--id", "lib-2", "--role", "librarian"}, 2, "the two PINs on stdin differ"},
		{"123456\n", []string{"add", "--id", "lib-2", "--role", "librarian"}, 1, "straight run of digits"},
		{pin + "\n", []string{"add", "--id", "lib-2", "--role", "root"}, 2, `role "root" is not one of`},
		{pin + "\n", []string{"add", "--id", "Anna Kask", "--role", "librarian"}, 1, "a staff id is made of"},
		{"", []string{"add", "--id", "lib-2", "--role", "librarian", "394857"}, 2, "the PIN is read from stdin, never from the command line"},
		{"", []string{"add", "--id", "lib-2", "--role", "librarian", "--pin", "394857"}, 2, "flag provided but not defined: -pin"},
		{"", []string{"add", "--role", "librarian"}, 2, "--id ID and --role ROLE are required"},
		{"", []string{"unlock"}, 2, "give one staff id"},
		{"", []string{"unlock", "nobody"}, 1, "no such account"},
		{"", []string{"bogus"}, 2, "unknown subcommand"},
	}
	for _, s := range steps {
		r := staffRun(s.stdin, s.args...)
		if r.code != s.code || !strings.Contains(r.stdout+r.stderr, s.want) {
			t.Errorf("staff %v = exit %d, %q %q; want exit %d, %q", s.args, r.code, r.stdout, r.stderr, s.code, s.want)
		}
	}

	list := staffRun("", "list")
	for _, want := range []string{"lib-1", "Anna Kask", "librarian", "clerk-1", "clerk,commission-member"} {
		if !strings.Contains(list.stdout, want) {
			t.Errorf("staff list = %q, want it to show %q", list.stdout, want)
		}
	}

	// Lock lib-1 through failed logins at the kiosk, then unlock it from the command
	// line.
	store, err := staff.OpenStore(data, staff.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	now := issueTime
	auth, err := staff.NewAuthenticator(store, staff.AuthOptions{Recorder: discardRecorder{}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		auth.Login(t.Context(), "lib-1", []byte("394857"))
		now = now.Add(time.Hour)
	}
	lines := decodeLines[staffLine](t, staffRun("", "list", "--json").stdout)
	if len(lines) != 2 || lines[1].ID != "lib-1" || !lines[1].Locked || lines[1].Failures != 10 {
		t.Fatalf("staff list --json = %+v, want lib-1 locked after 10 failures", lines)
	}
	if r := staffRun("", "unlock", "lib-1"); r.code != 0 || r.stdout != "unlocked lib-1\n" {
		t.Errorf("staff unlock lib-1 = exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if a, err := store.Account("lib-1"); err != nil || a.Locked || a.Failures != 0 {
		t.Errorf("after unlock, lib-1 = %+v, %v; want unlocked", a, err)
	}
	if r := staffRun("", "remove", "clerk-1"); r.code != 0 || r.stdout != "removed clerk-1\n" {
		t.Errorf("staff remove clerk-1 = exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if lines := decodeLines[staffLine](t, staffRun("", "list", "--json").stdout); len(lines) != 1 {
		t.Errorf("after remove, %d accounts, want 1", len(lines))
	}

	// No PIN, right or refused, is printed or kept in the clear anywhere; the hashes
	// are not printed either.
	for _, out := range outputs {
		for _, p := range typed {
			if strings.Contains(out, p) {
				t.Errorf("output %q repeats the PIN %s", out, p)
			}
		}
		if strings.Contains(out, "$argon2id$") {
			t.Errorf("output %q shows a PIN hash", out)
		}
	}
	entries, err := os.ReadDir(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join(data, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range typed {
			if strings.Contains(string(raw), p) {
				t.Errorf("%s holds the PIN %s", e.Name(), p)
			}
		}
	}
	if fi, err := os.Stat(filepath.Join(data, staff.FileName)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("staff.json: %v, %v; want mode 0600", fi.Mode(), err)
	}
}

// discardRecorder records nothing.
type discardRecorder struct{}

func (discardRecorder) Append(ev audit.Event) (audit.Entry, error) { return audit.Entry{}, nil }
