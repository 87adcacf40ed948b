//go:build linux

// bench_window_test.go: the kiosk window as a whole process, run by `make bench` on a
// line of its own: the cold start up to the painted attract screen, and the resident
// memory of the idle kiosk with its WebKit processes. It runs the shipped build under
// Xvfb with a private session bus, as window_test.go does.

package main

import (
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
	// Unlike the window test, which fails without them, the benchmark skips.
	if missing, packages := missingPrograms(windowPrograms); len(missing) > 0 {
		b.Skipf("no %s: apt-get install -y --no-install-recommends %s (or run build/setup.sh)",
			strings.Join(missing, ", "), strings.Join(packages, " "))
	}
	requireFrontend(b)
	tmp := b.TempDir()
	bin := buildApp(b, tmp)
	screen := startFramebufferXvfb(b, tmp)
	bus := startSessionBus(b, tmp)

	b.Run("start/fresh", func(b *testing.B) {
		var n int
		benchStarts(b, screen, func() *benchKiosk {
			n++
			dir := filepath.Join(tmp, fmt.Sprintf("fresh-%d", n))
			return startBenchKiosk(b, bin, windowEnv(b, dir, screen.display, bus), filepath.Join(dir, "data"))
		})
	})
	b.Run("start/warm", func(b *testing.B) {
		dir := filepath.Join(tmp, "warm")
		env, data := windowEnv(b, dir, screen.display, bus), filepath.Join(dir, "data")
		// The first start makes the data folder (demo key, staff, queue) and WebKit's caches.
		k := startBenchKiosk(b, bin, env, data)
		if _, err := k.waitPainted(screen); err != nil {
			b.Fatalf("%v; certkiosk's output:\n%s", err, k.log)
		}
		k.stopUntilGone(b, screen)
		benchStarts(b, screen, func() *benchKiosk { return startBenchKiosk(b, bin, env, data) })
	})
	b.Run("idle", func(b *testing.B) {
		dir := filepath.Join(tmp, "idle")
		k := startBenchKiosk(b, bin, windowEnv(b, dir, screen.display, bus), filepath.Join(dir, "data"))
		defer k.stopUntilGone(b, screen)
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
		k.stopUntilGone(b, screen)
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

// benchScreenBuffer is a virtual display whose framebuffer Xvfb keeps in a file
// (-fbdir), in XWD format, so that it can be read without a round trip to the server.
type benchScreenBuffer struct {
	display string
	file    string
}

// startFramebufferXvfb starts a virtual display of windowScreen whose framebuffer
// Xvfb keeps in a file under dir.
func startFramebufferXvfb(b *testing.B, dir string) *benchScreenBuffer {
	b.Helper()
	fbdir := filepath.Join(dir, "fb")
	if err := os.Mkdir(fbdir, 0o700); err != nil {
		b.Fatal(err)
	}
	display := startXvfbSized(b, windowScreen, "-fbdir", fbdir)
	return &benchScreenBuffer{display: display, file: filepath.Join(fbdir, "Xvfb_screen0")}
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
	*proc
	started time.Time // just before exec
	ready   time.Time // when the `window ready` line was read; zero before
	readyCh chan struct{}
	log     *logWatch
}

// startBenchKiosk starts `certkiosk -kiosk -data data`, the demo kiosk.
func startBenchKiosk(b *testing.B, bin string, env []string, data string) *benchKiosk {
	b.Helper()
	k := &benchKiosk{log: &logWatch{want: readyLine, seen: make(chan struct{})}, readyCh: make(chan struct{})}
	k.started = time.Now()
	k.proc = start(b, "certkiosk", exec.Command(bin, "-kiosk", "-data", data), env, k.log)
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
			return time.Time{}, fmt.Errorf("certkiosk exited before the attract screen showed (%v)", k.err)
		default:
		}
		if now.After(deadline) {
			return time.Time{}, fmt.Errorf("the attract screen did not show within %v", readyTimeout+paintTimeout)
		}
		time.Sleep(benchPoll)
	}
}

// stopUntilGone ends the kiosk and its WebKit processes, with SIGKILL after 10 s,
// and waits until the screen no longer shows it, so that the next start is judged
// on its own frames.
func (k *benchKiosk) stopUntilGone(b *testing.B, screen *benchScreenBuffer) {
	b.Helper()
	k.stop(10 * time.Second)
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
	parent, comm := processTable()
	for p := range parent {
		in := p == pid || descendsFrom(parent, p, pid)
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
