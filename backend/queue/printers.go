package queue

// printers.go: the printers' state while the kiosk is idle. Worker.Run polls each
// printer it prints on with a printing.Watcher, held while a job prints there (the
// job is followed instead), and records each change in the queue's printer table and
// on the print jobs waiting for that printer, so that "out of paper" shows before a
// resident waits for it. Queue.PrinterStatus reads the table (another process, such
// as queue list, may); Worker.PrinterStatus what this worker saw.

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"certkiosk/backend/printing"
)

// PrinterStatus is the last state polled of a printer the worker prints on.
type PrinterStatus struct {
	URI string
	// Main is set for the worker's printer, the one of jobs that name none.
	Main    bool
	State   printing.State
	Reasons []string // the printer's own words, e.g. media-empty-error
	// Error is why the printer could not be asked or opened, if it could not.
	Error string
	// Since is when the printer was first seen in this state.
	Since time.Time
}

// PrinterStatus returns the last state recorded of each printer a worker polled, its
// main printer first.
func (q *Queue) PrinterStatus(ctx context.Context) ([]PrinterStatus, error) {
	rows, err := q.rdb.QueryContext(ctx, "SELECT uri, main, state, reasons, error, since FROM printer ORDER BY main DESC, uri")
	if err != nil {
		return nil, fmt.Errorf("queue: printers: %w", err)
	}
	defer rows.Close()
	var out []PrinterStatus
	for rows.Next() {
		var st PrinterStatus
		var reasons string
		var since int64
		if err := rows.Scan(&st.URI, &st.Main, &st.State, &reasons, &st.Error, &since); err != nil {
			return nil, fmt.Errorf("queue: printers: %w", err)
		}
		if reasons != "" {
			st.Reasons = strings.Split(reasons, ",")
		}
		st.Since = fromNanos(since)
		out = append(out, st)
	}
	return out, rows.Err()
}

// recordPrinter records st in the printer table and, as their printer_state, on the
// print jobs waiting for that printer (pending and not sent).
func (q *Queue) recordPrinter(ctx context.Context, st PrinterStatus) error {
	err := q.write(ctx, func(tx *sql.Tx) error {
		if st.Main {
			if _, err := tx.ExecContext(ctx, "UPDATE printer SET main = 0 WHERE uri != ? AND main != 0", st.URI); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO printer (uri, main, state, reasons, error, since) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (uri) DO UPDATE SET main = excluded.main, state = excluded.state, reasons = excluded.reasons,
			error = excluded.error, since = excluded.since`,
			st.URI, st.Main, st.State, strings.Join(st.Reasons, ","), st.Error, nanos(st.Since)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE job SET printer_state = ?
			WHERE kind = 'print' AND state = 'pending' AND phase = '' AND (printer = ? OR (printer = '' AND ?))`,
			st.State, st.URI, st.Main)
		return err
	})
	if err != nil {
		return fmt.Errorf("queue: recording printer %s: %w", st.URI, err)
	}
	return nil
}

// watchSet is the printers one Run watches.
type watchSet struct {
	ctx context.Context
	wg  sync.WaitGroup
	by  map[string]*printing.Watcher
}

// watchPrinters starts watching the worker's printer and each printer it opened, and
// any it opens later, until stop is called.
func (w *Worker) watchPrinters(ctx context.Context) (stop func()) {
	if w.Queue == nil || w.Printers == nil {
		return func() {}
	}
	wctx, cancel := context.WithCancel(ctx)
	ws := &watchSet{ctx: wctx, by: map[string]*printing.Watcher{}}
	w.mu.Lock()
	w.watching = ws
	for uri, p := range w.printers {
		w.watchLocked(uri, p)
	}
	w.mu.Unlock()
	if w.Printer != "" {
		if _, err := w.printer(w.Printer); err != nil {
			// A printer not there yet (a USB printer not plugged in) is opened as
			// soon as it is.
			w.recordOpenError(wctx, err)
			ws.wg.Go(func() { w.openMain(wctx) })
		}
	}
	return func() {
		cancel()
		w.mu.Lock()
		w.watching = nil
		w.mu.Unlock()
		ws.wg.Wait()
	}
}

