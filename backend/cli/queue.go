package cli

// queue.go: certkiosk queue — the durable outbox: add a request, run the worker, list
// the jobs and the printers' state, and staff's retry, cancel, move, release and
// reprint.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/config"
	"certkiosk/backend/issuance"
	"certkiosk/backend/printing"
	"certkiosk/backend/queue"
	"certkiosk/backend/registry"
	"certkiosk/backend/rules"
)

// queueCommands are the subcommands of certkiosk queue.
func queueCommands() map[string]command {
	return map[string]command{
		"add":      {"record a request; prints the job's id once it is on disk", runQueueAdd},
		"run":      {"run the worker: issue, print and report the queued jobs", runQueueRun},
		"list":     {"list the printers' state and the jobs (no personal data)", runQueueList},
		"printers": {"the state of each printer a worker polls: queue printers [--json]", runQueuePrinters},
		"retry":    {"make a parked or waiting job due now: queue retry ID", runQueueRetry},
		"cancel":   {"cancel a job that is not running, and what it started: queue cancel ID", runQueueCancel},
		"move":     {"send a job's documents not printed yet to another printer: queue move ID --printer URI", runQueueMove},
		"release":  {"print held certificates: queue release ID | --claim CODE --dob DATE | --profile P --subject ID", runQueueRelease},
		"reprint":  {"print a certificate or slip again, marked COPY: queue reprint ID|UVCI [--printer URI]", runQueueReprint},
	}
}

func runQueue(ctx context.Context, env *Env, args []string) error {
	return runListedSubcommand(ctx, env, "queue", queueCommands(), args, nil)
}

// queueKeyEnv names the queue's key file when --queue-key does not.
const queueKeyEnv = "CERTKIOSK_QUEUE_KEY"

// openQueue opens the queue in the data folder, with its key from --queue-key (a
// file, or credential:NAME) or else beside it.
func openQueue(ctx context.Context, env *Env, dataDir string, o queue.Options) (*queue.Queue, error) {
	if dataDir == "" {
		return nil, usagef("no data folder: give one with --data")
	}
	keyPath, err := config.Config{DataFolder: dataDir}.Resolve(env.queueKey, queue.KeyFileName)
	if err != nil {
		return nil, err
	}
	o.Keys = queue.FileKeyStore{Path: keyPath}
	if o.Clock == nil {
		o.Clock = envClock{env}
	}
	return queue.Open(ctx, queue.Path(dataDir), o)
}

// withQueue opens the queue in dataDir with the default options (see openQueue),
// runs do on it and closes it.
func withQueue(ctx context.Context, env *Env, dataDir string, do func(*queue.Queue) error) error {
	q, err := openQueue(ctx, env, dataDir, queue.Options{})
	if err != nil {
		return err
	}
	defer q.Close()
	return do(q)
}

// envClock is the command's clock (Env.Now), waiting and ticking in real time: the
// queue's clock and the printers' watch clock.
type envClock struct{ env *Env }

func (c envClock) Now() time.Time { return c.env.Now() }

func (c envClock) Sleep(ctx context.Context, d time.Duration) error {
	return queue.SystemClock().Sleep(ctx, d)
}

func (c envClock) NewTicker(d time.Duration) (<-chan time.Time, func()) {
	return printing.SystemClock().NewTicker(d)
}

func runQueueAdd(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "queue add")
	profile := fs.String("profile", "EE", "jurisdiction profile")
	subject := fs.String("subject", "", "the person's identifier (SYSTEM|VALUE for another system than the profile's first)")
	printer := fs.String("printer", "", "printer URI the documents print on (default: the worker's printer)")
	key := fs.String("key", "", "idempotency key: adding the same key again adds nothing (default: a new random key)")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *subject == "" {
		return usagef("--subject ID is required")
	}
	p, err := rules.Load(*profile)
	if err != nil {
		return err
	}
	id, err := parseSubject(p, *subject)
	if err != nil {
		return err
	}
	if *printer != "" {
		if _, err := url.Parse(*printer); err != nil {
			return usagef("--printer %q: %v", *printer, err)
		}
	}
	return withQueue(ctx, env, *data, func(q *queue.Queue) error {
		job, _, err := q.Add(ctx, queue.Request{Key: *key, Profile: p.Code, Subject: id, Printer: *printer})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(env.Stdout, job.ID)
		return err
	})
}

