// open.go: Open, which assembles the kiosk's services the way the command line
// does — registries, signing key, issuing pipeline, queue and its worker, printer,
// staff accounts and audit log — and runs the worker and the idle watch beside the
// window.

package kiosk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/certpdf"
	"certkiosk/backend/commission"
	"certkiosk/backend/config"
	"certkiosk/backend/dcc"
	"certkiosk/backend/issuance"
	"certkiosk/backend/printing"
	"certkiosk/backend/queue"
	"certkiosk/backend/registry"
	"certkiosk/backend/registrysim"
	"certkiosk/backend/rules"
	"certkiosk/backend/signer"
	"certkiosk/backend/staff"
	"certkiosk/backend/trust"
	"certkiosk/drivers/sim"
	"certkiosk/drivers/usb"
)

// Open assembles a working kiosk from setup and starts its queue worker and its
// idle watch; Shutdown stops them and closes its files.
func Open(ctx context.Context, setup Setup) (app *App, err error) {
	if setup.DataDir == "" {
		return nil, errors.New("kiosk: no data folder")
	}
	if setup.Profile == "" {
		setup.Profile = "EE"
	}
	if setup.IdleTimeout == 0 {
		setup.IdleTimeout = DefaultIdleTimeout
	}
	if setup.IdleTimeout < 0 {
		return nil, errors.New("kiosk: negative idle timeout")
	}
	if setup.Clock == nil {
		setup.Clock = queue.SystemClock()
	}
	if setup.Retention == nil {
		r := DemoRetention()
		setup.Retention = &r
	}
	languages, err := setupLanguages(setup.Languages)
	if err != nil {
		return nil, err
	}
	log := setup.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	svc := &services{setup: setup}
	defer func() {
		if err != nil {
			svc.close()
		}
	}()
	now := setup.Clock.Now
	if svc.profile, err = rules.Load(setup.Profile); err != nil {
		return nil, fmt.Errorf("kiosk: profile: %w", err)
	}
	if err := svc.openIssuer(ctx, setup); err != nil {
		return nil, err
	}
	if err := svc.openRegistries(ctx, setup, log); err != nil {
		return nil, err
	}
	ret := *setup.Retention
	queueKey := cmp.Or(setup.QueueKeyFile, queue.KeyPath(setup.DataDir))
	if svc.queue, err = queue.Open(ctx, queue.Path(setup.DataDir), queue.Options{
		Keys: queue.FileKeyStore{Path: queueKey}, Clock: setup.Clock, Retention: ret.FinishedJobs,
		ReprintWindow: ret.ReprintWindow, NoReprint: ret.ReprintWindow == 0, WaitLimit: ret.Waiting,
	}); err != nil {
		return nil, fmt.Errorf("kiosk: queue: %w", err)
	}
	svc.closers = append(svc.closers, svc.queue.Close)
	// The log lives in the data folder itself, where `certkiosk audit verify --data`
	// and `queue run` read it.
	auditOpts := audit.Options{Now: now}
	if setup.AuditKeyFile != "" {
		auditOpts.Keys = audit.FileKeyStore{Path: setup.AuditKeyFile}
	}
	if svc.audit, err = audit.Open(ctx, setup.DataDir, auditOpts); err != nil {
		return nil, fmt.Errorf("kiosk: audit log: %w", err)
	}
	svc.closers = append(svc.closers, svc.audit.Close)
	if err := svc.openPrinter(ctx, setup, log); err != nil {
		return nil, err
	}
	if err := svc.openStaff(setup, log); err != nil {
		return nil, err
	}
	if svc.profile.Code == commission.Profile {
		if svc.commission, err = commission.Open(ctx, setup.DataDir, commission.Options{
			Profile: svc.profile, Issuer: svc.issuer, Renderer: svc.issuers.renderer, Recorder: svc.audit, Now: now,
		}); err != nil {
			return nil, fmt.Errorf("kiosk: antibody commission: %w", err)
		}
		svc.closers = append(svc.closers, svc.commission.Close)
	}
	if setup.Demo {
		if err := svc.openDemoDevices(); err != nil {
			return nil, err
		}
	}

	if len(languages) == 0 {
		languages = profileLanguages(svc.profile)
	}
	a := New(Options{Log: log, DataDir: setup.DataDir, Languages: languages})
	a.clock = setup.Clock
	a.idle = setup.IdleTimeout
	a.svc = svc
	a.activity = now()
	a.st = a.attractState(svc.profile.Code, setup.Demo)
	a.st.Devices = a.devices()

	bgctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	a.stop = stop
	a.bg.Go(func() {
		if err := svc.worker.Run(bgctx); err != nil {
			log.Error("kiosk: queue worker stopped", "err", err)
		}
	})
	a.bg.Go(func() { a.watch(bgctx) })
	a.bg.Go(func() { svc.sweepFolders(bgctx, log) })
	if svc.sim != nil {
		// The simulated reader reports each card going in and out, as a real one
		// does; the session reads the card itself, so the reports are let go.
		a.bg.Go(func() {
			for {
				if _, err := svc.sim.Reader().Next(bgctx); err != nil {
					return
				}
			}
		})
		if setup.Scans == nil {
			// What the simulated scanner scans is read as a real scanner's scan.
			a.bg.Go(func() { a.watchScans(bgctx, svc.sim.Scanner()) })
		}
	}
	if setup.Cards != nil {
		a.bg.Go(func() { a.watchCards(bgctx, setup.Cards) })
		if c, ok := setup.Cards.(io.Closer); ok {
			svc.closers = append(svc.closers, c.Close)
		}
	}
	if setup.Scans != nil {
		a.bg.Go(func() { a.watchScans(bgctx, setup.Scans) })
	}
	log.Info("kiosk open", "kiosk", setup.KioskID, "profile", svc.profile.Code, "demo", setup.Demo, "printer", svc.printer)
	return a, nil
}

