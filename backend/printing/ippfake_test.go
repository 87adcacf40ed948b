package printing

// Tests against fake servers: answers no real printer gives on demand (garbage,
// wrong request ids, HTTP errors, statuses), TLS, and the Get-Jobs fallback.

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/OpenPrinting/goipp"
)

// ippURI turns an httptest server's URL into the printer URI of the same place.
func ippURI(serverURL string) string {
	s := strings.Replace(serverURL, "https://", "ipps://", 1)
	return strings.Replace(s, "http://", "ipp://", 1) + "/ipp/print"
}

// fakeHTTP serves h on loopback and returns its printer URI.
func fakeHTTP(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return ippURI(srv.URL)
}

// ippHandler answers each decoded request with what answer returns.
func ippHandler(t *testing.T, answer func(req *goipp.Message) *goipp.Message) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req goipp.Message
		if err := req.Decode(r.Body); err != nil {
			t.Errorf("fake printer: request does not decode: %v", err)
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		data, err := answer(&req).EncodeBytes()
		if err != nil {
			t.Errorf("fake printer: %v", err)
			return
		}
		w.Header().Set("Content-Type", goipp.ContentType)
		_, _ = w.Write(data)
	}
}

// reply starts a response to req with the operation attributes every response has.
func reply(req *goipp.Message, status goipp.Status) *goipp.Message {
	m := goipp.NewResponse(goipp.DefaultVersion, status, req.RequestID)
	m.Operation.Add(goipp.MakeAttribute("attributes-charset", goipp.TagCharset, goipp.String("utf-8")))
	m.Operation.Add(goipp.MakeAttribute("attributes-natural-language", goipp.TagLanguage, goipp.String("en")))
	return m
}

func opOf(req *goipp.Message) goipp.Op { return goipp.Op(req.Code) }

// idlePrinter is a Get-Printer-Attributes answer from an idle printer.
func idlePrinter(req *goipp.Message) *goipp.Message {
	m := reply(req, goipp.StatusOk)
	m.Printer.Add(goipp.MakeAttribute("printer-state", goipp.TagEnum, goipp.Integer(printerIdle)))
	m.Printer.Add(keywords("printer-state-reasons", "none"))
	m.Printer.Add(goipp.MakeAttribute("printer-is-accepting-jobs", goipp.TagBoolean, goipp.Boolean(true)))
	return m
}

// TestIPPBadResponses checks that every answer the kiosk cannot use is a clear
// error that names the problem, matches ErrBadResponse, and leaves Status at error.
func TestIPPBadResponses(t *testing.T) {
	valid, err := idlePrinter(goipp.NewRequest(goipp.DefaultVersion, goipp.OpGetPrinterAttributes, 1)).EncodeBytes()
	if err != nil {
		t.Fatal(err)
	}
	withID := func(id uint32) []byte {
		b := append([]byte(nil), valid...)
		b[4], b[5], b[6], b[7] = byte(id>>24), byte(id>>16), byte(id>>8), byte(id)
		return b
	}
	tests := []struct {
		name        string
		ctype       string
		status      int
		body        []byte
		wantProblem string
		unavailable bool
	}{
		{"html page", "text/html", 200, []byte("<html><body>Welcome</body></html>"), `content type "text/html"`, false},
		{"garbage as IPP", goipp.ContentType, 200, []byte("\x02\x00\x00\x00\x00\x00\x00\x01\x01\xff\xffjunk"), "not an IPP message", false},
		{"empty body", goipp.ContentType, 200, nil, "not an IPP message (0 bytes)", false},
		{"truncated", goipp.ContentType, 200, withID(1)[:20], "not an IPP message", false},
		{"another request's answer", goipp.ContentType, 200, withID(99), "request-id 99, want 1", false},
		{"IPP version 3", goipp.ContentType, 200, append([]byte{3, 0}, withID(1)[2:]...), "IPP version 3.0", false},
		{"too large", goipp.ContentType, 200, append(withID(1), make([]byte, 70000)...), "response larger than 65536 bytes", false},
		{"HTTP 404", "text/plain", 404, []byte("no such printer"), "HTTP status 404", false},
		{"HTTP 503", "text/plain", 503, []byte("later"), "HTTP status 503", true},
		{"redirect", "text/plain", 302, nil, "HTTP status 302", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uri := fakeHTTP(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.status == 302 {
					w.Header().Set("Location", "http://elsewhere.invalid/")
				}
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				_, _ = w.Write(tt.body)
			})
			p, err := NewIPP(uri, Options{MaxResponseBytes: 65536})
			if err != nil {
				t.Fatal(err)
			}
			st, err := p.Status(within(t, 5*time.Second))
			var re *ResponseError
			if !errors.Is(err, ErrBadResponse) || !errors.As(err, &re) {
				t.Fatalf("Status() = %v, want a *ResponseError", err)
			}
			if !strings.Contains(err.Error(), tt.wantProblem) || !strings.Contains(err.Error(), "Get-Printer-Attributes") {
				t.Errorf("Status() error = %q, want it to name the operation and %q", err, tt.wantProblem)
			}
			if got := errors.Is(err, ErrUnavailable); got != tt.unavailable {
				t.Errorf("errors.Is(%v, ErrUnavailable) = %v, want %v", err, got, tt.unavailable)
			}
			want := StateError
			if tt.unavailable {
				want = StateOffline
			}
			if st.State != want || st.CheckedAt.IsZero() {
				t.Errorf("Status() = %+v, want state %s, checked", st, want)
			}
		})
	}
}

