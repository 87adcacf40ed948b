package queue

// worker.go: the worker that claims due jobs and runs them: issue jobs through
// package issuance, print jobs on a printer, report jobs to the registry.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/issuance"
	"certkiosk/backend/printing"
	"certkiosk/backend/registry"
	"certkiosk/backend/rules"
)

// Services gives the issuing pipeline of a jurisdiction profile.
type Services interface {
	Service(profile string) (*issuance.Service, error)
}

// Records finds what the registries hold about a person under a profile: a nil
// record and no error for a person no registry knows. An error wrapping
// registry.ErrUnreachable means the registry could not be asked; the request then
// waits and a claim receipt is printed.
type Records interface {
	Find(ctx context.Context, p *rules.Profile, id registry.Identifier) (*registry.Record, error)
}

// Defaults of the Worker's zero fields.
const (
	DefaultPoll   = time.Second
	DefaultFollow = 20 * time.Second
	purgeEvery    = time.Minute
	// DefaultAuditEvery is the time between two looks at the audit log for entries
	// to ship: each look verifies the whole log.
	DefaultAuditEvery = 30 * time.Second
	minWait           = 10 * time.Millisecond
)

// Worker runs the queue's jobs. A kind of job whose dependency is missing (Services
// and Records for issue, Printers for print, Reporter for report) is left waiting,
// for a worker that has it.
type Worker struct {
	Queue    *Queue
	Services Services
	Records  Records
	// Printers opens a printer by URI (printing.Open, or a fake in tests); the worker
	// keeps each one it opened.
	Printers func(uri string) (printing.Printer, error)
	// Printer is the URI of the printer for jobs that name none.
	Printer string
	// Reporter tells the registry which certificates were issued; nil: report jobs
	// stay pending until a worker with a Reporter runs.
	Reporter Reporter
	// Log receives one line per job run; nil: nothing is logged. No line carries
	// personal data.
	Log *slog.Logger
	// Poll is the wait before asking a printer again (busy, out of paper, a job still
	// printing) and the longest idle wait; 0: DefaultPoll.
	Poll time.Duration
	// Follow is how long one run follows a printing job before letting the job go
	// and coming back to it; 0: DefaultFollow.
	Follow time.Duration
	// Concurrency is how many jobs run at once; 0: 1.
	Concurrency int
	// WatchInterval is the time between two polls of a printer while Run runs and
	// no job prints on it (printers.go); 0: printing.DefaultWatchInterval.
	WatchInterval time.Duration
	// WatchClock ticks those polls; nil: the system clock.
	WatchClock printing.Clock
	// Audit is the audit log whose entries the worker queues for the registry
	// (ShipAudit) while idle, every AuditEvery; nil: none.
	Audit audit.Source
	// AuditEvery is the time between two looks at Audit; 0: DefaultAuditEvery.
	AuditEvery time.Duration

	mu       sync.Mutex
	printers map[string]printing.Printer
	watching *watchSet                // the printers Run watches; nil outside Run
	status   map[string]PrinterStatus // the last state seen of each, by URI
	shipped  time.Time                // when Audit was last looked at
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return w.Log
}

func (w *Worker) poll() time.Duration {
	if w.Poll > 0 {
		return w.Poll
	}
	return DefaultPoll
}

func (w *Worker) followFor() time.Duration {
	if w.Follow > 0 {
		return w.Follow
	}
	return DefaultFollow
}

// kinds lists the kinds of job this worker can run.
func (w *Worker) kinds() []Kind {
	var k []Kind
	if w.Printers != nil {
		k = append(k, KindPrint)
	}
	if w.Services != nil && w.Records != nil {
		k = append(k, KindIssue)
	}
	if w.Reporter != nil {
		k = append(k, KindReport)
	}
	return k
}

