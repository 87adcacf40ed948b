package printing

// ipp.go: the IPP/2.0 printer (IPP Everywhere printers, CUPS queues): its status,
// printing a PDF, following a job and finding one by name (RFC 8011 §4.2, §4.3).

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/OpenPrinting/goipp"
)

// pdfFormat is the only document format the kiosk sends.
const pdfFormat = "application/pdf"

// IPP is a printer spoken to over IPP/2.0: ipp:// over HTTP, ipps:// over HTTPS. It is
// safe for concurrent use.
type IPP struct {
	t   *ippTransport
	now func() time.Time
}

var _ Printer = (*IPP)(nil)

// NewIPP returns the printer at an ipp:// or ipps:// URI such as
// "ipp://printer.local:631/ipp/print". Nothing is sent until a method is called.
func NewIPP(uri string, o Options) (*IPP, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	t, err := newTransport(uri, o)
	if err != nil {
		return nil, err
	}
	return &IPP{t: t, now: o.Now}, nil
}

// URI returns the printer URI as sent in printer-uri.
func (p *IPP) URI() string { return p.t.uri }

// CloseIdleConnections closes the connections kept open for later requests.
func (p *IPP) CloseIdleConnections() { p.t.http.CloseIdleConnections() }

// PrinterAttributes is what Get-Printer-Attributes tells about a printer.
type PrinterAttributes struct {
	// Status is the state mapped to plain terms (see printerState), with the
	// printer's printer-state-reasons ("none" left out).
	Status
	// PrinterState is printer-state as sent: 3 idle, 4 processing, 5 stopped.
	PrinterState int
	// AcceptingJobs is printer-is-accepting-jobs; a printer that does not say is
	// taken to accept them.
	AcceptingJobs bool
	// DocumentFormats is document-format-supported.
	DocumentFormats []string
}

// SupportsPDF reports whether the printer lists application/pdf among its formats.
func (a PrinterAttributes) SupportsPDF() bool { return slices.Contains(a.DocumentFormats, pdfFormat) }

// Attributes asks the printer for its state, state reasons, whether it accepts jobs
// and the document formats it supports (Get-Printer-Attributes, RFC 8011 §4.2.5).
func (p *IPP) Attributes(ctx context.Context) (PrinterAttributes, error) {
	req := p.t.newRequest(goipp.OpGetPrinterAttributes)
	req.Operation.Add(keywords("requested-attributes",
		"printer-state", "printer-state-reasons", "printer-is-accepting-jobs", "document-format-supported"))
	resp, err := p.t.do(ctx, req, nil)
	if err != nil {
		return PrinterAttributes{}, err
	}
	return p.printerAttributes(resp)
}

// printerAttributes reads a Get-Printer-Attributes response.
func (p *IPP) printerAttributes(resp *goipp.Message) (PrinterAttributes, error) {
	state, ok := firstInt(resp.Printer, "printer-state")
	if !ok {
		return PrinterAttributes{}, &ResponseError{URI: p.t.uri, Op: goipp.OpGetPrinterAttributes, Problem: "no printer-state"}
	}
	accepting, ok := firstBool(resp.Printer, "printer-is-accepting-jobs")
	if !ok {
		accepting = true
	}
	reasons := cleanReasons(allStrings(resp.Printer, "printer-state-reasons"))
	return PrinterAttributes{
		Status: Status{
			State:     printerState(state, reasons, accepting),
			Reasons:   reasons,
			CheckedAt: p.now(),
		},
		PrinterState:    state,
		AcceptingJobs:   accepting,
		DocumentFormats: allStrings(resp.Printer, "document-format-supported"),
	}, nil
}

// Status asks the printer for its state. When it fails, the Status returned still
// says what the kiosk can tell, beside the error: StateOffline when the printer did
// not answer or answered that it is unavailable (the error wraps ErrUnavailable),
// StateError when it answered with something the kiosk cannot use.
func (p *IPP) Status(ctx context.Context) (Status, error) {
	a, err := p.Attributes(ctx)
	if err != nil {
		st := Status{State: StateError, CheckedAt: p.now()}
		if errors.Is(err, ErrUnavailable) || ctx.Err() != nil {
			st.State = StateOffline
		}
		return st, err
	}
	return a.Status, nil
}

