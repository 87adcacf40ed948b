package usb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/google/gousb"
)

// TestHostWithoutBus runs the real libusb. On a machine without /dev/bus/usb (CI,
// containers) the bus is empty: no devices, no error, and Open finds nothing.
func TestHostWithoutBus(t *testing.T) {
	h := NewHost()
	defer func() {
		if err := h.Close(); err != nil {
			t.Errorf("Close() = %v", err)
		}
	}()
	ctx := context.Background()
	list, err := h.Devices(ctx)
	if err != nil {
		t.Fatalf("Devices() error = %v (libusb start: %v)", err, h.Err())
	}
	_, statErr := os.Stat("/dev/bus/usb")
	if errors.Is(statErr, os.ErrNotExist) && len(list) != 0 {
		t.Errorf("Devices() = %v without /dev/bus/usb, want none", list)
	}
	// No device has vendor id ffff: it is reserved.
	dev, err := h.Open(ctx, Match{VID: 0xffff, PID: 0xffff})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Open(ffff:ffff) = %v, %v, want ErrNotFound", dev, err)
	}
	if _, err := h.Devices(ctx); err != nil {
		t.Errorf("second Devices() error = %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := h.Devices(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Devices(cancelled) error = %v, want context.Canceled", err)
	}
}

func TestHostErrorMapping(t *testing.T) {
	live := context.Background()
	done, cancel := context.WithCancel(live)
	cancel()
	tests := []struct {
		err  error
		ctx  context.Context
		want error
	}{
		{gousb.TransferNoDevice, live, ErrDisconnected},
		{gousb.ErrorNoDevice, live, ErrDisconnected},
		{gousb.TransferStall, live, ErrStall},
		{gousb.ErrorPipe, live, ErrStall},
		{gousb.TransferTimedOut, live, ErrTimeout},
		{gousb.ErrorTimeout, live, ErrTimeout},
		{gousb.TransferOverflow, live, ErrOverflow},
		{gousb.ErrorAccess, live, ErrAccess},
		{gousb.TransferCancelled, done, context.Canceled},
		{gousb.TransferCancelled, live, ErrIO},
		{fmt.Errorf("failed to claim interface 0 on vid=04f9: %v", gousb.ErrorBusy), live, ErrBusy},
		{gousb.ErrorOther, live, ErrIO},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			err := hostError("write", "04f9:0042", 0x01, tt.err, tt.ctx)
			if !errors.Is(err, tt.want) {
				t.Errorf("hostError(%v) = %v, want %v", tt.err, err, tt.want)
			}
			var ue *Error
			if !errors.As(err, &ue) || ue.Cause != tt.err {
				t.Errorf("hostError(%v) = %#v, want an *Error keeping the cause", tt.err, err)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	e := &Error{Op: "write", Device: "04f9:0042", Endpoint: 0x01, Err: ErrDisconnected, Cause: gousb.TransferNoDevice}
	want := "usb: write 04f9:0042 endpoint 0x01: device disconnected (device was disconnected)"
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	e = &Error{Op: "open", Device: "04f9:0042", Err: ErrNotFound}
	if got, want := e.Error(), "usb: open 04f9:0042: no such device"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