func runQueueRun(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "queue run")
	untilEmpty := fs.Bool("until-empty", false, "stop when no job is left to run (all done, held, parked or cancelled)")
	printer := fs.String("printer", "", "printer URI for jobs that name none (default: folder://DATA/printed)")
	registryURL := fs.String("registry", "", "base URL of the FHIR registry (default: the embedded demo registry)")
	federalURL := fs.String("federal", "", "base URL of the federal registry")
	reportURL := fs.String("report", "", "FHIR base URL reports of issued certificates are sent to (default: the local registry, the embedded demo registry included)")
	lease := fs.Duration("lease", queue.DefaultLeaseTTL, "how long a job stays this worker's without a word from it")
	poll := fs.Duration("poll", queue.DefaultPoll, "wait before asking a busy printer again, and the longest idle wait")
	retention := fs.Duration("retention", 0, "how long finished jobs and their data are kept")
	reprintWindow := fs.Duration("reprint-window", queue.DefaultReprintWindow,
		"how long after a document printed it can be reprinted (what renders it is kept that long); 0: no reprints")
	watch := fs.Duration("watch", printing.DefaultWatchInterval, "time between two polls of an idle printer")
	waitLimit := fs.Duration("wait-limit", config.DefaultWaiting,
		"how long a held certificate, a parked job or a request accepted offline waits before it is cancelled and its data deleted; 0: no limit")
	folderKeep := fs.Duration("folder-keep", config.DefaultPrinted,
		"how long a folder printer keeps the files it printed before deleting them; 0: forever")
	kiosk := fs.String("kiosk", config.DefaultKioskID, "this kiosk's id, named in the audit entries shipped to the registry")
	concurrency := fs.Int("concurrency", 1, "jobs run at once")
	verbose := fs.Bool("v", false, "log each job run to stderr")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *lease <= 0 || *poll <= 0 || *watch <= 0 || *retention < 0 || *reprintWindow < 0 || *folderKeep < 0 || *waitLimit < 0 || *concurrency < 1 {
		return usagef("--lease, --poll and --watch must be positive, --retention, --reprint-window, --wait-limit and --folder-keep not negative, " +
			"--concurrency at least 1")
	}
	if *data == "" {
		return usagef("no data folder: give one with --data")
	}
	q, err := openQueue(ctx, env, *data, queue.Options{LeaseTTL: *lease, Retention: *retention, WaitLimit: *waitLimit,
		ReprintWindow: *reprintWindow, NoReprint: *reprintWindow == 0})
	if err != nil {
		return err
	}
	defer q.Close()
	regs, stop, err := openRegistries(ctx, *data, *registryURL, *federalURL, env.Now())
	if err != nil {
		return err
	}
	defer stop()
	if *printer == "" {
		dir, err := filepath.Abs(printing.DefaultFolder(*data))
		if err != nil {
			return err
		}
		*printer = (&url.URL{Scheme: "folder", Path: dir}).String()
	}
	if *reportURL == "" {
		*reportURL = regs.local.BaseURL() // the registry asked, the demo one included
	}
	// Each printer is opened once (the worker keeps it); a USB bus opened for one is
	// released when the worker stops.
	var releaseMu sync.Mutex
	var releases []func()
	defer func() {
		for _, r := range releases {
			r()
		}
	}()
	openOnce := func(uri string) (printing.Printer, error) {
		p, release, err := openPrinter(ctx, uri, printing.Options{Now: env.Now})
		if err != nil {
			return nil, err
		}
		if f, ok := p.(*printing.Folder); ok {
			f.WithRetention(*folderKeep)
		}
		releaseMu.Lock()
		releases = append(releases, release)
		releaseMu.Unlock()
		return p, nil
	}
	logLevel := slog.LevelWarn
	if *verbose {
		logLevel = slog.LevelInfo
	}
	w := &queue.Worker{
		Queue:         q,
		Services:      &profileServices{env: env, dataDir: *data},
		Records:       registryRecords{regs},
		Printers:      openOnce,
		Printer:       *printer,
		Log:           slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: logLevel})),
		Poll:          *poll,
		Concurrency:   *concurrency,
		WatchInterval: *watch,
		WatchClock:    envClock{env},
	}
	if *reportURL != "" {
		w.Reporter = &queue.FHIRReporter{BaseURL: *reportURL, Site: *kiosk}
		// The audit log's entries go to the registry with the reports; the log is
		// read from its folder, as the window's process holds it.
		w.Audit = audit.Dir(*data)
	}
	if *untilEmpty {
		return w.RunUntilEmpty(ctx)
	}
	return w.Run(ctx)
}