// Run runs jobs as they fall due until ctx ends; then it returns nil. A job running
// when ctx ends is let go, to be taken up again. Meanwhile it polls the printers it
// prints on while no job prints there, every WatchInterval, and records their state
// (PrinterStatus).
func (w *Worker) Run(ctx context.Context) error {
	if w.WatchInterval < 0 {
		return errors.New("queue: worker's watch interval is negative")
	}
	stop := w.watchPrinters(ctx)
	err := w.loops(ctx, false)
	stop()
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// RunUntilEmpty runs jobs until none of the kinds this worker runs is pending or
// running: everything is done, held for its resident, parked for staff or cancelled.
// Jobs waiting (a backoff, a printer out of paper) are waited for.
func (w *Worker) RunUntilEmpty(ctx context.Context) error {
	return w.loops(ctx, true)
}

func (w *Worker) loops(ctx context.Context, untilEmpty bool) error {
	if w.Queue == nil {
		return errors.New("queue: worker has no queue")
	}
	if len(w.kinds()) == 0 {
		return errors.New("queue: worker can run no kind of job (no Printers, Services and Records, or Reporter)")
	}
	n := max(1, w.Concurrency)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = w.loop(ctx, untilEmpty) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (w *Worker) loop(ctx context.Context, untilEmpty bool) error {
	q := w.Queue
	kinds := w.kinds()
	var purged time.Time
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ran, err := w.RunOnce(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			w.log().Error("queue: run", "err", err)
			if err := q.clock.Sleep(ctx, w.poll()); err != nil {
				return err
			}
			continue
		}
		if ran {
			continue
		}
		w.shipAudit(ctx)
		if now := q.now(); now.Sub(purged) >= purgeEvery {
			if n, err := q.Purge(ctx); err != nil {
				w.log().Error("queue: purge", "err", err)
			} else if n > 0 {
				w.log().Info("queue: purged finished jobs", "jobs", n)
			}
			purged = now
		}
		busy, next, err := q.busy(ctx, kinds)
		if err != nil {
			return err
		}
		if untilEmpty && !busy {
			_, err := q.Purge(ctx)
			return err
		}
		wait := w.poll()
		if !next.IsZero() {
			wait = min(wait, next.Sub(q.now()))
		}
		if err := q.clock.Sleep(ctx, max(wait, minWait)); err != nil {
			return err
		}
	}
}

// RunOnce claims one due job and runs it; ran is false when no job was due. Its
// error is the queue's own (the database); a job's failure is recorded in the job.
func (w *Worker) RunOnce(ctx context.Context) (ran bool, err error) {
	q := w.Queue
	l, ok, err := q.claim(ctx, w.kinds())
	if err != nil || !ok {
		return false, err
	}
	log := w.log().With("job", l.ID, "kind", l.Kind, "attempt", l.Attempts)
	switch l.Kind {
	case KindIssue:
		err = w.runIssue(ctx, &l)
	case KindPrint:
		err = w.runPrint(ctx, &l)
	case KindReport:
		err = w.runReport(ctx, &l)
	default:
		err = q.park(ctx, &l, fmt.Sprintf("unknown kind %q", l.Kind))
	}
	if ctx.Err() != nil {
		// Let the job go at once rather than when its lease runs out; a print job
		// keeps its phase, so the next run asks the printer first.
		q.later(context.WithoutCancel(ctx), &l, 0, l.LastError, "")
		return true, ctx.Err()
	}
	if errors.Is(err, ErrLeaseLost) {
		log.Warn("queue: lease lost; the job's results were discarded")
		return true, nil
	}
	if err != nil {
		// The queue itself failed (the disk, the database); let the job go for a
		// later try if it still can, rather than when its lease runs out.
		q.later(ctx, &l, w.poll(), l.LastError, "")
		return true, err
	}
	if j, gerr := q.Get(ctx, l.ID); gerr == nil {
		log.Info("queue: ran", "state", j.State, "printer_state", j.PrinterState, "last_error", j.LastError)
	}
	return true, nil
}

// step bounds one call to a registry or a printer well inside the lease.
func (w *Worker) step(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, w.Queue.opts.LeaseTTL/3)
}

// printer returns the printer at uri, opening it on first use; while Run runs, it is
// watched from then on.
func (w *Worker) printer(uri string) (printing.Printer, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, ok := w.printers[uri]
	if !ok {
		var err error
		if p, err = w.Printers(uri); err != nil {
			return nil, err
		}
		if w.printers == nil {
			w.printers = map[string]printing.Printer{}
		}
		w.printers[uri] = p
	}
	w.watchLocked(uri, p)
	return p, nil
}
