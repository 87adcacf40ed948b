//go:build linux

// xvfb_helpers_test.go: what the window test, the end-to-end test and the window
// benchmark share to run the real application: the checks for the programs and the
// built frontend they need, the build, an Xvfb display, a private session bus, the
// environment that points the application at both, and the processes they start,
// each stopped with its process group when the test or benchmark ends.

package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// windowScreen is the size ("WxH") of the display the window is shown on: the
// window's starting size (window.go).
const windowScreen = "1280x800"

// neededProgram is a program a test runs and the Debian package that has it.
type neededProgram struct{ program, debian string }

// windowPrograms are what every run of the real window needs: the display, the
// session bus, and pkg-config for the build's cgo.
var windowPrograms = []neededProgram{
	{"Xvfb", "xvfb"},
	{"dbus-daemon", "dbus"},
	{"pkg-config", "pkg-config"},
}

// missingPrograms returns the programs of needs that are not on the PATH and the
// Debian packages that have them, each package once.
func missingPrograms(needs []neededProgram) (missing, packages []string) {
	for _, n := range needs {
		if _, err := exec.LookPath(n.program); err != nil {
			missing = append(missing, n.program)
			if !slices.Contains(packages, n.debian) {
				packages = append(packages, n.debian)
			}
		}
	}
	return missing, packages
}

// requirePrograms fails tb when a program of needs is not on the PATH, naming the
// packages to install; who is the test, for the message.
func requirePrograms(tb testing.TB, who string, needs []neededProgram) {
	tb.Helper()
	if missing, packages := missingPrograms(needs); len(missing) > 0 {
		tb.Fatalf("%s needs %s: apt-get install -y --no-install-recommends %s (or run build/setup.sh)",
			who, strings.Join(missing, ", "), strings.Join(packages, " "))
	}
}

// requireFrontend fails tb when the frontend, which main.go embeds, is not built.
func requireFrontend(tb testing.TB) {
	tb.Helper()
	if _, err := os.Stat(filepath.Join("frontend", "dist", "index.html")); err != nil {
		tb.Fatalf("the frontend is not built (%v): run `make frontend`, or `npm ci && npm run build` in frontend/, first", err)
	}
}

// buildApp builds the application as it ships into dir and returns the binary's path.
func buildApp(tb testing.TB, dir string) string {
	tb.Helper()
	return buildTagged(tb, filepath.Join(dir, "certkiosk"), "desktop,production,webkit2_41")
}

// buildTagged builds the application with the build tags tags as bin and returns bin.
func buildTagged(tb testing.TB, bin, tags string) string {
	tb.Helper()
	cmd := exec.Command("go", "build", "-tags", tags, "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build -tags %s: %v\n%s\n(the window needs the Debian packages libgtk-3-dev and libwebkit2gtk-4.1-dev)", tags, err, out)
	}
	return bin
}

// startXvfb starts a virtual X display of windowScreen on a display number it picks
// itself and returns the display's name (":N").
func startXvfb(tb testing.TB) string {
	tb.Helper()
	return startXvfbSized(tb, windowScreen)
}

// startXvfbSized starts a virtual X display of size ("WxH"), as startXvfb does, with
// Xvfb's further args (such as -fbdir).
func startXvfbSized(tb testing.TB, size string, args ...string) string {
	tb.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", append([]string{"-displayfd", "3", "-screen", "0", size + "x24", "-nolisten", "tcp"}, args...)...)
	cmd.ExtraFiles = []*os.File{w} // fd 3: Xvfb writes the display number there when it is ready
	var out logWatch
	x := start(tb, "Xvfb", cmd, os.Environ(), &out)
	w.Close()

	number := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		number <- strings.TrimSpace(line)
	}()
	select {
	case n := <-number:
		if _, err := strconv.Atoi(n); err != nil {
			tb.Fatalf("Xvfb reported display %q; its output:\n%s", n, &out)
		}
		return ":" + n
	case <-x.done:
		tb.Fatalf("Xvfb exited (%v); its output:\n%s", x.err, &out)
	case <-time.After(10 * time.Second):
		tb.Fatalf("Xvfb reported no display within 10s; its output:\n%s", &out)
	}
	return ""
}

// startSessionBus starts a private D-Bus session bus with its socket in dir, so that
// GTK neither uses the caller's nor spawns one that outlives the test, and returns
// its address.
func startSessionBus(tb testing.TB, dir string) string {
	tb.Helper()
	socket := filepath.Join(dir, "bus")
	var out logWatch
	bus := start(tb, "dbus-daemon", exec.Command("dbus-daemon", "--session", "--nofork", "--nopidfile",
		"--address=unix:path="+socket), os.Environ(), &out)
	bus.await(tb, 10*time.Second, 50*time.Millisecond, "made no socket", func() bool {
		_, err := os.Stat(socket)
		return err == nil
	})
	return "unix:path=" + socket
}

