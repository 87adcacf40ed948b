//go:build linux

// window_test.go: the kiosk window for real: the built binary in an Xvfb display with
// a private session bus, looked at through screenshots.

package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net"
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

	"certkiosk/backend/supervise"
)

var update = flag.Bool("update", false, "save the window test's screenshot as build/screenshots/attract.png")

const (
	// readyLine is what backend/kiosk logs once the page has loaded.
	readyLine = `msg="window ready"`
	// readyTimeout bounds the wait for readyLine; WebKit starts slowly on software rendering.
	readyTimeout = 60 * time.Second
	// paintTimeout bounds the wait, after readyLine, for the attract screen to show.
	paintTimeout = 20 * time.Second
	// cycleTimeout bounds the wait for the message to change language (every 4 s).
	cycleTimeout = 15 * time.Second
)

// The attract screen's colours (frontend/src/app.css).
var (
	groundColour = color.RGBA{0x0b, 0x2d, 0x5b, 0xff}
	inkColour    = color.RGBA{0xff, 0xff, 0xff, 0xff}
	accentColour = color.RGBA{0xff, 0xd1, 0x66, 0xff}
)

func TestParseWindowFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    windowConfig
		wantErr bool
	}{
		{args: nil, want: windowConfig{}},
		{args: []string{"--data", "/srv/kiosk"}, want: windowConfig{dataDir: "/srv/kiosk"}},
		{args: []string{"-data=/srv/kiosk", "--kiosk"}, want: windowConfig{dataDir: "/srv/kiosk", kiosk: true}},
		{args: []string{"-config", "/etc/certkiosk/certkiosk.toml", "-printer", "ipp://localhost:8631/ipp/print", "-idle", "5s", "-profile", "RU-KAM"},
			want: windowConfig{configFile: "/etc/certkiosk/certkiosk.toml", printer: "ipp://localhost:8631/ipp/print", idle: 5 * time.Second, profile: "RU-KAM"}},
		{args: []string{"--data", ""}, wantErr: true},
		{args: []string{"--idle", "-1s"}, wantErr: true},
		{args: []string{"--idle", "soon"}, wantErr: true},
		{args: []string{"--colour", "red"}, wantErr: true},
		{args: []string{"print"}, wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseWindowFlags(tt.args, new(bytes.Buffer))
		if tt.wantErr {
			if err == nil {
				t.Errorf("parseWindowFlags(%q) = %+v, want an error", tt.args, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseWindowFlags(%q) = %+v, %v, want %+v", tt.args, got, err, tt.want)
		}
	}
}

func TestKioskConfig(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/xdg/data")

	demo, err := kioskConfig(windowConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if !demo.Demo || demo.DataFolder != "/xdg/data/certkiosk" || demo.Profile != "EE" {
		t.Errorf("without a file: demo %v, data %q, profile %q; want the demo in /xdg/data/certkiosk on EE", demo.Demo, demo.DataFolder, demo.Profile)
	}

	over, err := kioskConfig(windowConfig{dataDir: "/srv/kiosk", printer: "ipp://localhost:8631/ipp/print", idle: 15 * time.Second, profile: "RU-KAM"})
	if err != nil {
		t.Fatal(err)
	}
	if over.DataFolder != "/srv/kiosk" || over.Printer.URI != "ipp://localhost:8631/ipp/print" || over.IdleTimeout.Std() != 15*time.Second || over.Profile != "RU-KAM" {
		t.Errorf("overrides not applied: %+v", over)
	}
	if err := over.Validate(); err != nil {
		t.Errorf("the demo with overrides does not validate: %v", err)
	}
	short, err := kioskConfig(windowConfig{idle: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := short.Validate(); err == nil {
		t.Errorf("an idle timeout of 5 s passed validation; the configuration's bounds apply to --idle too")
	}

	file, err := kioskConfig(windowConfig{configFile: filepath.Join("build", "certkiosk.example.toml")})
	if err != nil {
		t.Fatal(err)
	}
	if file.Demo {
		t.Errorf("the example file (a production kiosk) read as a demo")
	}

	if _, err := kioskConfig(windowConfig{configFile: filepath.Join(t.TempDir(), "absent.toml")}); err == nil {
		t.Errorf("a configuration file that does not exist was accepted")
	}
}

func TestParseWindowFlagsHelp(t *testing.T) {
	var usage bytes.Buffer
	if _, err := parseWindowFlags([]string{"-h"}, &usage); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("parseWindowFlags(-h) error = %v, want flag.ErrHelp", err)
	}
	if !strings.Contains(usage.String(), "-data") {
		t.Errorf("usage does not mention -data:\n%s", usage.String())
	}
}

// TestWindowShowsAttractScreen starts the real application and checks what it shows.
func TestWindowShowsAttractScreen(t *testing.T) {
	requireWindowTest(t)
	tmp := t.TempDir()
	bin := buildApp(t, tmp)
	display := startXvfb(t)
	bus := startSessionBus(t, tmp)
	env := windowEnv(t, tmp, display, bus)
	app, appLog := startReady(t, bin, env, "--data", filepath.Join(tmp, "data"))

	window := findWindow(t, env, "CertKiosk")

	// The page paints shortly after the DOM is ready: look until the attract screen shows.
	var (
		shot    *image.RGBA
		verdict attractVerdict
	)
	deadline := time.Now().Add(paintTimeout)
	for {
		shot = screenshot(t, env, tmp)
		verdict = judgeAttract(shot, window)
		if verdict.err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	keepScreenshot(t, shot, verdict.err != nil)
	if verdict.err != nil {
		t.Fatalf("the window does not show the attract screen: %v\n%s\ncertkiosk's output:\n%s", verdict.err, verdict, appLog)
	}
	t.Logf("attract screen: %s", verdict)

	// The message cycles through the languages: the title area must change.
	title := image.Rect(window.Min.X, window.Min.Y, window.Max.X, window.Min.Y+window.Dy()/2)
	deadline = time.Now().Add(cycleTimeout)
	for !regionDiffers(shot, screenshot(t, env, tmp), title) {
		if time.Now().After(deadline) {
			t.Fatalf("the attract screen's message did not change within %v", cycleTimeout)
		}
		time.Sleep(500 * time.Millisecond)
	}

	// Touching a language's button begins a session in that language: the attract
	// screen, with its yellow start button, gives way to the identify screen, which
	// stays (the idle timeout is a minute).
	// The demo runs the EE profile, whose languages are et, en and ru.
	buttons := languageButtons(shot, window)
	if len(buttons) != 3 {
		t.Fatalf("found %d language buttons at %v, want 3 (et, en, ru)", len(buttons), buttons)
	}
	english := buttons[1]
	run(t, env, "xdotool", "mousemove", strconv.Itoa(english.X), strconv.Itoa(english.Y), "click", "1")
	deadline = time.Now().Add(5 * time.Second)
	for shot = screenshot(t, env, tmp); judgeAttract(shot, window).accent > 0.01; shot = screenshot(t, env, tmp) {
		if time.Now().After(deadline) {
			t.Fatalf("the attract screen still shows 5 s after a touch on English: %s", judgeAttract(shot, window))
		}
		time.Sleep(250 * time.Millisecond)
	}
	time.Sleep(6 * time.Second) // longer than the attract screen's cycle
	if later := screenshot(t, env, tmp); regionDiffers(shot, later, title) {
		keepScreenshot(t, later, true)
		t.Errorf("the screen's title changed after a language was picked")
	}

	select {
	case <-app.done:
		t.Fatalf("certkiosk exited while on show (%v); its output:\n%s", app.err, appLog)
	default:
	}
}

// languageButtons finds the language buttons of the attract screen in shot: the white
// stretches of the row in the window's bottom half that has the most white. It returns
// a point inside each, left to right.
func languageButtons(shot *image.RGBA, window image.Rectangle) []image.Point {
	window = window.Intersect(shot.Bounds())
	// A language's button is filled white; the demo's device buttons below them are
	// only outlined, so a pixel counts when it is white 10 px above and below too.
	const fill = 10
	filled := func(x, y int) bool {
		return near(shot.RGBAAt(x, y-fill), inkColour) && near(shot.RGBAAt(x, y), inkColour) && near(shot.RGBAAt(x, y+fill), inkColour)
	}
	bestY, bestCount := 0, -1
	for y := window.Min.Y + window.Dy()/2; y < window.Max.Y-fill; y++ {
		count := 0
		for x := window.Min.X; x < window.Max.X; x++ {
			if filled(x, y) {
				count++
			}
		}
		if count > bestCount {
			bestY, bestCount = y, count
		}
	}
	var buttons []image.Point
	for x := window.Min.X; x < window.Max.X; {
		if !filled(x, bestY) {
			x++
			continue
		}
		start := x
		for x < window.Max.X && filled(x, bestY) {
			x++
		}
		if x-start >= 48 { // narrower stretches are letters, not touch targets
			buttons = append(buttons, image.Pt((start+x)/2, bestY))
		}
	}
	return buttons
}

// requireWindowTest skips the window tests under -short and fails them when a tool
// they run or the built frontend is missing.
func requireWindowTest(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts the real window under Xvfb")
	}
	requirePrograms(t, "the window test", slices.Concat(windowPrograms, []neededProgram{
		{"xdotool", "xdotool"},
		{"import", "imagemagick"},
	}))
	requireFrontend(t)
}

// startReady starts the application bin with args and waits until its page has loaded.
func startReady(t *testing.T, bin string, env []string, args ...string) (*proc, *logWatch) {
	t.Helper()
	appLog := &logWatch{want: readyLine, seen: make(chan struct{})}
	app := start(t, "certkiosk", exec.Command(bin, args...), env, appLog)
	select {
	case <-appLog.seen:
	case <-app.done:
		t.Fatalf("certkiosk exited before its window was ready (%v); its output:\n%s", app.err, appLog)
	case <-time.After(readyTimeout):
		t.Fatalf("certkiosk logged no %s within %v; its output:\n%s", readyLine, readyTimeout, appLog)
	}
	return app, appLog
}

// findWindow returns the screen area of the visible window named name.
func findWindow(t *testing.T, env []string, name string) image.Rectangle {
	t.Helper()
	out := run(t, env, "xdotool", "search", "--sync", "--onlyvisible", "--name", name)
	ids := strings.Fields(out)
	if len(ids) == 0 {
		t.Fatalf("xdotool found no visible window named %q", name)
	}
	geometry := map[string]int{}
	for _, line := range strings.Split(run(t, env, "xdotool", "getwindowgeometry", "--shell", ids[0]), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			geometry[k], _ = strconv.Atoi(v)
		}
	}
	r := image.Rect(geometry["X"], geometry["Y"], geometry["X"]+geometry["WIDTH"], geometry["Y"]+geometry["HEIGHT"])
	if r.Dx() < 640 || r.Dy() < 400 {
		t.Fatalf("window %s of %q is %v, want about 1280×800", ids[0], name, r)
	}
	return r
}

// screenshot captures the whole display.
func screenshot(t *testing.T, env []string, dir string) *image.RGBA {
	t.Helper()
	file := filepath.Join(dir, "screen.png")
	run(t, env, "import", "-window", "root", file)
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decoding the screenshot: %v", err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba
}

// keepScreenshot saves shot as build/screenshots/attract.png under -update, else in
// the test's temporary folder; a failing screenshot goes to a folder that outlives
// the test, to be looked at.
func keepScreenshot(t *testing.T, shot *image.RGBA, failed bool) {
	t.Helper()
	var file string
	switch {
	case *update && !failed:
		file = filepath.Join("build", "screenshots", "attract.png")
	case failed:
		dir, err := os.MkdirTemp("", "certkiosk-window-")
		if err != nil {
			t.Fatal(err)
		}
		file = filepath.Join(dir, "attract.png")
	default:
		file = filepath.Join(t.TempDir(), "attract.png")
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, shot); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", file)
}

// attractVerdict is how much of a window's area has each of the attract screen's colours.
type attractVerdict struct {
	ground, inkTop, inkBottom, accent float64 // shares of the window, or of its half
	colours                           int
	err                               error
}

func (v attractVerdict) String() string {
	return fmt.Sprintf("background %.1f%%, white in the top half %.2f%%, white in the bottom half %.2f%%, yellow %.2f%%, %d colours",
		100*v.ground, 100*v.inkTop, 100*v.inkBottom, 100*v.accent, v.colours)
}

// judgeAttract says whether the window area of shot looks like the attract screen: the
// background fills most of it, white text in the top half (the message), white
// buttons in the bottom half (the languages), and the yellow of the card picture.
// The window's own background has the same colour, so a page that failed to load
// fails on the white and yellow.
func judgeAttract(shot *image.RGBA, window image.Rectangle) attractVerdict {
	window = window.Intersect(shot.Bounds())
	middle := window.Min.Y + window.Dy()/2
	var v attractVerdict
	var ground, inkTop, inkBottom, accent int
	colours := map[color.RGBA]bool{}
	for y := window.Min.Y; y < window.Max.Y; y++ {
		for x := window.Min.X; x < window.Max.X; x++ {
			c := shot.RGBAAt(x, y)
			if len(colours) <= 1000 {
				colours[c] = true
			}
			switch {
			case near(c, groundColour):
				ground++
			case near(c, inkColour) && y < middle:
				inkTop++
			case near(c, inkColour):
				inkBottom++
			case near(c, accentColour):
				accent++
			}
		}
	}
	half := float64(window.Dx() * window.Dy() / 2)
	v.ground = float64(ground) / (2 * half)
	v.inkTop = float64(inkTop) / half
	v.inkBottom = float64(inkBottom) / half
	v.accent = float64(accent) / (2 * half)
	v.colours = len(colours)
	switch {
	case window.Empty():
		v.err = errors.New("the window is off the screen")
	case v.colours < 3:
		v.err = errors.New("the window is nearly uniform")
	case v.ground < 0.6:
		v.err = errors.New("the background colour does not dominate")
	case v.inkTop < 0.01:
		v.err = errors.New("no white message in the top half")
	case v.inkBottom < 0.03:
		v.err = errors.New("no white language buttons in the bottom half")
	case v.accent < 0.0005:
		v.err = errors.New("no yellow of the card picture")
	}
	return v
}

// near tells whether a and b are the same colour give or take rendering noise.
func near(a, b color.RGBA) bool {
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(a.R, b.R)+d(a.G, b.G)+d(a.B, b.B) <= 24
}

// regionDiffers tells whether enough pixels of r differ between a and b to be a
// change of text rather than noise.
func regionDiffers(a, b *image.RGBA, r image.Rectangle) bool {
	r = r.Intersect(a.Bounds()).Intersect(b.Bounds())
	changed := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if !near(a.RGBAAt(x, y), b.RGBAAt(x, y)) {
				changed++
			}
		}
	}
	return changed > r.Dx()*r.Dy()/200
}

// colourShare is the share of r's pixels near colour c.
func colourShare(shot *image.RGBA, r image.Rectangle, c color.RGBA) float64 {
	r = r.Intersect(shot.Bounds())
	if r.Empty() {
		return 0
	}
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if near(shot.RGBAAt(x, y), c) {
				n++
			}
		}
	}
	return float64(n) / float64(r.Dx()*r.Dy())
}

