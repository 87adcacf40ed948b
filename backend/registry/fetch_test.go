package registry

// fetch_test.go: retries, timeouts, cancellation, size limit, redirects and backoff.

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const capability = `{"resourceType":"CapabilityStatement","status":"active","fhirVersion":"4.0.1"}`

// failing answers with each of failures in turn, then serves the fake registry.
func failing(reg http.Handler, failures ...http.HandlerFunc) (http.Handler, *atomic.Int32) {
	var n atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if i := int(n.Add(1)) - 1; i < len(failures) {
			failures[i](w, r)
			return
		}
		reg.ServeHTTP(w, r)
	}), &n
}

func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Error(w, http.StatusText(code), code) }
}

// dropMidBody promises a body of 4096 bytes, sends a few and closes the connection.
func dropMidBody(w http.ResponseWriter, r *http.Request) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: 4096\r\n\r\n")
	buf.WriteString(`{"resourceType":"Bundle","type":"searchset","entry":[`)
	buf.Flush()
}

func TestFindRetries(t *testing.T) {
	tests := []struct {
		name     string
		failures []http.HandlerFunc
	}{
		{"500 then success", []http.HandlerFunc{status(500)}},
		{"502, 503, 504 then success", []http.HandlerFunc{status(502), status(503), status(504)}},
		{"429 then success", []http.HandlerFunc{status(429)}},
		{"dropped mid-body then success", []http.HandlerFunc{dropMidBody, dropMidBody}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, hits := failing(petrov(), tt.failures...)
			srv := httptest.NewServer(h)
			defer srv.Close()
			c, waits := newTestClient(t, srv.URL+"/fhir", Options{})
			rec, err := c.Find(context.Background(), Identifier{SystemSNILS, "11223344595"})
			if err != nil {
				t.Fatalf("Find() = %v, want the record after %d failures", err, len(tt.failures))
			}
			if len(rec.Immunizations) != 3 {
				t.Errorf("Find() = %d immunizations, want 3", len(rec.Immunizations))
			}
			checkWaits(t, c, waits.recorded(), len(tt.failures))
			if want := int32(len(tt.failures) + 7); hits.Load() != want {
				t.Errorf("server got %d requests, want %d", hits.Load(), want)
			}
		})
	}
}

func TestFindGivesUp(t *testing.T) {
	tests := []struct {
		name    string
		retries int
		handler http.HandlerFunc
		cause   string
	}{
		{"500 forever", 0, status(500), "HTTP 500 Internal Server Error (4 attempts)"},
		{"503 forever, 5 retries", 5, status(503), "HTTP 503 Service Unavailable (6 attempts)"},
		{"429 forever, no retry", -1, status(429), "HTTP 429 Too Many Requests"},
		{"dropped mid-body", 2, dropMidBody, "reading the body: unexpected EOF (3 attempts)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				tt.handler(w, r)
			}))
			defer srv.Close()
			c, waits := newTestClient(t, srv.URL+"/fhir", Options{Retries: tt.retries})
			_, err := c.Find(context.Background(), Identifier{SystemEEPersonalCode, "46003150224"})
			if !errors.Is(err, ErrUnreachable) || errors.Is(err, ErrBadResponse) || !strings.Contains(err.Error(), tt.cause) {
				t.Fatalf("Find() = %v, want ErrUnreachable with %q", err, tt.cause)
			}
			if strings.Contains(err.Error(), "46003150224") {
				t.Errorf("Find() = %v, which shows the identifier", err)
			}
			attempts := c.opts.Retries + 1
			if int(hits.Load()) != attempts {
				t.Errorf("server got %d requests, want %d attempts", hits.Load(), attempts)
			}
			checkWaits(t, c, waits.recorded(), attempts-1)
		})
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name, header string
		minWait      time.Duration
	}{
		{"seconds", "2", 2 * time.Second},
		{"capped", "120", DefaultBackoffCap},
		{"unreadable", "soon", 0},
		{"date", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), DefaultBackoffCap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := failing(petrov(), func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", tt.header)
				status(http.StatusTooManyRequests)(w, r)
			})
			srv := httptest.NewServer(h)
			defer srv.Close()
			c, waits := newTestClient(t, srv.URL+"/fhir", Options{})
			if _, err := c.Find(context.Background(), Identifier{SystemSNILS, "11223344595"}); err != nil {
				t.Fatalf("Find() = %v", err)
			}
			w := waits.recorded()
			if len(w) != 1 || w[0] < tt.minWait || w[0] > DefaultBackoffCap {
				t.Errorf("waits after Retry-After: %s = %v, want one within [%v, %v]", tt.header, w, tt.minWait, DefaultBackoffCap)
			}
		})
	}
}

