package ccid_test

// Tests that replay the recorded exchanges of testdata/*.usb.

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"certkiosk/drivers/ccid"
	"certkiosk/drivers/ccid/ccidtest"
	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
)

// replay opens a device with the simulated reader's interface layout that plays
// the recording in file.
func replay(t *testing.T, file string, opts ccid.Options) (*ccid.Reader, *usbtest.Device, *usbtest.Bus, *usbtest.Replayer) {
	t.Helper()
	rec, err := usbtest.ReadRecording(file)
	if err != nil {
		t.Fatal(err)
	}
	dev := usbtest.NewDevice(ccidtest.Descriptors(ccidtest.Config{VID: 0x1209, PID: 0xcc01}))
	rp := dev.Replay(rec)
	bus := usbtest.NewBus(dev)
	r, err := ccid.Open(context.Background(), bus, usb.Match{VID: 0x1209, PID: 0xcc01}, opts)
	if err != nil {
		t.Fatalf("Open() = %v (replayer: %v)", err, rp.Done())
	}
	t.Cleanup(func() { r.Close() })
	return r, dev, bus, rp
}

func done(t *testing.T, rp *usbtest.Replayer) {
	t.Helper()
	if err := rp.Done(); err != nil {
		t.Error(err)
	}
}

// certificate is the stand-in certificate of the recordings.
func certificate(n int) []byte {
	c := make([]byte, n)
	copy(c, []byte{0x30, 0x82, byte((n - 4) >> 8), byte(n - 4)})
	for i := 4; i < n; i++ {
		c[i] = byte(i)
	}
	return c
}

func TestReplayExtendedAPDU(t *testing.T) {
	ctx := context.Background()
	r, _, _, rp := replay(t, "testdata/esteid-extended-apdu.usb", ccid.Options{})
	if r.Level() != ccid.LevelExtendedAPDU {
		t.Fatalf("Level() = %v", r.Level())
	}
	atr, err := r.PowerOn(ctx)
	if err != nil || atr.String() != "3BDB960080B1FE451F830012233F536549440F9000F1" {
		t.Fatalf("PowerOn() = %v, %v", atr, err)
	}
	if resp, err := selectAndRead(ctx, t, r, "5001"); err != nil || string(resp) != "JÕEORG\x90\x00" {
		t.Fatalf("read 5001 = %q, %v", resp, err)
	}
	for _, a := range []string{"00 A4 01 0C 02 AD F1", "00 A4 02 0C 02 34 01"} {
		if resp, err := r.Transmit(ctx, unhex(t, a)); err != nil || !bytes.Equal(resp, []byte{0x90, 0}) {
			t.Fatalf("Transmit(%s) = % X, %v", a, resp, err)
		}
	}
	resp, err := r.Transmit(ctx, unhex(t, "00 B0 00 00 00 02 58"))
	if err != nil || !bytes.Equal(resp, append(certificate(600), 0x90, 0x00)) {
		t.Fatalf("extended READ BINARY = %d bytes, %v", len(resp), err)
	}
	if err := r.PowerOff(ctx); err != nil {
		t.Fatal(err)
	}
	done(t, rp)
}

func TestReplayTPDU(t *testing.T) {
	ctx := context.Background()
	r, _, _, rp := replay(t, "testdata/esteid-tpdu-t1.usb", ccid.Options{})
	if r.Level() != ccid.LevelTPDU {
		t.Fatalf("Level() = %v", r.Level())
	}
	if _, err := r.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	if resp, err := selectAndRead(ctx, t, r, "5001"); err != nil || string(resp) != "JÕEORG\x90\x00" {
		t.Fatalf("read 5001 = %q, %v", resp, err)
	}
	for _, a := range []string{"00 A4 01 0C 02 AD F1", "00 A4 02 0C 02 34 01"} {
		if resp, err := r.Transmit(ctx, unhex(t, a)); err != nil || !bytes.Equal(resp, []byte{0x90, 0}) {
			t.Fatalf("Transmit(%s) = % X, %v", a, resp, err)
		}
	}
	resp, err := r.Transmit(ctx, unhex(t, "00 B0 00 00 00"))
	if err != nil || !bytes.Equal(resp, append(certificate(600)[:256], 0x90, 0x00)) {
		t.Fatalf("READ BINARY = % X, %v", resp, err)
	}
	done(t, rp)
}

