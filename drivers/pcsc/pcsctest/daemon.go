package pcsctest

// daemon.go: pcscd in the foreground on a private socket, with two vpcd slots
// on free ports.

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ebfe/scard"
)

// RequireEnv names the environment variable that turns a missing pcscd or vpcd
// from a skipped test into a failed one.
const RequireEnv = "CERTKIOSK_REQUIRE_PCSC"

// ReaderModel is the name the virtual readers are given; pcscd adds " 00 00"
// and " 00 01".
const ReaderModel = "CertKiosk Virtual PCD"

var (
	isolateOnce sync.Once
	socketPath  string
)

// Isolate points this process's PC/SC calls at the private socket the pcscd of
// Start listens on, and returns its path. libpcsclite reads the setting once,
// at the process's first PC/SC call, so Isolate must come before it; later
// calls return the same path. Until Start runs, PC/SC calls find no service.
func Isolate() string {
	isolateOnce.Do(func() {
		socketPath = filepath.Join(os.TempDir(), fmt.Sprintf("certkiosk-pcscd-%d.comm", os.Getpid()))
		os.Setenv("PCSCLITE_CSOCK_NAME", socketPath)
	})
	return socketPath
}

// Tools are the programs Start runs.
type Tools struct {
	PCSCD string // the pcscd binary
	VPCD  string // vpcd's driver, libifdvpcd.so
}

// Find looks for pcscd and vpcd's driver. missing names the Debian package of
// the first one not found.
func Find() (t Tools, missing string) {
	for _, p := range []string{"/usr/sbin/pcscd", "/usr/local/sbin/pcscd"} {
		if _, err := os.Stat(p); err == nil {
			t.PCSCD = p
			break
		}
	}
	if t.PCSCD == "" {
		if p, err := exec.LookPath("pcscd"); err == nil {
			t.PCSCD = p
		}
	}
	if t.PCSCD == "" {
		return t, "pcscd"
	}
	t.VPCD = vpcdLibrary()
	if t.VPCD == "" {
		return t, "vsmartcard-vpcd"
	}
	return t, ""
}

// vpcdLibrary finds libifdvpcd.so: the LIBPATH of the reader.conf entry the
// package installs, or the places distributions put it.
func vpcdLibrary() string {
	var candidates []string
	if f, err := os.Open("/etc/reader.conf.d/vpcd"); err == nil {
		s := bufio.NewScanner(f)
		for s.Scan() {
			if k, v, ok := strings.Cut(strings.TrimSpace(s.Text()), " "); ok && k == "LIBPATH" {
				candidates = append(candidates, strings.TrimSpace(v))
			}
		}
		f.Close()
	}
	candidates = append(candidates,
		"/usr/lib/pcsc/drivers/serial/libifdvpcd.so",
		"/usr/lib64/pcsc/drivers/serial/libifdvpcd.so",
		"/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so")
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	return ""
}

// Require returns the tools, or skips the test naming the missing package
// (fails it when CERTKIOSK_REQUIRE_PCSC is set).
func Require(tb testing.TB) Tools {
	tb.Helper()
	t, missing := Find()
	if missing == "" {
		return t
	}
	msg := fmt.Sprintf("PC/SC TEST NOT RUN: %s is not installed (apt-get install %s; build/setup.sh installs it)", missing, missing)
	if os.Getenv(RequireEnv) != "" {
		tb.Fatalf("%s, and %s is set", msg, RequireEnv)
	}
	tb.Skip(msg)
	return t
}

// Daemon is a pcscd started by Start.
type Daemon struct {
	tb    testing.TB
	cmd   *exec.Cmd
	port  int    // slot 0's port; slot 1 is port+1
	log   string // the file pcscd writes to
	done  chan struct{}
	stops sync.Once
}

// Start runs pcscd for the test with two vpcd slots, and stops it when the test
// ends. It returns once the service lists both readers.
func Start(tb testing.TB) *Daemon {
	tb.Helper()
	tools := Require(tb)
	sock := Isolate()
	var lastErr error
	for try := 0; try < 3; try++ { // a port taken between choosing and binding
		d, err := start(tb, tools, sock)
		if err == nil {
			tb.Cleanup(d.Stop)
			return d
		}
		lastErr = err
	}
	tb.Fatalf("pcsctest: starting pcscd: %v", lastErr)
	return nil
}

