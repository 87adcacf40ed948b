package scanner

// errors.go: sentinel errors.

import "errors"

// Errors; match them with errors.Is. Failures of the USB layer underneath are
// wrapped as they come (usb.ErrDisconnected, usb.ErrAccess, context.Canceled…).
var (
	// ErrNotScanner: the device has no interface a scanner is read through (a
	// boot keyboard, a HID POS interface, or a CDC data interface).
	ErrNotScanner = errors.New("scanner: no scanner interface")
	// ErrIncomplete: a scan was cut off, by an unplug or by a scanner that
	// stopped sending in the middle of one. What had arrived is dropped.
	ErrIncomplete = errors.New("scanner: scan cut off")
	// ErrTooLong: a scan was longer than Options.MaxScan; it is dropped whole.
	ErrTooLong = errors.New("scanner: scan too long")
	// ErrReport: an input report that cannot be read as the scanner's format.
	ErrReport = errors.New("scanner: malformed report")
	// ErrOtherReport: a HID POS report that is not a scanned data report
	// (another report ID); Next skips those.
	ErrOtherReport = errors.New("scanner: not a scanned data report")
	// ErrClosed: the scanner was used after Close.
	ErrClosed = errors.New("scanner: closed")
	// ErrQuirks: the quirks table is malformed.
	ErrQuirks = errors.New("scanner: bad quirks table")
	// ErrLayout: a keyboard layout name the package does not have.
	ErrLayout = errors.New("scanner: unknown keyboard layout")
)
