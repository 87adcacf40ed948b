package queue

// printjob.go: running a print job. The phase written before and after the printer
// is called is what makes a print happen once: a job found "submitting" after a crash
// asks the printer (FindJob) whether it already holds the document before sending it.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"certkiosk/backend/printing"
)

func (w *Worker) runPrint(ctx context.Context, l *lease) error {
	q := w.Queue
	uri := l.Printer
	if uri == "" {
		uri = w.Printer
	}
	p, err := w.printer(uri)
	if err != nil {
		return q.park(ctx, l, fmt.Sprintf("printer %q: %v; move the job to another printer", uri, err))
	}
	// The job is followed now; the printer is polled again when it is let go.
	defer w.hold(uri)()
	switch l.Phase {
	case PhaseSubmitted:
		return w.follow(ctx, l, p, printing.JobRef{ID: l.PrinterJob, URI: l.PrinterJobURI})
	case PhaseSubmitting:
		// The last run may have crashed between sending the document and recording
		// that the printer took it: ask the printer before sending it again.
		step, cancel := w.step(ctx)
		ref, st, found, err := p.FindJob(step, l.Key)
		cancel()
		switch {
		case errors.Is(err, printing.ErrNoJobHistory):
			return q.parkUnsent(ctx, l, "the printer cannot tell whether this document printed before a restart; "+
				"check its output: retry prints it again, cancel if it printed")
		case err != nil:
			return w.printerWait(ctx, l, p, fmt.Errorf("asking the printer for the job: %w", err))
		case found:
			if err := q.submitted(ctx, l, ref); err != nil {
				return err
			}
			if st.Done() {
				return w.judge(ctx, l, p, ref, st)
			}
			return w.follow(ctx, l, p, ref)
		}
	}
	step, cancel := w.step(ctx)
	st, err := p.Status(step)
	cancel()
	if err != nil || !st.CanPrint() {
		return q.later(ctx, l, w.poll(), waitReason(err), printerState(st, err))
	}
	pdf, err := q.getSealed(ctx, l.ID, l.Key)
	if errors.Is(err, ErrSealed) {
		return q.park(ctx, l, "the document cannot be opened: "+err.Error())
	}
	if err != nil {
		return err
	}
	if err := q.setPhase(ctx, l, PhaseSubmitting); err != nil {
		return err
	}
	step, cancel = w.step(ctx)
	ref, err := p.Print(step, printing.Document{Key: l.Key, PDF: pdf})
	cancel()
	clear(pdf)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, printing.ErrUnavailable):
		// The printer did not take the document (busy, out of paper, offline).
		if err := q.setPhase(ctx, l, PhaseNone); err != nil {
			return err
		}
		return w.printerWait(ctx, l, p, err)
	case errors.Is(err, printing.ErrRejected):
		return q.parkUnsent(ctx, l, "the printer refused the document: "+err.Error())
	case err != nil:
		// Whether the printer took it is unknown: the phase stays "submitting", and
		// the next run asks the printer first.
		_, err = q.fail(ctx, l, "sending to the printer: "+err.Error())
		return err
	}
	if err := q.submitted(ctx, l, ref); err != nil {
		return err
	}
	return w.follow(ctx, l, p, ref)
}

// follow asks the printer about the job until it ends or Follow has passed; then the
// job is let go and taken up again after Poll, its lease renewed on each question.
func (w *Worker) follow(ctx context.Context, l *lease, p printing.Printer, ref printing.JobRef) error {
	q := w.Queue
	until := q.now().Add(w.followFor())
	for {
		step, cancel := w.step(ctx)
		st, err := p.Job(step, ref)
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, printing.ErrJobNotFound):
			// The printer forgot the job (it keeps finished jobs only a while, or it
			// restarted): whether it printed cannot be told, so staff decide.
			return q.parkUnsent(ctx, l, "the printer no longer knows the job it accepted; "+
				"check its output: retry prints it again, cancel if it printed")
		case err != nil:
			return w.printerWait(ctx, l, p, fmt.Errorf("following the job: %w", err))
		}
		if st.Done() || !q.now().Before(until) {
			return w.judge(ctx, l, p, ref, st)
		}
		if err := q.clock.Sleep(ctx, w.poll()); err != nil {
			return err
		}
		if err := q.renew(ctx, l); err != nil {
			return err
		}
	}
}