// profileServices assembles the issuing pipeline of each profile once.
type profileServices struct {
	env     *Env
	dataDir string

	mu   sync.Mutex
	byID map[string]*issuance.Service
}

func (s *profileServices) Service(profile string) (*issuance.Service, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if svc, ok := s.byID[profile]; ok {
		return svc, nil
	}
	svc, err := newService(s.env, s.dataDir, profile)
	if err != nil {
		return nil, err
	}
	if s.byID == nil {
		s.byID = map[string]*issuance.Service{}
	}
	s.byID[profile] = svc
	return svc, nil
}

// registryRecords looks people up as issue --subject does: the local registry, and
// the federal one when the local record is not enough.
type registryRecords struct{ regs registries }

func (r registryRecords) Find(ctx context.Context, p *rules.Profile, id registry.Identifier) (*registry.Record, error) {
	return lookup(ctx, p, id, r.regs)
}

// jobLine is one job as queue list --json prints it: no personal data.
type jobLine struct {
	ID           int64  `json:"id"`
	Key          string `json:"key"`
	Kind         string `json:"kind"`
	State        string `json:"state"`
	Phase        string `json:"phase,omitempty"`
	Parent       int64  `json:"parent,omitempty"`
	Document     string `json:"document,omitempty"`
	Attempts     int    `json:"attempts"`
	Failures     int    `json:"failures"`
	NextAt       string `json:"next_at"`
	LastError    string `json:"last_error"`
	Printer      string `json:"printer,omitempty"`
	PrinterState string `json:"printer_state"`
	PrinterJob   int    `json:"printer_job,omitempty"`
	Claimed      bool   `json:"claimed,omitempty"`
	CopyOf       int64  `json:"copy_of,omitempty"`
	Created      string `json:"created"`
	Updated      string `json:"updated"`
}

func newJobLine(j queue.Job) jobLine {
	return jobLine{
		ID: j.ID, Key: j.Key, Kind: string(j.Kind), State: string(j.State), Phase: string(j.Phase),
		Parent: j.Parent, Document: string(j.Document), Attempts: j.Attempts, Failures: j.Failures,
		NextAt: stamp(j.NextAt), LastError: j.LastError, Printer: j.Printer, PrinterState: j.PrinterState,
		PrinterJob: j.PrinterJob, Claimed: j.Claimed, CopyOf: j.CopyOf, Created: stamp(j.Created), Updated: stamp(j.Updated),
	}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func runQueueList(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "queue list")
	asJSON := fs.Bool("json", false, "one JSON object per job")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	return withQueue(ctx, env, *data, func(q *queue.Queue) error {
		jobs, err := q.List(ctx)
		if err != nil {
			return err
		}
		printers, err := q.PrinterStatus(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetEscapeHTML(false)
			for _, j := range jobs {
				if err := enc.Encode(newJobLine(j)); err != nil {
					return err
				}
			}
			return nil
		}
		return listTable(env.Stdout, printers, jobs, env.Now())
	})
}

