// window.go: the kiosk window: its flags, the Wails options, the kiosk façade bound
// to the frontend, and what keeps a kiosk a kiosk: fullscreen without a frame, no
// closing by a visitor, one window a data folder, and systemd's watchdog.

package main

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"certkiosk/backend/config"
	"certkiosk/backend/kiosk"
	"certkiosk/backend/supervise"
)

// appIcon is the window's icon, also the one `wails build` packages.
//
//go:embed build/appicon.png
var appIcon []byte

// windowConfig is what the window's command line sets.
type windowConfig struct {
	configFile string // the configuration file; empty: the demo (config.Default)
	dataDir    string // the kiosk's state, overriding the configuration's data_folder
	kiosk      bool   // fullscreen and frameless, for the kiosk session

	// Overrides of single settings, for demos and tests.
	printer string        // printer URI
	idle    time.Duration // idle timeout
	profile string        // jurisdiction profile
}

// parseWindowFlags reads the window's command line. It returns flag.ErrHelp after
// printing the usage for -h.
func parseWindowFlags(args []string, stderr io.Writer) (windowConfig, error) {
	var cfg windowConfig
	set := flag.NewFlagSet("certkiosk", flag.ContinueOnError)
	set.SetOutput(stderr)
	set.StringVar(&cfg.configFile, "config", "", "configuration `file` (TOML; build/certkiosk.example.toml); without it the demo kiosk")
	set.StringVar(&cfg.dataDir, "data", "", "`folder` for the kiosk's state (default: the configuration's data_folder)")
	set.BoolVar(&cfg.kiosk, "kiosk", false, "fill the screen without a frame")
	set.StringVar(&cfg.printer, "printer", "", "printer `URI` instead of the configuration's: ipp://…, ipps://…, usb:VID:PID or a folder")
	set.DurationVar(&cfg.idle, "idle", 0, "idle timeout instead of the configuration's")
	set.StringVar(&cfg.profile, "profile", "", "jurisdiction profile instead of the configuration's: EE, RU-MOW, RU-KAM or AZ")
	if err := set.Parse(args); err != nil {
		return cfg, err
	}
	if set.NArg() > 0 {
		return cfg, fmt.Errorf("unknown command %q", set.Arg(0))
	}
	var emptyData bool
	set.Visit(func(f *flag.Flag) { emptyData = emptyData || (f.Name == "data" && cfg.dataDir == "") })
	if emptyData {
		return cfg, errors.New("--data: empty folder name")
	}
	if cfg.idle < 0 {
		return cfg, errors.New("--idle: a negative duration")
	}
	return cfg, nil
}

// kioskConfig is the configuration the window runs on: the file's, or the demo's
// without one, with the command line's overrides applied.
func kioskConfig(wc windowConfig) (config.Config, error) {
	cfg := config.Default()
	if wc.configFile != "" {
		var err error
		if cfg, err = config.Load(wc.configFile); err != nil {
			return cfg, err
		}
	}
	if wc.dataDir != "" {
		abs, err := filepath.Abs(wc.dataDir)
		if err != nil {
			return cfg, fmt.Errorf("--data: %w", err)
		}
		cfg.DataFolder = abs
	}
	if cfg.DataFolder == "" {
		return cfg, errors.New("no data folder: give --data (there is no home folder to default to)")
	}
	if wc.printer != "" {
		cfg.Printer.URI = wc.printer
	}
	if wc.idle != 0 {
		cfg.IdleTimeout = config.Duration(wc.idle)
	}
	if wc.profile != "" {
		cfg.Profile = wc.profile
		if wc.configFile == "" {
			cfg.Languages = nil // the profile's own
		}
	}
	return cfg, nil
}

// runWindow opens the kiosk window and returns when it has closed.
func runWindow(args []string) error {
	cfg, err := parseWindowFlags(args, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	kcfg, err := kioskConfig(cfg)
	if err != nil {
		return err
	}
	cfg.dataDir = kcfg.DataFolder
	if err := os.MkdirAll(cfg.dataDir, 0o700); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		return fmt.Errorf("embedded frontend: %w", err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))

	// One window a data folder: a second start brings the first to the front and
	// exits before it opens anything (the queue, the devices) of its own.
	lock, err := lockInstance(cfg.dataDir)
	if errors.Is(err, errAlreadyRunning) {
		if err := askFirstInstance(instanceID(cfg.dataDir)); err != nil {
			log.Warn("already running; could not bring it to the front", "data", cfg.dataDir, "err", err)
		} else {
			log.Info("already running; brought it to the front", "data", cfg.dataDir)
		}
		return nil
	}
	if err != nil {
		return err
	}
	defer lock.Close()

	// The configured kiosk; without a file the demo `make run` promises. Outside
	// demo mode Open refuses the demo key.
	setup, err := kiosk.SetupFrom(kcfg, log)
	if err != nil {
		return err
	}
	app, err := kiosk.Open(context.Background(), setup)
	if err != nil {
		return err
	}
	// The page's long poll is its heartbeat: the watchdog follows it.
	sup, err := supervise.New(supervise.Options{Heartbeat: app, Log: log.With("from", "supervise")})
	if err != nil {
		app.Shutdown(context.Background())
		return err
	}
	defer sup.Close()
	if sup.Supervised() {
		log.Info("supervised", "watchdog", sup.WatchdogInterval())
	}

	w := &kioskWindow{cfg: cfg, app: app, sup: sup, log: log}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(signals)
	go func() {
		for sig := range signals {
			w.stop(sig)
		}
	}()
	defer w.stopWatchdog()

	return wails.Run(w.options(dist))
}