// run runs a short command and returns its standard output.
func run(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	cmd.WaitDelay = time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, &stderr)
	}
	return string(out)
}

// kioskScreen is the display size of the kiosk-mode test: neither side equal to the
// window's starting size (1280×800), so a window that is not fullscreen shows.
const kioskScreen = "1366x768"

// TestKioskWindow starts the real application in kiosk mode, supervised by a fake
// service manager (a unixgram socket as NOTIFY_SOCKET), and checks what keeps it a
// kiosk: it covers the screen, a second start leaves it running and exits, Alt+F4
// and the inspector's shortcut do nothing, a right click opens no menu, and SIGTERM
// stops it with READY, WATCHDOG and STOPPING sent on the way.
func TestKioskWindow(t *testing.T) {
	requireWindowTest(t)
	tmp := t.TempDir()
	bin := buildApp(t, tmp)
	display := startXvfbSized(t, kioskScreen)
	bus := startSessionBus(t, tmp)
	env := windowEnv(t, tmp, display, bus)
	wm := startWindowManager(t, env)

	manager := listenNotify(t, filepath.Join(tmp, "notify"))
	data := filepath.Join(tmp, "data")
	// WATCHDOG_PID is the app's parent's, as under cage: the test process.
	// Appended: the last of a name's values wins.
	supervised := append(append([]string(nil), env...),
		"NOTIFY_SOCKET="+manager.path,
		"WATCHDOG_USEC=1000000",
		"WATCHDOG_PID="+strconv.Itoa(os.Getpid()),
	)
	app, appLog := startReady(t, bin, supervised, "-kiosk", "--data", data)
	running := func(when string) {
		t.Helper()
		select {
		case <-app.done:
			t.Fatalf("certkiosk exited %s (%v); its output:\n%s", when, app.err, appLog)
		default:
		}
	}

	t.Run("ready", func(t *testing.T) {
		if _, ok := manager.wait("READY=1", 5*time.Second); !ok {
			t.Fatalf("the service manager got no READY=1 after the page loaded; it got %q", manager.messages())
		}
		// Past the heartbeat's limit (supervise.DefaultStale) the pings go on only
		// if the page polls the façade.
		time.Sleep(supervise.DefaultStale + time.Second)
		pings := manager.count("WATCHDOG=1")
		time.Sleep(2 * time.Second) // four pings at WATCHDOG_USEC/2 = 0.5 s
		if got := manager.count("WATCHDOG=1") - pings; got < 2 {
			t.Errorf("%d WATCHDOG=1 in 2 s, %v after the page loaded, with WATCHDOG_USEC=1000000, want at least 2; certkiosk's output:\n%s",
				got, supervise.DefaultStale+time.Second, appLog)
		}
	})

	t.Run("fullscreen", func(t *testing.T) {
		want := screenRect(t, kioskScreen)
		var got image.Rectangle
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(250 * time.Millisecond) {
			if got = findWindow(t, env, "CertKiosk"); got == want {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the kiosk window is at %v, want the whole screen %v (window manager: %v)", got, want, wm)
			}
		}
	})

	t.Run("second instance", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
		defer cancel()
		second := exec.CommandContext(ctx, bin, "-kiosk", "--data", data)
		second.Env = env
		out, err := second.CombinedOutput()
		if err != nil {
			t.Fatalf("the second start: %v, want exit status 0; its output:\n%s", err, out)
		}
		if !bytes.Contains(out, []byte("already running; brought it to the front")) {
			t.Errorf("the second start's output does not say it brought the first to the front:\n%s", out)
		}
		if !appLog.waitFor("a second start asked for the window", 5*time.Second) {
			t.Errorf("the first window was not asked to come to the front; its output:\n%s", appLog)
		}
		time.Sleep(time.Second)
		running("after a second start")
		if ids := strings.Fields(run(t, env, "xdotool", "search", "--onlyvisible", "--name", "CertKiosk")); len(ids) != 1 {
			t.Errorf("%d visible CertKiosk windows after a second start, want 1", len(ids))
		}
	})

	t.Run("no inspector", func(t *testing.T) {
		// WebKit's inspector opens docked in the window's lower part, a light panel
		// over the attract screen's dark ground; the builds with the devtools or
		// debug tag open it on Ctrl+Shift+F12. The lower part's words change with
		// the attract screen's language cycle (the demo's device strip), its ground
		// does not: the share of ground colour there must stay.
		window := findWindow(t, env, "CertKiosk")
		focusWindow(t, env, wm)
		lower := image.Rect(window.Min.X, window.Max.Y-window.Dy()*15/100, window.Max.X, window.Max.Y)
		before := colourShare(screenshot(t, env, tmp), lower, groundColour)
		run(t, env, "xdotool", "key", "--clearmodifiers", "ctrl+shift+F12")
		run(t, env, "xdotool", "key", "--clearmodifiers", "ctrl+shift+i")
		time.Sleep(3 * time.Second)
		after := screenshot(t, env, tmp)
		if share := colourShare(after, lower, groundColour); share < before-0.2 {
			keepScreenshot(t, after, true)
			t.Logf("ground colour in the lower part: %.0f%% before the shortcuts, %.0f%% after", before*100, share*100)
			t.Errorf("the window's lower part changed on the inspector's shortcuts: the production build must have no inspector")
		}
		if ids := searchWindows(t, env, "Inspector"); len(ids) > 0 {
			t.Errorf("an inspector window opened (%v): the production build must have none", ids)
		}
		running("after the inspector's shortcuts")
	})

	t.Run("no context menu", func(t *testing.T) {
		window := findWindow(t, env, "CertKiosk")
		// A corner of the background, away from the cycling message and the buttons.
		at := image.Pt(window.Min.X+30, window.Max.Y-30)
		area := image.Rect(at.X-300, at.Y-300, at.X+300, at.Y+300).Intersect(window)
		before := screenshot(t, env, tmp)
		run(t, env, "xdotool", "mousemove", strconv.Itoa(at.X), strconv.Itoa(at.Y), "click", "3")
		time.Sleep(time.Second)
		after := screenshot(t, env, tmp)
		run(t, env, "xdotool", "key", "Escape")
		if regionDiffers(before, after, area) {
			keepScreenshot(t, after, true)
			t.Errorf("a right click changed the screen around %v: a context menu opened", at)
		}
	})

	t.Run("alt+F4", func(t *testing.T) {
		if !wm {
			// On a bare X server Alt+F4 is a key like any other: closing on it is
			// the window manager's doing. TestCloseVetoed covers the decision.
			skipWithout(t, "no window manager (openbox) to turn Alt+F4 into a close request", "openbox")
		}
		focusWindow(t, env, wm)
		run(t, env, "xdotool", "key", "--clearmodifiers", "alt+F4")
		if !appLog.waitFor(`msg="window close refused"`, 10*time.Second) {
			t.Fatalf("Alt+F4 reached no close request; certkiosk's output:\n%s", appLog)
		}
		time.Sleep(time.Second)
		running("after Alt+F4")
		if ids := searchWindows(t, env, "CertKiosk"); len(ids) == 0 {
			t.Errorf("the kiosk window is gone after Alt+F4")
		}
	})

	t.Run("dead page", func(t *testing.T) {
		// The page lives in WebKit's web process: stopped, it polls no more, and
		// the watchdog pings stop, so that systemd would restart the kiosk.
		pages := descendants(app.pid, "WebKitWebProces") // the kernel keeps 15 characters of a name
		if len(pages) == 0 {
			t.Fatalf("no WebKit web process under certkiosk (pid %d)", app.pid)
		}
		for _, pid := range pages {
			if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
				t.Fatal(err)
			}
		}
		resumed := false
		resume := func() {
			if !resumed {
				for _, pid := range pages {
					syscall.Kill(pid, syscall.SIGCONT)
				}
				resumed = true
			}
		}
		defer resume()
		if !appLog.waitFor("the page's heartbeat stopped", supervise.DefaultStale+5*time.Second) {
			t.Fatalf("the supervisor did not notice the stopped page; certkiosk's output:\n%s", appLog)
		}
		pings := manager.count("WATCHDOG=1")
		time.Sleep(2 * time.Second)
		if got := manager.count("WATCHDOG=1") - pings; got != 0 {
			t.Errorf("%d WATCHDOG=1 in 2 s with the page stopped, want none", got)
		}
		resume()
		if !appLog.waitFor("the page's heartbeat is back", 10*time.Second) {
			t.Fatalf("the supervisor did not notice the page back; certkiosk's output:\n%s", appLog)
		}
		pings = manager.count("WATCHDOG=1")
		time.Sleep(2 * time.Second)
		if got := manager.count("WATCHDOG=1") - pings; got < 2 {
			t.Errorf("%d WATCHDOG=1 in 2 s with the page back, want at least 2", got)
		}
		running("after its page stopped and resumed")
	})

	t.Run("SIGTERM", func(t *testing.T) {
		if err := syscall.Kill(app.pid, syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case <-app.done:
		case <-time.After(20 * time.Second):
			t.Fatalf("certkiosk did not stop within 20 s of SIGTERM; its output:\n%s", appLog)
		}
		if app.err != nil {
			t.Errorf("certkiosk stopped by SIGTERM: %v, want exit status 0; its output:\n%s", app.err, appLog)
		}
		if _, ok := manager.wait("STOPPING=1", 5*time.Second); !ok {
			t.Errorf("the service manager got no STOPPING=1; it got %q", manager.messages())
		}
		if n := manager.count("READY=1"); n != 1 {
			t.Errorf("the service manager got READY=1 %d times, want once", n)
		}
		if !strings.Contains(appLog.String(), `msg="shutting down"`) {
			t.Errorf("the façade's shutdown hook did not run; certkiosk's output:\n%s", appLog)
		}
	})
}