// silentListener accepts connections and never answers on them.
func silentListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return "http://" + ln.Addr().String() + "/fhir"
}

// closedPort returns the URL of a port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/fhir"
}

// hanging returns the URL of a server whose handler never answers.
func hanging(t *testing.T) string {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: a handler still waiting returns
	return srv.URL + "/fhir"
}

func TestFindUnreachable(t *testing.T) {
	const limit = 300 * time.Millisecond
	tests := []struct {
		name    string
		base    func(*testing.T) string
		waits   int
		timeout bool // wraps context.DeadlineExceeded
	}{
		{"connection refused", closedPort, 2, false},
		{"server never answers", hanging, 0, true},
		{"listener never speaks HTTP", silentListener, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, waits := newTestClient(t, tt.base(t), Options{Timeout: limit, Retries: 2})
			start := time.Now()
			_, err := c.Find(context.Background(), Identifier{SystemEEPersonalCode, "46003150224"})
			elapsed := time.Since(start)
			if !errors.Is(err, ErrUnreachable) || errors.Is(err, ErrBadResponse) {
				t.Fatalf("Find() = %v, want ErrUnreachable", err)
			}
			if got := errors.Is(err, context.DeadlineExceeded); got != tt.timeout {
				t.Errorf("errors.Is(Find() = %v, context.DeadlineExceeded) = %v, want %v", err, got, tt.timeout)
			}
			if elapsed > limit+time.Second {
				t.Errorf("Find() took %v, want about the %v limit", elapsed, limit)
			}
			if w := waits.recorded(); len(w) != tt.waits {
				t.Errorf("Find() waited %v, want %d waits", w, tt.waits)
			}
			t.Logf("Find() = %v after %v", err, elapsed)
		})
	}
}

func TestFindCancelled(t *testing.T) {
	c, _ := newTestClient(t, hanging(t), Options{Timeout: 10 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Find(ctx, Identifier{SystemEEPersonalCode, "46003150224"})
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnreachable) {
		t.Errorf("Find(cancelled) = %v, want context.Canceled and not ErrUnreachable", err)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("Find(cancelled) took %v, want it to return promptly", elapsed)
	}
}

func TestWaitInterrupted(t *testing.T) {
	// The real sleeper: a wait that would pass the deadline is not begun, and a wait
	// under way ends when the caller cancels.
	tests := []struct {
		name    string
		o       Options
		cancel  time.Duration // cancel the caller's context after this long; 0: never
		wantErr error
		notErr  error
	}{
		{"deadline", Options{Timeout: 200 * time.Millisecond, BackoffBase: time.Second, BackoffCap: time.Second}, 0, ErrUnreachable, nil},
		{"cancelled", Options{Timeout: 30 * time.Second, BackoffBase: 10 * time.Second, BackoffCap: 10 * time.Second}, 100 * time.Millisecond, context.Canceled, ErrUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(status(503))
			defer srv.Close()
			tt.o.Rand = rand.New(rand.NewPCG(3, 4))
			c, err := NewClient(srv.URL+"/fhir", tt.o)
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseIdleConnections()
			ctx := context.Background()
			if tt.cancel > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				time.AfterFunc(tt.cancel, cancel)
			}
			start := time.Now()
			err = c.Ping(ctx)
			if !errors.Is(err, tt.wantErr) || (tt.notErr != nil && errors.Is(err, tt.notErr)) || !strings.Contains(err.Error(), "503") {
				t.Errorf("Ping() = %v, want %v naming the 503", err, tt.wantErr)
			}
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("Ping() took %v, want it to return promptly", elapsed)
			}
			t.Logf("Ping() = %v", err)
		})
	}
}

