// Package printing prints PDFs: on IPP printers (IPP Everywhere, CUPS queues), on
// printers attached directly over USB, and into a folder when no printer is
// configured. All three sit behind one Printer interface.
//
// Printing exactly once rests on the job name: every document is sent with a
// job-name that is its idempotency key, and before sending again after a crash the
// caller asks the printer (FindJob) whether it already holds a job of that name.
// An IPP printer remembers finished jobs only for a while (ippeveprinter: 60
// seconds; CUPS: its PreserveJobHistory), so the caller records the JobRef as soon
// as Print returns and uses FindJob only to cover the moment between the two.
//
// Open turns a configured URI into a Printer (ipp.go, folder.go; usb.go through
// Options.USB). Watcher polls a printer's Status while the kiosk is idle and
// reports changes (watch.go); FollowJob follows one job to its end (follow.go).
// The package printingtest starts a real IPP printer (ippeveprinter) for tests.
package printing

import (
	"context"
	"errors"
	"time"
)

// Printer is a printer the kiosk sends certificates to.
type Printer interface {
	// URI names the printer as the configuration does: ipp://, ipps://,
	// usb://VID:PID[/serial] or folder:///path.
	URI() string
	// Status reports the printer's state, in terms a librarian can act on.
	Status(ctx context.Context) (Status, error)
	// Print sends one PDF document named by its idempotency key. It returns when the
	// printer has accepted the job; Job follows it to completion.
	Print(ctx context.Context, doc Document) (JobRef, error)
	// Job reports the state of a job Print accepted.
	Job(ctx context.Context, ref JobRef) (JobStatus, error)
	// FindJob looks for a job the printer accepted earlier under the document's key.
	// found is false when the printer holds no such job; a printer that cannot tell
	// (no job history) returns ErrNoJobHistory.
	FindJob(ctx context.Context, key string) (ref JobRef, st JobStatus, found bool, err error)
}

// Document is one PDF to print.
type Document struct {
	// Key is the idempotency key, sent as the IPP job-name: A–Z, a–z, 0–9, '-' and
	// '_', at most 64 characters.
	Key string
	PDF []byte
}

// JobRef identifies a job on its printer.
type JobRef struct {
	ID  int    // the printer's job id
	URI string // the printer's job URI, where it has one
	// Key is the document's key (the job-name), where known. With it, Job checks
	// that the printer's job of that id is still this one: a printer that restarted
	// counts its job ids from 1 again.
	Key string
}

// State is a printer's or a job's condition in plain terms; the UI maps each to a
// translated message.
type State string

// Printer states.
const (
	StateReady      State = "ready"       // idle, will print
	StatePrinting   State = "printing"    // busy with a job
	StateMediaEmpty State = "media-empty" // out of paper
	StateMediaJam   State = "media-jam"   // paper jammed
	StateOffline    State = "offline"     // does not answer, or reports itself offline
	StateStopped    State = "stopped"     // stopped or its queue paused by staff
	StateError      State = "error"       // another condition that stops printing
)

// Status is what a printer reports about itself.
type Status struct {
	State State
	// Reasons are the printer's own words (IPP printer-state-reasons, e.g.
	// "media-empty-error"), for logs and staff.
	Reasons   []string
	CheckedAt time.Time
}

// CanPrint reports whether a job sent now would print.
func (s Status) CanPrint() bool { return s.State == StateReady || s.State == StatePrinting }

// JobState is where a job is.
type JobState string

// Job states (after RFC 8011 §5.3.7, job-state).
const (
	JobPending    JobState = "pending"    // waiting, or held by the printer
	JobProcessing JobState = "processing" // printing
	JobStopped    JobState = "stopped"    // stopped by a printer condition (paper, jam)
	JobCompleted  JobState = "completed"  // printed
	JobCanceled   JobState = "canceled"   // cancelled by staff or the printer
	JobAborted    JobState = "aborted"    // the printer gave up
)

// JobStatus is a job's state and why.
type JobStatus struct {
	State   JobState
	Reasons []string // IPP job-state-reasons
}

// Done reports whether the job will change no more.
func (s JobStatus) Done() bool {
	return s.State == JobCompleted || s.State == JobCanceled || s.State == JobAborted
}

// Errors.
var (
	// ErrUnavailable: the printer cannot take the job now (offline, out of paper,
	// busy); the job stays queued and is tried again.
	ErrUnavailable = errors.New("printing: printer unavailable")
	// ErrRejected: the printer refused the document itself (format, size); trying
	// again will not help.
	ErrRejected = errors.New("printing: document rejected")
	// ErrNoJobHistory: the printer cannot say which jobs it accepted earlier.
	ErrNoJobHistory = errors.New("printing: printer keeps no job history")
	// ErrJobNotFound: Job was asked about a job the printer no longer knows, because
	// it forgot it after completion (IPP printers keep finished jobs only for a
	// while) or because it restarted. Whether the job printed cannot be told.
	ErrJobNotFound = errors.New("printing: printer does not know the job")
	// ErrBadURI: the printer URI is malformed or of an unknown scheme.
	ErrBadURI = errors.New("printing: bad printer URI")
)
