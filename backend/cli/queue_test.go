package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"certkiosk/backend/registrysim"
)

func TestQueueCommands(t *testing.T) {
	data := t.TempDir()
	add := func(args ...string) result {
		return run(t, "", append([]string{"queue", "add", "--data", data}, args...)...)
	}
	first := add("--subject", "46003150224", "--key", "REQ-1")
	if first.code != 0 || strings.TrimSpace(first.stdout) != "1" {
		t.Fatalf("queue add = exit %d, %q, %s; want job 1", first.code, first.stdout, first.stderr)
	}
	if again := add("--subject", "46003150224", "--key", "REQ-1"); again.stdout != first.stdout {
		t.Errorf("queue add with the same key = %q, want the same job %q", again.stdout, first.stdout)
	}
	if r := add("--profile", "RU-MOW", "--subject", "334-455-667 84"); r.code != 0 || strings.TrimSpace(r.stdout) != "2" {
		t.Errorf("queue add RU-MOW = exit %d, %q, %s; want job 2", r.code, r.stdout, r.stderr)
	}
	errs := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--subject", "46003150225"}, 1, "check digit"},
		{[]string{}, 2, "--subject ID is required"},
		{[]string{"--subject", "46003150224", "--key", "bad key"}, 1, "bad idempotency key"},
	}
	for _, e := range errs {
		if r := add(e.args...); r.code != e.code || !strings.Contains(r.stderr, e.want) {
			t.Errorf("queue add %v = exit %d, %q; want exit %d, %q", e.args, r.code, r.stderr, e.code, e.want)
		}
	}

	if r := run(t, "", "queue", "run", "--data", data, "--until-empty"); r.code != 0 {
		t.Fatalf("queue run --until-empty = exit %d: %s", r.code, r.stderr)
	}
	printed, _ := filepath.Glob(filepath.Join(data, "printed", "*.pdf"))
	if len(printed) != 2 {
		t.Errorf("printed %v, want one certificate for each request", printed)
	}

	list := run(t, "", "queue", "list", "--data", data, "--json")
	if list.code != 0 {
		t.Fatalf("queue list --json = exit %d: %s", list.code, list.stderr)
	}
	lines := decodeLines[map[string]any](t, list.stdout)
	// Two requests, their certificates and their reports, which wait: the demo
	// registry takes none, so the requests are not finished and stay listed.
	if len(lines) != 6 {
		t.Errorf("queue list --json = %d jobs, want 6:\n%s", len(lines), list.stdout)
	}
	for _, l := range lines {
		for _, field := range []string{"id", "kind", "state", "attempts", "next_at", "last_error", "printer_state"} {
			if _, ok := l[field]; !ok {
				t.Errorf("queue list line %v has no %q", l, field)
			}
		}
	}
	for _, p := range registrysim.People() {
		for _, s := range []string{p.Value, p.Name, p.BirthDate} {
			if s != "" && strings.Contains(list.stdout, s) {
				t.Errorf("queue list --json shows %q", s)
			}
		}
	}
	if r := run(t, "", "queue", "list", "--data", data); r.code != 0 || !strings.Contains(r.stdout, "report") {
		t.Errorf("queue list = exit %d, %q", r.code, r.stdout)
	}

	// Staff: cancel a waiting report, and what cannot be done.
	reportID := ""
	for _, l := range lines {
		if l["kind"] == "report" && reportID == "" {
			reportID = strconv.Itoa(int(l["id"].(float64)))
		}
	}
	staff := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"retry", reportID}, 0, ""},
		{[]string{"cancel", reportID}, 0, "1 cancelled"},
		{[]string{"cancel", reportID}, 1, "nothing left to cancel"},
		{[]string{"retry", reportID}, 1, "retry takes a parked or pending job"},
		{[]string{"retry", "999"}, 1, "no such job"},
		{[]string{"retry"}, 2, "give one job id"},
		{[]string{"release", "--claim", "K7Q4-M2XP", "--dob", "1960-03-15"}, 1, "do not match"},
		{[]string{"release", "--claim", "K7Q4", "--dob", "1960-03-15"}, 1, "not a claim code"},
		{[]string{"release", "--claim", "K7Q4"}, 2, "--claim needs --dob"},
		{[]string{"release"}, 2, "give a job id"},
		{[]string{"release", "--subject", "46003150224"}, 0, "nothing held"},
		{[]string{"move", reportID, "--printer", "folder:///tmp"}, 1, "not sent yet"},
		{[]string{"bogus"}, 2, "unknown subcommand"},
	}
	for _, s := range staff {
		r := run(t, "", append([]string{"queue", s.args[0], "--data", data}, s.args[1:]...)...)
		out := r.stdout + r.stderr
		if r.code != s.code || !strings.Contains(out, s.want) {
			t.Errorf("queue %v = exit %d, %q; want exit %d, %q", s.args, r.code, out, s.code, s.want)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "queue.key")); err != nil {
		t.Errorf("no key file beside the queue: %v", err)
	}
}
