package usbprint_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
	"certkiosk/drivers/usbprint"
	"certkiosk/drivers/usbprint/usbprinttest"
)

const hpID = "MFG:HP;MDL:HP LaserJet Pro M404dn;CMD:PJL,PCL,PCLXL,PDF,POSTSCRIPT,PWG,URF;CLS:PRINTER;DES:HP LaserJet Pro M404dn;"

func hp() *usbprinttest.Printer {
	return usbprinttest.New(usbprinttest.Config{
		VID: 0x03f0, PID: 0xc42a, Serial: "PHBQB12345", DeviceID: hpID, Bidirectional: true, IPPUSB: true,
	})
}

func testQuirks(t *testing.T) *usbprint.QuirkTable {
	t.Helper()
	f, err := os.Open("testdata/quirks.conf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	table, err := usbprint.ParseQuirks(f)
	if err != nil {
		t.Fatal(err)
	}
	return &table
}

func open(t *testing.T, bus usb.Bus, m usb.Match, opts usbprint.Options) *usbprint.Printer {
	t.Helper()
	p, err := usbprint.Open(context.Background(), bus, m, opts)
	if err != nil {
		t.Fatalf("Open(%v) error = %v", m, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestPrinterRequests(t *testing.T) {
	ctx := context.Background()
	fake := hp()
	bus := usbtest.NewBus(fake.Device)
	p := open(t, bus, usb.Match{VID: 0x03f0, PID: 0xc42a}, usbprint.Options{})
	if !p.Bidirectional() || p.Interface().Setting.Number != 0 {
		t.Errorf("chose %v bidirectional %v, want interface 0, bidirectional", p.Interface().Setting, p.Bidirectional())
	}
	if got := fake.Claimed(); len(got) != 1 || got[0] != 0 {
		t.Errorf("claimed %v, want [0]", got)
	}
	id, err := p.DeviceID(ctx)
	if err != nil || id.Model() != "HP LaserJet Pro M404dn" || !id.Supports("PDF") {
		t.Errorf("DeviceID() = %v, %v", id, err)
	}
	st, err := p.PortStatus(ctx)
	if err != nil || !st.OK() {
		t.Errorf("PortStatus() = %v, %v, want ok", st, err)
	}
	fake.SetStatus(usbprinttest.PaperEmpty)
	if st, err := p.PortStatus(ctx); err != nil || !st.PaperEmpty() {
		t.Errorf("PortStatus() = %v, %v, want paper-empty", st, err)
	}
	if err := p.SoftReset(ctx); err != nil || fake.Resets() != 1 {
		t.Errorf("SoftReset() = %v, resets %d", err, fake.Resets())
	}
	if err := p.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
	if got := fake.Claimed(); len(got) != 0 {
		t.Errorf("claimed %v after Close, want none", got)
	}
}

func TestWriteInChunks(t *testing.T) {
	ctx := context.Background()
	fake := hp()
	p := open(t, usbtest.NewBus(fake.Device), usb.Match{VID: 0x03f0}, usbprint.Options{ChunkSize: 1000})
	doc := bytes.Repeat([]byte("0123456789"), 250)
	n, err := p.Write(ctx, doc)
	if n != len(doc) || err != nil {
		t.Fatalf("Write() = %d, %v", n, err)
	}
	if !bytes.Equal(fake.Received(), doc) {
		t.Errorf("printer received %d bytes, want the %d sent", len(fake.Received()), len(doc))
	}
	var sizes []int
	for _, tr := range fake.Transfers() {
		if tr.Kind == usbtest.OutStep {
			sizes = append(sizes, len(tr.Data))
		}
	}
	if len(sizes) != 3 || sizes[0] != 1000 || sizes[2] != 500 {
		t.Errorf("transfers of %v bytes, want 1000, 1000, 500", sizes)
	}
}

func TestWriteUnplugged(t *testing.T) {
	ctx := context.Background()
	fake := hp()
	p := open(t, usbtest.NewBus(fake.Device), usb.Match{VID: 0x03f0}, usbprint.Options{ChunkSize: 4096})
	fake.Endpoint(usbprinttest.OutEndpoint).FailAfter(5000, usbtest.Unplug)
	n, err := p.Write(ctx, make([]byte, 20000))
	if n != 5000 || !errors.Is(err, usb.ErrDisconnected) {
		t.Fatalf("Write() with the cable pulled = %d, %v, want 5000, ErrDisconnected", n, err)
	}
	if want := "usbprint: sent 5000 of 20000 bytes: usb: write 03f0:c42a/PHBQB12345 endpoint 0x01: device disconnected"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if _, err := p.PortStatus(ctx); !errors.Is(err, usb.ErrDisconnected) {
		t.Errorf("PortStatus() after unplug error = %v, want ErrDisconnected", err)
	}
}

func TestWriteCancelled(t *testing.T) {
	fake := hp()
	p := open(t, usbtest.NewBus(fake.Device), usb.Match{VID: 0x03f0}, usbprint.Options{ChunkSize: 4096})
	// The printer's buffer is full after 6000 bytes: it stops taking data.
	fake.Endpoint(usbprinttest.OutEndpoint).FailAfter(6000, usbtest.Hang)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	n, err := p.Write(ctx, make([]byte, 20000))
	if n != 6000 || !errors.Is(err, context.Canceled) {
		t.Errorf("Write() cancelled = %d, %v, want 6000, context.Canceled", n, err)
	}
	if _, err := p.Write(ctx, []byte("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("Write() with a done context error = %v, want context.Canceled", err)
	}
}

func TestBackChannel(t *testing.T) {
	ctx := context.Background()
	fake := hp()
	p := open(t, usbtest.NewBus(fake.Device), usb.Match{VID: 0x03f0}, usbprint.Options{})
	fake.Endpoint(usbprinttest.InEndpoint).Queue([]byte("@PJL INFO STATUS\r\nCODE=10001\r\n\f"))
	buf := make([]byte, 512)
	n, err := p.Read(ctx, buf)
	if err != nil || !bytes.HasPrefix(buf[:n], []byte("@PJL INFO STATUS")) {
		t.Errorf("Read() = %q, %v", buf[:n], err)
	}
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if _, err := p.Read(short, buf); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Read() with nothing to read error = %v, want DeadlineExceeded", err)
	}

	uni := usbprinttest.New(usbprinttest.Config{VID: 0x1234, PID: 0x0001, DeviceID: "MFG:X;MDL:Y;"})
	q := open(t, usbtest.NewBus(uni.Device), usb.Match{VID: 0x1234}, usbprint.Options{})
	if _, err := q.Read(ctx, buf); !errors.Is(err, usbprint.ErrUnidirectional) {
		t.Errorf("Read() on a unidirectional printer error = %v, want ErrUnidirectional", err)
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	bus := usbtest.NewBus(usbtest.NewDevice(usb.DeviceInfo{VID: 0x046d, PID: 0xc31c, Interfaces: []usb.InterfaceInfo{{Config: 1, Class: usb.ClassHID}}}))
	if _, err := usbprint.Open(ctx, bus, usb.Match{VID: 0x03f0}, usbprint.Options{}); !errors.Is(err, usb.ErrNotFound) {
		t.Errorf("Open(absent) error = %v, want usb.ErrNotFound", err)
	}
	if _, err := usbprint.Open(ctx, bus, usb.Match{VID: 0x046d}, usbprint.Options{}); !errors.Is(err, usbprint.ErrNotPrinter) {
		t.Errorf("Open(keyboard) error = %v, want ErrNotPrinter", err)
	}
	fake := hp()
	bus.Plug(fake.Device)
	first := open(t, bus, usb.Match{VID: 0x03f0}, usbprint.Options{})
	if _, err := usbprint.Open(ctx, bus, usb.Match{VID: 0x03f0}, usbprint.Options{}); !errors.Is(err, usb.ErrBusy) {
		t.Errorf("Open() while another holds the printer error = %v, want usb.ErrBusy", err)
	}
	first.Close()
	if fake.Opens() != 2 {
		t.Errorf("Opens() = %d, want 2", fake.Opens())
	}
	p := open(t, bus, usb.Match{VID: 0x03f0}, usbprint.Options{})
	if _, ok := p.Quirk(); ok {
		t.Errorf("Quirk() found one for a model without")
	}
}

// The quirks of testdata/quirks.conf, each against a fake with the symptom.

func TestQuirkDelayAfterClaim(t *testing.T) {
	ctx := context.Background()
	fake := usbprinttest.New(usbprinttest.Config{VID: 0x1234, PID: 0x0002, DeviceID: "MFG:Test;MDL:Slow;CMD:PDF;"})
	// The symptom: requests before the delay are stalled.
	awake := false
	var slept []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { slept = append(slept, d); awake = true; return nil }
	bus := usbtest.NewBus(fake.Device)
	fake.HandleControl(func(c context.Context, s usb.Setup, data []byte) (int, error) {
		if !awake {
			return 0, usb.ErrStall
		}
		return copy(data, usbprinttest.EncodeDeviceID("MFG:Test;MDL:Slow;CMD:PDF;")), nil
	})
	p := open(t, bus, usb.Match{VID: 0x1234, PID: 0x0002}, usbprint.Options{Quirks: testQuirks(t), Sleep: sleep})
	if len(slept) != 1 || slept[0] != 750*time.Millisecond {
		t.Errorf("slept %v after claim, want [750ms]", slept)
	}
	if q, ok := p.Quirk(); !ok || q.Model != "slow test printer" {
		t.Errorf("Quirk() = %+v, %v", q, ok)
	}
	if id, err := p.DeviceID(ctx); err != nil || id.Model() != "Slow" {
		t.Errorf("DeviceID() after the delay = %v, %v", id, err)
	}

	// Without the quirk the same printer stalls the first request.
	awake = false
	p.Close()
	q := open(t, bus, usb.Match{VID: 0x1234, PID: 0x0002}, usbprint.Options{Quirks: &usbprint.QuirkTable{}})
	if _, err := q.DeviceID(ctx); !errors.Is(err, usb.ErrStall) {
		t.Errorf("DeviceID() without the quirk error = %v, want ErrStall", err)
	}
}

func TestQuirkDelayCancelled(t *testing.T) {
	fake := usbprinttest.New(usbprinttest.Config{VID: 0x1234, PID: 0x0002, DeviceID: "MFG:Test;MDL:Slow;"})
	bus := usbtest.NewBus(fake.Device)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := usbprint.Open(ctx, bus, usb.Match{VID: 0x1234}, usbprint.Options{Quirks: testQuirks(t)})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Open() cancelled during the delay error = %v, want DeadlineExceeded", err)
	}
	if got := fake.Claimed(); len(got) != 0 {
		t.Errorf("claimed %v after a failed Open, want none", got)
	}
}

func TestQuirkUnidirectional(t *testing.T) {
	ctx := context.Background()
	fake := usbprinttest.New(usbprinttest.Config{VID: 0x1234, PID: 0x0003, DeviceID: "MFG:Test;MDL:One way;CMD:PDF;", Bidirectional: true})
	fake.Endpoint(usbprinttest.InEndpoint).Handle(func(context.Context, []byte) (int, error) {
		t.Error("the back channel was read despite the quirk")
		return 0, usb.ErrStall
	})
	p := open(t, usbtest.NewBus(fake.Device), usb.Match{VID: 0x1234}, usbprint.Options{Quirks: testQuirks(t)})
	if p.Bidirectional() {
		t.Errorf("Bidirectional() = true despite the quirk")
	}
	if _, err := p.Read(ctx, make([]byte, 8)); !errors.Is(err, usbprint.ErrUnidirectional) {
		t.Errorf("Read() error = %v, want ErrUnidirectional", err)
	}
}

func TestQuirkVendorClass(t *testing.T) {
	info := usbprinttest.Descriptors(usbprinttest.Config{VID: 0x1234, PID: 0x0004})
	info.Interfaces[0].Class = usb.ClassVendor
	fake := usbtest.NewDevice(info)
	bus := usbtest.NewBus(fake)
	if _, err := usbprint.Open(context.Background(), bus, usb.Match{VID: 0x1234}, usbprint.Options{Quirks: &usbprint.QuirkTable{}}); !errors.Is(err, usbprint.ErrNotPrinter) {
		t.Fatalf("Open() without the quirk error = %v, want ErrNotPrinter", err)
	}
	p := open(t, bus, usb.Match{VID: 0x1234}, usbprint.Options{Quirks: testQuirks(t)})
	if p.Interface().Setting.Class != usb.ClassVendor {
		t.Errorf("chose %v", p.Interface().Setting)
	}
}

func TestQuirkSwappedLength(t *testing.T) {
	ctx := context.Background()
	fake := usbprinttest.New(usbprinttest.Config{VID: 0x04f9, PID: 0xffe1})
	// A length of 0x0102 sent little-endian reads as 0x0201 the right way round.
	id := "MFG:Brother;CMD:PJL,PCL,PCLXL,URF;MDL:HL-L2350DW series;CLS:PRINTER;CID:Brother Laser Type1;URF:W8,CP1,IS4-1,MT1-3-4-5-8,OB10,PQ4,RS300-600,V1.4,DM1;DES:Brother HL-L2350DW series with a description that makes this ID longer than 256 bytes;"
	n := len(id) + 2
	fake.SetDeviceIDAnswer(append([]byte{byte(n), byte(n >> 8)}, id...))
	bus := usbtest.NewBus(fake.Device)
	for _, table := range []*usbprint.QuirkTable{testQuirks(t), {}} {
		p := open(t, bus, usb.Match{VID: 0x04f9}, usbprint.Options{Quirks: table})
		got, err := p.DeviceID(ctx)
		if err != nil || got.Model() != "HL-L2350DW series" || got.Description() == "" {
			t.Errorf("DeviceID() = %v, %v", got, err)
		}
		p.Close()
	}
}
