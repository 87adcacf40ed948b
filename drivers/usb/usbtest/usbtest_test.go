package usbtest_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
)

// device returns a device with one vendor interface: bulk OUT 0x01, bulk IN 0x82.
func device() *usbtest.Device {
	return usbtest.NewDevice(usb.DeviceInfo{
		VID: 0x1234, PID: 0x5678, Serial: "S1",
		Interfaces: []usb.InterfaceInfo{{Config: 1, Class: usb.ClassVendor, Endpoints: []usb.EndpointInfo{
			{Address: 0x01, Type: usb.Bulk, MaxPacketSize: 512},
			{Address: 0x82, Type: usb.Bulk, MaxPacketSize: 512},
		}}},
	})
}

type conn struct {
	dev  usb.Device
	intf usb.Interface
	out  usb.Out
	in   usb.In
}

func open(t *testing.T, bus usb.Bus) conn {
	t.Helper()
	ctx := context.Background()
	dev, err := bus.Open(ctx, usb.Match{VID: 0x1234, PID: 0x5678})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dev.Close() })
	intf, err := dev.Claim(ctx, dev.Info().Interfaces[0])
	if err != nil {
		t.Fatal(err)
	}
	out, err := intf.Out(0x01)
	if err != nil {
		t.Fatal(err)
	}
	in, err := intf.In(0x82)
	if err != nil {
		t.Fatal(err)
	}
	return conn{dev, intf, out, in}
}

func TestOpenAndClaim(t *testing.T) {
	ctx := context.Background()
	d := device()
	bus := usbtest.NewBus(d)
	if _, err := bus.Open(ctx, usb.Match{VID: 0x1234, PID: 0x9999}); !errors.Is(err, usb.ErrNotFound) {
		t.Errorf("Open(other pid) error = %v, want ErrNotFound", err)
	}
	twin := device()
	bus.Plug(twin)
	if _, err := bus.Open(ctx, usb.Match{VID: 0x1234, PID: 0x5678}); !errors.Is(err, usb.ErrAmbiguous) {
		t.Errorf("Open() with two alike error = %v, want ErrAmbiguous", err)
	}
	bus.Unplug(twin)

	c := open(t, bus)
	other, err := bus.Open(ctx, usb.Match{Serial: "S1"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Claim(ctx, other.Info().Interfaces[0]); !errors.Is(err, usb.ErrBusy) {
		t.Errorf("second Claim() error = %v, want ErrBusy", err)
	}
	if _, err := other.Claim(ctx, usb.InterfaceInfo{Config: 1, Number: 3}); !errors.Is(err, usb.ErrNoInterface) {
		t.Errorf("Claim(interface 3) error = %v, want ErrNoInterface", err)
	}
	if _, err := c.intf.Out(0x82); !errors.Is(err, usb.ErrNoEndpoint) {
		t.Errorf("Out(0x82) error = %v, want ErrNoEndpoint", err)
	}
	if got := d.Claimed(); len(got) != 1 || got[0] != 0 {
		t.Errorf("Claimed() = %v, want [0]", got)
	}
	c.intf.Release()
	if _, err := c.out.Write(ctx, []byte{1}); !errors.Is(err, usb.ErrClosed) {
		t.Errorf("Write() after Release error = %v, want ErrClosed", err)
	}
	if _, err := other.Claim(ctx, other.Info().Interfaces[0]); err != nil {
		t.Errorf("Claim() after the first was released error = %v", err)
	}
	if d.Opens() != 2 {
		t.Errorf("Opens() = %d, want 2", d.Opens())
	}
}

func TestControlStallsByDefault(t *testing.T) {
	d := device()
	c := open(t, usbtest.NewBus(d))
	_, err := c.dev.Control(context.Background(), usb.Setup{RequestType: 0xc0, Request: 1}, make([]byte, 4))
	if !errors.Is(err, usb.ErrStall) {
		t.Errorf("Control() error = %v, want ErrStall", err)
	}
	d.HandleControl(func(_ context.Context, s usb.Setup, data []byte) (int, error) { return copy(data, "abc"), nil })
	buf := make([]byte, 8)
	if n, err := c.dev.Control(context.Background(), usb.Setup{RequestType: 0xc0, Request: 1}, buf); err != nil || string(buf[:n]) != "abc" {
		t.Errorf("Control() = %q, %v, want abc", buf[:n], err)
	}
	log := d.Transfers()
	if len(log) != 2 || log[0].Kind != usbtest.ControlStep || !errors.Is(log[0].Err, usb.ErrStall) || string(log[1].Data) != "abc" {
		t.Errorf("Transfers() = %+v", log)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		fault usbtest.Fault
		want  error
	}{
		{usbtest.Stall, usb.ErrStall},
		{usbtest.Timeout, usb.ErrTimeout},
		{usbtest.Unplug, usb.ErrDisconnected},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			ctx := context.Background()
			d := device()
			c := open(t, usbtest.NewBus(d))
			d.Endpoint(0x01).FailAfter(700, tt.fault)
			data := bytes.Repeat([]byte{0x55}, 512)
			if n, err := c.out.Write(ctx, data); n != 512 || err != nil {
				t.Fatalf("first Write() = %d, %v, want 512, nil", n, err)
			}
			n, err := c.out.Write(ctx, data)
			if n != 188 || !errors.Is(err, tt.want) {
				t.Errorf("second Write() = %d, %v, want 188, %v", n, err, tt.want)
			}
			if got := len(d.Endpoint(0x01).Written()); got != 700 {
				t.Errorf("device kept %d bytes, want 700", got)
			}
			_, err = c.out.Write(ctx, data)
			if tt.fault == usbtest.Unplug {
				if !errors.Is(err, usb.ErrDisconnected) || d.Attached() {
					t.Errorf("Write() after unplug error = %v, attached %v; want ErrDisconnected, false", err, d.Attached())
				}
			} else if err != nil {
				t.Errorf("Write() after a one-shot fault error = %v", err)
			}
		})
	}
}

