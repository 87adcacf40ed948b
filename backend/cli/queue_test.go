package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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

	// Reports go to a registry that takes none, so they are parked: the staff
	// commands below need jobs left in the queue.
	noReports := httptest.NewServer(http.NotFoundHandler())
	defer noReports.Close()
	if r := run(t, "", "queue", "run", "--data", data, "--until-empty", "--report", noReports.URL+"/fhir"); r.code != 0 {
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
	// Two requests, their certificates and their reports, parked, so the requests
	// are not finished and stay listed.
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

// runAt is run with the command's clock at now.
func runAt(t *testing.T, ctx context.Context, now time.Time, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Now: func() time.Time { return now }}
	code := env.Run(ctx, args)
	return result{code, stdout.String(), stderr.String()}
}

// pdfText returns the text layer of a PDF file, as pdftotext reads it.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (Debian package poppler-utils)")
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// TestQueueReprint prints a certificate, then a copy of it by its request's id and
// by its UVCI: the copies say COPY in the profile's languages, the original does not;
// after the reprint window the copy is refused.
func TestQueueReprint(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	if r := run(t, "", "queue", "add", "--data", data, "--subject", "46003150224", "--key", "REQ-1"); r.code != 0 {
		t.Fatalf("queue add = exit %d: %s", r.code, r.stderr)
	}
	if r := run(t, "", "queue", "run", "--data", data, "--until-empty", "--reprint-window", "2h"); r.code != 0 {
		t.Fatalf("queue run = exit %d: %s", r.code, r.stderr)
	}
	printed := filepath.Join(data, "printed")
	words := []string{"KOOPIA", "COPY", "КОПИЯ"}
	original := pdfText(t, filepath.Join(printed, "REQ-1-c1.pdf"))
	for _, w := range words {
		if strings.Contains(original, w) {
			t.Errorf("the original says %q", w)
		}
	}
	reprint := run(t, "", "queue", "reprint", "--data", data, "1")
	if reprint.code != 0 {
		t.Fatalf("queue reprint 1 = exit %d: %s", reprint.code, reprint.stderr)
	}
	copyID := strings.TrimSpace(reprint.stdout)
	found := false
	for _, l := range decodeLines[map[string]any](t, run(t, "", "queue", "list", "--data", data, "--json").stdout) {
		if strconv.Itoa(int(l["id"].(float64))) == copyID {
			found = true
			if l["key"] != "REQ-1-c1-copy-1" || l["document"] != "certificate" || l["copy_of"] == nil {
				t.Errorf("the copy's line = %v, want REQ-1-c1-copy-1, a certificate, with copy_of", l)
			}
		}
	}
	if !found {
		t.Errorf("queue list --json has no job %s, the copy", copyID)
	}
	if r := run(t, "", "queue", "run", "--data", data, "--until-empty"); r.code != 0 {
		t.Fatalf("queue run = exit %d: %s", r.code, r.stderr)
	}
	text := pdfText(t, filepath.Join(printed, "REQ-1-c1-copy-1.pdf"))
	for _, w := range words {
		if !strings.Contains(text, w) {
			t.Errorf("the copy does not say %q", w)
		}
	}
	i := strings.Index(original, "URN:UVCI:")
	if i < 0 {
		t.Fatalf("no UVCI in the original's text:\n%s", original)
	}
	uvci := strings.Fields(original[i:])[0]
	if r := run(t, "", "queue", "reprint", "--data", data, strings.ToLower(uvci)); r.code != 0 {
		t.Errorf("queue reprint %s = exit %d: %s", uvci, r.code, r.stderr)
	}
	errs := []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 2, "give one job id"},
		{[]string{"REQ-1"}, 2, "neither a job id nor a UVCI"},
		{[]string{"999"}, 1, "no such job"},
		{[]string{"URN:UVCI:01:EE:NOPE#1"}, 1, "no certificate with that UVCI"},
	}
	for _, e := range errs {
		r := run(t, "", append([]string{"queue", "reprint", "--data", data}, e.args...)...)
		if r.code != e.code || !strings.Contains(r.stderr, e.want) {
			t.Errorf("queue reprint %v = exit %d, %q; want exit %d, %q", e.args, r.code, r.stderr, e.code, e.want)
		}
	}
	late := runAt(t, ctx, issueTime.Add(3*time.Hour), "queue", "reprint", "--data", data, "1")
	if late.code != 1 || !strings.Contains(late.stderr, "reprint window has passed") {
		t.Errorf("queue reprint after the window = exit %d, %q; want refused", late.code, late.stderr)
	}
}

// TestQueueListPrinters runs the worker until it has polled its printer: queue list
// heads the jobs with the printer's state, queue printers --json gives it.
func TestQueueListPrinters(t *testing.T) {
	data := t.TempDir()
	if r := run(t, "", "queue", "printers", "--data", data); r.code != 0 || !strings.Contains(r.stdout, "no printer polled yet") {
		t.Errorf("queue printers before any worker = exit %d, %q", r.code, r.stdout)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- runAt(t, ctx, issueTime, "queue", "run", "--data", data, "--watch", "50ms") }()
	deadline := time.Now().Add(20 * time.Second)
	var printers result
	for {
		printers = run(t, "", "queue", "printers", "--data", data, "--json")
		if strings.Contains(printers.stdout, `"state":"ready"`) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if r := <-done; r.code != 0 {
		t.Errorf("queue run = exit %d: %s", r.code, r.stderr)
	}
	lines := decodeLines[map[string]any](t, printers.stdout)
	folder := "folder://" + filepath.Join(data, "printed")
	if len(lines) != 1 || lines[0]["uri"] != folder || lines[0]["main"] != true || lines[0]["state"] != "ready" {
		t.Fatalf("queue printers --json = %s, want %s main and ready", printers.stdout, folder)
	}
	list := runAt(t, context.Background(), issueTime.Add(time.Minute), "queue", "list", "--data", data)
	if want := "printer " + folder + " (main): ready since 2026-11-22T10:00:00Z (1m0s ago)"; list.code != 0 ||
		!strings.HasPrefix(list.stdout, want+"\n") {
		t.Errorf("queue list = exit %d, %q; want it headed %q", list.code, list.stdout, want)
	}
}

// TestQueueReportsToDemoRegistry: without --registry and --report, the worker reports
// to the embedded demo registry, so a request finishes and leaves nothing queued.
func TestQueueReportsToDemoRegistry(t *testing.T) {
	data := t.TempDir()
	if r := run(t, "", "queue", "add", "--data", data, "--subject", "46003150224"); r.code != 0 {
		t.Fatalf("queue add = exit %d: %s", r.code, r.stderr)
	}
	if r := run(t, "", "queue", "run", "--data", data, "--until-empty"); r.code != 0 {
		t.Fatalf("queue run --until-empty = exit %d: %s", r.code, r.stderr)
	}
	list := run(t, "", "queue", "list", "--data", data, "--json")
	if jobs := decodeLines[map[string]any](t, list.stdout); len(jobs) != 0 {
		t.Errorf("after the run, queue list --json = %d jobs, want none (reported and done):\n%s", len(jobs), list.stdout)
	}
	if printed, _ := filepath.Glob(filepath.Join(data, "printed", "*.pdf")); len(printed) != 1 {
		t.Errorf("printed %v, want the one certificate", printed)
	}
}