// descendants returns the processes under pid whose name (comm) is name.
func descendants(pid int, name string) []int {
	parent, comm := processTable()
	var found []int
	for p := range parent {
		if comm[p] == name && descendsFrom(parent, p, pid) {
			found = append(found, p)
		}
	}
	return found
}

// TestKioskSession runs the kiosk the way build/linux/certkiosk.service does — its
// ExecStart and Environment lines, cage running certkiosk -kiosk — on cage's headless
// backend, supervised by a fake service manager: READY comes once the page has
// loaded, WATCHDOG goes on while the page polls, through cage (WATCHDOG_PID is cage's),
// and SIGTERM ends the session with STOPPING.
func TestKioskSession(t *testing.T) {
	requireWindowTest(t)
	for _, tool := range []string{"cage", "Xwayland"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipWithout(t, "no "+tool, "cage xwayland")
		}
	}
	execStart, environment := unitCommand(t, filepath.Join("build", "linux", "certkiosk.service"))

	// cage refuses to run as root: as root, the session runs as nobody, in a
	// folder of its own.
	dir, err := os.MkdirTemp("", "certkiosk-session-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var credential *syscall.Credential
	if os.Geteuid() == 0 {
		credential = &syscall.Credential{Uid: 65534, Gid: 65534}
	}
	bin := buildApp(t, dir)
	manager := listenNotify(t, filepath.Join(dir, "notify"))
	if credential != nil {
		for _, f := range []string{dir, bin, manager.path} {
			if err := os.Chown(f, int(credential.Uid), int(credential.Gid)); err != nil {
				t.Fatal(err)
			}
		}
	}

	// The unit names the configuration in /etc; here a demo one stands in for it.
	conf := filepath.Join(dir, "certkiosk.toml")
	if err := os.WriteFile(conf, []byte("demo = true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(execStart, "/etc/certkiosk/certkiosk.toml") {
		t.Fatalf("ExecStart=%s does not name /etc/certkiosk/certkiosk.toml", execStart)
	}
	args := strings.NewReplacer("/usr/bin/certkiosk", bin, "/var/lib/certkiosk", filepath.Join(dir, "data"),
		"/etc/certkiosk/certkiosk.toml", conf).Replace(execStart)
	env := append(strings.Fields(environment),
		"PATH=/usr/bin:/bin",
		"HOME="+dir,
		"XDG_RUNTIME_DIR="+dir,
		// wlroots without a screen, a GPU or input devices.
		"WLR_BACKENDS=headless",
		"WLR_RENDERER=pixman",
		"WLR_LIBINPUT_NO_DEVICES=1",
		"NOTIFY_SOCKET="+manager.path,
		"WATCHDOG_USEC=1000000",
	)
	// systemd names the unit's main process, cage, in WATCHDOG_PID: the shell's
	// PID is cage's once it execs.
	cmd := exec.Command("/bin/sh", "-c", `WATCHDOG_PID=$$; export WATCHDOG_PID; exec `+args)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: credential}
	sessionLog := &logWatch{}
	cage := start(t, "cage", cmd, env, sessionLog)

	if _, ok := manager.wait("READY=1", readyTimeout); !ok {
		t.Fatalf("no READY=1 from the kiosk under cage within %v; the session's output:\n%s", readyTimeout, sessionLog)
	}
	time.Sleep(supervise.DefaultStale + time.Second)
	pings := manager.count("WATCHDOG=1")
	time.Sleep(2 * time.Second)
	if got := manager.count("WATCHDOG=1") - pings; got < 2 {
		t.Errorf("%d WATCHDOG=1 in 2 s under cage, want at least 2; the session's output:\n%s", got, sessionLog)
	}

	// systemctl stop signals every process of the unit; the kiosk's own SIGTERM
	// is the one that matters here.
	kiosks := descendants(cage.pid, filepath.Base(bin))
	if len(kiosks) != 1 {
		t.Fatalf("found %d certkiosk processes under cage, want 1", len(kiosks))
	}
	if err := syscall.Kill(kiosks[0], syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if _, ok := manager.wait("STOPPING=1", 10*time.Second); !ok {
		t.Errorf("no STOPPING=1 after SIGTERM; the session's output:\n%s", sessionLog)
	}
	select { // cage ends with its only client
	case <-cage.done:
	case <-time.After(20 * time.Second):
		t.Errorf("cage still runs 20 s after the kiosk was stopped; the session's output:\n%s", sessionLog)
	}
	if n := manager.count("READY=1"); n != 1 {
		t.Errorf("READY=1 sent %d times, want once", n)
	}
}

// unitCommand returns the ExecStart and Environment values of a systemd unit file.
func unitCommand(t *testing.T, unit string) (execStart, environment string) {
	t.Helper()
	data, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "ExecStart="); ok {
			execStart = v
		}
		if v, ok := strings.CutPrefix(line, "Environment="); ok {
			environment = v
		}
	}
	if !strings.Contains(execStart, "/usr/bin/cage ") || !strings.Contains(execStart, "/usr/bin/certkiosk -kiosk") {
		t.Fatalf("%s: ExecStart=%s, want cage running /usr/bin/certkiosk -kiosk", unit, execStart)
	}
	return execStart, environment
}