func TestUnplugDuringRead(t *testing.T) {
	d := device()
	c := open(t, usbtest.NewBus(d))
	go func() {
		time.Sleep(10 * time.Millisecond)
		d.Unplug()
	}()
	_, err := c.in.Read(context.Background(), make([]byte, 64))
	if !errors.Is(err, usb.ErrDisconnected) {
		t.Errorf("Read() interrupted by unplug error = %v, want ErrDisconnected", err)
	}
	var ue *usb.Error
	if !errors.As(err, &ue) || ue.Op != "read" || ue.Endpoint != 0x82 {
		t.Errorf("Read() error = %#v, want a *usb.Error for read 0x82", err)
	}
}

func TestHangUntilCancelled(t *testing.T) {
	d := device()
	c := open(t, usbtest.NewBus(d))
	d.Endpoint(0x01).FailAfter(100, usbtest.Hang)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	n, err := c.out.Write(ctx, make([]byte, 512))
	if n != 100 || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Write() to a hung endpoint = %d, %v, want 100, DeadlineExceeded", n, err)
	}
}

func TestReplugMakesNewAttachment(t *testing.T) {
	ctx := context.Background()
	d := device()
	bus := usbtest.NewBus(d)
	c := open(t, bus)
	addr := d.Info().Address
	bus.Unplug(d)
	bus.Plug(d)
	if d.Info().Address == addr {
		t.Errorf("address %d kept across replug", addr)
	}
	if _, err := c.out.Write(ctx, []byte{1}); !errors.Is(err, usb.ErrDisconnected) {
		t.Errorf("Write() on a handle from before the replug error = %v, want ErrDisconnected", err)
	}
	c2 := open(t, bus)
	if _, err := c2.out.Write(ctx, []byte{1}); err != nil {
		t.Errorf("Write() after reopening error = %v", err)
	}
}

const sample = `# a vendor device, answering a version query
ctrl c0 01 0000 0000 0004 01020304   # version
ctrl 40 02 0001 0000 0002 abcd
out 01 48454c4c 4f                   # "HELLO", split in two words
out 01 2c20574f524c44
in 82 4f4b
out 01 ff !stall
`

func TestParseRecording(t *testing.T) {
	rec, err := usbtest.ParseRecording(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Steps) != 6 {
		t.Fatalf("ParseRecording() = %d steps, want 6", len(rec.Steps))
	}
	s := rec.Steps[2]
	if s.Kind != usbtest.OutStep || s.Endpoint != 0x01 || string(s.Data) != "HELLO" || s.Line != 4 {
		t.Errorf("step 3 = %+v", s)
	}
	if s := rec.Steps[0]; s.Setup != (usb.Setup{RequestType: 0xc0, Request: 1}) || s.Length != 4 || len(s.Data) != 4 {
		t.Errorf("step 1 = %+v", s)
	}
	if rec.Steps[5].Fault != usbtest.Stall {
		t.Errorf("step 6 fault = %v, want stall", rec.Steps[5].Fault)
	}
	var buf bytes.Buffer
	if err := rec.Format(&buf); err != nil {
		t.Fatal(err)
	}
	again, err := usbtest.ParseRecording(&buf)
	if err != nil {
		t.Fatalf("ParseRecording(Format()) error = %v", err)
	}
	for i := range rec.Steps {
		a, b := rec.Steps[i], again.Steps[i]
		a.Line, b.Line = 0, 0
		if a.String() != b.String() || !bytes.Equal(a.Data, b.Data) {
			t.Errorf("step %d after Format = %v, want %v", i+1, b, a)
		}
	}
}