// judge records what a job's state means: done when printed; printed again when the
// printer gave up on it; parked when cancelled at the printer; else still printing,
// to be looked at again after Poll.
func (w *Worker) judge(ctx context.Context, l *lease, p printing.Printer, ref printing.JobRef, st printing.JobStatus) error {
	q := w.Queue
	switch st.State {
	case printing.JobCompleted:
		return q.finish(ctx, l)
	case printing.JobAborted:
		if err := q.setPhase(ctx, l, PhaseNone); err != nil {
			return err
		}
		_, err := q.fail(ctx, l, "the printer aborted the job ("+strings.Join(st.Reasons, ", ")+"); it is printed again")
		return err
	case printing.JobCanceled:
		return q.parkUnsent(ctx, l, "the job was cancelled at the printer ("+strings.Join(st.Reasons, ", ")+
			"); retry prints it again")
	}
	step, cancel := w.step(ctx)
	pst, err := p.Status(step)
	cancel()
	return q.later(ctx, l, w.poll(), "", printerState(pst, err))
}

// printerWait lets the job go until the printer can take it: waiting for a printer is
// not a failure, and its state is shown with the job.
func (w *Worker) printerWait(ctx context.Context, l *lease, p printing.Printer, cause error) error {
	step, cancel := w.step(ctx)
	st, err := p.Status(step)
	cancel()
	return w.Queue.later(ctx, l, w.poll(), waitReason(cause), printerState(st, err))
}

// waitReason is the last error a job waiting for its printer shows: none when the
// printer said it is unavailable (its state says why), else what went wrong talking
// to it.
func waitReason(err error) string {
	if err == nil || errors.Is(err, printing.ErrUnavailable) {
		return ""
	}
	return err.Error()
}

// printerState is what the job shows about its printer.
func printerState(st printing.Status, err error) string {
	switch {
	case st.State != "":
		return string(st.State)
	case err != nil:
		return string(printing.StateOffline)
	}
	return ""
}

// setPhase records how far l's print job got, before and after the printer is called.
func (q *Queue) setPhase(ctx context.Context, l *lease, p Phase) error {
	err := q.fenced(ctx, l, func(tx *sql.Tx, now int64) error {
		_, err := tx.ExecContext(ctx, "UPDATE job SET phase = ? WHERE id = ?", p, l.ID)
		return err
	})
	if err == nil {
		l.Phase = p
	}
	return err
}

// submitted records that the printer accepted l's document as ref.
func (q *Queue) submitted(ctx context.Context, l *lease, ref printing.JobRef) error {
	err := q.fenced(ctx, l, func(tx *sql.Tx, now int64) error {
		_, err := tx.ExecContext(ctx, `UPDATE job SET phase = 'submitted', printer_job = ?, printer_job_uri = ?,
			printer_state = '' WHERE id = ?`, ref.ID, ref.URI, l.ID)
		return err
	})
	if err == nil {
		l.Phase, l.PrinterJob, l.PrinterJobURI = PhaseSubmitted, ref.ID, ref.URI
	}
	return err
}

// parkUnsent parks l's print job for staff with its phase cleared: the worker will not
// print it again by itself, and staff retrying it means "print it".
func (q *Queue) parkUnsent(ctx context.Context, l *lease, msg string) error {
	return q.fenced(ctx, l, func(tx *sql.Tx, now int64) error {
		_, err := tx.ExecContext(ctx, `UPDATE job SET state = 'parked', phase = '', printer_job = 0, printer_job_uri = '',
			last_error = ?, lease_owner = '', lease_until = 0 WHERE id = ?`, msg, l.ID)
		return err
	})
}