// Validate asks the printer whether it would accept doc as a job, without sending
// the document (Validate-Job, RFC 8011 §4.2.3). A refusal wraps ErrRejected.
func (p *IPP) Validate(ctx context.Context, doc Document) error {
	if err := checkDocument(doc); err != nil {
		return err
	}
	req := p.t.newRequest(goipp.OpValidateJob)
	addJobAttributes(req, doc.Key)
	_, err := p.t.do(ctx, req, nil)
	return err
}

// addJobAttributes adds the operation attributes naming a job and its format.
func addJobAttributes(req *goipp.Message, key string) {
	req.Operation.Add(goipp.MakeAttribute("job-name", goipp.TagName, goipp.String(key)))
	req.Operation.Add(goipp.MakeAttribute("document-format", goipp.TagMimeType, goipp.String(pdfFormat)))
}

// Print sends doc as a Print-Job (RFC 8011 §4.2.1) named by its key and returns once
// the printer has accepted it; Job follows it from there. The PDF goes from memory
// to the connection. A busy or stopped printer's refusal wraps ErrUnavailable; a
// refused document wraps ErrRejected.
func (p *IPP) Print(ctx context.Context, doc Document) (JobRef, error) {
	if err := checkDocument(doc); err != nil {
		return JobRef{}, err
	}
	req := p.t.newRequest(goipp.OpPrintJob)
	addJobAttributes(req, doc.Key)
	resp, err := p.t.do(ctx, req, doc.PDF)
	if err != nil {
		return JobRef{}, err
	}
	id, ok := firstInt(resp.Job, "job-id")
	if !ok || id <= 0 {
		return JobRef{}, &ResponseError{URI: p.t.uri, Op: goipp.OpPrintJob, Problem: "no job-id for the job accepted"}
	}
	uri, _ := firstString(resp.Job, "job-uri")
	return JobRef{ID: id, URI: uri, Key: doc.Key}, nil
}

// Job asks the printer where a job is (Get-Job-Attributes, RFC 8011 §4.3.4). A job
// the printer no longer knows wraps ErrJobNotFound; so does a job of that id with
// another name than ref.Key, when ref has a key (the printer restarted and gave
// the id to another job).
func (p *IPP) Job(ctx context.Context, ref JobRef) (JobStatus, error) {
	if ref.ID <= 0 {
		return JobStatus{}, fmt.Errorf("printing: job reference %+v has no job id", ref)
	}
	req := p.t.newRequest(goipp.OpGetJobAttributes)
	req.Operation.Add(goipp.MakeAttribute("job-id", goipp.TagInteger, goipp.Integer(ref.ID)))
	req.Operation.Add(keywords("requested-attributes", "job-id", "job-name", "job-state", "job-state-reasons"))
	resp, err := p.t.do(ctx, req, nil)
	if err != nil {
		return JobStatus{}, err
	}
	if name, ok := firstString(resp.Job, "job-name"); ok && ref.Key != "" && name != ref.Key {
		return JobStatus{}, fmt.Errorf("%w: job %d on %s is named %q, not %q", ErrJobNotFound, ref.ID, p.t.uri, name, ref.Key)
	}
	return p.jobStatus(goipp.OpGetJobAttributes, resp.Job)
}

// jobStatus reads a job's state and state reasons from its attributes.
func (p *IPP) jobStatus(op goipp.Op, attrs goipp.Attributes) (JobStatus, error) {
	v, ok := firstInt(attrs, "job-state")
	if !ok {
		return JobStatus{}, &ResponseError{URI: p.t.uri, Op: op, Problem: "no job-state"}
	}
	st, ok := jobState(v)
	if !ok {
		return JobStatus{}, &ResponseError{URI: p.t.uri, Op: op, Problem: fmt.Sprintf("job-state %d is not defined", v)}
	}
	return JobStatus{State: st, Reasons: cleanReasons(allStrings(attrs, "job-state-reasons"))}, nil
}

