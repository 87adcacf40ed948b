package printing

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
	"certkiosk/drivers/usbprint"
	"certkiosk/drivers/usbprint/usbprinttest"
)

const usbHPID = "MFG:HP;MDL:HP LaserJet Pro M404dn;CMD:PJL,PCL,PCLXL,PDF,POSTSCRIPT,PWG,URF;CLS:PRINTER;DES:HP LaserJet Pro M404dn;"

var usbTestTime = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func usbPDF(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/usb/page.pdf")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// usbHP returns a fake HP-shaped printer on a bus, and the Printer for it.
func usbHP(t *testing.T) (*usbprinttest.Printer, *usbtest.Bus, *USB) {
	t.Helper()
	fake := usbprinttest.New(usbprinttest.Config{VID: 0x03f0, PID: 0xc42a, Serial: "PHBQB12345", DeviceID: usbHPID, Bidirectional: true, IPPUSB: true})
	bus := usbtest.NewBus(fake.Device)
	p, err := OpenUSBURI(context.Background(), bus, "usb://03f0:c42a/PHBQB12345", USBClock(func() time.Time { return usbTestTime }))
	if err != nil {
		t.Fatal(err)
	}
	return fake, bus, p.(*USB)
}

// usbReplay returns a Printer for a fake printer playing a recording.
func usbReplay(t *testing.T, file string, vid, pid usb.ID) (*USB, *usbtest.Replayer) {
	t.Helper()
	rec, err := usbtest.ReadRecording(file)
	if err != nil {
		t.Fatal(err)
	}
	fake := usbprinttest.New(usbprinttest.Config{VID: vid, PID: pid, Bidirectional: true})
	r := fake.Replay(rec)
	p, err := OpenUSB(context.Background(), usbtest.NewBus(fake.Device), &url.URL{Scheme: "usb", Host: vid.String() + ":" + pid.String()})
	if err != nil {
		t.Fatal(err)
	}
	return p.(*USB), r
}

func TestParseUSBURI(t *testing.T) {
	tests := []struct {
		in   string
		want usb.Match
		uri  string
	}{
		{"usb://04f9:0042", usb.Match{VID: 0x04f9, PID: 0x0042}, "usb://04f9:0042"},
		{"USB://03F0:C42A/VNB3K12345", usb.Match{VID: 0x03f0, PID: 0xc42a, Serial: "VNB3K12345"}, "usb://03f0:c42a/VNB3K12345"},
		{"usb://0a5f:0080/29J%2012345", usb.Match{VID: 0x0a5f, PID: 0x0080, Serial: "29J 12345"}, "usb://0a5f:0080/29J%2012345"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m, err := ParseUSBURI(tt.in)
			if err != nil || m != tt.want {
				t.Fatalf("ParseUSBURI(%q) = %+v, %v, want %+v", tt.in, m, err, tt.want)
			}
			if got := usbURIString(m); got != tt.uri {
				t.Errorf("canonical URI = %q, want %q", got, tt.uri)
			}
		})
	}
	for _, in := range []string{"usb:04f9:0042", "usb://04f9", "usb://04f9:0042/", "usb://04f9:0042/a/b", "usb://04f9:0042?serial=1", "usb://HP/LaserJet", "ipp://04f9:0042", "usb://04f9:0042/%zz", "usb://0000:0001"} {
		if m, err := ParseUSBURI(in); !errors.Is(err, ErrBadURI) {
			t.Errorf("ParseUSBURI(%q) = %+v, %v, want ErrBadURI", in, m, err)
		}
	}
}

