package printing

// usb.go: the printer attached directly over USB (usb://VID:PID[/serial]), on the
// USB printer class through drivers/usbprint.
//
// A USB printer keeps no list of jobs: it takes bytes and prints them. So FindJob
// always answers ErrNoJobHistory, and exactly-once printing becomes at-most-once:
// when a send was interrupted (a crash, an unplugged cable, a cancelled context
// after some bytes went out), the queue cannot ask the printer whether the job
// came out, and treats it as possibly printed: it asks staff to look at the tray
// instead of printing again by itself.
//
// The document is sent as it is, PDF, and only to a printer whose IEEE 1284
// command set (CMD) lists PDF. Most USB printers take only PCL, PWG raster, URF or
// a vendor language; converting to those is not done here, and such a printer
// refuses the job with ErrRejected naming its command set (use it through CUPS
// and an ipp:// URI instead). A printer that also lists PJL gets the PDF inside a
// PJL job named by the document's key (PJL Technical Reference: UEL, JOB NAME,
// ENTER LANGUAGE=PDF, EOJ), so its own job log and panel show the key and the job
// starts from a clean state even after an earlier job was cut off.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"certkiosk/drivers/usb"
	"certkiosk/drivers/usbprint"
)

// USBOption adjusts OpenUSB.
type USBOption func(*usbConfig)

type usbConfig struct {
	now    func() time.Time
	quirks *usbprint.QuirkTable
}

// USBClock sets the clock Status stamps CheckedAt with (time.Now by default).
func USBClock(now func() time.Time) USBOption {
	return func(c *usbConfig) {
		if now != nil {
			c.now = now
		}
	}
}

// USBQuirks replaces the table of per-model workarounds (usbprint.DefaultQuirks by
// default).
func USBQuirks(t usbprint.QuirkTable) USBOption {
	return func(c *usbConfig) { c.quirks = &t }
}

// USB is a printer attached over USB. It opens the device for each request and
// closes it after, so the printer may be unplugged and plugged in again between
// jobs, and is not required to be attached when the USB value is made. It is safe
// for concurrent use; requests to the device are made one at a time.
type USB struct {
	bus     usb.Bus
	match   usb.Match
	uri     string
	cfg     usbConfig
	session string // tells this value's job references from those of another run

	sending atomic.Bool   // a Print is sending data
	device  chan struct{} // holds a token while a request has the device open

	mu     sync.Mutex // guards the fields below
	jobs   int        // jobs sent
	cutOff bool       // the last send stopped part way: reset the printer first
}

var _ Printer = (*USB)(nil)

// ParseUSBURI reads usb://VID:PID[/serial], the IDs in hex ("usb://04f9:0042",
// "usb://03F0:C42A/VNB3K12345", the serial percent-encoded where it must be). It
// does not use url.Parse, which takes the PID for a port number and refuses hex
// letters in it.
func ParseUSBURI(raw string) (usb.Match, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || !strings.EqualFold(scheme, "usb") {
		return usb.Match{}, fmt.Errorf("%w %q: want usb://VID:PID[/serial]", ErrBadURI, raw)
	}
	ids, serial, hasSerial := strings.Cut(rest, "/")
	if strings.ContainsAny(rest, "?#@") || strings.Contains(serial, "/") {
		return usb.Match{}, fmt.Errorf("%w %q: want usb://VID:PID[/serial]", ErrBadURI, raw)
	}
	if hasSerial {
		s, err := url.PathUnescape(serial)
		if err != nil || s == "" {
			return usb.Match{}, fmt.Errorf("%w %q: bad serial number", ErrBadURI, raw)
		}
		serial = s
	}
	return usbMatch(raw, ids, serial)
}

// usbMatch reads "VID:PID" and joins the serial.
func usbMatch(raw, ids, serial string) (usb.Match, error) {
	m, err := usb.ParseMatch(ids)
	if err != nil || m.Serial != "" {
		return usb.Match{}, fmt.Errorf("%w %q: want usb://VID:PID[/serial] with hex IDs", ErrBadURI, raw)
	}
	m.Serial = serial
	return m, nil
}