// FindJob looks for a job named key among all the jobs the printer holds, finished
// ones included (Get-Jobs with which-jobs "all", PWG 5100.7 §6.2.8; a printer that
// knows only RFC 8011's values is asked for "not-completed" and "completed" in turn).
//
// A printer keeps finished jobs only for a while: ippeveprinter forgets a job about
// 60 seconds after it finished, CUPS keeps them as long as its PreserveJobHistory
// and MaxJobs say. FindJob can tell that a job printed only within that time;
// after it, or after the printer restarted, found is false. When several jobs carry the key, a completed one is
// returned first, then one still to finish, then the latest that failed.
func (p *IPP) FindJob(ctx context.Context, key string) (JobRef, JobStatus, bool, error) {
	if err := checkKey(key); err != nil {
		return JobRef{}, JobStatus{}, false, err
	}
	jobs, err := p.jobs(ctx, "all")
	var se *StatusError
	if errors.As(err, &se) && (se.Status == goipp.StatusErrorAttributesOrValues || se.Status == goipp.StatusErrorBadRequest) {
		jobs, err = p.jobs(ctx, "not-completed")
		if err == nil {
			var done []foundJob
			done, err = p.jobs(ctx, "completed")
			jobs = append(jobs, done...)
		}
	}
	if errors.As(err, &se) && se.Status == goipp.StatusErrorOperationNotSupported {
		return JobRef{}, JobStatus{}, false, fmt.Errorf("%w: %w", ErrNoJobHistory, err)
	}
	if err != nil {
		return JobRef{}, JobStatus{}, false, err
	}
	best, ok := pickJob(jobs, key)
	return best.ref, best.st, ok, nil
}

// foundJob is one job of a Get-Jobs response.
type foundJob struct {
	ref  JobRef
	name string
	st   JobStatus
}

// jobs lists the printer's jobs of one which-jobs kind (Get-Jobs, RFC 8011 §4.2.6).
func (p *IPP) jobs(ctx context.Context, which string) ([]foundJob, error) {
	req := p.t.newRequest(goipp.OpGetJobs)
	req.Operation.Add(goipp.MakeAttribute("which-jobs", goipp.TagKeyword, goipp.String(which)))
	req.Operation.Add(keywords("requested-attributes", "job-id", "job-uri", "job-name", "job-state", "job-state-reasons"))
	resp, err := p.t.do(ctx, req, nil)
	if err != nil {
		return nil, err
	}
	return p.parseJobs(resp)
}

// parseJobs reads the jobs of a Get-Jobs response.
func (p *IPP) parseJobs(resp *goipp.Message) ([]foundJob, error) {
	var out []foundJob
	for _, attrs := range jobGroups(resp) {
		id, ok := firstInt(attrs, "job-id")
		if !ok || id <= 0 {
			return nil, &ResponseError{URI: p.t.uri, Op: goipp.OpGetJobs, Problem: "a job without a job-id"}
		}
		st, err := p.jobStatus(goipp.OpGetJobs, attrs)
		if err != nil {
			return nil, err
		}
		name, _ := firstString(attrs, "job-name")
		uri, _ := firstString(attrs, "job-uri")
		out = append(out, foundJob{ref: JobRef{ID: id, URI: uri, Key: name}, name: name, st: st})
	}
	return out, nil
}

// pickJob chooses among the jobs named key: a completed one, else one not done yet
// (it will print), else the one with the highest id (the latest failure).
func pickJob(jobs []foundJob, key string) (foundJob, bool) {
	rank := func(j foundJob) int {
		switch {
		case j.st.State == JobCompleted:
			return 2
		case !j.st.Done():
			return 1
		}
		return 0
	}
	var best foundJob
	found := false
	for _, j := range jobs {
		if j.name != key {
			continue
		}
		if !found || rank(j) > rank(best) || rank(j) == rank(best) && j.ref.ID > best.ref.ID {
			best, found = j, true
		}
	}
	return best, found
}
