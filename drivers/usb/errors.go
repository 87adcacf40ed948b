package usb

// errors.go: the sentinel errors and the Error type that carries them.

import (
	"errors"
	"strings"
)

// Sentinel errors; match them with errors.Is.
var (
	// ErrNotFound: no attached device matches.
	ErrNotFound = errors.New("usb: no such device")
	// ErrAmbiguous: several attached devices match; add a serial number.
	ErrAmbiguous = errors.New("usb: several devices match")
	// ErrDisconnected: the device went away (unplugged, powered off, reset).
	ErrDisconnected = errors.New("usb: device disconnected")
	// ErrStall: the device stalled the endpoint, refusing the request or the
	// transfer (a class request it does not support, a printer in error).
	ErrStall = errors.New("usb: endpoint stalled")
	// ErrTimeout: the device did not complete the transfer in time.
	ErrTimeout = errors.New("usb: transfer timed out")
	// ErrOverflow: the device sent more than the buffer could hold.
	ErrOverflow = errors.New("usb: transfer overflow")
	// ErrBusy: another driver or process holds the device or interface.
	ErrBusy = errors.New("usb: device or interface busy")
	// ErrAccess: the process may not open the device (udev permissions).
	ErrAccess = errors.New("usb: access denied")
	// ErrNoEndpoint: the interface has no such endpoint, or not in that direction.
	ErrNoEndpoint = errors.New("usb: no such endpoint")
	// ErrNoInterface: the device has no such interface setting.
	ErrNoInterface = errors.New("usb: no such interface")
	// ErrClosed: the device, interface or endpoint was used after Close/Release.
	ErrClosed = errors.New("usb: used after close")
	// ErrIO: any other failure of the USB stack.
	ErrIO = errors.New("usb: input/output error")
	// ErrBadMatch: a device selector that is not VID:PID[/serial].
	ErrBadMatch = errors.New("usb: bad device selector")
)

// Error describes a failed operation on a device. Err is one of the sentinels
// above, or the context's error when the caller's context ended the operation.
type Error struct {
	Op       string          // "open", "claim", "control", "read", "write", "list"
	Device   string          // "vid:pid[/serial]", empty for bus-wide operations
	Endpoint EndpointAddress // for read and write
	Err      error
	// Cause is the lower layer's own report (libusb's error), for logs.
	Cause error
}

// Error reads like "usb: write 04f9:0042 endpoint 0x01: device disconnected".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("usb: ")
	b.WriteString(e.Op)
	if e.Device != "" {
		b.WriteString(" ")
		b.WriteString(e.Device)
	}
	if e.Op == "read" || e.Op == "write" {
		b.WriteString(" endpoint ")
		b.WriteString(e.Endpoint.String())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "usb: "))
	}
	if e.Cause != nil && (e.Err == nil || e.Cause.Error() != e.Err.Error()) {
		b.WriteString(" (")
		b.WriteString(e.Cause.Error())
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }
