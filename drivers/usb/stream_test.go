package usb_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
)

func TestReaderWriter(t *testing.T) {
	ctx := context.Background()
	r := reader("A")
	bus := usbtest.NewBus(r)
	dev, err := bus.Open(ctx, usb.Match{Serial: "A"})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	intf, err := dev.Claim(ctx, dev.Info().Interfaces[0])
	if err != nil {
		t.Fatal(err)
	}
	out, err := intf.Out(0x02)
	if err != nil {
		t.Fatal(err)
	}
	msg := bytes.Repeat([]byte("apdu"), 100)
	if n, err := io.Copy(usb.NewWriter(ctx, out), bytes.NewReader(msg)); err != nil || n != int64(len(msg)) {
		t.Fatalf("io.Copy to the writer = %d, %v", n, err)
	}
	if got := r.Endpoint(0x02).Written(); !bytes.Equal(got, msg) {
		t.Errorf("device received %d bytes, want %d", len(got), len(msg))
	}

	in, err := intf.In(0x82)
	if err != nil {
		t.Fatal(err)
	}
	r.Endpoint(0x82).Queue([]byte("80 00"), []byte("90 00"))
	buf := make([]byte, 16)
	rd := usb.NewReader(ctx, in)
	for _, want := range []string{"80 00", "90 00"} {
		n, err := rd.Read(buf)
		if err != nil || string(buf[:n]) != want {
			t.Errorf("Read() = %q, %v, want %q", buf[:n], err, want)
		}
	}
}