// startWindowManager starts openbox on the test's display, when it is installed, and
// tells whether it did.
func startWindowManager(t *testing.T, env []string) bool {
	t.Helper()
	if _, err := exec.LookPath("openbox"); err != nil {
		t.Logf("no openbox: the kiosk window runs without a window manager")
		return false
	}
	wm := start(t, "openbox", exec.Command("openbox", "--sm-disable"), env, &logWatch{})
	// A window manager announces itself on the root window (EWMH).
	wm.await(t, 10*time.Second, 100*time.Millisecond, "did not take the display", func() bool {
		cmd := exec.Command("xprop", "-root", "_NET_SUPPORTING_WM_CHECK")
		cmd.Env = env
		got, err := cmd.Output()
		return err == nil && bytes.Contains(got, []byte("window id"))
	})
	return true
}

// skipWithout skips a test that needs Debian packages that are not installed, or
// fails it when CERTKIOSK_REQUIRE_SESSION_TOOLS=1 says they must be.
func skipWithout(t *testing.T, why, packages string) {
	t.Helper()
	hint := why + ": apt-get install -y --no-install-recommends " + packages
	if os.Getenv("CERTKIOSK_REQUIRE_SESSION_TOOLS") == "1" {
		t.Fatal(hint + " (CERTKIOSK_REQUIRE_SESSION_TOOLS=1)")
	}
	t.Skip(hint)
}

