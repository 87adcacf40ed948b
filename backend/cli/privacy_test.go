package cli

// privacy_test.go: the lifetimes of personal data that the command line is
// responsible for (README.md, "Privacy"): logs carry no names or identifiers, an
// invalid identifier is said back on stderr and kept nowhere, and verify --pdf leaves
// no temporary files.

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

	"certkiosk/backend/registrysim"
)

// personalData lists what no log may hold about the demo people: each identifier as
// typed and as stored, each name whole and each part of it long enough not to turn up
// by chance, and each date of birth.
func personalData() []string {
	var out []string
	for _, p := range registrysim.People() {
		out = append(out, p.Value, strings.NewReplacer("-", "", " ", "").Replace(p.Value))
		if p.BirthDate != "" {
			out = append(out, p.BirthDate)
		}
		if p.Name != "" {
			out = append(out, p.Name)
			for _, part := range strings.Fields(p.Name) {
				if len([]rune(part)) >= 4 {
					out = append(out, part)
				}
			}
		}
	}
	return out
}

func findIn(text string, secrets []string) []string {
	var found []string
	for _, s := range secrets {
		if strings.Contains(text, s) {
			found = append(found, s)
		}
	}
	return found
}

// filesHolding returns the files under dir whose bytes hold one of secrets.
func filesHolding(t *testing.T, dir string, secrets []string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) == registrysim.FileName {
			return err // the demo registry holds the demo people by design
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
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

// runFor runs a command for at most d, as a worker that is stopped.
func runFor(t *testing.T, d time.Duration, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var stdout, stderr bytes.Buffer
	// The same fixed clock as run: a job this run schedules must be due for the
	// next run, or an --until-empty run after it would wait for a time that never comes.
	env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Now: func() time.Time { return issueTime }}
	code := env.Run(ctx, args)
	return result{code, stdout.String(), stderr.String()}
}

// TestQueueLogsNoPersonalData runs every demo person through the queue worker with
// its log on (-v): half while the registry cannot be reached (errors that name the
// request, claim receipts), half with the demo registry answering, and looks for
// their names, identifiers and dates of birth in the log.
func TestQueueLogsNoPersonalData(t *testing.T) {
	data := t.TempDir()
	people := registrysim.People()
	add := func(i int, p registrysim.Person) {
		r := run(t, "", "queue", "add", "--data", data, "--profile", p.Profile, "--subject", p.System+"|"+p.Value, "--key", fmt.Sprintf("P%02d", i))
		if r.code != 0 {
			t.Fatalf("queue add %s = exit %d: %s", p.Value, r.code, r.stderr)
		}
	}
	for i, p := range people[:len(people)/2] {
		add(i, p)
	}
	down := "http://127.0.0.1:1/fhir"
	offline := runFor(t, 6*time.Second, "queue", "run", "--data", data, "-v", "--concurrency", "4", "--poll", "50ms",
		"--registry", down, "--federal", down)
	// The requests that waited for the registry are due again at once.
	for _, j := range decodeLines[jobLine](t, run(t, "", "queue", "list", "--data", data, "--json").stdout) {
		if j.Kind == "issue" && j.State == "pending" {
			if r := run(t, "", "queue", "retry", "--data", data, fmt.Sprint(j.ID)); r.code != 0 {
				t.Fatalf("queue retry %d = exit %d: %s", j.ID, r.code, r.stderr)
			}
		}
	}
	for i, p := range people[len(people)/2:] {
		add(len(people)/2+i, p)
	}
	online := run(t, "", "queue", "run", "--data", data, "-v", "--until-empty")
	if online.code != 0 {
		t.Fatalf("queue run --until-empty = exit %d: %s", online.code, online.stderr)
	}
	log := offline.stderr + online.stderr
	// The test is not vacuous: the log speaks of the jobs, and of the registry down.
	if strings.Count(log, "queue: ran") < len(people) || !strings.Contains(log, "registry unreachable") {
		t.Fatalf("the worker's log does not show the jobs run and the registry down:\n%s", log)
	}
	if found := findIn(log, personalData()); len(found) > 0 {
		t.Errorf("the worker's log holds personal data %q:\n%s", found, log)
	}
	list := run(t, "", "queue", "list", "--data", data)
	if found := findIn(list.stdout, personalData()); len(found) > 0 {
		t.Errorf("queue list shows personal data %q", found)
	}
}

// TestInvalidIdentifierOnlyOnStderr: an identifier that fails its check is named in
// the error on stderr, to the person who typed it, and is kept nowhere: not in the
// queue, the output folder, any file of the data folder, or the worker's log.
func TestInvalidIdentifierOnlyOnStderr(t *testing.T) {
	const invalid = "46003150225" // Mari Tamm's code with a wrong check digit
	data, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	add := run(t, "", "queue", "add", "--data", data, "--subject", invalid)
	if add.code != 1 || !strings.Contains(add.stderr, invalid) {
		t.Errorf("queue add %s = exit %d, %q; want exit 1 naming it", invalid, add.code, add.stderr)
	}
	issue := run(t, "", "issue", "--data", data, "--subject", invalid, "--out", out)
	if issue.code != 1 || !strings.Contains(issue.stderr, invalid) {
		t.Errorf("issue --subject %s = exit %d, %q; want exit 1 naming it", invalid, issue.code, issue.stderr)
	}
	worker := run(t, "", "queue", "run", "--data", data, "-v", "--until-empty")
	if strings.Contains(worker.stdout+worker.stderr, invalid) {
		t.Errorf("the worker's log holds the invalid identifier: %s", worker.stderr)
	}
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		t.Errorf("issue left %d files in --out", len(entries))
	}
	if found := filesHolding(t, data, []string{invalid}); len(found) > 0 {
		t.Errorf("the data folder keeps the invalid identifier: %s", strings.Join(found, ", "))
	}
}

// TestVerifyPDFLeavesNoTempFiles: verify --pdf writes the PDF and its page images in
// a temporary folder (package pdfqr) and removes it, whether the PDF reads or not.
func TestVerifyPDFLeavesNoTempFiles(t *testing.T) {
	data, out, tmp := t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp)
	issue := run(t, "", "issue", "--data", data, "--profile", "EE", "--bundle", fixture("mari-tamm.json"), "--out", out)
	if issue.code != 0 {
		t.Fatalf("issue = exit %d: %s", issue.code, issue.stderr)
	}
	pdfs, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
	if len(pdfs) != 1 {
		t.Fatalf("issue wrote %v, want one PDF", pdfs)
	}
	notPDF := filepath.Join(out, "not.pdf")
	if err := os.WriteFile(notPDF, []byte("GIF89a, not a PDF"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file string
		code int
	}{{pdfs[0], 0}, {notPDF, 1}} {
		r := run(t, "", "verify", "--data", data, "--pdf", c.file, "--at", issueTime.Format(time.RFC3339))
		if r.code != c.code {
			t.Errorf("verify --pdf %s = exit %d, want %d: %s", filepath.Base(c.file), r.code, c.code, r.stderr)
		}
		left, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range left {
			t.Errorf("verify --pdf %s left %s in the temporary folder", filepath.Base(c.file), e.Name())
		}
	}
}