// TestIPPDecodeErrorWrapped checks that the decoder's own error is kept in the chain.
func TestIPPDecodeErrorWrapped(t *testing.T) {
	_, err := parseResponse([]byte{2, 0, 0, 0, 0, 0, 0, 1, 0x04}, 1, "ipp://x/", goipp.OpGetJobs)
	var re *ResponseError
	if !errors.As(err, &re) || re.Err == nil || errors.Unwrap(err) != re.Err {
		t.Fatalf("parseResponse(truncated) = %v, want a *ResponseError wrapping the decoder's error", err)
	}
	if !strings.Contains(err.Error(), "truncated") {
		t.Errorf("parseResponse(truncated) = %q, want the decoder's word for it", err)
	}
}

// TestIPPStatusCodes maps each status a printer may answer to the errors the queue
// acts on.
func TestIPPStatusCodes(t *testing.T) {
	tests := []struct {
		status                      goipp.Status
		unavailable, rejected, gone bool
	}{
		{goipp.StatusErrorBusy, true, false, false},
		{goipp.StatusErrorServiceUnavailable, true, false, false},
		{goipp.StatusErrorNotAcceptingJobs, true, false, false},
		{goipp.StatusErrorTemporary, true, false, false},
		{goipp.StatusErrorDocumentFormatNotSupported, false, true, false},
		{goipp.StatusErrorDocumentFormatError, false, true, false},
		{goipp.StatusErrorRequestEntity, false, true, false},
		{goipp.StatusErrorAttributesOrValues, false, true, false},
		{goipp.StatusErrorNotAuthorized, false, false, false},
		{goipp.StatusErrorNotFound, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.status.String(), func(t *testing.T) {
			uri := fakeHTTP(t, ippHandler(t, func(req *goipp.Message) *goipp.Message {
				m := reply(req, tt.status)
				m.Operation.Add(goipp.MakeAttribute("status-message", goipp.TagText, goipp.String("as told")))
				return m
			}))
			p, err := NewIPP(uri, Options{})
			if err != nil {
				t.Fatal(err)
			}
			type result struct {
				op  string
				err error
			}
			_, printErr := p.Print(within(t, 5*time.Second), Document{Key: "k1", PDF: testPDF(t)})
			_, jobErr := p.Job(within(t, 5*time.Second), JobRef{ID: 3})
			checks := []result{{"Print", printErr}, {"Job", jobErr}}
			for _, c := range checks {
				var se *StatusError
				if !errors.As(c.err, &se) || se.Status != tt.status || se.Message != "as told" {
					t.Errorf("%s() = %v, want a *StatusError %s with its message", c.op, c.err, tt.status)
					continue
				}
				if got := errors.Is(c.err, ErrUnavailable); got != tt.unavailable {
					t.Errorf("%s(): errors.Is(%v, ErrUnavailable) = %v, want %v", c.op, c.err, got, tt.unavailable)
				}
				if got := errors.Is(c.err, ErrRejected); got != tt.rejected {
					t.Errorf("%s(): errors.Is(%v, ErrRejected) = %v, want %v", c.op, c.err, got, tt.rejected)
				}
				if got := errors.Is(c.err, ErrJobNotFound); got != (tt.gone && c.op == "Job") {
					t.Errorf("%s(): errors.Is(%v, ErrJobNotFound) = %v", c.op, c.err, got)
				}
			}
		})
	}
}