// profileLanguages are the languages offered under the profile: its printed
// languages first, then the others the kiosk has a catalogue for.
func profileLanguages(p *rules.Profile) []Language {
	all := AllLanguages()
	var out []Language
	for _, code := range p.Languages {
		for _, l := range all {
			if l.Code == code {
				out = append(out, l)
			}
		}
	}
	for _, l := range all {
		found := false
		for _, o := range out {
			found = found || o.Code == l.Code
		}
		if !found {
			out = append(out, l)
		}
	}
	return out
}

// openIssuer opens the signing key and the issuing pipeline. Outside demo mode only
// a key held outside the process with a certificate a CA issued may sign
// (signer.RequireHardware): the demo key is refused before its file is made.
func (s *services) openIssuer(ctx context.Context, setup Setup) error {
	var err error
	switch {
	case setup.KeyURI != "":
		var closer io.Closer
		if s.issuer, closer, err = signer.OpenToken(setup.KeyURI); err != nil {
			return fmt.Errorf("kiosk: signing key: %w", err)
		}
		s.closers = append(s.closers, closer.Close)
	case !setup.Demo:
		return fmt.Errorf("kiosk: signing key: %w: outside demo mode the kiosk signs only with a key in a hardware token "+
			"(signing.key = \"pkcs11:…\"), not the demo key", signer.ErrFileKey)
	default:
		if s.issuer, err = signer.LoadDemo(setup.DataDir, setup.Clock.Now()); err != nil {
			return fmt.Errorf("kiosk: demo key: %w", err)
		}
	}
	if err := signer.RequireHardware(s.issuer, setup.Demo); err != nil {
		return fmt.Errorf("kiosk: signing key: %w", err)
	}
	// The UVCI key is a key file of the audit log's kind: 32 random bytes, mode
	// 0600, created on first use, refused when others may read it.
	uvciKey, err := audit.FileKeyStore{Path: cmp.Or(setup.UVCIKeyFile, filepath.Join(setup.DataDir, config.UVCIKeyName))}.SubjectKey(ctx)
	if err != nil {
		return fmt.Errorf("kiosk: UVCI key: %w", err)
	}
	fonts, err := certpdf.SystemFonts()
	if err != nil {
		return fmt.Errorf("kiosk: fonts: %w", err)
	}
	s.issuers = &profileServices{issuer: s.issuer, renderer: certpdf.NewRenderer(fonts, dcc.DisplayName), uvciKey: uvciKey}
	return nil
}

func (s *services) openRegistries(ctx context.Context, setup Setup, log *slog.Logger) error {
	localURL, federalURL := setup.RegistryURL, setup.FederalURL
	if localURL == "" {
		if !setup.Demo {
			return errors.New("kiosk: no registry configured (RegistryURL), and not in demo mode")
		}
		run, err := registrysim.Start(context.WithoutCancel(ctx), registrysim.Path(setup.DataDir), setup.Clock.Now())
		if err != nil {
			return fmt.Errorf("kiosk: demo registry: %w", err)
		}
		s.demoReg = run
		s.closers = append(s.closers, run.Close)
		localURL = run.LocalURL
		if federalURL == "" {
			federalURL = run.FederalURL
		}
		log.Info("demo registry", "local", run.LocalURL, "federal", run.FederalURL)
	}
	o := setup.Registry
	o.Source = registry.SourceLocal
	var err error
	if s.local, err = registry.NewClient(localURL, o); err != nil {
		return fmt.Errorf("kiosk: registry: %w", err)
	}
	if federalURL != "" {
		o.Source = registry.SourceFederal
		if s.federal, err = registry.NewClient(federalURL, o); err != nil {
			return fmt.Errorf("kiosk: federal registry: %w", err)
		}
	}
	return nil
}

