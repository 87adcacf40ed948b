package usbprint_test

// Tests that replay the recorded exchanges of testdata/*.usb.

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
	"certkiosk/drivers/usbprint"
	"certkiosk/drivers/usbprint/usbprinttest"
)

// replay opens a fake printer made as cfg says that plays the recording in file.
func replay(t *testing.T, file string, cfg usbprinttest.Config, opts usbprint.Options) (*usbprint.Printer, *usbtest.Replayer) {
	t.Helper()
	rec, err := usbtest.ReadRecording(file)
	if err != nil {
		t.Fatal(err)
	}
	fake := usbprinttest.New(cfg)
	r := fake.Replay(rec)
	p := open(t, usbtest.NewBus(fake.Device), usb.Match{VID: cfg.VID, PID: cfg.PID}, opts)
	return p, r
}

func TestReplayBidirectional(t *testing.T) {
	ctx := context.Background()
	p, r := replay(t, "testdata/hp-bidirectional.usb", usbprinttest.Config{VID: 0x03f0, PID: 0xc42a, Bidirectional: true}, usbprint.Options{})
	id, err := p.DeviceID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if id.Manufacturer() != "HP" || id.Model() != "HP LaserJet Pro M404dn" || !id.Supports("PDF") || !id.Supports("PJL") || id.SerialNumber() != "PHBQB12345" {
		t.Errorf("DeviceID() = %v", id)
	}
	if st, err := p.PortStatus(ctx); err != nil || !st.OK() {
		t.Errorf("PortStatus() = %v, %v", st, err)
	}
	if _, err := p.Write(ctx, []byte("\x1b%-12345X@PJL INFO STATUS\r\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 512)
	n, err := p.Read(ctx, buf)
	if err != nil || !bytes.Contains(buf[:n], []byte("ONLINE=TRUE")) || buf[n-1] != '\f' {
		t.Errorf("Read() = %q, %v", buf[:n], err)
	}
	if err := p.SoftReset(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.Done(); err != nil {
		t.Error(err)
	}
}

func TestReplaySwappedLength(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		quirks *usbprint.QuirkTable
	}{{"detected", &usbprint.QuirkTable{}}, {"from the quirks table", testQuirks(t)}} {
		t.Run(tc.name, func(t *testing.T) {
			p, r := replay(t, "testdata/brother-swapped-length.usb", usbprinttest.Config{VID: 0x04f9, PID: 0xffe1}, usbprint.Options{Quirks: tc.quirks})
			id, err := p.DeviceID(ctx)
			if err != nil || id.Model() != "HL-L2350DW series" || id.Supports("PDF") || !id.Supports("PCL") {
				t.Errorf("DeviceID() = %v, %v", id, err)
			}
			if _, err := p.PortStatus(ctx); err != nil {
				t.Error(err)
			}
			if err := r.Done(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestReplayLongKeys(t *testing.T) {
	ctx := context.Background()
	p, r := replay(t, "testdata/zebra-long-keys.usb", usbprinttest.Config{VID: 0x0a5f, PID: 0x0080}, usbprint.Options{})
	id, err := p.DeviceID(ctx)
	if err != nil || id.Manufacturer() != "Zebra Technologies" || id.Model() != "ZTC GK420d" || id.Description() != "Zebra GK420d" || !id.Supports("ZPL") {
		t.Errorf("DeviceID() = %v, %v", id, err)
	}
	st, err := p.PortStatus(ctx)
	if err != nil || !st.PaperEmpty() || st.Selected() {
		t.Errorf("PortStatus() = %v, %v, want paper-empty, not selected", st, err)
	}
	if err := r.Done(); err != nil {
		t.Error(err)
	}
}

func TestReplayUnplugMidWrite(t *testing.T) {
	ctx := context.Background()
	p, r := replay(t, "testdata/unplug-mid-write.usb", usbprinttest.Config{VID: 0x03f0, PID: 0xc42a, Bidirectional: true}, usbprint.Options{})
	if _, err := p.DeviceID(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := p.PortStatus(ctx); err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat(func() []byte {
		b := make([]byte, 256)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}(), 16)
	n, err := p.Write(ctx, data)
	if n != 1536 || !errors.Is(err, usb.ErrDisconnected) {
		t.Errorf("Write() = %d, %v, want 1536, ErrDisconnected", n, err)
	}
	if err := r.Done(); err != nil {
		t.Error(err)
	}
	if _, err := p.PortStatus(ctx); !errors.Is(err, usb.ErrDisconnected) {
		t.Errorf("PortStatus() after the unplug error = %v, want ErrDisconnected", err)
	}
}
