//go:build linux

// bench_window_test.go: the kiosk window as a whole process, run by `make bench` on a
// line of its own: the cold start up to the painted attract screen, and the resident
// memory of the idle kiosk with its WebKit processes. It runs the shipped build under
// Xvfb with a private session bus, as window_test.go does.

package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	// benchIdle is how long the attract screen shows before the idle kiosk's memory is read.
	benchIdle = 20 * time.Second
	// benchPoll is how often the framebuffer is looked at while the kiosk starts.
	benchPoll = 20 * time.Millisecond
	// benchScreen is the virtual display's size: the window's own (window.go).
	benchScreen = "1280x800"
)

// BenchmarkWindow measures the kiosk (`certkiosk -kiosk`, the demo) as it ships:
//
//   - start/fresh and start/warm: the time from exec to the first frame in which the
//     attract screen shows (judgeAttract on Xvfb's framebuffer, looked at every 20 ms),
//     with a new data folder and new XDG folders for each start, or with the ones an
//     earlier, unmeasured start made. ms/start is the median, max-ms/start the slowest,
//     ready-ms/start the median time to the `window ready` log line (the page's DOM).
//   - idle: one kiosk left on the attract screen for 20 s, then the resident memory of
//     its process tree (certkiosk, WebKitNetworkProcess, WebKitWebProcess) read once a
//     second, b.N times: the sum of VmRSS (/proc/PID/status) and of Pss
//     (/proc/PID/smaps_rollup), medians in MiB.
//
// `make bench` runs it with -benchtime=5x. It skips without Xvfb or dbus-daemon.
func BenchmarkWindow(b *testing.B) {
	if testing.Short() {
		b.Skip("starts the real window under Xvfb")
	}
	for _, tool := range []struct{ program, debian string }{{"Xvfb", "xvfb"}, {"dbus-daemon", "dbus"}, {"pkg-config", "pkg-config"}} {
		if _, err := exec.LookPath(tool.program); err != nil {
			b.Skipf("no %s: apt-get install -y --no-install-recommends %s (or run build/setup.sh)", tool.program, tool.debian)
		}
	}
	if _, err := os.Stat(filepath.Join("frontend", "dist", "index.html")); err != nil {
		b.Fatalf("the frontend is not built (%v): run `make frontend` first", err)
	}
	tmp := b.TempDir()
	bin := filepath.Join(tmp, "certkiosk")
	if out, err := exec.Command("go", "build", "-tags", "desktop,production,webkit2_41", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	screen := startBenchXvfb(b, tmp)
	bus := startBenchBus(b, tmp)
	base := []string{"DISPLAY=" + screen.display, "DBUS_SESSION_BUS_ADDRESS=" + bus, "GDK_BACKEND=x11", "NO_AT_BRIDGE=1"}

	b.Run("start/fresh", func(b *testing.B) {
		var n int
		benchStarts(b, screen, func() *benchKiosk {
			n++
			dir := filepath.Join(tmp, fmt.Sprintf("fresh-%d", n))
			return startBenchKiosk(b, bin, benchEnv(b, base, dir), filepath.Join(dir, "data"))
		})
	})
	b.Run("start/warm", func(b *testing.B) {
		dir := filepath.Join(tmp, "warm")
		env, data := benchEnv(b, base, dir), filepath.Join(dir, "data")
		// The first start makes the data folder (demo key, staff, queue) and WebKit's caches.
		k := startBenchKiosk(b, bin, env, data)
		if _, err := k.waitPainted(screen); err != nil {
			b.Fatalf("%v; certkiosk's output:\n%s", err, k.log)
		}
		k.stop(b, screen)
		benchStarts(b, screen, func() *benchKiosk { return startBenchKiosk(b, bin, env, data) })
	})
	b.Run("idle", func(b *testing.B) {
		dir := filepath.Join(tmp, "idle")
		k := startBenchKiosk(b, bin, benchEnv(b, base, dir), filepath.Join(dir, "data"))
		defer k.stop(b, screen)
		if _, err := k.waitPainted(screen); err != nil {
			b.Fatalf("%v; certkiosk's output:\n%s", err, k.log)
		}
		time.Sleep(benchIdle)
		var (
			rss, pss []float64
			last     []processMemory
			others   int
		)
		for b.Loop() {
			time.Sleep(time.Second)
			select {
			case <-k.done:
				b.Fatalf("certkiosk exited while idle (%v); its output:\n%s", k.err, k.log)
			default:
			}
			last, others = treeMemory(k.pid)
			var r, p int
			for _, m := range last {
				r += m.rssKiB
				p += m.pssKiB
			}
			rss, pss = append(rss, float64(r)/1024), append(pss, float64(p)/1024)
		}
		for _, m := range last {
			b.Logf("%-16s pid %-7d RSS %6.1f MiB (anonymous %6.1f, files %6.1f)  PSS %6.1f MiB", m.name, m.pid,
				float64(m.rssKiB)/1024, float64(m.anonKiB)/1024, float64(m.fileKiB)/1024, float64(m.pssKiB)/1024)
		}
		b.Logf("other WebKit processes on the machine: %d", others)
		b.ReportMetric(0, "ns/op")
		b.ReportMetric(median(rss), "MiB-rss")
		b.ReportMetric(median(pss), "MiB-pss")
		b.ReportMetric(float64(len(last)), "processes")
	})
}

// benchStarts starts a kiosk b.N times with next, each time waiting for the attract
// screen and stopping the kiosk, and reports the times.
func benchStarts(b *testing.B, screen *benchScreenBuffer, next func() *benchKiosk) {
	var painted, ready []float64
	for b.Loop() {
		k := next()
		at, err := k.waitPainted(screen)
		if err != nil {
			b.Fatalf("%v; certkiosk's output:\n%s", err, k.log)
		}
		b.StopTimer()
		p, r := at.Sub(k.started), k.ready.Sub(k.started)
		if k.ready.IsZero() {
			r = p // no ready line within readyTimeout of the paint: count the paint
		}
		painted, ready = append(painted, ms(p)), append(ready, ms(r))
		b.Logf("start %d: window ready after %v, attract screen painted after %v", len(painted), r.Round(time.Millisecond), p.Round(time.Millisecond))
		k.stop(b, screen)
		b.StartTimer()
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(median(painted), "ms/start")
	b.ReportMetric(slices.Max(painted), "max-ms/start")
	b.ReportMetric(median(ready), "ready-ms/start")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// benchEnv is base with XDG folders inside dir, made here, and the rest of the
// caller's environment.
func benchEnv(b *testing.B, base []string, dir string) []string {
	env := slices.Clone(base)
	for _, v := range []string{"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"} {
		d := filepath.Join(dir, strings.ToLower(v))
		if err := os.MkdirAll(d, 0o700); err != nil {
			b.Fatal(err)
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

// benchProcess starts cmd in a process group of its own and stops the group when
// the benchmark ends.
func benchProcess(b *testing.B, name string, cmd *exec.Cmd, out *logWatch) (done chan struct{}, err *error) {
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 2 * time.Second
	if e := cmd.Start(); e != nil {
		b.Fatalf("starting %s: %v", name, e)
	}
	done, err = make(chan struct{}), new(error)
	go func() {
		*err = cmd.Wait()
		close(done)
	}()
	group := cmd.Process.Pid
	b.Cleanup(func() { stopGroup(group, done) })
	return done, err
}

// stopGroup ends the process group group with SIGTERM, or SIGKILL after 10 s, and
// waits until its leader has been waited for (done).
func stopGroup(group int, done chan struct{}) {
	_ = syscall.Kill(-group, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
	}
	_ = syscall.Kill(-group, syscall.SIGKILL)
	<-done
}

// benchScreenBuffer is a virtual display whose framebuffer Xvfb keeps in a file
// (-fbdir), in XWD format, so that it can be read without a round trip to the server.
type benchScreenBuffer struct {
	display string
	file    string
}

func startBenchXvfb(b *testing.B, dir string) *benchScreenBuffer {
	fbdir := filepath.Join(dir, "fb")
	if err := os.Mkdir(fbdir, 0o700); err != nil {
		b.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", benchScreen+"x24", "-nolisten", "tcp", "-fbdir", fbdir)
	cmd.ExtraFiles = []*os.File{w}
	var out logWatch
	done, _ := benchProcess(b, "Xvfb", cmd, &out)
	w.Close()
	number := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		number <- strings.TrimSpace(line)
	}()
	select {
	case n := <-number:
		if _, err := strconv.Atoi(n); err != nil {
			b.Fatalf("Xvfb reported display %q; its output:\n%s", n, &out)
		}
		return &benchScreenBuffer{display: ":" + n, file: filepath.Join(fbdir, "Xvfb_screen0")}
	case <-done:
		b.Fatalf("Xvfb exited; its output:\n%s", &out)
	case <-time.After(10 * time.Second):
		b.Fatalf("Xvfb reported no display within 10s; its output:\n%s", &out)
	}
	return nil
}

func startBenchBus(b *testing.B, dir string) string {
	socket := filepath.Join(dir, "bus")
	var out logWatch
	done, _ := benchProcess(b, "dbus-daemon", exec.Command("dbus-daemon", "--session", "--nofork", "--nopidfile",
		"--address=unix:path="+socket), &out)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(socket); err == nil {
			return "unix:path=" + socket
		}
		select {
		case <-done:
			b.Fatalf("dbus-daemon exited; its output:\n%s", &out)
		default:
		}
		if time.Now().After(deadline) {
			b.Fatalf("dbus-daemon made no socket within 10s; its output:\n%s", &out)
		}
	}
}

// frame maps the framebuffer file and returns its pixels (B, G, R, unused per pixel,
// rows of stride bytes) and its size; unmap releases them.
func (s *benchScreenBuffer) frame() (pix []byte, stride int, size image.Point, unmap func(), err error) {
	f, err := os.Open(s.file)
	if err != nil {
		return nil, 0, image.Point{}, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, image.Point{}, nil, err
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, 0, image.Point{}, nil, err
	}
	unmap = func() { _ = syscall.Munmap(data) }
	// The XWD header: 25 big-endian 32-bit fields, the window's name, then the colour map.
	field := func(i int) int { return int(binary.BigEndian.Uint32(data[4*i:])) }
	if len(data) < 100 || field(1) != 7 || field(2) != 2 || field(7) != 0 || field(11) != 32 {
		unmap()
		return nil, 0, image.Point{}, nil, fmt.Errorf("%s is not a 32-bit little-endian ZPixmap XWD file", s.file)
	}
	header, stride, colours := field(0), field(12), field(19)
	size = image.Pt(field(4), field(5))
	offset := header + 12*colours
	if offset+stride*size.Y > len(data) {
		unmap()
		return nil, 0, image.Point{}, nil, fmt.Errorf("%s is shorter than its header says", s.file)
	}
	return data[offset : offset+stride*size.Y], stride, size, unmap, nil
}

// attractShows tells whether the framebuffer shows the attract screen. A cheap look
// for the attract screen's yellow on every fourth pixel of every fourth row comes
// first; only then is the whole screen copied and judged.
func (s *benchScreenBuffer) attractShows() (bool, error) {
	pix, stride, size, unmap, err := s.frame()
	if err != nil {
		return false, err
	}
	defer unmap()
	at := func(x, y int) (r, g, b uint8) {
		i := y*stride + 4*x
		return pix[i+2], pix[i+1], pix[i]
	}
	yellow := false
	for y := 0; y < size.Y && !yellow; y += 4 {
		for x := 0; x < size.X; x += 4 {
			r, g, b := at(x, y)
			if near(colorRGBA(r, g, b), accentColour) {
				yellow = true
				break
			}
		}
	}
	if !yellow {
		return false, nil
	}
	shot := image.NewRGBA(image.Rectangle{Max: size})
	for y := 0; y < size.Y; y++ {
		for x := 0; x < size.X; x++ {
			r, g, b := at(x, y)
			shot.SetRGBA(x, y, colorRGBA(r, g, b))
		}
	}
	return judgeAttract(shot, shot.Bounds()).err == nil, nil
}

// benchKiosk is one start of the kiosk.
type benchKiosk struct {
	pid     int
	started time.Time // just before exec
	ready   time.Time // when the `window ready` line was read; zero before
	readyCh chan struct{}
	done    chan struct{}
	err     *error
	log     *logWatch
}

// startBenchKiosk starts `certkiosk -kiosk -data data`, the demo kiosk.
func startBenchKiosk(b *testing.B, bin string, env []string, data string) *benchKiosk {
	cmd := exec.Command(bin, "-kiosk", "-data", data)
	cmd.Env = env
	k := &benchKiosk{log: &logWatch{want: readyLine, seen: make(chan struct{})}, readyCh: make(chan struct{})}
	k.started = time.Now()
	k.done, k.err = benchProcess(b, "certkiosk", cmd, k.log)
	k.pid = cmd.Process.Pid
	go func() {
		select {
		case <-k.log.seen:
			k.ready = time.Now()
		case <-k.done:
		}
		close(k.readyCh)
	}()
	return k
}

// waitPainted returns when the attract screen first showed, looking every benchPoll.
// It also waits for the ready line, so that k.ready is set.
func (k *benchKiosk) waitPainted(screen *benchScreenBuffer) (time.Time, error) {
	deadline := k.started.Add(readyTimeout + paintTimeout)
	for {
		now := time.Now()
		ok, err := screen.attractShows()
		if err != nil {
			return time.Time{}, err
		}
		if ok {
			select {
			case <-k.readyCh:
			case <-time.After(readyTimeout):
			}
			return now, nil
		}
		select {
		case <-k.done:
			return time.Time{}, fmt.Errorf("certkiosk exited before the attract screen showed (%v)", *k.err)
		default:
		}
		if now.After(deadline) {
			return time.Time{}, fmt.Errorf("the attract screen did not show within %v", readyTimeout+paintTimeout)
		}
		time.Sleep(benchPoll)
	}
}

// stop ends the kiosk and its WebKit processes and waits until the screen no longer
// shows it, so that the next start is judged on its own frames.
func (k *benchKiosk) stop(b *testing.B, screen *benchScreenBuffer) {
	stopGroup(k.pid, k.done)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(benchPoll) {
		shows, err := screen.attractShows()
		if err != nil {
			b.Fatal(err)
		}
		if !shows {
			return
		}
		if time.Now().After(deadline) {
			b.Fatal("the attract screen still shows 10 s after certkiosk stopped")
		}
	}
}

func colorRGBA(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 0xff} }

// processMemory is one process's resident memory.
type processMemory struct {
	pid            int
	name           string
	rssKiB, pssKiB int
	// anonKiB and fileKiB are the RSS's anonymous memory (heaps, stacks) and mapped files
	// (libraries, fonts); RssShmem, the rest, is small.
	anonKiB, fileKiB int
}

// treeMemory reads VmRSS and Pss of pid and of every process under it. It also counts
// the machine's other WebKit processes, which share library pages with the tree and so
// lower its PSS.
func treeMemory(pid int) (tree []processMemory, otherWebKit int) {
	parent, comm := map[int]int{}, map[int]string{}
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
	for p := range parent {
		in := p == pid
		for q := parent[p]; !in && q > 1; q = parent[q] {
			in = q == pid
		}
		if !in && strings.HasPrefix(comm[p], "WebKit") {
			otherWebKit++
		}
		if in {
			tree = append(tree, processMemory{
				pid:     p,
				name:    comm[p],
				rssKiB:  kibField(filepath.Join("/proc", strconv.Itoa(p), "status"), "VmRSS:"),
				pssKiB:  kibField(filepath.Join("/proc", strconv.Itoa(p), "smaps_rollup"), "Pss:"),
				anonKiB: kibField(filepath.Join("/proc", strconv.Itoa(p), "status"), "RssAnon:"),
				fileKiB: kibField(filepath.Join("/proc", strconv.Itoa(p), "status"), "RssFile:"),
			})
		}
	}
	sort.Slice(tree, func(i, j int) bool { return tree[i].pid < tree[j].pid })
	return tree, otherWebKit
}

// kibField returns the number of kB on the line of file that begins with name.
func kibField(file, name string) int {
	data, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, name); ok {
			fields := strings.Fields(rest)
			if len(fields) > 0 {
				n, _ := strconv.Atoi(fields[0])
				return n
			}
		}
	}
	return 0
}