func (s *services) openPrinter(ctx context.Context, setup Setup, log *slog.Logger) error {
	uri := setup.PrinterURI
	if uri == "" {
		dir, err := filepath.Abs(printing.DefaultFolder(setup.DataDir))
		if err != nil {
			return err
		}
		uri = (&url.URL{Scheme: "folder", Path: dir}).String()
	}
	if _, err := url.Parse(uri); err != nil {
		return fmt.Errorf("kiosk: printer %q: %w", uri, err)
	}
	s.printer = uri
	var host *usb.Host
	open := func(uri string) (printing.Printer, error) {
		o := printing.Options{Now: setup.Clock.Now}
		if strings.HasPrefix(uri, "ipps:") {
			o.CAFile = setup.PrinterCAFile
		}
		o.USB = func(u *url.URL) (printing.Printer, error) {
			// Called under s.mu, by open.
			if host == nil {
				host = usb.NewHost()
				s.releases = append(s.releases, func() { host.Close() })
			}
			return printing.OpenUSB(ctx, host, u)
		}
		p, err := printing.Open(uri, o)
		if err != nil {
			return nil, err
		}
		if f, ok := p.(*printing.Folder); ok {
			f.WithRetention(setup.Retention.Printed)
			s.folders = append(s.folders, f)
		}
		return p, nil
	}
	reports, err := reportClient(setup.Registry)
	if err != nil {
		return err
	}
	s.worker = &queue.Worker{
		Queue:         s.queue,
		Services:      s.issuers,
		Records:       s,
		Printers:      s.printerOnce(open),
		Printer:       uri,
		Log:           setup.Log,
		Poll:          setup.QueuePoll,
		WatchInterval: setup.PrinterWatch,
		WatchClock:    tickClock{setup.Clock},
		Reporter:      &queue.FHIRReporter{BaseURL: s.local.BaseURL(), Client: reports, Site: setup.KioskID},
		// The audit log's entries go to the registry as AuditEvents, beside the
		// reports.
		Audit: s.audit,
	}
	// A folder printer is opened now, so that its files from before a restart are
	// swept even when nothing prints. One that cannot be opened is the worker's to
	// report, as any printer down.
	if strings.HasPrefix(uri, "folder:") {
		if _, err := s.worker.Printers(uri); err != nil {
			log.Warn("kiosk: the folder printer", "printer", uri, "err", err)
		}
	}
	return nil
}

// printerOnce opens each printer once: the worker and the folder sweep share it.
func (s *services) printerOnce(open func(string) (printing.Printer, error)) func(string) (printing.Printer, error) {
	return func(uri string) (printing.Printer, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if p, ok := s.printers[uri]; ok {
			return p, nil
		}
		p, err := open(uri)
		if err != nil {
			return nil, err
		}
		if s.printers == nil {
			s.printers = map[string]printing.Printer{}
		}
		s.printers[uri] = p
		return p, nil
	}
}