// huge serves a 50 MB body of spaces (JSON whitespace) from one small buffer, with or
// without announcing its length, and stops when the client goes away.
func huge(announce bool) http.HandlerFunc {
	const size = 50 << 20
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", mediaFHIRJSON)
		if announce {
			w.Header().Set("Content-Length", strconv.Itoa(size))
		}
		chunk := []byte(strings.Repeat(" ", 32<<10))
		for sent := 0; sent < size; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

func TestBodyTooLarge(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		problem string
	}{
		{"announced", huge(true), "body of 52428800 bytes is over the limit of 4194304 bytes"},
		{"streamed", huge(false), "body is over the limit of 4194304 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c, waits := newTestClient(t, srv.URL+"/fhir", Options{})
			start := time.Now()
			_, err := c.Find(context.Background(), Identifier{SystemEEPersonalCode, "46003150224"})
			var bad *BadResponseError
			if !errors.As(err, &bad) || !strings.Contains(bad.Problem, tt.problem) {
				t.Fatalf("Find() = %v, want a bad response with %q", err, tt.problem)
			}
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("Find() took %v to refuse a 50 MB body, want it quick", elapsed)
			}
			if w := waits.recorded(); len(w) != 0 {
				t.Errorf("Find() waited %v, want no retry", w)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request reached the other host: %s", r.URL)
		serveFHIR(w, http.StatusOK, capability)
	}))
	defer other.Close()
	elsewhere := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		problem string // "" when Ping must succeed
	}{
		{"same origin", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/fhir/metadata" {
				http.Redirect(w, r, "/fhir/r4/metadata", http.StatusMovedPermanently)
				return
			}
			serveFHIR(w, http.StatusOK, capability)
		}, ""},
		{"another host", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere+"/fhir/metadata", http.StatusFound)
		}, "redirected to http://localhost:"},
		{"another port", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/fhir/metadata", http.StatusTemporaryRedirect)
		}, "redirected to http://127.0.0.1:"},
		{"endless", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
		}, "more than 5 redirects"},
		{"without location", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusMultipleChoices)
		}, "HTTP 300 Multiple Choices"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c, waits := newTestClient(t, srv.URL+"/fhir", Options{})
			err := c.Ping(context.Background())
			if tt.problem == "" {
				if err != nil {
					t.Errorf("Ping() = %v, want nil", err)
				}
				return
			}
			var bad *BadResponseError
			if !errors.As(err, &bad) || !strings.Contains(bad.Problem, tt.problem) || !strings.HasSuffix(bad.URL, "/fhir/metadata") {
				t.Errorf("Ping() = %v, want a bad response from /fhir/metadata with %q", err, tt.problem)
			}
			if w := waits.recorded(); len(w) != 0 {
				t.Errorf("Ping() waited %v, want no retry", w)
			}
		})
	}
}

func TestBackoffCeiling(t *testing.T) {
	tests := []struct {
		n    int
		want time.Duration
	}{
		{0, 200 * time.Millisecond},
		{1, 400 * time.Millisecond},
		{2, 800 * time.Millisecond},
		{3, 1600 * time.Millisecond},
		{4, 3 * time.Second},
		{100, 3 * time.Second},
	}
	for _, tt := range tests {
		if got := backoffCeiling(DefaultBackoffBase, DefaultBackoffCap, tt.n); got != tt.want {
			t.Errorf("backoffCeiling(200ms, 3s, %d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestJitter(t *testing.T) {
	for _, r := range []*rand.Rand{nil, rand.New(rand.NewPCG(5, 6))} {
		c, err := NewClient("http://127.0.0.1:1/fhir", Options{Rand: r})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[time.Duration]bool{}
		var sum time.Duration
		const draws = 2000
		for range draws {
			d := c.backoff(4)
			if d < 0 || d > DefaultBackoffCap {
				t.Fatalf("backoff(4) = %v, want within [0, %v]", d, DefaultBackoffCap)
			}
			seen[d] = true
			sum += d
		}
		// Full jitter: spread over the whole range, centred on its middle.
		if mean := sum / draws; len(seen) < draws/2 || mean < 1200*time.Millisecond || mean > 1800*time.Millisecond {
			t.Errorf("backoff(4) over %d draws: %d distinct, mean %v, want most distinct and mean near 1.5s", draws, len(seen), mean)
		}
	}
}

func TestDisplayURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://h/fhir/Patient?identifier=urn%3Aee%3Apersonal-code%7C46003150224", "http://h/fhir/Patient?identifier=urn:ee:personal-code|***"},
		{"http://h/fhir/Patient?identifier=46003150224&_count=5", "http://h/fhir/Patient?identifier=***&_count=5"},
		{"https://u:p@h:8443/fhir/Condition?subject=Patient%2F1#x", "https://h:8443/fhir/Condition?subject=Patient/1"},
		{"http://h/fhir/metadata", "http://h/fhir/metadata"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := displayURL(u); got != tt.want {
			t.Errorf("displayURL(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"http://h/fhir", "http://h:80/other", true},
		{"https://H.example/fhir", "https://h.example:443/x", true},
		{"https://h/fhir", "http://h/fhir", false},
		{"http://h:8080/fhir", "http://h:8081/fhir", false},
		{"http://h/fhir", "http://h.evil/fhir", false},
	}
	for _, tt := range tests {
		a, _ := url.Parse(tt.a)
		b, _ := url.Parse(tt.b)
		if got := sameOrigin(a, b); got != tt.want {
			t.Errorf("sameOrigin(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