// TestIPPOffline speaks to a port nobody listens on.
func TestIPPOffline(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	p, err := NewIPP("ipp://127.0.0.1:"+strconv.Itoa(port)+"/ipp/print", Options{ConnectTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	st, err := p.Status(within(t, 5*time.Second))
	if st.State != StateOffline || !errors.Is(err, ErrUnavailable) || st.CheckedAt.IsZero() {
		t.Errorf("Status() = %+v, %v; want offline and ErrUnavailable", st, err)
	}
	if _, err := p.Print(within(t, 5*time.Second), Document{Key: "k", PDF: testPDF(t)}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Print() = %v, want ErrUnavailable", err)
	}
	if _, _, _, err := p.FindJob(within(t, 5*time.Second), "k"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("FindJob() = %v, want ErrUnavailable", err)
	}
}

// TestIPPSilent: a printer that accepts the connection and never answers is
// unavailable once the request's time limit passes; the caller's own cancellation
// is reported as such.
func TestIPPSilent(t *testing.T) {
	release := make(chan struct{})
	uri := fakeHTTP(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	p, err := NewIPP(uri, Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	st, err := p.Status(within(t, 5*time.Second))
	if !errors.Is(err, ErrUnavailable) || st.State != StateOffline {
		t.Errorf("Status() = %+v, %v; want offline, ErrUnavailable", st, err)
	}
	slow, err := NewIPP(uri, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if _, err := slow.Print(ctx, Document{Key: "k", PDF: testPDF(t)}); !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnavailable) {
		t.Errorf("Print(cancelled) = %v, want context.Canceled only", err)
	}
}

// TestIPPRequests checks what the client sends: the operation attributes, the job
// name, the format, and the document after the IPP message.
func TestIPPRequests(t *testing.T) {
	pdf := testPDF(t)
	var got []*goipp.Message
	var docs [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ct := r.Header.Get("Content-Type"); ct != goipp.ContentType || r.Method != http.MethodPost || r.URL.Path != "/ipp/print" {
			t.Errorf("request %s %s with %q, want POST /ipp/print with application/ipp", r.Method, r.URL.Path, ct)
		}
		var req goipp.Message
		if err := req.Decode(r.Body); err != nil {
			t.Errorf("request does not decode: %v", err)
			return
		}
		doc, _ := io.ReadAll(r.Body)
		got, docs = append(got, &req), append(docs, doc)
		m := reply(&req, goipp.StatusOk)
		m.Job.Add(goipp.MakeAttribute("job-id", goipp.TagInteger, goipp.Integer(7)))
		m.Job.Add(goipp.MakeAttribute("job-state", goipp.TagEnum, goipp.Integer(jobPending)))
		data, _ := m.EncodeBytes()
		w.Header().Set("Content-Type", goipp.ContentType)
		_, _ = w.Write(data)
	}))
	defer srv.Close()
	uri := ippURI(srv.URL)
	p, err := NewIPP(uri, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Print(within(t, 5*time.Second), Document{Key: "cert-9", PDF: pdf}); err != nil {
		t.Fatalf("Print() = %v", err)
	}
	if err := p.Validate(within(t, 5*time.Second), Document{Key: "cert-9", PDF: pdf}); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	if len(got) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(got))
	}
	for i, op := range []goipp.Op{goipp.OpPrintJob, goipp.OpValidateJob} {
		req := got[i]
		if opOf(req) != op || req.Version != goipp.MakeVersion(2, 0) || req.RequestID != uint32(i+1) {
			t.Errorf("request %d = %s version %s id %d, want %s 2.0 id %d", i, opOf(req), req.Version, req.RequestID, op, i+1)
		}
		names := make([]string, len(req.Operation))
		for j, a := range req.Operation {
			names[j] = a.Name
		}
		want := "attributes-charset attributes-natural-language printer-uri requesting-user-name job-name document-format"
		if strings.Join(names, " ") != want {
			t.Errorf("%s operation attributes = %v, want %s", op, names, want)
		}
		for name, want := range map[string]string{"printer-uri": uri, "requesting-user-name": "certkiosk", "job-name": "cert-9", "document-format": "application/pdf"} {
			if v, _ := firstString(req.Operation, name); v != want {
				t.Errorf("%s %s = %q, want %q", op, name, v, want)
			}
		}
	}
	if string(docs[0]) != string(pdf) || len(docs[1]) != 0 {
		t.Errorf("documents sent = %d and %d bytes, want the PDF's %d with Print-Job and none with Validate-Job", len(docs[0]), len(docs[1]), len(pdf))
	}
}

// TestFindJobFallback: a printer that knows only RFC 8011's which-jobs values is
// asked for each in turn.
func TestFindJobFallback(t *testing.T) {
	var asked []string
	uri := fakeHTTP(t, ippHandler(t, func(req *goipp.Message) *goipp.Message {
		which, _ := firstString(req.Operation, "which-jobs")
		asked = append(asked, which)
		if which == "all" {
			return reply(req, goipp.StatusErrorAttributesOrValues)
		}
		m := reply(req, goipp.StatusOk)
		job := func(id int, name string, state int) {
			g := goipp.Attributes{
				goipp.MakeAttribute("job-id", goipp.TagInteger, goipp.Integer(id)),
				goipp.MakeAttribute("job-name", goipp.TagName, goipp.String(name)),
				goipp.MakeAttribute("job-state", goipp.TagEnum, goipp.Integer(state)),
			}
			m.Job = append(m.Job, g...)
		}
		if which == "completed" {
			job(11, "cert-a", jobCompleted)
		} else {
			job(12, "cert-b", jobProcessing)
		}
		return m
	}))
	p, err := NewIPP(uri, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		key   string
		id    int
		state JobState
	}{{"cert-a", 11, JobCompleted}, {"cert-b", 12, JobProcessing}} {
		ref, st, found, err := p.FindJob(within(t, 5*time.Second), tt.key)
		if err != nil || !found || ref.ID != tt.id || st.State != tt.state {
			t.Errorf("FindJob(%s) = %+v, %+v, %v, %v; want job %d %s", tt.key, ref, st, found, err, tt.id, tt.state)
		}
	}
	if want := "all not-completed completed all not-completed completed"; strings.Join(asked, " ") != want {
		t.Errorf("which-jobs asked = %v, want %s", asked, want)
	}
}

// TestPickJob chooses among jobs of the same name.
func TestPickJob(t *testing.T) {
	j := func(id int, name string, s JobState) foundJob {
		return foundJob{ref: JobRef{ID: id}, name: name, st: JobStatus{State: s}}
	}
	tests := []struct {
		name  string
		jobs  []foundJob
		want  int
		found bool
	}{
		{"none", nil, 0, false},
		{"other names only", []foundJob{j(1, "x", JobCompleted)}, 0, false},
		{"the one", []foundJob{j(1, "x", JobCompleted), j(2, "k", JobPending)}, 2, true},
		{"completed beats later failure", []foundJob{j(1, "k", JobCompleted), j(2, "k", JobAborted)}, 1, true},
		{"pending beats failure", []foundJob{j(3, "k", JobPending), j(2, "k", JobCanceled)}, 3, true},
		{"completed beats pending", []foundJob{j(4, "k", JobProcessing), j(2, "k", JobCompleted)}, 2, true},
		{"latest failure", []foundJob{j(5, "k", JobAborted), j(8, "k", JobCanceled), j(6, "k", JobAborted)}, 8, true},
		{"case matters", []foundJob{j(1, "K", JobCompleted)}, 0, false},
	}
	for _, tt := range tests {
		got, found := pickJob(tt.jobs, "k")
		if found != tt.found || got.ref.ID != tt.want {
			t.Errorf("pickJob(%s) = job %d, %v; want job %d, %v", tt.name, got.ref.ID, found, tt.want, tt.found)
		}
	}
}

// TestIPPS speaks IPP over TLS to a server whose certificate is trusted through
// CAFile, and is refused without it.
func TestIPPS(t *testing.T) {
	srv := httptest.NewTLSServer(ippHandler(t, idlePrinter))
	defer srv.Close()
	uri := ippURI(srv.URL)
	if !strings.HasPrefix(uri, "ipps://") {
		t.Fatalf("uri = %s", uri)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	cert := srv.TLS.Certificates[0].Certificate[0]
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert}), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := NewIPP(uri, Options{CAFile: caFile})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := p.Status(within(t, 5*time.Second)); err != nil || st.State != StateReady {
		t.Errorf("Status() over TLS = %+v, %v; want ready", st, err)
	}

	untrusted, err := NewIPP(uri, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = untrusted.Status(within(t, 5*time.Second))
	if err == nil || errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "certificate is not trusted") {
		t.Errorf("Status() with an untrusted certificate = %v, want a certificate error that is not ErrUnavailable", err)
	}
	if _, err := NewIPP(uri, Options{CAFile: filepath.Join(t.TempDir(), "missing.pem")}); err == nil {
		t.Error("NewIPP with a missing CA file succeeded")
	}
	if _, err := NewIPP(uri, Options{CAFile: caFile, HTTPClient: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{}}}}); err == nil {
		t.Error("NewIPP with both CAFile and HTTPClient succeeded")
	}
}