// options are the window's Wails options. In kiosk mode the window fills the screen
// without a frame and cannot be resized or closed by a visitor.
func (w *kioskWindow) options(dist fs.FS) *options.App {
	start := options.Normal
	if w.cfg.kiosk {
		// Wails on Linux reads the start state; options.App.Fullscreen is
		// honoured only on Windows and macOS.
		start = options.Fullscreen
	}
	return &options.App{
		Title:            "CertKiosk",
		Width:            1280,
		Height:           800,
		WindowStartState: start,
		Fullscreen:       w.cfg.kiosk,
		Frameless:        w.cfg.kiosk,
		// Not DisableResize, even in kiosk mode: GTK gives a window that cannot be
		// resized a fixed size, and window managers then refuse to make it
		// fullscreen (openbox keeps it at 1280×800; the window test shows it).
		// Frameless and fullscreen, it has no handle to resize it by.
		DisableResize: false,
		AssetServer:   &assetserver.Options{Assets: dist},
		// The attract screen's background (frontend/src/app.css), so the window does
		// not flash white before the page paints.
		BackgroundColour: options.NewRGB(0x0b, 0x2d, 0x5b),
		Logger:           wailsLog{w.log.With("from", "wails")},
		OnStartup:        w.startup,
		OnDomReady:       w.domReady,
		OnBeforeClose:    w.beforeClose,
		OnShutdown:       w.shutdown,
		Bind:             []interface{}{w.app},
		// WebKit's own menu (reload, back, inspect element) has nothing for a
		// visitor; Wails shows it only in debug builds or when this is true.
		EnableDefaultContextMenu: false,
		// A file dropped on the page would make WebKit open it in place of the kiosk.
		DragAndDrop: &options.DragAndDrop{DisableWebViewDrop: true},
		// The inspector opens only in builds with the devtools or debug tags; the
		// shipped binary (make build, make package) has neither.
		Debug: options.Debug{OpenInspectorOnStartup: false},
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               instanceID(w.cfg.dataDir),
			OnSecondInstanceLaunch: w.secondInstance,
		},
		Linux: &linux.Options{
			Icon:        appIcon,
			ProgramName: "certkiosk",
			// What Wails chooses when Linux options are absent: hardware acceleration
			// leaves the page blank on some GPU drivers, and kiosk pages are light.
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
		// WebKitGTK binds no zoom keys; on Windows Wails would, unless told not to.
		Windows: &windows.Options{IsZoomControlEnabled: false, ZoomFactor: 1, DisablePinchZoom: true},
	}
}

// kioskWindow runs the window's lifecycle around the façade's: the supervisor's
// notifications, and the kiosk-mode refusal to close.
type kioskWindow struct {
	cfg windowConfig
	app *kiosk.App
	sup *supervise.Supervisor
	log *slog.Logger

	stopping atomic.Bool                     // a signal asked the process to stop
	ctx      atomic.Pointer[context.Context] // the Wails runtime's, once started
	watchdog atomic.Pointer[context.CancelFunc]
}

func (w *kioskWindow) startup(ctx context.Context) {
	w.ctx.Store(&ctx)
	watchCtx, cancel := context.WithCancel(ctx)
	w.watchdog.Store(&cancel)
	go w.sup.Run(watchCtx)
	w.app.Startup(ctx)
	if w.stopping.Load() { // a signal came before the runtime could be asked to quit
		runtime.Quit(ctx)
	}
}

func (w *kioskWindow) domReady(ctx context.Context) {
	w.app.DomReady(ctx)
	if w.cfg.kiosk {
		go w.fillScreen(ctx)
	}
	if err := w.sup.Ready(); err != nil {
		w.log.Warn("could not tell the service manager the kiosk is ready", "err", err)
	}
}

// fillScreen covers the screen with the window where no window manager made it
// fullscreen: GTK asks the window manager, and an X display with none (a kiosk
// started with xinit) leaves the window at its starting size. Under cage, or any
// window manager, the window is fullscreen by now and this does nothing.
func (w *kioskWindow) fillScreen(ctx context.Context) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(fullscreenGrace):
	}
	if runtime.WindowIsFullscreen(ctx) {
		return
	}
	screens, err := runtime.ScreenGetAll(ctx)
	if err != nil {
		w.log.Warn("not fullscreen, and the screen's size is unknown", "err", err)
		return
	}
	for _, screen := range screens {
		if screen.IsCurrent {
			w.log.Info("no window manager made the window fullscreen: covering the screen", "width", screen.Size.Width, "height", screen.Size.Height)
			runtime.WindowSetPosition(ctx, 0, 0)
			runtime.WindowSetSize(ctx, screen.Size.Width, screen.Size.Height)
			return
		}
	}
}