// sweepFolders deletes what the folder printers keep past their retention, every
// PrinterWatch, until ctx ends; a folder printer also sweeps as it prints and as
// the worker polls it.
func (s *services) sweepFolders(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(cmp.Or(s.setup.PrinterWatch, printing.DefaultWatchInterval))
	defer t.Stop()
	for {
		s.mu.Lock()
		folders := slices.Clone(s.folders)
		s.mu.Unlock()
		for _, f := range folders {
			if n, err := f.Sweep(ctx); err != nil && ctx.Err() == nil {
				log.Warn("kiosk: sweeping the folder printer", "folder", f.Dir(), "err", err)
			} else if n > 0 {
				log.Info("kiosk: printed files past their retention deleted", "folder", f.Dir(), "files", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// reportClient is the HTTP client reports and audit entries go to the registry
// with: the registry's CA trusted, its time limit, and no redirects (a POST is
// never sent on to another address).
func reportClient(o registry.Options) (*http.Client, error) {
	tlsConf, err := trust.ClientConfig(o.CAFile)
	if err != nil {
		return nil, fmt.Errorf("kiosk: registry CA: %w", err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tlsConf
	if o.ConnectTimeout > 0 {
		tr.DialContext = (&net.Dialer{Timeout: o.ConnectTimeout}).DialContext
		tr.TLSHandshakeTimeout = o.ConnectTimeout
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       cmp.Or(o.Timeout, config.DefaultRegistryTimeout),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, nil
}

// demoStaff are the accounts a demo kiosk has (the façade contract's demo mode).
var demoStaff = []struct {
	account staff.Account
	pin     string
}{
	{staff.Account{ID: "librarian", Name: "Librarian", Roles: []staff.Role{staff.RoleLibrarian}}, "481516"},
	{staff.Account{ID: "clerk", Name: "Clerk", Roles: []staff.Role{staff.RoleClerk}}, "271828"},
	{staff.Account{ID: "member1", Name: "Commission member 1", Roles: []staff.Role{staff.RoleCommissionMember}}, "314159"},
	{staff.Account{ID: "member2", Name: "Commission member 2", Roles: []staff.Role{staff.RoleCommissionMember}}, "161803"},
}

func (s *services) openStaff(setup Setup, log *slog.Logger) error {
	store, err := staff.OpenStore(setup.DataDir, staff.StoreOptions{Now: setup.Clock.Now, Params: setup.StaffHash})
	if err != nil {
		return fmt.Errorf("kiosk: staff accounts: %w", err)
	}
	if setup.Demo && !setup.Staff.Disabled {
		// Created once: hashing a PIN takes a while, and the accounts persist.
		for _, d := range demoStaff {
			if _, err := store.Account(d.account.ID); err == nil {
				continue
			}
			if err := store.Add(d.account, []byte(d.pin)); err != nil && !errors.Is(err, staff.ErrExists) {
				return fmt.Errorf("kiosk: demo staff account %s: %w", d.account.ID, err)
			}
			log.Info("demo staff account created", "staff", d.account.ID)
		}
	}
	s.auth, err = staff.NewAuthenticator(store, staff.AuthOptions{
		Recorder: s.audit, Kiosk: setup.KioskID, Now: setup.Clock.Now,
		IdleTimeout: setup.Staff.IdleTimeout, MaxAge: setup.Staff.MaxSession,
	})
	if err != nil {
		return fmt.Errorf("kiosk: staff: %w", err)
	}
	return nil
}

func (s *services) openDemoDevices() error {
	s.sim = sim.New(&sim.Script{}, sim.Options{Now: s.setup.Clock.Now})
	all, err := sim.DemoHolders()
	if err != nil {
		return err
	}
	country, _, _ := strings.Cut(s.profile.Code, "-")
	for _, h := range all {
		if c, _, _ := strings.Cut(h.Row.Profile, "-"); c == country {
			s.demo = append(s.demo, h)
		}
	}
	return nil
}

// close releases what Open opened, the last first.
func (s *services) close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
	for _, r := range s.releases {
		r()
	}
	s.closers, s.releases = nil, nil
}

// Find looks the person up as the worker's issue jobs and the session do: the local
// registry, and the federal one when the profile needs it (queue.Records).
func (s *services) Find(ctx context.Context, p *rules.Profile, id registry.Identifier) (*registry.Record, error) {
	rec, _, err := s.lookup(ctx, p, id, nil)
	return rec, err
}

// lookup asks the local registry and, when the profile needs it, the federal one;
// step, when not nil, is told which. A person no registry knows is a nil record.
func (s *services) lookup(ctx context.Context, p *rules.Profile, id registry.Identifier, step func(string)) (*registry.Record, registry.Source, error) {
	if step != nil {
		step("local")
	}
	local, err := find(ctx, s.local, id)
	if err != nil {
		return nil, "", err
	}
	if s.federal == nil || !p.NeedsFederal(local) {
		return local, registry.SourceLocal, nil
	}
	if step != nil {
		step("federal")
	}
	federal, err := find(ctx, s.federal, id)
	if err != nil {
		return nil, "", fmt.Errorf("federal registry: %w", err)
	}
	return rules.MergeFederal(local, federal), registry.SourceFederal, nil
}

func find(ctx context.Context, c *registry.Client, id registry.Identifier) (*registry.Record, error) {
	rec, err := c.Find(ctx, id)
	if errors.Is(err, registry.ErrNotFound) {
		return nil, nil
	}
	return rec, err
}

// profileServices is the issuing pipeline of each profile, with one key and one
// renderer (queue.Services).
type profileServices struct {
	issuer   *signer.Issuer
	renderer *certpdf.Renderer
	uvciKey  []byte // keys the UVCIs (issuance.Service.UVCIKey)

	mu   sync.Mutex
	byID map[string]*issuance.Service
}

func (p *profileServices) Service(profile string) (*issuance.Service, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if svc, ok := p.byID[profile]; ok {
		return svc, nil
	}
	rp, err := rules.Load(profile)
	if err != nil {
		return nil, err
	}
	svc := &issuance.Service{Profile: rp, Issuer: p.issuer, Renderer: p.renderer, UVCIKey: p.uvciKey}
	if p.byID == nil {
		p.byID = map[string]*issuance.Service{}
	}
	p.byID[profile] = svc
	return svc, nil
}

// tickClock is the kiosk's clock with real ticks, for the printers' watch.
type tickClock struct{ c Clock }

func (t tickClock) Now() time.Time { return t.c.Now() }

func (t tickClock) NewTicker(d time.Duration) (<-chan time.Time, func()) {
	return printing.SystemClock().NewTicker(d)
}