// listTable prints a header line for each printer a worker polled, then the jobs.
func listTable(w io.Writer, printers []queue.PrinterStatus, jobs []queue.Job, now time.Time) error {
	for _, p := range printers {
		fmt.Fprintln(w, printerLine(p, now))
	}
	if len(printers) > 0 {
		fmt.Fprintln(w)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATE\tATTEMPTS\tNEXT\tPRINTER\tLAST ERROR")
	for _, j := range jobs {
		next := ""
		if j.State == queue.StatePending {
			next = "now"
			if d := j.NextAt.Sub(now); d > 0 {
				next = "in " + d.Round(time.Second).String()
			}
		}
		kind := string(j.Kind)
		if j.Document != "" {
			kind += " " + string(j.Document)
		}
		if j.CopyOf != 0 {
			kind += " copy of " + strconv.FormatInt(j.CopyOf, 10)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\n", j.ID, kind, j.State, j.Attempts, next, j.PrinterState, j.LastError)
	}
	return tw.Flush()
}

func runQueueRetry(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "queue retry")
	id, err := needID(fs, args)
	if err != nil {
		return err
	}
	return withQueue(ctx, env, *data, func(q *queue.Queue) error {
		return q.Retry(ctx, id)
	})
}

func runQueueCancel(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "queue cancel")
	id, err := needID(fs, args)
	if err != nil {
		return err
	}
	return withQueue(ctx, env, *data, func(q *queue.Queue) error {
		n, err := q.Cancel(ctx, id)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(env.Stdout, "%d cancelled\n", n)
		return err
	})
}

func runQueueMove(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "queue move")
	printer := fs.String("printer", "", "the printer URI to print on instead")
	id, err := needID(fs, args)
	if err != nil {
		return err
	}
	if *printer == "" {
		return usagef("--printer URI is required")
	}
	return withQueue(ctx, env, *data, func(q *queue.Queue) error {
		n, err := q.Move(ctx, id, *printer)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(env.Stdout, "%d moved\n", n)
		return err
	})
}

func runQueueRelease(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "queue release")
	claim := fs.String("claim", "", "the claim code on the resident's receipt")
	dob := fs.String("dob", "", "the resident's date of birth, YYYY-MM-DD, with --claim")
	profile := fs.String("profile", "EE", "jurisdiction profile, with --subject")
	subject := fs.String("subject", "", "the resident's identifier: release what is held for them")
	jobID, byID, err := parseWithID(fs, args)
	if err != nil {
		return err
	}
	ways := 0
	for _, set := range []bool{byID, *claim != "", *subject != ""} {
		if set {
			ways++
		}
	}
	if ways != 1 {
		return usagef("give a job id, or --claim CODE --dob YYYY-MM-DD, or --subject ID")
	}
	return withQueue(ctx, env, *data, func(q *queue.Queue) error {
		var n int
		var err error
		switch {
		case *claim != "":
			if *dob == "" {
				return usagef("--claim needs --dob YYYY-MM-DD")
			}
			n, err = q.ReleaseClaim(ctx, *claim, *dob)
		case *subject != "":
			p, perr := rules.Load(*profile)
			if perr != nil {
				return perr
			}
			id, perr := parseSubject(p, *subject)
			if perr != nil {
				return perr
			}
			n, err = q.ReleaseSubject(ctx, id)
		default:
			n, err = q.Release(ctx, jobID)
		}
		if errors.Is(err, queue.ErrNotReady) {
			return fmt.Errorf("%w: the request is still waiting for the registry", err)
		}
		if err != nil {
			return err
		}
		if n == 0 {
			_, err = fmt.Fprintln(env.Stdout, "nothing held")
			return err
		}
		_, err = fmt.Fprintf(env.Stdout, "%d released\n", n)
		return err
	})
}

// parseMixed parses options and returns the positional arguments, which may stand
// before, between or after the options ("queue move 7 --printer URI").
func parseMixed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args, 1<<20); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// parseWithID parses options and at most one positional argument, a job id (see
// parseMixed).
func parseWithID(fs *flag.FlagSet, args []string) (id int64, given bool, err error) {
	pos, err := parseMixed(fs, args)
	if err != nil {
		return 0, false, err
	}
	switch len(pos) {
	case 0:
		return 0, false, nil
	case 1:
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id <= 0 {
			return 0, false, usagef("job id %q is not a positive number", pos[0])
		}
		return id, true, nil
	}
	return 0, false, usagef("unexpected argument %q", pos[1])
}