// fullscreenGrace is how long the window manager has to make the window fullscreen.
const fullscreenGrace = 500 * time.Millisecond

// beforeClose is asked before the window closes, whoever asks: the window manager
// (Alt+F4, a close button) or runtime.Quit.
func (w *kioskWindow) beforeClose(ctx context.Context) (prevent bool) {
	prevent = closeVetoed(w.cfg.kiosk, w.stopping.Load())
	if prevent {
		w.log.Info("window close refused", "reason", "kiosk mode")
	}
	return prevent
}

// closeVetoed decides whether the window refuses to close. In kiosk mode only the
// process's supervisor (systemd's SIGTERM, an operator's Ctrl+C) may close it;
// anything a visitor can reach — Alt+F4, a gesture the compositor maps to close — is
// refused.
func closeVetoed(kioskMode, stopping bool) bool {
	return kioskMode && !stopping
}

func (w *kioskWindow) shutdown(ctx context.Context) {
	if err := w.sup.Stopping(); err != nil {
		w.log.Warn("could not tell the service manager the kiosk is stopping", "err", err)
	}
	w.stopWatchdog()
	w.app.Shutdown(ctx)
}

func (w *kioskWindow) stopWatchdog() {
	if cancel := w.watchdog.Load(); cancel != nil {
		(*cancel)()
	}
}

// stop closes the window on a signal: systemd stops the unit with SIGTERM. Wails
// listens for the same signals and asks to quit too; it may be refused before this
// has set stopping, and this asks again.
func (w *kioskWindow) stop(sig os.Signal) {
	w.log.Info("stopping", "signal", sig.String())
	w.stopping.Store(true)
	if err := w.sup.Stopping(); err != nil {
		w.log.Warn("could not tell the service manager the kiosk is stopping", "err", err)
	}
	if ctx := w.ctx.Load(); ctx != nil {
		runtime.Quit(*ctx)
	}
}

// secondInstance runs when a second start found this one running: the window comes
// to the front, in kiosk mode over the whole screen again.
func (w *kioskWindow) secondInstance(data options.SecondInstanceData) {
	w.log.Info("a second start asked for the window", "args", strings.Join(data.Args, " "))
	ctx := w.ctx.Load()
	if ctx == nil {
		return
	}
	runtime.WindowUnminimise(*ctx)
	runtime.WindowShow(*ctx)
	if w.cfg.kiosk {
		runtime.WindowFullscreen(*ctx)
	}
}

var _ supervise.Heartbeat = (*kiosk.App)(nil)

// errAlreadyRunning is lockInstance's answer when another window holds the lock.
var errAlreadyRunning = errors.New("another certkiosk window uses this data folder")

// lockInstance takes the data folder's window lock, held until the returned file is
// closed or the process ends, however it ends. Wails' single-instance lock lives on
// the D-Bus session bus, which a kiosk started by systemd under cage may not have;
// this lock holds without one.
func lockInstance(dataDir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dataDir, "window.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("window lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errAlreadyRunning
		}
		return nil, fmt.Errorf("window lock: %w", err)
	}
	return f, nil
}

// instanceID names the window of one data folder on the session bus.
func instanceID(dataDir string) string {
	if abs, err := filepath.Abs(dataDir); err == nil {
		dataDir = abs
	}
	sum := sha256.Sum256([]byte(filepath.Clean(dataDir)))
	return "certkiosk-" + hex.EncodeToString(sum[:8])
}

// askFirstInstance asks the window holding the lock to come to the front, sending
// what Wails' single-instance lock sends from a second start: its arguments as JSON
// to the SendMessage method of the bus name Wails derives from the unique id
// (wails v2.16, internal/frontend/desktop/linux/single_instance.go).
func askFirstInstance(uniqueID string) error {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return fmt.Errorf("session bus: %w", err)
	}
	defer conn.Close()
	id := "wails_app_" + strings.NewReplacer("-", "_", ".", "_").Replace(uniqueID)
	name, path := "org."+id+".SingleInstance", dbus.ObjectPath("/org/"+id+"/SingleInstance")
	data := options.SecondInstanceData{Args: os.Args[1:]}
	data.WorkingDirectory, _ = os.Getwd()
	message, err := json.Marshal(data)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return conn.Object(name, path).CallWithContext(ctx, name+".SendMessage", 0, string(message)).Store()
}

// wailsLog passes the Wails runtime's own messages into the kiosk's log.
type wailsLog struct{ log *slog.Logger }

var _ logger.Logger = wailsLog{}

func (w wailsLog) Print(message string)   { w.log.Info(message) }
func (w wailsLog) Trace(message string)   { w.log.Debug(message) }
func (w wailsLog) Debug(message string)   { w.log.Debug(message) }
func (w wailsLog) Info(message string)    { w.log.Info(message) }
func (w wailsLog) Warning(message string) { w.log.Warn(message) }
func (w wailsLog) Error(message string)   { w.log.Error(message) }
func (w wailsLog) Fatal(message string)   { w.log.Error(message) }
