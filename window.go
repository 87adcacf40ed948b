// window.go: the kiosk window: its flags, the Wails options, and the kiosk façade bound
// to the frontend.

package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"certkiosk/backend/config"
	"certkiosk/backend/kiosk"
)

// appIcon is the window's icon, also the one `wails build` packages.
//
//go:embed build/appicon.png
var appIcon []byte

// windowConfig is what the window's command line sets.
type windowConfig struct {
	dataDir string // the kiosk's state: queue, configuration
	kiosk   bool   // fullscreen and frameless, for the kiosk session
}

// parseWindowFlags reads the window's command line. It returns flag.ErrHelp after
// printing the usage for -h.
func parseWindowFlags(args []string, stderr io.Writer) (windowConfig, error) {
	var cfg windowConfig
	defaultData, err := config.DefaultDataDir()
	if err != nil {
		return cfg, err
	}
	set := flag.NewFlagSet("certkiosk", flag.ContinueOnError)
	set.SetOutput(stderr)
	set.StringVar(&cfg.dataDir, "data", defaultData, "folder for the kiosk's state")
	set.BoolVar(&cfg.kiosk, "kiosk", false, "fill the screen without a frame")
	if err := set.Parse(args); err != nil {
		return cfg, err
	}
	if set.NArg() > 0 {
		return cfg, fmt.Errorf("unknown command %q", set.Arg(0))
	}
	if cfg.dataDir == "" {
		return cfg, errors.New("--data: empty folder name")
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
	if err := os.MkdirAll(cfg.dataDir, 0o700); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		return fmt.Errorf("embedded frontend: %w", err)
	}

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	app := kiosk.New(kiosk.Options{Log: log, DataDir: cfg.dataDir})

	return wails.Run(&options.App{
		Title:       "CertKiosk",
		Width:       1280,
		Height:      800,
		Fullscreen:  cfg.kiosk,
		Frameless:   cfg.kiosk,
		AssetServer: &assetserver.Options{Assets: dist},
		// The attract screen's background (frontend/src/app.css), so the window does
		// not flash white before the page paints.
		BackgroundColour: options.NewRGB(0x0b, 0x2d, 0x5b),
		Logger:           wailsLog{log.With("from", "wails")},
		OnStartup:        app.Startup,
		OnDomReady:       app.DomReady,
		OnShutdown:       app.Shutdown,
		Bind:             []interface{}{app},
		Linux: &linux.Options{
			Icon:        appIcon,
			ProgramName: "certkiosk",
			// What Wails chooses when Linux options are absent: hardware acceleration
			// leaves the page blank on some GPU drivers, and kiosk pages are light.
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
	})
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
