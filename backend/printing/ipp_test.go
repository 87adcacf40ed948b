package printing

// Tests against a real IPP printer: ippeveprinter, started per test by printingtest.

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"certkiosk/backend/printing/printingtest"
	"github.com/OpenPrinting/goipp"
)

// testPDF returns the one-page PDF in testdata.
func testPDF(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "hello.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// largePDF returns n bytes that begin like a PDF and go on with fixed pseudo-random
// bytes: every byte value, in a body larger than any buffer on the way.
func largePDF(n int) []byte {
	rng := rand.New(rand.NewPCG(8010, 8011))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	copy(b, "%PDF-1.7\n")
	return b
}

func newTestIPP(t testing.TB, uri string) *IPP {
	t.Helper()
	p, err := NewIPP(uri, Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("NewIPP(%q) = %v", uri, err)
	}
	t.Cleanup(p.CloseIdleConnections)
	return p
}

// within returns a context that ends after d, for one step of a test.
func within(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// waitState polls Status until it reports want, for at most 15 s.
func waitState(t *testing.T, p Printer, want State) Status {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		st, err := p.Status(within(t, 5*time.Second))
		if err == nil && st.State == want {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("Status() = %+v, %v; want state %s within 15 s", st, err, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func followFast(t *testing.T, p Printer, ref JobRef) JobStatus {
	t.Helper()
	st, err := FollowJob(within(t, 20*time.Second), p, ref, FollowOptions{Interval: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("FollowJob(%+v) = %+v, %v", ref, st, err)
	}
	return st
}

// TestIPPPrint prints each document on ippeveprinter, follows it to completion,
// compares the spooled file with what was sent, and finds the job again by its key.
func TestIPPPrint(t *testing.T) {
	e := printingtest.StartIPPEve(t, printingtest.Options{})
	p := newTestIPP(t, e.URI)
	// The client streams documents from memory: nothing lands in a temporary folder.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Cleanup(func() {
		if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
			t.Errorf("the temporary folder holds %d entries after printing, want none", len(entries))
		}
	})

	a, err := p.Attributes(within(t, 5*time.Second))
	if err != nil {
		t.Fatalf("Attributes() = %v", err)
	}
	if a.State != StateReady || !a.AcceptingJobs || a.PrinterState != printerIdle || !a.SupportsPDF() {
		t.Errorf("Attributes() = %+v, want ready, idle, accepting jobs, application/pdf supported", a)
	}

	tests := []struct {
		key string
		pdf []byte
	}{
		{"cert-0001_A", testPDF(t)},
		{"cert-0002-large", largePDF(3<<20 + 17)},
	}
	refs := map[string]JobRef{}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			doc := Document{Key: tt.key, PDF: tt.pdf}
			if err := p.Validate(within(t, 5*time.Second), doc); err != nil {
				t.Fatalf("Validate(%s) = %v", tt.key, err)
			}
			ref, err := p.Print(within(t, 10*time.Second), doc)
			if err != nil {
				t.Fatalf("Print(%s) = %v", tt.key, err)
			}
			if ref.ID <= 0 || ref.URI == "" || ref.Key != tt.key {
				t.Errorf("Print(%s) = %+v, want a job id, URI and the key", tt.key, ref)
			}
			if st := followFast(t, p, ref); st.State != JobCompleted {
				t.Fatalf("job %d ended %+v, want completed", ref.ID, st)
			}
			refs[tt.key] = ref

			var spooled *printingtest.Spooled
			for _, s := range e.Spooled(t) {
				if s.JobID == ref.ID {
					spooled = &s
				}
			}
			if spooled == nil {
				t.Fatalf("no spooled file for job %d in %v", ref.ID, e.Spooled(t))
			}
			if spooled.Name != printingtest.SpoolName(tt.key) {
				t.Errorf("spooled as %q, want %q", spooled.Name, printingtest.SpoolName(tt.key))
			}
			got, err := os.ReadFile(spooled.Path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.pdf) {
				t.Errorf("spooled file = %d bytes, want the %d bytes sent, identical", len(got), len(tt.pdf))
			}
		})
	}

	// After the fact, Get-Jobs finds each job by its name, completed.
	for key, want := range refs {
		ref, st, found, err := p.FindJob(within(t, 5*time.Second), key)
		if err != nil || !found || ref.ID != want.ID || st.State != JobCompleted {
			t.Errorf("FindJob(%s) = %+v, %+v, %v, %v; want job %d completed", key, ref, st, found, err, want.ID)
		}
	}
	if ref, _, found, err := p.FindJob(within(t, 5*time.Second), "never-printed"); err != nil || found {
		t.Errorf("FindJob(never-printed) = %+v, %v, %v; want not found", ref, found, err)
	}
	if st := waitState(t, p, StateReady); len(st.Reasons) != 0 {
		t.Errorf("Status() after printing = %+v, want no reasons", st)
	}
}

