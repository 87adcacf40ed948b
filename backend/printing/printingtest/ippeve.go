// Package printingtest starts a real IPP printer for tests: ippeveprinter, the IPP
// Everywhere printer of CUPS (Debian package cups-ipp-utils), on a free loopback
// port, with a private system D-Bus and a spool folder of its own, all removed when
// the test ends.
//
// What ippeveprinter does, as the tests rely on it (CUPS 2.4):
//   - It refuses to start without a system D-Bus and crashes without "-r off" (no
//     DNS-SD registration); the D-Bus here is a dbus-daemon started for the test.
//   - With -k it keeps every document in the spool folder as <id>-<name>.pdf,
//     byte for byte, where name is the job-name in lower case with every character
//     but a–z, 0–9, '-' and '_' replaced by '_'. Two keys differing only in case
//     share a file name; the spool still holds one file per job id.
//   - It processes one job at a time; a Print-Job arriving meanwhile is refused
//     with server-error-busy.
//   - For each job it runs the -c command with the spooled file as $1. Lines the
//     command writes to stderr such as "STATE: +media-empty,media-needed" (or
//     "STATE: -media-empty,media-needed") set and clear printer-state-reasons; it
//     reports them with the suffix -warning while processing and -report when idle.
//     The job stays processing until the command exits: that is how a printer out
//     of paper holds a job here.
//   - Get-Jobs (which-jobs all, completed or not-completed) and Get-Job-Attributes
//     know a finished job for 60 seconds after it finished; its next clean-up
//     forgets it (measured: still listed after 56 s, gone after 66 s). The jobs
//     live in memory only: a restarted ippeveprinter knows none and counts job
//     ids from 1 again. The spooled file stays.
package printingtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Options configure StartIPPEve.
type Options struct {
	// Command is the body of the shell script run for each job, with the spooled
	// document as $1 and the test's control folder as $CONTROL. Empty: Instant.
	Command string
	// Formats are the document formats the printer supports (-f), comma-separated;
	// empty means "application/pdf".
	Formats string
	// StartTimeout bounds the wait for the printer to listen; 0 means 15 s.
	StartTimeout time.Duration
}

// Instant is a Command that finishes each job at once.
const Instant = "exit 0"

// maxWaitTenths bounds the waits of the commands below (in tenths of a second), so
// that a command never outlives a test that forgot to release it.
const maxWaitTenths = 600

// waitFor is a shell loop that waits until the file name is in $CONTROL.
func waitFor(name string) string {
	return fmt.Sprintf(`i=0
while [ ! -e "$CONTROL/%s" ] && [ $i -lt %d ]; do sleep 0.1; i=$((i+1)); done
`, name, maxWaitTenths)
}

// HoldUntil returns a Command that keeps each job processing until the file name
// appears in the control folder (see IPPEve.Release).
func HoldUntil(name string) string { return waitFor(name) + "exit 0\n" }

// OutOfPaperUntil returns a Command that, for each job, reports the printer out of
// paper (media-empty, media-needed) until the file name appears in the control
// folder, then clears the condition and finishes the job: a printer that ran out of
// paper in the middle of a job and resumed once paper was loaded.
func OutOfPaperUntil(name string) string {
	return "echo 'STATE: +media-empty,media-needed' >&2\n" + waitFor(name) +
		"echo 'STATE: -media-empty,media-needed' >&2\nexit 0\n"
}

// IPPEve is a running ippeveprinter.
type IPPEve struct {
	// URI is the printer's URI: ipp://localhost:PORT/ipp/print.
	URI string
	// Spool is the folder the printer keeps the documents in.
	Spool string
	// Control is the folder Commands read as $CONTROL.
	Control string

	log *lockedBuffer
}