func start(tb testing.TB, tools Tools, sock string) (*Daemon, error) {
	port, err := freePorts()
	if err != nil {
		return nil, err
	}
	dir := tb.TempDir()
	conf := filepath.Join(dir, "reader.conf")
	entry := fmt.Sprintf("FRIENDLYNAME \"%s\"\nDEVICENAME /dev/null:%d\nLIBPATH %s\nCHANNELID %d\n",
		ReaderModel, port, tools.VPCD, port)
	if err := os.WriteFile(conf, []byte(entry), 0o644); err != nil {
		return nil, err
	}
	os.Remove(sock)
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", sock, err)
	}
	l.SetUnlinkOnClose(false) // the socket file outlives our copy of it
	lf, err := l.File()
	l.Close()
	if err != nil {
		return nil, err
	}
	defer lf.Close()
	// Socket activation as systemd does it: the socket is fd 3, LISTEN_FDS=1,
	// LISTEN_PID the daemon's own pid — which only a shell that execs it knows.
	script := `LISTEN_PID=$$ exec "$0" "$@"`
	args := []string{tools.PCSCD, "--foreground", "--error", "--config", conf}
	var cmd *exec.Cmd
	if privateRun() {
		cmd = exec.Command("unshare", append([]string{"--user", "--map-root-user", "--mount",
			"/bin/sh", "-c", "mount -t tmpfs tmpfs /run && " + script}, args...)...)
	} else {
		cmd = exec.Command("/bin/sh", append([]string{"-c", script}, args...)...)
	}
	cmd.Env = append(os.Environ(), "LISTEN_FDS=1")
	cmd.ExtraFiles = []*os.File{lf}
	logPath := filepath.Join(dir, "pcscd.log")
	out, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer out.Close() // pcscd has its own copy
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		os.Remove(sock)
		return nil, fmt.Errorf("running %s: %w", tools.PCSCD, err)
	}
	d := &Daemon{tb: tb, cmd: cmd, port: port, log: logPath, done: make(chan struct{})}
	go func() { cmd.Wait(); close(d.done) }()
	if err := d.waitReaders(5 * time.Second); err != nil {
		d.Stop()
		return nil, fmt.Errorf("%w; pcscd said: %s", err, d.Log())
	}
	return d, nil
}

// privateRun reports whether pcscd can be given a /run of its own: a tmpfs in
// a user and mount namespace (unshare), where it writes its pid file and needs
// no root, and never removes the pid file of a pcscd the machine runs. Some
// containers refuse user namespaces; pcscd then runs as it is.
var privateRun = sync.OnceValue(func() bool {
	return exec.Command("unshare", "--user", "--map-root-user", "--mount",
		"/bin/sh", "-c", "mount -t tmpfs tmpfs /run").Run() == nil
})

// freePorts finds a port p with p+1 free too, for vpcd's two slots.
func freePorts() (int, error) {
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		p := l.Addr().(*net.TCPAddr).Port
		l2, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+1))
		l.Close()
		if err == nil {
			l2.Close()
			return p, nil
		}
	}
	return 0, fmt.Errorf("no two free ports in a row")
}

// waitReaders waits until the service lists both virtual readers.
func (d *Daemon) waitReaders(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		select {
		case <-d.done:
			return fmt.Errorf("pcscd exited")
		default:
		}
		if sc, err := scard.EstablishContext(); err == nil {
			names, _ := sc.ListReaders()
			sc.Release()
			n := 0
			for _, name := range names {
				if name == d.Reader(0) || name == d.Reader(1) {
					n++
				}
			}
			if n == 2 {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the virtual readers did not appear within %s", limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Reader returns the name pcscd gives slot 0 or 1.
func (d *Daemon) Reader(slot int) string { return fmt.Sprintf("%s 00 %02X", ReaderModel, slot) }

// CardAddr returns the address a virtual card for slot 0 or 1 connects to.
func (d *Daemon) CardAddr(slot int) string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(d.port+slot))
}

// Insert puts a virtual card answering with app into slot 0 or 1 and waits
// until pcscd reports it present; it is pulled out when the test ends.
func (d *Daemon) Insert(tb testing.TB, slot int, atr []byte, app App) *VirtualCard {
	tb.Helper()
	v := NewVirtualCard(d.CardAddr(slot), atr, app)
	if err := v.Insert(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Remove(v, slot) })
	if err := d.WaitPresent(slot, true, 5*time.Second); err != nil {
		tb.Fatal(err)
	}
	return v
}

// Remove pulls v out of the slot and waits until pcscd has noticed, so that a
// card inserted next is a new card to it (pcscd polls vpcd's slots every
// 400 ms: a card swapped in between would look like the same card).
func (d *Daemon) Remove(v *VirtualCard, slot int) {
	v.Remove()
	select {
	case <-d.done:
		return // no pcscd to notice
	default:
	}
	if err := d.WaitPresent(slot, false, 5*time.Second); err != nil {
		d.tb.Error(err)
	}
}

// WaitPresent waits until pcscd reports a card in the slot (present true) or
// none.
func (d *Daemon) WaitPresent(slot int, present bool, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	sc, err := scard.EstablishContext()
	if err != nil {
		return fmt.Errorf("pcsctest: %w", err)
	}
	defer sc.Release()
	states := []scard.ReaderState{{Reader: d.Reader(slot), CurrentState: scard.StateUnaware}}
	for ctx.Err() == nil {
		if err := sc.GetStatusChange(states, 100*time.Millisecond); err == nil {
			if (states[0].EventState&scard.StatePresent != 0) == present {
				return nil
			}
			states[0].CurrentState = states[0].EventState &^ scard.StateChanged
		}
	}
	return fmt.Errorf("pcsctest: %s: card present still %v after %s", d.Reader(slot), !present, limit)
}

// Stop ends pcscd (SIGTERM, then SIGKILL after 3 s) and removes its socket.
// The readers are gone for every session open on them.
func (d *Daemon) Stop() {
	d.stops.Do(func() {
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.done:
		case <-time.After(3 * time.Second):
			d.cmd.Process.Kill()
			<-d.done
		}
		os.Remove(Isolate())
	})
}

// Log returns what pcscd printed (errors only).
func (d *Daemon) Log() string {
	b, _ := os.ReadFile(d.log)
	return strings.TrimSpace(string(b))
}