// windowEnv is the environment of the application and the X tools: the display and
// bus, XDG folders inside dir (made here) so that WebKit's caches stay out of the
// home folder, and the rest of the caller's environment but WAYLAND_DISPLAY.
func windowEnv(tb testing.TB, dir, display, bus string) []string {
	tb.Helper()
	env := []string{
		"DISPLAY=" + display,
		"DBUS_SESSION_BUS_ADDRESS=" + bus,
		"GDK_BACKEND=x11",
		"NO_AT_BRIDGE=1",
	}
	for _, v := range []string{"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"} {
		d := filepath.Join(dir, strings.ToLower(v))
		if err := os.MkdirAll(d, 0o700); err != nil {
			tb.Fatal(err)
		}
		env = append(env, v+"="+d)
	}
	replaced := map[string]bool{"WAYLAND_DISPLAY": true}
	for _, kv := range env {
		replaced[kv[:strings.IndexByte(kv, '=')]] = true
	}
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); !replaced[name] {
			env = append(env, kv)
		}
	}
	return env
}

// proc is a process the test or benchmark started, stopped with its whole process
// group when that ends, failed or not.
type proc struct {
	name string    // for messages
	out  *logWatch // its output
	pid  int
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done
}

// start starts cmd in a process group of its own with env, its output going to out.
func start(tb testing.TB, name string, cmd *exec.Cmd, env []string, out *logWatch) *proc {
	tb.Helper()
	cmd.Env = env
	cmd.Stdout = out
	cmd.Stderr = out
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	// A test process that dies without its cleanups (a -timeout panic, an interrupt)
	// takes what it started with it.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	cmd.WaitDelay = 2 * time.Second // children that keep the output open are not waited for
	if err := cmd.Start(); err != nil {
		tb.Fatalf("starting %s: %v", name, err)
	}
	p := &proc{name: name, out: out, pid: cmd.Process.Pid, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	tb.Cleanup(func() {
		if !p.stop(5 * time.Second) {
			tb.Logf("%s did not stop on SIGTERM within 5 s; killed it", name)
		}
	})
	return p
}

// await calls ready every interval until it reports true, failing tb when the
// process exits first or within passes; what is what the process has then failed
// to do, for the message ("made no socket").
func (p *proc) await(tb testing.TB, within, interval time.Duration, what string, ready func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(within); ; time.Sleep(interval) {
		if ready() {
			return
		}
		select {
		case <-p.done:
			tb.Fatalf("%s exited (%v); its output:\n%s", p.name, p.err, p.out)
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s %s within %v; its output:\n%s", p.name, what, within, p.out)
		}
	}
}

// stop ends the process's group, which also holds its children (WebKit's web and
// network processes), with SIGTERM, then SIGKILL once the process has exited or
// grace has passed, and returns when the process has been waited for. It tells
// whether the process exited on SIGTERM within grace. Stopping a stopped process
// does no harm.
func (p *proc) stop(grace time.Duration) bool {
	_ = syscall.Kill(-p.pid, syscall.SIGTERM)
	exited := true
	select {
	case <-p.done:
	case <-time.After(grace):
		exited = false
	}
	_ = syscall.Kill(-p.pid, syscall.SIGKILL)
	<-p.done
	return exited
}

// logWatch collects a process's output and closes seen when a line containing want
// has been written.
type logWatch struct {
	want string
	seen chan struct{}

	mu   sync.Mutex
	buf  bytes.Buffer
	once sync.Once
}

func (w *logWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.want != "" && bytes.Contains(w.buf.Bytes(), []byte(w.want)) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *logWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitFor tells whether a line containing s is written within d.
func (w *logWatch) waitFor(s string, d time.Duration) bool {
	for deadline := time.Now().Add(d); ; time.Sleep(100 * time.Millisecond) {
		if strings.Contains(w.String(), s) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// processTable reads /proc: the parent and the name (comm) of every process.
func processTable() (parent map[int]int, comm map[int]string) {
	parent, comm = map[int]int{}, map[int]string{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		open, close := bytes.IndexByte(stat, '('), bytes.LastIndexByte(stat, ')')
		if open < 0 || close < open {
			continue
		}
		fields := strings.Fields(string(stat[close+1:]))
		if len(fields) < 2 {
			continue
		}
		parent[p], _ = strconv.Atoi(fields[1])
		comm[p] = string(stat[open+1 : close])
	}
	return parent, comm
}

// descendsFrom tells whether process p runs under pid, by the parents of processTable.
func descendsFrom(parent map[int]int, p, pid int) bool {
	for q := parent[p]; q > 1; q = parent[q] {
		if q == pid {
			return true
		}
	}
	return false
}