// focusWindow gives the kiosk window the keyboard: through the window manager when
// there is one.
func focusWindow(t *testing.T, env []string, wm bool) {
	t.Helper()
	ids := strings.Fields(run(t, env, "xdotool", "search", "--onlyvisible", "--name", "CertKiosk"))
	if len(ids) == 0 {
		t.Fatal("no visible CertKiosk window to focus")
	}
	if wm {
		run(t, env, "xdotool", "windowactivate", "--sync", ids[0])
	} else {
		run(t, env, "xdotool", "windowfocus", "--sync", ids[0])
	}
}

// searchWindows returns the visible windows whose name contains name; none is no error.
func searchWindows(t *testing.T, env []string, name string) []string {
	t.Helper()
	cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", name)
	cmd.Env = env
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 { // xdotool: nothing found
		return nil
	}
	if err != nil {
		t.Fatalf("xdotool search --name %s: %v", name, err)
	}
	return strings.Fields(string(out))
}

// screenRect is the rectangle of a "WxH" screen.
func screenRect(t *testing.T, size string) image.Rectangle {
	t.Helper()
	w, h, _ := strings.Cut(size, "x")
	width, err1 := strconv.Atoi(w)
	height, err2 := strconv.Atoi(h)
	if err1 != nil || err2 != nil {
		t.Fatalf("screen size %q", size)
	}
	return image.Rect(0, 0, width, height)
}