// needID is parseWithID for a command that takes a job id.
func needID(fs *flag.FlagSet, args []string) (int64, error) {
	id, given, err := parseWithID(fs, args)
	if err == nil && !given {
		err = usagef("give one job id")
	}
	return id, err
}

// printerLine is a printer's state as queue list heads the jobs with it, e.g.
// "printer ipp://host/ipp/print (main): media-empty since 10:02:03 (5m ago) [media-empty-error]".
func printerLine(p queue.PrinterStatus, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "printer %s", p.URI)
	if p.Main {
		b.WriteString(" (main)")
	}
	fmt.Fprintf(&b, ": %s", p.State)
	if !p.Since.IsZero() {
		fmt.Fprintf(&b, " since %s", stamp(p.Since))
		if d := now.Sub(p.Since); d >= time.Second {
			fmt.Fprintf(&b, " (%s ago)", d.Round(time.Second))
		}
	}
	if len(p.Reasons) > 0 {
		fmt.Fprintf(&b, " [%s]", strings.Join(p.Reasons, ", "))
	}
	if p.Error != "" {
		fmt.Fprintf(&b, ": %s", p.Error)
	}
	return b.String()
}

// printerLineJSON is one printer as queue printers --json prints it.
type printerLineJSON struct {
	URI     string   `json:"uri"`
	Main    bool     `json:"main,omitempty"`
	State   string   `json:"state"`
	Reasons []string `json:"reasons,omitempty"`
	Error   string   `json:"error,omitempty"`
	Since   string   `json:"since"`
}

func runQueuePrinters(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "queue printers")
	asJSON := fs.Bool("json", false, "one JSON object per printer")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	return withQueue(ctx, env, *data, func(q *queue.Queue) error {
		printers, err := q.PrinterStatus(ctx)
		if err != nil {
			return err
		}
		if !*asJSON {
			if len(printers) == 0 {
				_, err := fmt.Fprintln(env.Stdout, "no printer polled yet: queue run polls them")
				return err
			}
			for _, p := range printers {
				if _, err := fmt.Fprintln(env.Stdout, printerLine(p, env.Now())); err != nil {
					return err
				}
			}
			return nil
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		for _, p := range printers {
			line := printerLineJSON{URI: p.URI, Main: p.Main, State: string(p.State), Reasons: p.Reasons, Error: p.Error, Since: stamp(p.Since)}
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
		return nil
	})
}

func runQueueReprint(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "queue reprint")
	printer := fs.String("printer", "", "the printer URI the copies print on (default: where the originals printed)")
	pos, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one job id (of a certificate, a slip or a request) or one UVCI")
	}
	if *printer != "" {
		if _, err := url.Parse(*printer); err != nil {
			return usagef("--printer %q: %v", *printer, err)
		}
	}
	ref := strings.TrimSpace(pos[0])
	var id int64
	byUVCI := strings.HasPrefix(strings.ToUpper(ref), "URN:UVCI:")
	if !byUVCI {
		if id, err = strconv.ParseInt(ref, 10, 64); err != nil || id <= 0 {
			return usagef("%q is neither a job id nor a UVCI (URN:UVCI:…)", ref)
		}
	}
	return withQueue(ctx, env, *data, func(q *queue.Queue) error {
		services := &profileServices{env: env, dataDir: *data}
		var jobs []queue.Job
		var err error
		if byUVCI {
			var j queue.Job
			j, err = q.ReprintUVCI(ctx, services, ref, *printer)
			jobs = append(jobs, j)
		} else {
			jobs, err = q.Reprint(ctx, services, id, *printer)
		}
		if err != nil {
			return err
		}
		for _, j := range jobs {
			if _, err := fmt.Fprintln(env.Stdout, j.ID); err != nil {
				return err
			}
		}
		return nil
	})
}