func TestOpenUSB(t *testing.T) {
	ctx := context.Background()
	bus := usbtest.NewBus()
	p, err := OpenUSB(ctx, bus, &url.URL{Scheme: "usb", Host: "03F0:C42A", Path: "/VNB3K/12"})
	if err == nil {
		t.Errorf("OpenUSB(serial with a slash) = %v, want an error", p.URI())
	}
	p, err = OpenUSB(ctx, bus, &url.URL{Scheme: "usb", Host: "03F0:C42A", Path: "/VNB 3K"})
	if err != nil || p.URI() != "usb://03f0:c42a/VNB%203K" {
		t.Errorf("OpenUSB() = %v, %v", p, err)
	}
	for _, u := range []*url.URL{nil, {Scheme: "ipp", Host: "03f0:c42a"}, {Scheme: "usb", Host: "hp"}, {Scheme: "usb", Host: "03f0:c42a", RawQuery: "x=1"}, {Scheme: "usb", Host: "03f0:c42a", Path: "/"}} {
		if _, err := OpenUSB(ctx, bus, u); !errors.Is(err, ErrBadURI) {
			t.Errorf("OpenUSB(%v) error = %v, want ErrBadURI", u, err)
		}
	}
}

func TestUSBPortState(t *testing.T) {
	tests := []struct {
		ps      usbprint.PortStatus
		state   State
		reasons []string
	}{
		{0x18, StateReady, nil},
		{0x38, StateMediaEmpty, []string{"paper-empty"}},
		{0x20, StateMediaEmpty, []string{"paper-empty", "not-selected", "error"}},
		{0x28, StateMediaEmpty, []string{"paper-empty", "not-selected"}},
		{0x08, StateOffline, []string{"not-selected"}},
		{0x00, StateOffline, []string{"not-selected", "error"}},
		{0x10, StateError, []string{"error"}},
	}
	for _, tt := range tests {
		state, reasons := portState(tt.ps)
		if state != tt.state || !slices.Equal(reasons, tt.reasons) {
			t.Errorf("portState(%v) = %v %q, want %v %q", tt.ps, state, reasons, tt.state, tt.reasons)
		}
	}
}

