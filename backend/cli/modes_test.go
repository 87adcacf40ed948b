package cli

// modes_test.go: the files of personal data the command line writes are the kiosk
// user's alone, and the queue's key can live outside the data folder (PRIVACY.md,
// findings 2 and 4).

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIssueOutModes: issue --out makes its folder 0700 and writes each certificate
// and slip 0600.
func TestIssueOutModes(t *testing.T) {
	data := t.TempDir()
	out := filepath.Join(t.TempDir(), "new", "out")
	r := run(t, "", "issue", "--data", data, "--profile", "EE", "--bundle", fixture("mari-tamm.json"), "--out", out)
	if r.code != 0 {
		t.Fatalf("issue exit %d: %s", r.code, r.stderr)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("--out folder mode = %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) == 0 {
		t.Fatal("issue wrote nothing")
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || fi.Mode().Perm() != outFilePerm {
			t.Errorf("%s mode = %v, %v; want 0600", e.Name(), fi.Mode().Perm(), err)
		}
	}
}

// TestQueueKeyElsewhere: with --queue-key (or $CERTKIOSK_QUEUE_KEY, or a systemd
// credential) the queue's key is kept there and never in the data folder; a key file
// others may read is refused.
func TestQueueKeyElsewhere(t *testing.T) {
	data := t.TempDir()
	keys := t.TempDir()
	key := filepath.Join(keys, "queue.key")
	r := run(t, "", "queue", "add", "--data", data, "--queue-key", key, "--profile", "EE", "--subject", "46003150224", "--key", "K1")
	if r.code != 0 {
		t.Fatalf("queue add --queue-key exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "queue.key")); !os.IsNotExist(err) {
		t.Errorf("queue.key in the data folder: %v; want none", err)
	}
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the key elsewhere = %v, %v; want a 0600 file", fi, err)
	}
	// Another key opens the queue's sealed data no more.
	t.Setenv(queueKeyEnv, filepath.Join(keys, "other.key"))
	if r := run(t, "", "queue", "run", "--data", data, "--until-empty"); r.code != 0 {
		t.Fatalf("queue run exit %d: %s", r.code, r.stderr)
	}
	list := run(t, "", "queue", "list", "--data", data)
	if !strings.Contains(list.stdout, "parked") {
		t.Errorf("under another key the request = %q, want parked (its data cannot be opened)", list.stdout)
	}

	// The credential form.
	t.Setenv(queueKeyEnv, "credential:queue.key")
	t.Setenv("CREDENTIALS_DIRECTORY", keys)
	if r := run(t, "", "queue", "add", "--data", data, "--profile", "EE", "--subject", "46003150224", "--key", "K1"); r.code != 0 {
		t.Errorf("queue add with credential:queue.key exit %d: %s", r.code, r.stderr)
	}

	os.Chmod(key, 0o644)
	r = run(t, "", "queue", "add", "--data", data, "--queue-key", key, "--profile", "EE", "--subject", "46003150224")
	if r.code != 1 || !strings.Contains(r.stderr, "lets others read it") {
		t.Errorf("queue add with a key of mode 0644 = %d, %q; want refused", r.code, r.stderr)
	}
}
