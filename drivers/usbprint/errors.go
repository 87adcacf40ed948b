package usbprint

// errors.go: sentinel errors.

import "errors"

// Errors; match them with errors.Is. Failures of the USB layer underneath are
// wrapped as they come (usb.ErrDisconnected, usb.ErrStall, context.Canceled…).
var (
	// ErrNotPrinter: the device has no usable printer-class interface.
	ErrNotPrinter = errors.New("usbprint: no printer-class interface")
	// ErrUnidirectional: the printer has no back channel to read.
	ErrUnidirectional = errors.New("usbprint: printer has no back channel")
	// ErrDeviceID: the printer's IEEE 1284 device ID cannot be read as one.
	ErrDeviceID = errors.New("usbprint: malformed IEEE 1284 device ID")
	// ErrPortStatus: the printer answered GET_PORT_STATUS without a status byte.
	ErrPortStatus = errors.New("usbprint: no port status byte")
	// ErrQuirks: the quirks table is malformed.
	ErrQuirks = errors.New("usbprint: bad quirks table")
)