// openMain tries to open the worker's printer on every tick until it opens (and is
// watched from then on) or ctx ends.
func (w *Worker) openMain(ctx context.Context) {
	tick, stop := w.watchClock().NewTicker(w.watchInterval())
	defer stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
		_, err := w.printer(w.Printer)
		if err == nil {
			return
		}
		if err.Error() != last {
			w.recordOpenError(ctx, err)
			last = err.Error()
		}
	}
}

// recordOpenError records that the worker's printer cannot be opened.
func (w *Worker) recordOpenError(ctx context.Context, err error) {
	state := printing.StateOffline
	if errors.Is(err, printing.ErrBadURI) {
		state = printing.StateError
	}
	w.recordStatus(ctx, w.Printer, printing.Update{
		Status: printing.Status{State: state, CheckedAt: w.watchClock().Now()},
		Err:    err,
	})
}

// watchLocked starts watching the printer p at uri when a Run watches printers and p
// is not watched yet. w.mu is held.
func (w *Worker) watchLocked(uri string, p printing.Printer) {
	ws := w.watching
	if ws == nil || ws.by[uri] != nil {
		return
	}
	wt, err := printing.NewWatcher(p, printing.WatchOptions{
		Interval: w.WatchInterval,
		Clock:    w.WatchClock,
		OnChange: func(u printing.Update) { w.recordStatus(ws.ctx, uri, u) },
	})
	if err != nil {
		w.log().Error("queue: watching printer", "printer", uri, "err", err)
		return
	}
	ws.by[uri] = wt
	ws.wg.Go(func() { wt.Run(ws.ctx) })
}

// hold stops the polling of the printer at uri until the returned function is
// called: a job is printing there.
func (w *Worker) hold(uri string) (release func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.watching != nil {
		if wt := w.watching.by[uri]; wt != nil {
			return wt.Hold()
		}
	}
	return func() {}
}

// recordStatus keeps what the printer at uri reported, and records it in the queue.
func (w *Worker) recordStatus(ctx context.Context, uri string, u printing.Update) {
	st := PrinterStatus{
		URI:     uri,
		Main:    uri == w.Printer,
		State:   u.Status.State,
		Reasons: slices.Clone(u.Status.Reasons),
		Since:   u.Status.CheckedAt,
	}
	if u.Err != nil {
		st.Error = u.Err.Error()
	}
	w.mu.Lock()
	if w.status == nil {
		w.status = map[string]PrinterStatus{}
	}
	w.status[uri] = st
	w.mu.Unlock()
	w.log().Info("queue: printer", "printer", uri, "state", st.State, "reasons", strings.Join(st.Reasons, ","), "err", st.Error)
	if err := w.Queue.recordPrinter(ctx, st); err != nil && ctx.Err() == nil {
		w.log().Error("queue: printer", "err", err)
	}
}

// PrinterStatus returns the last state this worker saw of each printer it polled,
// its main printer first. It is empty until Run has polled.
func (w *Worker) PrinterStatus() []PrinterStatus {
	w.mu.Lock()
	out := slices.Collect(maps.Values(w.status))
	w.mu.Unlock()
	for i := range out {
		out[i].Reasons = slices.Clone(out[i].Reasons)
	}
	slices.SortFunc(out, func(a, b PrinterStatus) int {
		if a.Main != b.Main {
			if a.Main {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.URI, b.URI)
	})
	return out
}

func (w *Worker) watchClock() printing.Clock {
	if w.WatchClock != nil {
		return w.WatchClock
	}
	return printing.SystemClock()
}

func (w *Worker) watchInterval() time.Duration {
	if w.WatchInterval > 0 {
		return w.WatchInterval
	}
	return printing.DefaultWatchInterval
}