// usbURIString returns the canonical URI of m: lower-case hex, the serial escaped.
func usbURIString(m usb.Match) string {
	s := "usb://" + m.VID.String() + ":" + m.PID.String()
	if m.Serial != "" {
		s += "/" + url.PathEscape(m.Serial)
	}
	return s
}

// OpenUSB returns the USB printer uri names on bus. uri is usb://VID:PID[/serial]
// split as Open's Options.USB hook receives it: Host "VID:PID", Path "/serial" or
// empty (unescaped). OpenUSB checks the URI only; the printer need not be plugged
// in, and ctx is not used yet. bus is usually a usb.Host shared by the whole
// program. The Printer returned is a *USB.
func OpenUSB(ctx context.Context, bus usb.Bus, uri *url.URL, opts ...USBOption) (Printer, error) {
	if uri == nil || !strings.EqualFold(uri.Scheme, "usb") {
		return nil, fmt.Errorf("%w: want usb://VID:PID[/serial]", ErrBadURI)
	}
	raw := uri.String()
	if uri.User != nil || uri.RawQuery != "" || uri.Fragment != "" || uri.Opaque != "" {
		return nil, fmt.Errorf("%w %q: want usb://VID:PID[/serial]", ErrBadURI, raw)
	}
	serial := strings.TrimPrefix(uri.Path, "/")
	if strings.Contains(serial, "/") || (uri.Path != "" && serial == "") {
		return nil, fmt.Errorf("%w %q: want usb://VID:PID[/serial]", ErrBadURI, raw)
	}
	m, err := usbMatch(raw, uri.Host, serial)
	if err != nil {
		return nil, err
	}
	return newUSB(bus, m, opts), nil
}

// OpenUSBURI is OpenUSB for the URI as written in the configuration.
func OpenUSBURI(ctx context.Context, bus usb.Bus, raw string, opts ...USBOption) (Printer, error) {
	m, err := ParseUSBURI(raw)
	if err != nil {
		return nil, err
	}
	return newUSB(bus, m, opts), nil
}

