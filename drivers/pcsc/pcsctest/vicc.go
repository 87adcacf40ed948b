package pcsctest

// vicc.go: vsmartcard's own virtual card, vicc (Python, vsmartcard-vpicc), in a
// vpcd slot — a card implementation not written for this project, to check the
// stack against.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// Where Debian 12 puts vicc and what it imports. Its package installs the
// Python module outside Python's path, and the module imports Crypto, which
// Debian ships as Cryptodome (python3-pycryptodome).
const (
	viccPath       = "/usr/bin/vicc"
	viccModule     = "/usr/lib/python3/site-packages/virtualsmartcard"
	cryptodomePath = "/usr/lib/python3/dist-packages/Cryptodome"
	debianPython   = "/usr/bin/python3" // not a pyenv python3 earlier on PATH
)

// InsertVICC runs vicc with the card type given ("iso7816", "cryptoflex"…) in
// slot 0 or 1, waits until pcscd reports it present, and stops it when the test
// ends. It skips (or fails, with CERTKIOSK_REQUIRE_PCSC) when vicc or what it
// imports is not installed.
func (d *Daemon) InsertVICC(tb testing.TB, slot int, cardType string) {
	tb.Helper()
	for _, need := range []struct{ path, pkg string }{
		{viccPath, "vsmartcard-vpicc"}, {viccModule, "vsmartcard-vpicc"},
		{cryptodomePath, "python3-pycryptodome"}, {debianPython, "python3"},
	} {
		if _, err := os.Stat(need.path); err != nil {
			msg := fmt.Sprintf("PC/SC TEST NOT RUN: %s is not installed (no %s; build/setup.sh installs it)", need.pkg, need.path)
			if os.Getenv(RequireEnv) != "" {
				tb.Fatalf("%s, and %s is set", msg, RequireEnv)
			}
			tb.Skip(msg)
		}
	}
	shim := tb.TempDir()
	if err := os.Symlink(cryptodomePath, filepath.Join(shim, "Crypto")); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(debianPython, viccPath, "--type", cardType,
		"--hostname", "127.0.0.1", "--port", strconv.Itoa(d.port+slot))
	cmd.Env = append(os.Environ(), "PYTHONPATH="+shim+string(os.PathListSeparator)+viccModule)
	cmd.Dir = shim // whatever it saves stays in the test's folder
	logPath := filepath.Join(shim, "vicc.log")
	out, err := os.Create(logPath)
	if err != nil {
		tb.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		tb.Fatalf("pcsctest: running vicc: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	tb.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		d.WaitPresent(slot, false, 5*time.Second)
		if tb.Failed() {
			b, _ := os.ReadFile(logPath)
			tb.Logf("vicc said: %s", b)
		}
	})
	if err := d.WaitPresent(slot, true, 8*time.Second); err != nil {
		b, _ := os.ReadFile(logPath)
		tb.Fatalf("%v; vicc said: %s", err, b)
	}
}