// notifyListener is a fake service manager: the unixgram socket named by
// NOTIFY_SOCKET, keeping every datagram it receives.
type notifyListener struct {
	path string

	mu   sync.Mutex
	msgs []string
}

func listenNotify(t *testing.T, path string) *notifyListener {
	t.Helper()
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	l := &notifyListener{path: path}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			l.mu.Lock()
			l.msgs = append(l.msgs, string(buf[:n]))
			l.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		conn.Close()
		<-done
	})
	return l
}

func (l *notifyListener) messages() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.msgs...)
}

// count is the number of datagrams holding the assignment kv on a line of their own.
func (l *notifyListener) count(kv string) int {
	n := 0
	for _, m := range l.messages() {
		for _, line := range strings.Split(m, "\n") {
			if line == kv {
				n++
			}
		}
	}
	return n
}

// wait waits up to d for a datagram holding kv and returns it.
func (l *notifyListener) wait(kv string, d time.Duration) (string, bool) {
	for deadline := time.Now().Add(d); ; time.Sleep(50 * time.Millisecond) {
		for _, m := range l.messages() {
			for _, line := range strings.Split(m, "\n") {
				if line == kv {
					return m, true
				}
			}
		}
		if time.Now().After(deadline) {
			return "", false
		}
	}
}