func TestParsePrinterURI(t *testing.T) {
	tests := []struct {
		in, printer, post string
	}{
		{"ipp://printer.local/ipp/print", "ipp://printer.local/ipp/print", "http://printer.local:631/ipp/print"},
		{"ipp://localhost:18632/ipp/print", "ipp://localhost:18632/ipp/print", "http://localhost:18632/ipp/print"},
		{"ipps://printer.local/ipp/print", "ipps://printer.local/ipp/print", "https://printer.local:631/ipp/print"},
		{"IPP://cups.local:631/printers/kiosk", "ipp://cups.local:631/printers/kiosk", "http://cups.local:631/printers/kiosk"},
		{"ipp://[::1]/ipp/print", "ipp://[::1]/ipp/print", "http://[::1]:631/ipp/print"},
		{"ipp://printer.local", "ipp://printer.local/", "http://printer.local:631/"},
	}
	for _, tt := range tests {
		printer, post, err := parsePrinterURI(tt.in)
		if err != nil || printer != tt.printer || post != tt.post {
			t.Errorf("parsePrinterURI(%q) = %q, %q, %v; want %q, %q", tt.in, printer, post, err, tt.printer, tt.post)
		}
	}
	for _, bad := range []string{"http://printer/ipp", "ipp:///ipp/print", "ipp://user:pw@printer/", "ipp://printer/#x", "ipp://%zz"} {
		if _, _, err := parsePrinterURI(bad); !errors.Is(err, ErrBadURI) {
			t.Errorf("parsePrinterURI(%q) = %v, want ErrBadURI", bad, err)
		}
	}
}