func newUSB(bus usb.Bus, m usb.Match, opts []USBOption) *USB {
	cfg := usbConfig{now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	return &USB{
		bus: bus, match: m, uri: usbURIString(m), cfg: cfg,
		session: strconv.FormatInt(cfg.now().UnixNano(), 36),
		device:  make(chan struct{}, 1),
	}
}

// URI returns the printer's URI in canonical form.
func (p *USB) URI() string { return p.uri }

// open waits for the device to be free and opens the printer; done closes it and
// lets the next request have the device.
func (p *USB) open(ctx context.Context) (pr *usbprint.Printer, done func(), err error) {
	select {
	case p.device <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	pr, err = usbprint.Open(ctx, p.bus, p.match, usbprint.Options{Quirks: p.cfg.quirks})
	if err != nil {
		<-p.device
		return nil, nil, err
	}
	return pr, func() { pr.Close(); <-p.device }, nil
}

// absent reports errors that mean the printer is not there (unplugged, switched
// off, or taken by another program for now).
func absent(err error) bool {
	return errors.Is(err, usb.ErrNotFound) || errors.Is(err, usb.ErrDisconnected) || errors.Is(err, usb.ErrBusy)
}

// Status reads the printer's port status: paper empty is StateMediaEmpty, not
// selected StateOffline, an error StateError, else StateReady; Reasons list the
// conditions ("paper-empty", "not-selected", "error"). While a document is being
// sent it reports StatePrinting without asking the printer. A printer that is not
// attached is StateOffline ("not-connected") with an error wrapping
// ErrUnavailable.
func (p *USB) Status(ctx context.Context) (Status, error) {
	if p.sending.Load() {
		return Status{State: StatePrinting, Reasons: []string{"sending"}, CheckedAt: p.cfg.now()}, nil
	}
	st := Status{CheckedAt: p.cfg.now()}
	pr, done, err := p.open(ctx)
	if err != nil {
		return p.statusError(st, err)
	}
	defer done()
	ps, err := pr.PortStatus(ctx)
	if err != nil {
		return p.statusError(st, err)
	}
	st.State, st.Reasons = portState(ps)
	return st, nil
}

// statusError fills st for a printer whose status could not be read.
func (p *USB) statusError(st Status, err error) (Status, error) {
	switch {
	case errors.Is(err, usb.ErrBusy):
		st.State, st.Reasons = StateOffline, []string{"in-use-by-another-program"}
		return st, fmt.Errorf("%w: %s: %w", ErrUnavailable, p.uri, err)
	case absent(err):
		st.State, st.Reasons = StateOffline, []string{"not-connected"}
		return st, fmt.Errorf("%w: %s: %w", ErrUnavailable, p.uri, err)
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		st.State = StateOffline
		return st, err
	case errors.Is(err, usb.ErrAccess):
		st.State, st.Reasons = StateError, []string{"access-denied"}
	default:
		st.State, st.Reasons = StateError, nil
	}
	return st, fmt.Errorf("printing: %s: %w", p.uri, err)
}

// portState maps the port status byte (USB printer class 1.1 §4.2.2) to a
// State. Printers out of paper also clear "selected" and "not error", so paper
// is looked at first.
func portState(ps usbprint.PortStatus) (State, []string) {
	var reasons []string
	if ps.PaperEmpty() {
		reasons = append(reasons, "paper-empty")
	}
	if !ps.Selected() {
		reasons = append(reasons, "not-selected")
	}
	if ps.Fault() {
		reasons = append(reasons, "error")
	}
	switch {
	case ps.PaperEmpty():
		return StateMediaEmpty, reasons
	case !ps.Selected():
		return StateOffline, reasons
	case ps.Fault():
		return StateError, reasons
	}
	return StateReady, nil
}

// USBSendError reports a document that did not reach the printer whole. When no
// byte went out it matches ErrUnavailable, and sending again is safe. When some
// did (Sent > 0), the printer may have printed part of the document, or all of it
// from its buffer: it does not match ErrUnavailable, and the queue must not send
// it again by itself.
type USBSendError struct {
	URI   string
	Key   string
	Sent  int // bytes the printer accepted, PJL included
	Total int // bytes of the job, PJL included
	Err   error
}

// Error says how far the send got.
func (e *USBSendError) Error() string {
	if e.Sent == 0 {
		return fmt.Sprintf("printing: %s: job %s not sent: %v", e.URI, e.Key, e.Err)
	}
	return fmt.Sprintf("printing: %s: job %s cut off after %d of %d bytes, the printer may have printed part of it: %v", e.URI, e.Key, e.Sent, e.Total, e.Err)
}

// Unwrap returns the cause.
func (e *USBSendError) Unwrap() error { return e.Err }

// Is matches ErrUnavailable when nothing was sent.
func (e *USBSendError) Is(target error) bool { return target == ErrUnavailable && e.Sent == 0 }

// Print sends doc to the printer and returns once the printer has taken every
// byte. It refuses, with ErrRejected, a printer whose command set lacks PDF; with
// ErrUnavailable, a printer that is not attached or whose port status is not
// ready (out of paper, off line, in error). A send that fails part way returns a
// *USBSendError.
func (p *USB) Print(ctx context.Context, doc Document) (JobRef, error) {
	if err := checkDocument(doc); err != nil {
		return JobRef{}, err
	}
	pr, done, err := p.open(ctx)
	if err != nil {
		return JobRef{}, p.printError(doc, err)
	}
	defer done()
	p.sending.Store(true)
	defer p.sending.Store(false)
	id, err := pr.DeviceID(ctx)
	if err != nil {
		return JobRef{}, p.printError(doc, err)
	}
	if !id.Supports("PDF") {
		set := strings.Join(id.CommandSet(), ",")
		if set == "" {
			set = "none announced"
		}
		return JobRef{}, fmt.Errorf("%w: %s (%s %s) does not take PDF, its command set is %s; converting to PCL or PWG raster is not supported, print through CUPS and an ipp:// URI instead",
			ErrRejected, p.uri, id.Manufacturer(), id.Model(), set)
	}
	ps, err := pr.PortStatus(ctx)
	if err != nil {
		return JobRef{}, p.printError(doc, err)
	}
	if state, reasons := portState(ps); state != StateReady {
		return JobRef{}, fmt.Errorf("%w: %s is %s (%s)", ErrUnavailable, p.uri, state, strings.Join(reasons, ", "))
	}
	p.mu.Lock()
	cutOff := p.cutOff
	p.mu.Unlock()
	if cutOff {
		// Flush what is left of the job cut off before, so the two do not run
		// together. A printer that does not support SOFT_RESET stalls it; the PJL
		// UEL then does the same job.
		if err := pr.SoftReset(ctx); err != nil && !errors.Is(err, usb.ErrStall) {
			return JobRef{}, p.printError(doc, err)
		}
		p.mu.Lock()
		p.cutOff = false
		p.mu.Unlock()
	}
	data := doc.PDF
	if id.Supports("PJL") {
		data = pjlWrap(doc.Key, doc.PDF)
	}
	n, err := pr.Write(ctx, data)
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.cutOff = n > 0
		return JobRef{}, &USBSendError{URI: p.uri, Key: doc.Key, Sent: n, Total: len(data), Err: err}
	}
	p.jobs++
	return JobRef{ID: p.jobs, URI: p.jobURI(p.jobs)}, nil
}

// printError classifies a failure before any print data went out.
func (p *USB) printError(doc Document, err error) error {
	if absent(err) || errors.Is(err, usb.ErrTimeout) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &USBSendError{URI: p.uri, Key: doc.Key, Err: err}
	}
	return fmt.Errorf("printing: %s: job %s: %w", p.uri, doc.Key, err)
}

