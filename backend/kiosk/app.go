// app.go: the App façade, its construction and the window lifecycle hooks.

package kiosk

import (
	"context"
	"io"
	"log/slog"
)

// Options configures an App. The zero value is usable: it logs nowhere and offers
// every language the kiosk has.
type Options struct {
	// Log receives the App's log lines; nil discards them.
	Log *slog.Logger
	// DataDir is the folder that holds the kiosk's state (queue, configuration).
	DataDir string
	// Languages are the languages offered, in the order the attract screen shows
	// them; empty means AllLanguages().
	Languages []Language
}

// App is the façade bound to the kiosk window. Its exported methods are called from
// the frontend; Startup, DomReady and Shutdown are the window's lifecycle hooks.
type App struct {
	log       *slog.Logger
	dataDir   string
	languages []Language
}

// New returns an App configured by opts.
func New(opts Options) *App {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	languages := opts.Languages
	if len(languages) == 0 {
		languages = AllLanguages()
	}
	return &App{
		log:       log,
		dataDir:   opts.DataDir,
		languages: append([]Language(nil), languages...),
	}
}

// Startup is called when the window has been created, before the frontend loads.
func (a *App) Startup(ctx context.Context) {
	a.log.Info("starting", "data", a.dataDir)
}

// DomReady is called when the frontend's page has loaded. The line it logs is what
// scripts and the window test wait for.
func (a *App) DomReady(ctx context.Context) {
	a.log.Info("window ready")
}

// Shutdown is called when the window is closing, after the frontend has gone.
func (a *App) Shutdown(ctx context.Context) {
	a.log.Info("shutting down")
}
