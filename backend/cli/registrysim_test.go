package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"certkiosk/backend/registrysim"
)

// lockedBuffer is a stderr the command writes while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var simLine = regexp.MustCompile(`^registry-sim: local (http://127\.0\.0\.1:\d+/fhir), federal (http://127\.0\.0\.1:\d+/federal/fhir)\n$`)

func TestRegistrySimServesUntilCancelled(t *testing.T) {
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Now: func() time.Time { return issueTime }}
	exit := make(chan int, 1)
	go func() {
		exit <- env.Run(ctx, []string{"registry-sim", "--listen", "127.0.0.1:0", "--data", data})
	}()

	var m []string
	for deadline := time.Now().Add(30 * time.Second); m == nil; {
		m = simLine.FindStringSubmatch(stderr.String())
		if m != nil {
			break
		}
		select {
		case code := <-exit:
			t.Fatalf("registry-sim exited %d before serving: %s", code, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("registry-sim printed no URLs in 30 s; stderr: %q", stderr.String())
		}
	}
	local, federal := m[1], m[2]
	c := &http.Client{Timeout: 10 * time.Second}

	resp, err := c.Get(local + "/metadata")
	if err != nil {
		t.Fatal(err)
	}
	var cs struct{ ResourceType, FHIRVersion string }
	json.NewDecoder(resp.Body).Decode(&cs)
	resp.Body.Close()
	if resp.StatusCode != 200 || cs.ResourceType != "CapabilityStatement" || cs.FHIRVersion != "4.0.1" {
		t.Errorf("GET %s/metadata = %d %+v, want a FHIR 4.0.1 CapabilityStatement", local, resp.StatusCode, cs)
	}
	// Records are dated from the command's clock.
	resp, err = c.Get(federal + "/Observation?subject=Patient/ru-2003")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !json.Valid(body) {
		t.Errorf("GET %s/Observation = %d %s", federal, resp.StatusCode, body)
	}
	resp, err = c.Get(local + "/Observation?subject=Patient/ee-1004")
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Entry []struct {
			Resource struct{ EffectiveDateTime string }
		}
	}
	json.NewDecoder(resp.Body).Decode(&b)
	resp.Body.Close()
	if len(b.Entry) != 1 {
		t.Fatalf("Liis Kask has %d tests, want 1", len(b.Entry))
	}
	sampled, err := time.Parse(time.RFC3339, b.Entry[0].Resource.EffectiveDateTime)
	if want := issueTime.Add(-24 * time.Hour); err != nil || !sampled.Equal(want) {
		t.Errorf("Liis Kask's test is sampled %v (%v), want 24 h before the command's clock, %v", sampled, err, want)
	}
	if _, err := os.Stat(filepath.Join(data, registrysim.FileName)); err != nil {
		t.Errorf("no registry file in the data folder: %v", err)
	}

	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("registry-sim exited %d after cancel, want 0; stderr: %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("registry-sim still runs 30 s after its context was cancelled")
	}
	if stdout.String() != "" {
		t.Errorf("registry-sim wrote to stdout: %q", stdout.String())
	}
	if _, err := c.Get(local + "/metadata"); err == nil {
		t.Errorf("the registry still answers after the command returned")
	}
}

func TestRegistrySimUsage(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"registry-sim", "--data", data, "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"registry-sim", "--data", data, "--at", "yesterday"}, 2, "--at"},
		{[]string{"registry-sim", "--data", data, "--listen", "not an address"}, 1, "certkiosk registry-sim:"},
		{[]string{"registry-sim", "-h"}, 0, "-listen"},
		{[]string{"help"}, 0, "registry-sim"},
	}
	for _, tt := range tests {
		r := run(t, "", tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("certkiosk %s: exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.stderr)
		}
	}
}
