package queue

// job.go: what a job is, as staff and the worker see it: kind, state, attempts, and
// no personal data.

import (
	"time"
)

// Kind is what a job does.
type Kind string

// Job kinds.
const (
	KindIssue  Kind = "issue"  // look the person up, decide, sign, render
	KindPrint  Kind = "print"  // send one PDF to a printer and follow it to the end
	KindReport Kind = "report" // tell the registry which certificates were issued
)

// State is where a job is in its life; see the package documentation for the moves.
type State string

// Job states.
const (
	StatePending   State = "pending"   // waiting to run at NextAt
	StateRunning   State = "running"   // a worker holds its lease
	StateHeld      State = "held"      // a certificate waiting for its resident to come back
	StateDone      State = "done"      // finished; deleted once the retention has passed
	StateParked    State = "parked"    // stopped for staff: LastError says why
	StateCancelled State = "cancelled" // cancelled by staff
)

// Phase is how far a print job got with its printer; it survives a crash, so a worker
// that takes the job over knows whether the printer may already hold it.
type Phase string

// Print phases.
const (
	PhaseNone       Phase = ""           // not sent
	PhaseSubmitting Phase = "submitting" // about to be sent, or being sent: ask the printer before sending again
	PhaseSubmitted  Phase = "submitted"  // the printer accepted it as PrinterJob
)

// Document is what a print job prints.
type Document string

// Documents.
const (
	DocCertificate Document = "certificate"
	DocSlip        Document = "slip"    // the refusal slip
	DocReceipt     Document = "receipt" // the claim receipt
)

// Job is one job of the queue. It holds no personal data.
type Job struct {
	ID       int64
	Key      string
	Kind     Kind
	State    State
	Phase    Phase
	Parent   int64 // the issue job a print or report job came from; 0 for an issue job and a copy
	Profile  string
	Printer  string   // the printer URI; empty: the worker's printer
	Document Document // for a print job
	// Attempts counts every time the job was started; Failures the failures in a row
	// that count toward parking (waiting for a printer or an unreachable registry
	// does not count).
	Attempts, Failures int
	NextAt             time.Time
	LastError          string
	LeaseOwner         string
	LeaseUntil         time.Time
	PrinterJob         int    // the printer's job id, once it accepted the document
	PrinterJobURI      string // the printer's job URI, where it has one
	PrinterState       string // the printer's state when the job last met it (e.g. media-empty)
	// Claimed is set for a request accepted while the registry was unreachable: a
	// claim receipt was printed and its certificates are held.
	Claimed bool
	// CopyOf is, for a reprint (Queue.Reprint), the print job of the document first
	// printed; the reprint's document carries the COPY mark. 0 for any other job.
	CopyOf   int64
	Created  time.Time
	Updated  time.Time
	Finished time.Time // when it became done or cancelled
	// Purged is set when the job finished and was deleted; only its id and key are left.
	Purged bool
}

// Terminal reports whether the job will change no more.
func (j Job) Terminal() bool { return j.State == StateDone || j.State == StateCancelled }
