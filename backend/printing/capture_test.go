package printing

// Responses captured from ippeveprinter, kept in testdata/ipp: the table test reads
// them as the client does, and the fuzz test starts from them. Run
//
//	go test -run TestCapture -capture
//
// to capture them afresh (the must-fail files are derived from the captures).

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"certkiosk/backend/printing/printingtest"
	"github.com/OpenPrinting/goipp"
)

var capture = flag.Bool("capture", false, "capture the IPP responses in testdata/ipp from ippeveprinter")

func capturedDir() string { return filepath.Join("testdata", "ipp") }

// recorder keeps the body of the last response that passed through it.
type recorder struct {
	rt   http.RoundTripper
	mu   sync.Mutex
	last []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.last = body
	r.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

func (r *recorder) save(t *testing.T, name string) []byte {
	t.Helper()
	r.mu.Lock()
	data := r.last
	r.mu.Unlock()
	if err := os.WriteFile(filepath.Join(capturedDir(), name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCapture(t *testing.T) {
	if !*capture {
		t.Skip("run with -capture to capture the responses afresh")
	}
	if err := os.MkdirAll(capturedDir(), 0o755); err != nil {
		t.Fatal(err)
	}
	e := printingtest.StartIPPEve(t, printingtest.Options{Command: printingtest.OutOfPaperUntil("paper")})
	rec := &recorder{rt: http.DefaultTransport}
	p, err := NewIPP(e.URI, Options{HTTPClient: &http.Client{Transport: rec}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := within(t, time.Minute)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = p.Attributes(ctx)
	must(err)
	idle := rec.save(t, "printer-idle.ipp")
	ref, err := p.Print(ctx, Document{Key: "cert-0001", PDF: testPDF(t)})
	must(err)
	rec.save(t, "print-job.ipp")
	for {
		st, err := p.Status(ctx)
		must(err)
		if st.State == StateMediaEmpty {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	rec.save(t, "printer-media-empty.ipp")
	_, err = p.Print(ctx, Document{Key: "cert-0002", PDF: testPDF(t)})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("second Print() = %v, want busy", err)
	}
	rec.save(t, "print-job-busy.ipp")
	_, err = p.Job(ctx, ref)
	must(err)
	rec.save(t, "job-processing.ipp")
	e.Release(t, "paper")
	_, err = FollowJob(ctx, p, ref, FollowOptions{Interval: 50 * time.Millisecond})
	must(err)
	rec.save(t, "job-completed.ipp")
	_, _, _, err = p.FindJob(ctx, "cert-0001")
	must(err)
	rec.save(t, "get-jobs.ipp")
	_, err = p.Job(ctx, JobRef{ID: 4242})
	if !errors.Is(err, ErrJobNotFound) {
		t.Fatalf("Job(4242) = %v, want not found", err)
	}
	rec.save(t, "job-not-found.ipp")

	// Must-fail cases derived from the captures.
	bad := map[string][]byte{
		"bad-truncated.ipp": idle[:len(idle)/2],
		"bad-no-end.ipp":    idle[:len(idle)-1],
		"bad-zero-tag.ipp":  append(append([]byte(nil), idle[:8]...), 0x00),
		"bad-html.ipp":      []byte("<!DOCTYPE html><html><body>Printer setup</body></html>\n"),
		"bad-no-state.ipp":  withoutAttribute(t, idle, "printer-state"),
	}
	for name, data := range bad {
		if err := os.WriteFile(filepath.Join(capturedDir(), name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// withoutAttribute re-encodes a response without one printer attribute.
func withoutAttribute(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	var m goipp.Message
	if err := m.DecodeBytes(data); err != nil {
		t.Fatal(err)
	}
	var keep goipp.Attributes
	for _, a := range m.Printer {
		if a.Name != name {
			keep = append(keep, a)
		}
	}
	m.Groups, m.Printer = nil, keep
	out, err := m.EncodeBytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// requestID returns the request-id of an encoded message, 0 when it is too short.
func requestID(data []byte) uint32 {
	if len(data) < 8 {
		return 0
	}
	return binary.BigEndian.Uint32(data[4:8])
}

// readCaptured reads the responses as the client does and checks what it makes of
// each.
func TestCapturedResponses(t *testing.T) {
	p := &IPP{t: &ippTransport{uri: "ipp://localhost/ipp/print"}, now: time.Now}
	printer := func(data []byte) (PrinterAttributes, error) {
		m, err := parseResponse(data, requestID(data), p.t.uri, goipp.OpGetPrinterAttributes)
		if err != nil {
			return PrinterAttributes{}, err
		}
		return p.printerAttributes(m)
	}
	job := func(data []byte) (JobStatus, error) {
		m, err := parseResponse(data, requestID(data), p.t.uri, goipp.OpGetJobAttributes)
		if err != nil {
			return JobStatus{}, err
		}
		return p.jobStatus(goipp.OpGetJobAttributes, m.Job)
	}
	tests := []struct {
		file  string
		check func(t *testing.T, data []byte)
	}{
		{"printer-idle.ipp", func(t *testing.T, data []byte) {
			a, err := printer(data)
			if err != nil || a.State != StateReady || !a.SupportsPDF() || !a.AcceptingJobs || len(a.Reasons) != 0 {
				t.Errorf("printer attributes = %+v, %v; want ready, accepting, PDF, no reasons", a, err)
			}
		}},
		{"printer-media-empty.ipp", func(t *testing.T, data []byte) {
			a, err := printer(data)
			if err != nil || a.State != StateMediaEmpty || a.PrinterState != printerProcessing {
				t.Errorf("printer attributes = %+v, %v; want media-empty while processing", a, err)
			}
		}},
		{"print-job.ipp", func(t *testing.T, data []byte) {
			m, err := parseResponse(data, requestID(data), p.t.uri, goipp.OpPrintJob)
			if err != nil {
				t.Fatal(err)
			}
			if id, ok := firstInt(m.Job, "job-id"); !ok || id != 1 {
				t.Errorf("job-id = %d, %v; want 1", id, ok)
			}
		}},
		{"print-job-busy.ipp", func(t *testing.T, data []byte) {
			_, err := parseResponse(data, requestID(data), p.t.uri, goipp.OpPrintJob)
			var se *StatusError
			if !errors.As(err, &se) || se.Status != goipp.StatusErrorBusy || !errors.Is(err, ErrUnavailable) || se.Message == "" {
				t.Errorf("parseResponse() = %v, want server-error-busy with its message", err)
			}
		}},
		{"job-processing.ipp", func(t *testing.T, data []byte) {
			if st, err := job(data); err != nil || st.State != JobProcessing {
				t.Errorf("job = %+v, %v; want processing", st, err)
			}
		}},
		{"job-completed.ipp", func(t *testing.T, data []byte) {
			st, err := job(data)
			if err != nil || st.State != JobCompleted || len(st.Reasons) != 1 || st.Reasons[0] != "job-completed-successfully" {
				t.Errorf("job = %+v, %v; want completed successfully", st, err)
			}
		}},
		{"get-jobs.ipp", func(t *testing.T, data []byte) {
			m, err := parseResponse(data, requestID(data), p.t.uri, goipp.OpGetJobs)
			if err != nil {
				t.Fatal(err)
			}
			jobs, err := p.parseJobs(m)
			if err != nil {
				t.Fatal(err)
			}
			if j, ok := pickJob(jobs, "cert-0001"); !ok || j.ref.ID != 1 || j.st.State != JobCompleted {
				t.Errorf("pickJob(%+v, cert-0001) = %+v, %v; want job 1 completed", jobs, j, ok)
			}
		}},
		{"job-not-found.ipp", func(t *testing.T, data []byte) {
			if _, err := job(data); !errors.Is(err, ErrJobNotFound) {
				t.Errorf("job = %v, want ErrJobNotFound", err)
			}
		}},
		{"bad-truncated.ipp", wantBad(printer, "Message truncated")},
		{"bad-no-end.ipp", wantBad(printer, "Message truncated")},
		{"bad-zero-tag.ipp", wantBad(printer, "Invalid tag 0")},
		{"bad-html.ipp", wantBad(printer, "not an IPP message")},
		{"bad-no-state.ipp", wantBad(printer, "no printer-state")},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(capturedDir(), tt.file))
			if err != nil {
				t.Fatalf("%v (run go test -run TestCapture -capture)", err)
			}
			tt.check(t, data)
		})
	}
}

// wantBad checks that read refuses the data with a *ResponseError naming problem.
func wantBad(read func([]byte) (PrinterAttributes, error), problem string) func(*testing.T, []byte) {
	return func(t *testing.T, data []byte) {
		t.Helper()
		_, err := read(data)
		var re *ResponseError
		if !errors.As(err, &re) || !errors.Is(err, ErrBadResponse) || !bytes.Contains([]byte(err.Error()), []byte(problem)) {
			t.Errorf("read = %v, want a *ResponseError saying %q", err, problem)
		}
	}
}

// FuzzDecodeIPPResponse feeds arbitrary bytes to the response path: decoding, the
// checks, and every reader of the attributes. Whatever the bytes, the client must
// not panic, and an error must be one of the two the client promises.
func FuzzDecodeIPPResponse(f *testing.F) {
	entries, err := os.ReadDir(capturedDir())
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(capturedDir(), e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	p := &IPP{t: &ippTransport{uri: "ipp://localhost/ipp/print"}, now: time.Now}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseResponse(data, requestID(data), p.t.uri, goipp.OpGetJobs)
		if err != nil {
			var re *ResponseError
			var se *StatusError
			if !errors.As(err, &re) && !errors.As(err, &se) {
				t.Fatalf("parseResponse() = %T %v, want a *ResponseError or a *StatusError", err, err)
			}
			return
		}
		if a, err := p.printerAttributes(m); err == nil && a.State == "" {
			t.Errorf("printerAttributes() = %+v with no state", a)
		}
		if st, err := p.jobStatus(goipp.OpGetJobAttributes, m.Job); err == nil && st.State == "" {
			t.Errorf("jobStatus() = %+v with no state", st)
		}
		if jobs, err := p.parseJobs(m); err == nil {
			pickJob(jobs, "cert-0001")
		}
	})
}