// TestIPPJobRenamed: after a restart a printer gives a job's id to another job; Job
// with the key says it does not know ours any more, and without a key it cannot tell.
func TestIPPJobRenamed(t *testing.T) {
	uri := fakeHTTP(t, ippHandler(t, func(req *goipp.Message) *goipp.Message {
		m := reply(req, goipp.StatusOk)
		m.Job.Add(goipp.MakeAttribute("job-id", goipp.TagInteger, goipp.Integer(1)))
		m.Job.Add(goipp.MakeAttribute("job-name", goipp.TagName, goipp.String("someone-else")))
		m.Job.Add(goipp.MakeAttribute("job-state", goipp.TagEnum, goipp.Integer(jobCompleted)))
		return m
	}))
	p, err := NewIPP(uri, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := p.Job(within(t, 5*time.Second), JobRef{ID: 1, Key: "cert-1"}); !errors.Is(err, ErrJobNotFound) {
		t.Errorf("Job(id 1, key cert-1) = %+v, %v; want ErrJobNotFound", st, err)
	}
	if st, err := p.Job(within(t, 5*time.Second), JobRef{ID: 1}); err != nil || st.State != JobCompleted {
		t.Errorf("Job(id 1) = %+v, %v; want completed", st, err)
	}
	if st, err := p.Job(within(t, 5*time.Second), JobRef{ID: 1, Key: "someone-else"}); err != nil || st.State != JobCompleted {
		t.Errorf("Job(id 1, its own key) = %+v, %v; want completed", st, err)
	}
}