// The Universal Exit Language sequence that starts and ends PJL jobs.
const pjlUEL = "\x1b%-12345X"

// pjlWrap puts pdf in a PJL job named key. The key is checked to hold only
// letters, digits, '-' and '_', so it needs no quoting.
func pjlWrap(key string, pdf []byte) []byte {
	var b bytes.Buffer
	b.WriteString(pjlUEL + "@PJL JOB NAME=\"" + key + "\"\r\n")
	b.WriteString("@PJL ENTER LANGUAGE=PDF\r\n")
	b.Write(pdf)
	b.WriteString(pjlUEL + "@PJL EOJ NAME=\"" + key + "\"\r\n")
	b.WriteString(pjlUEL)
	return b.Bytes()
}

// jobURI names job n of this run.
func (p *USB) jobURI(n int) string {
	return p.uri + "#job-" + p.session + "-" + strconv.Itoa(n)
}

// Job reports on a job this value sent. The printer says nothing about jobs, only
// about itself: a job is JobCompleted once all its bytes were taken and the
// printer is ready, and JobStopped with the printer's conditions while it is out
// of paper, off line, in error or not attached. A reference from another run (the
// kiosk restarted) is unknown: the error wraps ErrJobNotFound and ErrNoJobHistory.
func (p *USB) Job(ctx context.Context, ref JobRef) (JobStatus, error) {
	p.mu.Lock()
	known := ref.ID >= 1 && ref.ID <= p.jobs && ref.URI == p.jobURI(ref.ID)
	p.mu.Unlock()
	if !known {
		return JobStatus{}, fmt.Errorf("%w: %w: %s did not send job %q since the kiosk started", ErrJobNotFound, ErrNoJobHistory, p.uri, ref.URI)
	}
	if p.sending.Load() {
		return JobStatus{State: JobProcessing, Reasons: []string{"printer-busy-sending"}}, nil
	}
	st, err := p.Status(ctx)
	switch {
	case err != nil && absent(err):
		return JobStatus{State: JobStopped, Reasons: []string{"printer-not-connected"}}, nil
	case err != nil:
		return JobStatus{}, err
	case st.State == StateReady || st.State == StatePrinting:
		return JobStatus{State: JobCompleted, Reasons: []string{"job-data-sent"}}, nil
	}
	return JobStatus{State: JobStopped, Reasons: st.Reasons}, nil
}

// FindJob returns ErrNoJobHistory: a USB printer keeps no list of jobs, so a job
// whose send was interrupted cannot be looked up. The queue treats such a job as
// possibly printed and asks staff (at most once).
func (p *USB) FindJob(ctx context.Context, key string) (JobRef, JobStatus, bool, error) {
	return JobRef{}, JobStatus{}, false, ErrNoJobHistory
}
