// Package scanner reads barcode and document scanners over USB: a scan (one
// barcode, or one document's machine-readable zone) becomes one []byte payload.
// Telling what the payload holds — an ICAO 9303 zone, an HC1 certificate, other
// text — is identity.ClassifyScan's job, done by the caller.
//
// Scanners reach a computer in one of three ways, each a Scanner here:
//
//   - Keyboard ("keyboard wedge"): the scanner is a HID boot keyboard and types
//     the read. The package decodes the key reports itself (KeyboardDecoder) with
//     the layout the scanner types with (LayoutUS, LayoutDE), so neither the
//     operating system's keyboard layout nor its Caps Lock can garble a scan,
//     and the GS and RS separators of GS1 and ISO/IEC 15434 codes, which a
//     scanner types as Ctrl+] and Ctrl+^ or with Alt and the keypad, survive.
//   - POS: the scanner speaks the HID Point of Sale usage tables and sends each
//     read in scanned data reports with its symbology (ParsePOSReport).
//   - Serial: the scanner is a USB CDC ACM virtual serial port and sends text.
//
// In keyboard and serial mode a read ends with a line end; a document reader
// sends a zone as two or three lines at once, so a scan is complete when the
// stream has gone quiet for a moment (Options.Gap) after a line end, or at the
// suffix a scanner is set to send.
//
// # A map of the package
//
//   - scanner.go: Scanner, Mode, Options and Open.
//   - interface.go: choosing the interface to read (ChooseInterface, Likely).
//   - device.go: the claimed device, Close, the read loop of the stream modes.
//   - wedge.go, keyboard.go, layout.go: keyboard mode; the boot report decoder
//     and the keyboard layouts as data.
//   - pos.go, posreport.go: HID POS mode and its report format.
//   - serial.go: CDC serial mode.
//   - framing.go: cutting a character stream into scans.
//   - hid.go: HID class requests and report descriptor items.
//   - quirks.go, quirks.conf: known models and their workarounds, as data keyed by
//     VID:PID.
//   - errors.go: sentinel errors.
//
// Package scannertest holds fake scanners of each mode on a usbtest bus.
//
// # Example
//
//	s, err := scanner.Open(ctx, host, usb.Match{VID: 0x0db5, PID: 0x013a}, scanner.Options{})
//	if err != nil { ... }
//	defer s.Close()
//	for {
//		payload, err := s.Next(ctx)
//		if errors.Is(err, usb.ErrDisconnected) { ... } // unplugged: open it again when it is back
//		if err != nil { ... }
//		scan := identity.ClassifyScan(payload, time.Now())
//		...
//	}
package scanner