// StartIPPEve starts ippeveprinter with its own D-Bus, spool and control folders in
// t.TempDir(), and stops it (and the jobs' commands) when the test ends; when the
// test failed, the printer's log is written to the test log. A missing program
// fails the test with the Debian package to install, or skips it under -short.
func StartIPPEve(t testing.TB, o Options) *IPPEve {
	t.Helper()
	ippeve := need(t, "ippeveprinter", "cups-ipp-utils")
	dbusd := need(t, "dbus-daemon", "dbus")
	if o.Command == "" {
		o.Command = Instant
	}
	if o.Formats == "" {
		o.Formats = "application/pdf"
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = 15 * time.Second
	}
	dir := t.TempDir()
	e := &IPPEve{
		Spool:   filepath.Join(dir, "spool"),
		Control: filepath.Join(dir, "control"),
		log:     &lockedBuffer{},
	}
	for _, d := range []string{e.Spool, e.Control} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(dir, "print-command.sh")
	body := fmt.Sprintf("#!/bin/sh\nCONTROL='%s'\n%s\n", e.Control, o.Command)
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("ippeveprinter log:\n%s", e.log.String())
		}
	})

	bus := startBus(t, dbusd)
	var lastErr error
	for range 3 { // a port found free can be taken before ippeveprinter binds it
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(ippeve, "-r", "off", "-p", strconv.Itoa(port), "-n", "localhost",
			"-f", o.Formats, "-d", e.Spool, "-k", "-c", script, "CertKiosk Test")
		cmd.Env = append(os.Environ(), "DBUS_SYSTEM_BUS_ADDRESS="+bus, "CONTROL="+e.Control)
		cmd.Stdout, cmd.Stderr = e.log, e.log
		// A process group of its own, so that stopping it stops the job's command too.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting ippeveprinter: %v", err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		stop := func() { stopGroup(cmd.Process.Pid, exited) }
		if lastErr = waitListening(port, o.StartTimeout, exited); lastErr == nil {
			t.Cleanup(stop)
			e.URI = fmt.Sprintf("ipp://localhost:%d/ipp/print", port)
			return e
		}
		stop()
	}
	t.Fatalf("ippeveprinter did not start: %v\n%s", lastErr, e.log.String())
	return nil
}

// Release creates the file name in the control folder, which the commands of
// HoldUntil and OutOfPaperUntil wait for.
func (e *IPPEve) Release(t testing.TB, name string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(e.Control, name), nil, 0o600); err != nil {
		t.Fatal(err)
	}
}

// Log returns what ippeveprinter has written so far.
func (e *IPPEve) Log() string { return e.log.String() }

// Spooled is one document in the spool folder.
type Spooled struct {
	JobID int
	Name  string // the job-name as ippeveprinter wrote it into the file name
	Path  string
}

// Spooled lists the documents in the spool folder by job id.
func (e *IPPEve) Spooled(t testing.TB) []Spooled {
	t.Helper()
	entries, err := os.ReadDir(e.Spool)
	if err != nil {
		t.Fatal(err)
	}
	var out []Spooled
	for _, ent := range entries {
		base, ok := strings.CutSuffix(ent.Name(), ".pdf")
		num, name, ok2 := strings.Cut(base, "-")
		id, err := strconv.Atoi(num)
		if !ok || !ok2 || err != nil || id <= 0 {
			continue // the commands' output (.prn) and anything else
		}
		out = append(out, Spooled{JobID: id, Name: name, Path: filepath.Join(e.Spool, ent.Name())})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].JobID < out[j].JobID })
	return out
}

// SpoolName returns the name ippeveprinter gives a job-name in its file names.
func SpoolName(jobName string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(jobName) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// need returns the path of a program, which Debian installs under sbin for some.
func need(t testing.TB, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin", "/sbin", "/bin"} {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	if testing.Short() {
		t.Skipf("%s not found (Debian package %s); skipped under -short", name, pkg)
	}
	t.Fatalf("%s not found: install the Debian package %s", name, pkg)
	return ""
}

// startBus starts a private dbus-daemon for the test and returns its address.
// ippeveprinter only needs a bus to connect to; the session configuration lets it.
func startBus(t testing.TB, dbusd string) string {
	t.Helper()
	// A short folder of its own: a socket path is limited to 107 bytes, which a
	// deep t.TempDir() can exceed.
	dir, err := os.MkdirTemp("", "ckbus")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "bus")
	var log lockedBuffer
	cmd := exec.Command(dbusd, "--session", "--nofork", "--nopidfile", "--address=unix:path="+sock)
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting dbus-daemon: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { stopGroup(cmd.Process.Pid, exited) })
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(sock); err == nil {
			return "unix:path=" + sock
		}
		select {
		case <-exited:
			t.Fatalf("dbus-daemon exited: %s", log.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("dbus-daemon did not create %s in 10 s: %s", sock, log.String())
		}
	}
}

// freePort returns a loopback TCP port nobody listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitListening waits until something accepts connections on the port, the
// process exits, or the timeout passes.
func waitListening(port int, timeout time.Duration, exited <-chan struct{}) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-exited:
			return errors.New("ippeveprinter exited")
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing listening on %s after %v: %w", addr, timeout, err)
		}
	}
}

// stopGroup ends the process group led by pid: SIGTERM, then SIGKILL if it has not
// exited within 5 s, then SIGKILL for anything left in the group.
func stopGroup(pid int, exited <-chan struct{}) {
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-exited
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL) // a job's command the leader left behind
}

// lockedBuffer is a bytes.Buffer that processes may write to concurrently.
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
