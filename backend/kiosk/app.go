// app.go: the App façade, its construction and the window lifecycle hooks.

package kiosk

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/commission"
	"certkiosk/backend/printing"
	"certkiosk/backend/queue"
	"certkiosk/backend/registry"
	"certkiosk/backend/registrysim"
	"certkiosk/backend/rules"
	"certkiosk/backend/signer"
	"certkiosk/backend/staff"
	"certkiosk/drivers/sim"
)

// Options configures an App made by New: the window's lifecycle and the languages,
// without the kiosk's services. The zero value is usable: it logs nowhere and offers
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
	clock     Clock
	idle      time.Duration

	svc *services // nil for an App made by New: the resident methods answer "not-ready"

	mu        sync.Mutex
	st        State
	changed   chan struct{} // closed and replaced on every change of st
	sess      *session
	gen       uint64 // counts sessions; work started for an older one is dropped
	activity  time.Time
	heartbeat time.Time
	staffSess *staff.Session

	stop     context.CancelFunc // ends the background work
	bg       sync.WaitGroup
	shutdown sync.Once
}

// New returns an App configured by opts, without the kiosk's services: it reports
// the window's lifecycle and offers the languages. Open assembles a working kiosk.
func New(opts Options) *App {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	languages := opts.Languages
	if len(languages) == 0 {
		languages = AllLanguages()
	}
	a := &App{
		log:       log,
		dataDir:   opts.DataDir,
		languages: append([]Language(nil), languages...),
		clock:     queue.SystemClock(),
		idle:      DefaultIdleTimeout,
		changed:   make(chan struct{}),
		stop:      func() {},
	}
	a.st = a.attractState("EE", false)
	a.st.Seq = 1 // above the 0 a page starts polling with, so its first poll answers at once
	return a
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

// Shutdown is called when the window is closing, after the frontend has gone. It
// wipes the session, stops the queue's worker and closes the kiosk's files; calling
// it again does nothing.
//
// Wails binds every exported method, these hooks too when the window wraps them; a
// call from the page can give no context, and is ignored.
func (a *App) Shutdown(ctx context.Context) {
	if ctx == nil {
		return
	}
	a.shutdown.Do(func() {
		a.log.Info("shutting down")
		a.mu.Lock()
		a.wipeLocked()
		a.mu.Unlock()
		a.stop()
		a.bg.Wait()
		if a.svc != nil {
			a.svc.close()
		}
	})
}

// DefaultIdleTimeout is how long a resident's session lasts without activity.
const DefaultIdleTimeout = 60 * time.Second

// Clock is the time the kiosk reads and waits on: the session's idle timeout, the
// queue's backoff and the dates of the certificates. Tests pass one they step.
type Clock = queue.Clock

// Setup configures a kiosk opened with Open; SetupFrom makes one from the
// configuration file. A demo kiosk needs only DataDir and Demo; outside demo mode
// RegistryURL and KeyURI are needed too. The zero value of every other field is the
// demo's default.
type Setup struct {
	// DataDir holds the kiosk's files: queue, demo key, staff accounts, audit log,
	// demo registry, printed PDFs.
	DataDir string
	// Profile is the jurisdiction profile (rules.Codes); empty: "EE".
	Profile string
	// IdleTimeout ends a resident's session without activity; 0: 60 s.
	IdleTimeout time.Duration
	// Demo turns on the simulated card reader and scanner, the demo people and the
	// demo staff accounts; with no RegistryURL, the embedded demo registry answers.
	Demo bool
	// RegistryURL and FederalURL are the FHIR bases of the local and federal
	// registries. An empty RegistryURL in demo mode starts the embedded demo
	// registry on loopback (both its registries).
	RegistryURL, FederalURL string
	// PrinterURI is where documents print: ipp://, ipps://, usb:// or folder://;
	// empty: the folder <DataDir>/printed.
	PrinterURI string
	// KeyURI is the PKCS#11 URI of the signing key; empty: the demo key in DataDir,
	// in demo mode only. Outside demo mode the key must be in a token and its
	// certificate issued by a CA (signer.RequireHardware), or Open refuses to start.
	KeyURI string
	// Clock is the time; nil: the system clock.
	Clock Clock
	// Log receives the kiosk's log lines, none with personal data; nil: discarded.
	Log *slog.Logger
	// Registry adjusts the registry clients (timeouts, retries); its Source is set
	// by the kiosk.
	Registry registry.Options
	// StaffHash is the argon2id cost of the demo staff accounts' PINs; zero: the
	// staff store's default.
	StaffHash staff.Params
	// QueuePoll is the queue worker's longest idle wait; 0: queue.DefaultPoll.
	QueuePoll time.Duration
	// Cards is the card reader the kiosk watches; nil: none (a demo kiosk's
	// simulated reader is driven by InsertDemoCard; outside demo mode the device
	// list says there is no reader). Open closes it on Shutdown when it is an
	// io.Closer.
	Cards CardSource
	// Scans is the scanner the kiosk watches; nil: none.
	Scans ScanSource

	// Languages are the codes of the languages offered, the first shown first and
	// the one a wiped session starts in; empty: the profile's languages first, then
	// the others the kiosk has a catalogue for.
	Languages []string
	// KioskID names this kiosk in the audit entries shipped to the registry
	// (AuditEvent.source.site) and in staff lock-outs; empty: none, and the staff
	// package's default kiosk.
	KioskID string
	// PrinterCAFile is a PEM file of certificates trusted, besides the system's
	// roots, to sign an ipps:// printer's certificate.
	PrinterCAFile string
	// QueueKeyFile, AuditKeyFile and UVCIKeyFile are the files of the key personal
	// data in the queue is sealed under, the key the audit log hashes identifiers
	// with, and the key UVCIs are derived under; each is created on first use.
	// Empty: queue.key, audit.key and uvci.key in DataDir.
	QueueKeyFile, AuditKeyFile, UVCIKeyFile string
	// Retention is how long what holds personal data is kept; nil: the demo's
	// (DemoRetention).
	Retention *Retention
	// Staff are the staff functions' options; the zero value allows staff logins
	// with the staff package's session limits.
	Staff StaffOptions
	// PrinterWatch is the time between two polls of an idle printer, and between
	// two sweeps of a folder printer's retention; 0: printing.DefaultWatchInterval.
	PrinterWatch time.Duration
}

// Retention is how long the kiosk keeps what holds personal data (the
// configuration's [retention]).
type Retention struct {
	// FinishedJobs is how long a finished job's rows and sealed data stay in the
	// queue; 0: deleted at the next purge.
	FinishedJobs time.Duration
	// ReprintWindow is how long after printing a document can be printed again;
	// 0: no reprints.
	ReprintWindow time.Duration
	// Printed is how long a folder printer keeps the files it printed; 0: forever.
	Printed time.Duration
	// Waiting is how long a held certificate, a parked job or a request accepted
	// offline waits for its resident or staff before it is cancelled and its data
	// deleted; 0: no limit.
	Waiting time.Duration
}

// DemoRetention is the retention of a kiosk whose Setup names none: finished jobs
// an hour (the printing screen and staff see them), reprints for the queue's
// default window, printed files and waiting requests without limit.
func DemoRetention() Retention {
	return Retention{FinishedJobs: time.Hour, ReprintWindow: queue.DefaultReprintWindow}
}

// StaffOptions are the staff functions' options (the configuration's [staff]).
type StaffOptions struct {
	// Disabled refuses every staff login at this kiosk (StaffUnlock: "forbidden")
	// and, in demo mode, creates no demo accounts.
	Disabled bool
	// IdleTimeout ends a staff session nobody used, MaxSession any session; 0:
	// staff.DefaultIdleTimeout and staff.DefaultMaxAge.
	IdleTimeout, MaxSession time.Duration
}

// services are what a kiosk opened with Open works with.
type services struct {
	setup   Setup
	profile *rules.Profile
	issuer  *signer.Issuer
	issuers *profileServices
	local   *registry.Client
	federal *registry.Client
	demoReg *registrysim.Running
	queue   *queue.Queue
	worker  *queue.Worker
	printer string // the main printer's URI
	auth    *staff.Authenticator
	// commission is the antibody commission, under the RU-KAM profile only.
	commission *commission.Service
	audit      *audit.Log
	sim        *sim.Sim
	demo       []sim.DemoHolder // the demo people of the profile's country
	closers    []func() error
	releases   []func()

	mu       sync.Mutex // guards printers, folders and releases once the worker runs
	printers map[string]printing.Printer
	folders  []*printing.Folder // the folder printers opened, swept for their retention
}
