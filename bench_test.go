package main

// bench_test.go: whole-process measurements of the command line, run by `make bench`.

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// BenchmarkProcessIssue runs `certkiosk issue` as a child process for one vaccination
// certificate, and reports its wall time per run and its peak resident memory.
func BenchmarkProcessIssue(b *testing.B) {
	tmp := b.TempDir()
	bin := filepath.Join(tmp, "certkiosk")
	// The command line needs no window: a plain build serves.
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	data, out := filepath.Join(tmp, "data"), filepath.Join(tmp, "out")
	bundle := filepath.Join("backend", "registry", "testdata", "mari-tamm.json")
	args := []string{"issue", "--data", data, "--bundle", bundle, "--out", out, "--at", "2026-11-22T10:00:00Z"}
	// The first run creates the demo key; it is not measured.
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		b.Fatalf("certkiosk issue: %v\n%s", err, out)
	}
	var maxRSS int64
	for b.Loop() {
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = nil, os.Stderr
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > maxRSS {
			maxRSS = ru.Maxrss // kilobytes on Linux
		}
	}
	b.ReportMetric(float64(maxRSS)/1024, "peak-RSS-MiB")
}