func TestParseRecordingRejects(t *testing.T) {
	for _, in := range []string{
		"ctrl c0 01 0000 0000",
		"ctrl c0 01 0000 0000 0002 010203",
		"ctrl 40 01 0000 0000 0002 01",
		"ctrl c0 100 0000 0000 0002",
		"out 81 00",
		"in 01 00",
		"out zz 00",
		"out 01 0",
		"out 01 00 !melt",
		"bulk 01 00",
		"out",
	} {
		t.Run(in, func(t *testing.T) {
			if _, err := usbtest.ParseRecording(strings.NewReader(in)); !errors.Is(err, usbtest.ErrRecording) {
				t.Errorf("ParseRecording(%q) error = %v, want ErrRecording", in, err)
			}
		})
	}
}

func TestReplay(t *testing.T) {
	ctx := context.Background()
	rec, err := usbtest.ParseRecording(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	d := device()
	c := open(t, usbtest.NewBus(d))
	r := d.Replay(rec)
	buf := make([]byte, 4)
	if n, err := c.dev.Control(ctx, usb.Setup{RequestType: 0xc0, Request: 1}, buf); err != nil || n != 4 || buf[3] != 4 {
		t.Fatalf("Control() = %d %x, %v", n, buf, err)
	}
	if _, err := c.dev.Control(ctx, usb.Setup{RequestType: 0x40, Request: 2, Value: 1}, []byte{0xab, 0xcd}); err != nil {
		t.Fatal(err)
	}
	// The host cuts "HELLO, WORLD" differently from the recording.
	for _, part := range []string{"HEL", "LO, W", "ORLD"} {
		if _, err := c.out.Write(ctx, []byte(part)); err != nil {
			t.Fatalf("Write(%q) error = %v", part, err)
		}
	}
	if n, err := c.in.Read(ctx, buf); err != nil || string(buf[:n]) != "OK" {
		t.Fatalf("Read() = %q, %v, want OK", buf[:n], err)
	}
	if n, err := c.out.Write(ctx, []byte{0xff, 0xee}); n != 1 || !errors.Is(err, usb.ErrStall) {
		t.Errorf("Write() into a recorded stall = %d, %v, want 1, ErrStall", n, err)
	}
	if err := r.Done(); err != nil {
		t.Errorf("Done() = %v", err)
	}
}

func TestReplayDivergence(t *testing.T) {
	ctx := context.Background()
	rec, err := usbtest.ParseRecording(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	d := device()
	c := open(t, usbtest.NewBus(d))
	r := d.Replay(rec)
	if err := r.Done(); !errors.Is(err, usbtest.ErrMismatch) || !strings.Contains(err.Error(), "6 of 6 steps not replayed") {
		t.Errorf("Done() before anything = %v", err)
	}
	_, err = c.dev.Control(ctx, usb.Setup{RequestType: 0xc0, Request: 9}, make([]byte, 4))
	if !errors.Is(err, usbtest.ErrMismatch) {
		t.Fatalf("Control(other request) error = %v, want ErrMismatch", err)
	}
	if err := r.Done(); !errors.Is(err, usbtest.ErrMismatch) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("Done() = %v, want the mismatch at line 2", err)
	}
}

func TestReplayWrongBytes(t *testing.T) {
	ctx := context.Background()
	rec, err := usbtest.ParseRecording(strings.NewReader("out 01 48454c4c4f\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := device()
	c := open(t, usbtest.NewBus(d))
	r := d.Replay(rec)
	n, err := c.out.Write(ctx, []byte("HELP"))
	if n != 3 || !errors.Is(err, usbtest.ErrMismatch) {
		t.Errorf("Write(HELP) = %d, %v, want 3, ErrMismatch", n, err)
	}
	if err := r.Done(); err == nil || !strings.Contains(err.Error(), "byte 3") {
		t.Errorf("Done() = %v, want a mismatch at byte 3", err)
	}
}

func TestDeviceRecording(t *testing.T) {
	ctx := context.Background()
	d := device()
	c := open(t, usbtest.NewBus(d))
	c.out.Write(ctx, []byte("abc"))
	d.Endpoint(0x82).Queue([]byte("xy"))
	c.in.Read(ctx, make([]byte, 8))
	var buf bytes.Buffer
	d.Recording().Format(&buf)
	if want := "out 01 616263\nin 82 7879\n"; buf.String() != want {
		t.Errorf("Recording() = %q, want %q", buf.String(), want)
	}
}