// TestIPPRejectsFormat asks a printer that does not take PDF: Validate-Job and
// Print-Job are both refused with ErrRejected, and nothing is spooled.
func TestIPPRejectsFormat(t *testing.T) {
	e := printingtest.StartIPPEve(t, printingtest.Options{Formats: "image/pwg-raster"})
	p := newTestIPP(t, e.URI)
	doc := Document{Key: "cert-0003", PDF: testPDF(t)}
	a, err := p.Attributes(within(t, 5*time.Second))
	if err != nil || a.SupportsPDF() {
		t.Errorf("Attributes() = %+v, %v; want PDF not supported", a, err)
	}
	err = p.Validate(within(t, 5*time.Second), doc)
	var se *StatusError
	// RFC 8011 §4.1.7 allows either status; ippeveprinter answers the second.
	if !errors.Is(err, ErrRejected) || !errors.As(err, &se) ||
		se.Status != goipp.StatusErrorDocumentFormatNotSupported && se.Status != goipp.StatusErrorAttributesOrValues {
		t.Errorf("Validate() = %v, want ErrRejected for the document format", err)
	}
	if _, err := p.Print(within(t, 5*time.Second), doc); !errors.Is(err, ErrRejected) || errors.Is(err, ErrUnavailable) {
		t.Errorf("Print() = %v, want ErrRejected only", err)
	}
	if s := e.Spooled(t); len(s) != 0 {
		t.Errorf("spool holds %v after refused jobs, want nothing", s)
	}
}

// TestIPPOutOfPaper runs out of paper in the middle of a job: Status shows
// media-empty and the job stays unfinished; once paper is loaded the job completes
// by itself and Status returns to ready.
func TestIPPOutOfPaper(t *testing.T) {
	e := printingtest.StartIPPEve(t, printingtest.Options{Command: printingtest.OutOfPaperUntil("paper")})
	p := newTestIPP(t, e.URI)
	pdf := testPDF(t)
	ref, err := p.Print(within(t, 10*time.Second), Document{Key: "cert-0004", PDF: pdf})
	if err != nil {
		t.Fatalf("Print() = %v", err)
	}
	st := waitState(t, p, StateMediaEmpty)
	if st.CanPrint() {
		t.Errorf("%+v.CanPrint() = true, want false", st)
	}
	if want := []string{"media-empty-warning", "media-needed-warning"}; !equalStrings(st.Reasons, want) {
		t.Errorf("Status().Reasons = %q, want %q", st.Reasons, want)
	}
	for range 3 {
		js, err := p.Job(within(t, 5*time.Second), ref)
		if err != nil || js.Done() {
			t.Fatalf("Job(%d) while out of paper = %+v, %v; want not done", ref.ID, js, err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	e.Release(t, "paper") // staff loads paper; nobody touches the job
	if js := followFast(t, p, ref); js.State != JobCompleted {
		t.Fatalf("job after paper was loaded = %+v, want completed", js)
	}
	waitState(t, p, StateReady)
	if s := e.Spooled(t); len(s) != 1 {
		t.Errorf("spool = %v, want the one job", s)
	}
}

// TestIPPBusy sends a second job while the first prints: ippeveprinter takes one job
// at a time and answers server-error-busy, which is ErrUnavailable.
func TestIPPBusy(t *testing.T) {
	e := printingtest.StartIPPEve(t, printingtest.Options{Command: printingtest.HoldUntil("done")})
	p := newTestIPP(t, e.URI)
	pdf := testPDF(t)
	first, err := p.Print(within(t, 10*time.Second), Document{Key: "cert-0005", PDF: pdf})
	if err != nil {
		t.Fatalf("Print(first) = %v", err)
	}
	waitState(t, p, StatePrinting)
	_, err = p.Print(within(t, 10*time.Second), Document{Key: "cert-0006", PDF: pdf})
	var se *StatusError
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, ErrBusy) || !errors.As(err, &se) || se.Status != goipp.StatusErrorBusy {
		t.Fatalf("Print(second) = %v, want ErrUnavailable with server-error-busy", err)
	}
	if errors.Is(err, ErrRejected) {
		t.Errorf("Print(second) = %v, which also matches ErrRejected", err)
	}
	e.Release(t, "done")
	if js := followFast(t, p, first); js.State != JobCompleted {
		t.Errorf("first job = %+v, want completed", js)
	}
	if _, _, found, err := p.FindJob(within(t, 5*time.Second), "cert-0006"); found || err != nil {
		t.Errorf("FindJob(refused job) = %v, %v; want not found", found, err)
	}
}

// TestIPPJobNotFound asks for a job the printer never had.
func TestIPPJobNotFound(t *testing.T) {
	e := printingtest.StartIPPEve(t, printingtest.Options{})
	p := newTestIPP(t, e.URI)
	if _, err := p.Job(within(t, 5*time.Second), JobRef{ID: 4242}); !errors.Is(err, ErrJobNotFound) {
		t.Errorf("Job(4242) = %v, want ErrJobNotFound", err)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