func TestCloseVetoed(t *testing.T) {
	tests := []struct {
		kiosk, stopping, want bool
	}{
		{kiosk: true, stopping: false, want: true},   // Alt+F4 at the kiosk
		{kiosk: true, stopping: true, want: false},   // systemctl stop: SIGTERM
		{kiosk: false, stopping: false, want: false}, // a window on a desk closes
		{kiosk: false, stopping: true, want: false},
	}
	for _, tt := range tests {
		if got := closeVetoed(tt.kiosk, tt.stopping); got != tt.want {
			t.Errorf("closeVetoed(kiosk %v, stopping %v) = %v, want %v", tt.kiosk, tt.stopping, got, tt.want)
		}
	}
}

func TestLockInstance(t *testing.T) {
	dir := t.TempDir()
	first, err := lockInstance(dir)
	if err != nil {
		t.Fatal(err)
	}
	if second, err := lockInstance(dir); !errors.Is(err, errAlreadyRunning) {
		t.Fatalf("lockInstance while held = %v, %v, want errAlreadyRunning", second, err)
	}
	if other, err := lockInstance(t.TempDir()); err != nil {
		t.Errorf("lockInstance of another data folder: %v, want the lock", err)
	} else {
		other.Close()
	}
	first.Close()
	again, err := lockInstance(dir)
	if err != nil {
		t.Fatalf("lockInstance after the first closed: %v, want the lock", err)
	}
	again.Close()
	if _, err := lockInstance(filepath.Join(dir, "missing")); err == nil || errors.Is(err, errAlreadyRunning) {
		t.Errorf("lockInstance of a missing folder = %v, want an error other than errAlreadyRunning", err)
	}
}

func TestInstanceID(t *testing.T) {
	t.Chdir(t.TempDir())
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	a := instanceID("kiosk1")
	if b := instanceID(filepath.Join(wd, "kiosk1") + "/"); a != b {
		t.Errorf("instanceID of a relative and the absolute path differ: %q, %q", a, b)
	}
	if b := instanceID("kiosk2"); a == b {
		t.Errorf("instanceID(kiosk1) = instanceID(kiosk2) = %q, want different", a)
	}
	// Wails builds a D-Bus name from it: letters, digits, '-' (made '_') only.
	for _, r := range a {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			t.Errorf("instanceID = %q holds %q, not fit for a D-Bus name", a, r)
		}
	}
}