func TestUSBStatus(t *testing.T) {
	ctx := context.Background()
	fake, bus, p := usbHP(t)
	for _, tt := range []struct {
		ps    usbprint.PortStatus
		state State
	}{
		{usbprinttest.Ready, StateReady},
		{usbprinttest.PaperEmpty, StateMediaEmpty},
		{usbprinttest.Offline, StateOffline},
		{usbprinttest.Failed, StateError},
	} {
		fake.SetStatus(tt.ps)
		st, err := p.Status(ctx)
		if err != nil || st.State != tt.state || !st.CheckedAt.Equal(usbTestTime) {
			t.Errorf("Status() with port status %v = %+v, %v, want %v", tt.ps, st, err, tt.state)
		}
	}
	if got := fake.Claimed(); len(got) != 0 {
		t.Errorf("interfaces %v left claimed after Status", got)
	}

	fake.Unplug()
	st, err := p.Status(ctx)
	if !errors.Is(err, ErrUnavailable) || st.State != StateOffline || !slices.Equal(st.Reasons, []string{"not-connected"}) {
		t.Errorf("Status() unplugged = %+v, %v, want offline, not-connected, ErrUnavailable", st, err)
	}
	bus.Plug(fake.Device)
	if st, err := p.Status(ctx); err != nil || st.State != StateError {
		t.Errorf("Status() plugged in again = %+v, %v, want the printer's own state", st, err)
	}

	// Another program (CUPS's usb backend) holds the printer.
	other, err := usbprint.Open(ctx, bus, usb.Match{VID: 0x03f0}, usbprint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	st, err = p.Status(ctx)
	if !errors.Is(err, ErrUnavailable) || st.State != StateOffline || !slices.Equal(st.Reasons, []string{"in-use-by-another-program"}) {
		t.Errorf("Status() while claimed elsewhere = %+v, %v", st, err)
	}
}

func TestUSBPrintRecorded(t *testing.T) {
	ctx := context.Background()
	pdf := usbPDF(t)
	p, r := usbReplay(t, "testdata/usb/print-pjl-pdf.usb", 0x03f0, 0xc42a)
	ref, err := p.Print(ctx, Document{Key: "cert-0001", PDF: pdf})
	if err != nil {
		t.Fatalf("Print() error = %v", err)
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	if ref.ID != 1 || !strings.HasPrefix(ref.URI, "usb://03f0:c42a#job-") {
		t.Errorf("Print() = %+v", ref)
	}
	if _, _, found, err := p.FindJob(ctx, "cert-0001"); found || !errors.Is(err, ErrNoJobHistory) {
		t.Errorf("FindJob() = found %v, %v, want ErrNoJobHistory", found, err)
	}
}

func TestUSBPrintRawPDF(t *testing.T) {
	p, r := usbReplay(t, "testdata/usb/print-raw-pdf.usb", 0x1234, 0x0001)
	if _, err := p.Print(context.Background(), Document{Key: "cert-0002", PDF: usbPDF(t)}); err != nil {
		t.Fatalf("Print() error = %v", err)
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
}

func TestUSBRefusesWithoutPDF(t *testing.T) {
	p, r := usbReplay(t, "testdata/usb/refuse-pcl.usb", 0x04f9, 0xffe1)
	_, err := p.Print(context.Background(), Document{Key: "cert-0005", PDF: usbPDF(t)})
	if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), "PJL,PCL,PCLXL,URF") || !strings.Contains(err.Error(), "HL-L2350DW") {
		t.Errorf("Print() error = %v, want ErrRejected naming the command set and model", err)
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
}

func TestUSBPaperEmpty(t *testing.T) {
	p, r := usbReplay(t, "testdata/usb/paper-empty.usb", 0x03f0, 0xc42a)
	_, err := p.Print(context.Background(), Document{Key: "cert-0006", PDF: usbPDF(t)})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "media-empty") {
		t.Errorf("Print() error = %v, want ErrUnavailable, media-empty", err)
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
}

func TestUSBCutOffThenReset(t *testing.T) {
	ctx := context.Background()
	pdf := usbPDF(t)
	p, r := usbReplay(t, "testdata/usb/cut-off-then-reset.usb", 0x03f0, 0xc42a)
	_, err := p.Print(ctx, Document{Key: "cert-0003", PDF: pdf})
	var se *USBSendError
	header := len(pjlUEL + "@PJL JOB NAME=\"cert-0003\"\r\n@PJL ENTER LANGUAGE=PDF\r\n")
	if !errors.As(err, &se) || se.Sent != header+512 || se.Key != "cert-0003" {
		t.Fatalf("Print() cut off = %v, want a *USBSendError after %d bytes", err, header+512)
	}
	if errors.Is(err, ErrUnavailable) || !errors.Is(err, usb.ErrTimeout) {
		t.Errorf("Print() cut off = %v: must not be ErrUnavailable (it may have printed), must wrap usb.ErrTimeout", err)
	}
	if _, err := p.Print(ctx, Document{Key: "cert-0004", PDF: pdf}); err != nil {
		t.Fatalf("second Print() error = %v", err)
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
}

func TestUSBUnpluggedMidSend(t *testing.T) {
	ctx := context.Background()
	fake, bus, p := usbHP(t)
	pdf := usbPDF(t)
	fake.Endpoint(usbprinttest.OutEndpoint).FailAfter(300, usbtest.Unplug)
	_, err := p.Print(ctx, Document{Key: "cert-0007", PDF: pdf})
	var se *USBSendError
	if !errors.As(err, &se) || se.Sent != 300 || errors.Is(err, ErrUnavailable) || !errors.Is(err, usb.ErrDisconnected) {
		t.Fatalf("Print() unplugged mid-send = %v, want a *USBSendError after 300 bytes wrapping usb.ErrDisconnected", err)
	}
	if want := "cut off after 300 of"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	if !bytes.HasPrefix(fake.Received(), []byte(pjlUEL+"@PJL JOB NAME=\"cert-0007\"")) {
		t.Errorf("printer received %q, want the PJL header first", fake.Received()[:min(40, len(fake.Received()))])
	}
	// Not attached: nothing is sent, which is safe to retry.
	_, err = p.Print(ctx, Document{Key: "cert-0008", PDF: pdf})
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, usb.ErrNotFound) {
		t.Errorf("Print() while unplugged error = %v, want ErrUnavailable", err)
	}
	// Plugged in again: the printer is reset before the next job.
	bus.Plug(fake.Device)
	if _, err := p.Print(ctx, Document{Key: "cert-0009", PDF: pdf}); err != nil {
		t.Fatalf("Print() after replugging error = %v", err)
	}
	if fake.Resets() != 1 {
		t.Errorf("SOFT_RESET sent %d times, want once after the cut-off job", fake.Resets())
	}
	if !bytes.HasSuffix(fake.Received(), []byte(pjlUEL+"@PJL EOJ NAME=\"cert-0009\"\r\n"+pjlUEL)) {
		t.Errorf("the last job does not end with its EOJ")
	}
}

func TestUSBCancelledMidSend(t *testing.T) {
	fake, _, p := usbHP(t)
	fake.Endpoint(usbprinttest.OutEndpoint).FailAfter(200, usbtest.Hang)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error)
	go func() {
		_, err := p.Print(ctx, Document{Key: "cert-0010", PDF: usbPDF(t)})
		done <- err
	}()
	// While the data goes out, Status answers without asking the printer.
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := p.Status(context.Background())
		if err == nil && st.State == StatePrinting {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Status() during the send = %+v, %v, want printing", st, err)
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	err := <-done
	var se *USBSendError
	if !errors.As(err, &se) || se.Sent != 200 || !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnavailable) {
		t.Errorf("Print() cancelled = %v, want a *USBSendError after 200 bytes wrapping context.Canceled", err)
	}
}

func TestUSBJob(t *testing.T) {
	ctx := context.Background()
	fake, _, p := usbHP(t)
	if _, err := p.Job(ctx, JobRef{ID: 1, URI: "usb://03f0:c42a/PHBQB12345#job-x-1"}); !errors.Is(err, ErrJobNotFound) || !errors.Is(err, ErrNoJobHistory) {
		t.Errorf("Job(from another run) error = %v, want ErrJobNotFound and ErrNoJobHistory", err)
	}
	ref, err := p.Print(ctx, Document{Key: "cert-0011", PDF: usbPDF(t)})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := p.Job(ctx, ref); err != nil || st.State != JobCompleted || !st.Done() {
		t.Errorf("Job() = %+v, %v, want completed", st, err)
	}
	fake.SetStatus(usbprinttest.PaperEmpty)
	if st, err := p.Job(ctx, ref); err != nil || st.State != JobStopped || !slices.Contains(st.Reasons, "paper-empty") {
		t.Errorf("Job() out of paper = %+v, %v, want stopped, paper-empty", st, err)
	}
	fake.Unplug()
	if st, err := p.Job(ctx, ref); err != nil || st.State != JobStopped || !slices.Equal(st.Reasons, []string{"printer-not-connected"}) {
		t.Errorf("Job() unplugged = %+v, %v, want stopped, printer-not-connected", st, err)
	}
	if _, err := p.Job(ctx, JobRef{ID: 2, URI: ref.URI}); !errors.Is(err, ErrJobNotFound) {
		t.Errorf("Job(id not sent) error = %v, want ErrJobNotFound", err)
	}
}

func TestUSBRefusesBadDocuments(t *testing.T) {
	fake, _, p := usbHP(t)
	for _, doc := range []Document{{Key: "a b", PDF: []byte("%PDF-1.4")}, {Key: "cert", PDF: []byte("PK\x03\x04")}, {Key: strings.Repeat("k", 65), PDF: []byte("%PDF-1.4")}} {
		if _, err := p.Print(context.Background(), doc); !errors.Is(err, ErrRejected) {
			t.Errorf("Print(key %q) error = %v, want ErrRejected", doc.Key, err)
		}
	}
	if fake.Opens() != 0 {
		t.Errorf("the printer was opened %d times for documents refused beforehand", fake.Opens())
	}
}

func TestUSBPJLWrap(t *testing.T) {
	got := string(pjlWrap("cert-1", []byte("%PDF-1.4\n%%EOF\n")))
	want := "\x1b%-12345X@PJL JOB NAME=\"cert-1\"\r\n@PJL ENTER LANGUAGE=PDF\r\n%PDF-1.4\n%%EOF\n\x1b%-12345X@PJL EOJ NAME=\"cert-1\"\r\n\x1b%-12345X"
	if got != want {
		t.Errorf("pjlWrap() = %q, want %q", got, want)
	}
}