func TestReplayT1ChainingAndEDC(t *testing.T) {
	ctx := context.Background()
	r, _, _, rp := replay(t, "testdata/t1-chaining-edc.usb", ccid.Options{})
	atr, err := r.PowerOn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := atr.T1(); err != nil || p.IFSC != 32 {
		t.Fatalf("T1() = %+v, %v", p, err)
	}
	challenge := make([]byte, 48)
	for i := range challenge {
		challenge[i] = byte(0x10 + i)
	}
	apdu := append(append([]byte{0x00, 0x88, 0x00, 0x00, 48}, challenge...), 0x00)
	resp, err := r.Transmit(ctx, apdu)
	want := make([]byte, 64)
	for i := range want {
		want[i] = byte(0xa0 + i)
	}
	if err != nil || !bytes.Equal(resp, append(want, 0x90, 0x00)) {
		t.Fatalf("INTERNAL AUTHENTICATE = % X, %v", resp, err)
	}
	done(t, rp)
}

func TestReplayRemoveMidRead(t *testing.T) {
	ctx := context.Background()
	r, _, _, rp := replay(t, "testdata/remove-mid-read.usb", ccid.Options{})
	if _, err := r.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := selectAndRead(ctx, t, r, "5001")
	var se *ccid.SlotError
	if !errors.Is(err, ccid.ErrCardRemoved) || !errors.As(err, &se) || se.Code != ccid.ErrorICCMute {
		t.Fatalf("read with the card pulled out = %v, want ErrCardRemoved", err)
	}
	if _, err := r.Transmit(ctx, unhex(t, "00 B0 00 00 00")); !errors.Is(err, ccid.ErrCardRemoved) {
		t.Errorf("Transmit after the removal = %v, want ErrCardRemoved", err)
	}
	if _, err := r.PowerOn(ctx); !errors.Is(err, ccid.ErrNoCard) {
		t.Fatalf("PowerOn() on the empty slot = %v, want ErrNoCard", err)
	}
	if _, err := r.PowerOn(ctx); err != nil {
		t.Fatalf("PowerOn() after reinsertion = %v", err)
	}
	if resp, err := selectAndRead(ctx, t, r, "5001"); err != nil || string(resp) != "JÕEORG\x90\x00" {
		t.Fatalf("read after reinsertion = %q, %v", resp, err)
	}
	done(t, rp)
}

func TestReplayUnplugReplug(t *testing.T) {
	ctx := context.Background()
	r, dev, bus, rp := replay(t, "testdata/unplug-replug.usb", ccid.Options{})
	if _, err := r.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := selectAndRead(ctx, t, r, "5001"); !errors.Is(err, ccid.ErrReaderGone) {
		t.Fatalf("read with the reader unplugged = %v, want ErrReaderGone", err)
	}
	if _, err := r.Transmit(ctx, unhex(t, "00 B0 00 00 00")); !errors.Is(err, ccid.ErrReaderGone) {
		t.Errorf("Transmit afterwards = %v, want ErrReaderGone", err)
	}
	r.Close()
	bus.Plug(dev)
	r, err := ccid.Open(ctx, bus, usb.Match{VID: 0x1209, PID: 0xcc01}, ccid.Options{})
	if err != nil {
		t.Fatalf("Open() after replugging = %v (%v)", err, rp.Done())
	}
	defer r.Close()
	if st, err := r.Status(ctx); err != nil || st.Card != ccid.CardInactive {
		t.Fatalf("Status() = %v, %v", st, err)
	}
	if _, err := r.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	if resp, err := selectAndRead(ctx, t, r, "5001"); err != nil || string(resp) != "JÕEORG\x90\x00" {
		t.Fatalf("read after replugging = %q, %v", resp, err)
	}
	done(t, rp)
}

func TestReplayTimeoutAbort(t *testing.T) {
	ctx := context.Background()
	r, _, _, rp := replay(t, "testdata/timeout-abort.usb", ccid.Options{ResponseTimeout: 50 * time.Millisecond})
	if _, err := r.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	read := unhex(t, "00 B0 00 00 00")
	if _, err := selectAndRead(ctx, t, r, "5001"); !errors.Is(err, ccid.ErrTimeout) {
		t.Fatalf("read with no answer = %v, want ErrTimeout", err)
	}
	if resp, err := r.Transmit(ctx, read); err != nil || string(resp) != "JÕEORG\x90\x00" {
		t.Fatalf("read after the abort = %q, %v", resp, err)
	}
	if _, err := r.Transmit(ctx, read); !errors.Is(err, ccid.ErrFrame) {
		t.Fatalf("read with a truncated answer = %v, want ErrFrame", err)
	}
	if resp, err := r.Transmit(ctx, read); err != nil || string(resp) != "JÕEORG\x90\x00" {
		t.Fatalf("read after the truncated answer = %q, %v", resp, err)
	}
	done(t, rp)
}
