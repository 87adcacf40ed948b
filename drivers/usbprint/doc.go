// Package usbprint drives printers of the USB printer class (USB Device Class
// Definition for Printing Devices 1.1, class 7, subclass 1): it finds the
// printer interface, reads the IEEE 1284 device ID (GET_DEVICE_ID), the port
// status (GET_PORT_STATUS), resets the printer (SOFT_RESET), sends print data over
// the bulk OUT endpoint and reads the back channel of bidirectional printers.
//
// It speaks only the transport: what the bytes mean (PDF, PCL, PJL) is for the
// caller. IPP over USB (protocol 4) is a different protocol on the same class and
// is never chosen here; such printers are reached through ipp-usb and an ipp://
// URI.
//
// # A map of the package
//
//   - printer.go: Open and Printer, the class requests and the data transfers.
//   - interface.go: choosing the printer interface among a device's settings.
//   - deviceid.go: IEEE 1284 device ID strings (DeviceID, ParseDeviceID,
//     DecodeDeviceID).
//   - status.go: the port status byte (PortStatus).
//   - quirks.go, quirks.conf: per-model workarounds, as data keyed by VID:PID.
//   - errors.go: sentinel errors.
//
// Package usbprinttest holds a fake printer on a usbtest bus.
//
// # Example
//
//	p, err := usbprint.Open(ctx, host, usb.Match{VID: 0x03f0, PID: 0x002a}, usbprint.Options{})
//	if err != nil { ... }
//	defer p.Close()
//	id, err := p.DeviceID(ctx)
//	if !id.Supports("PDF") { ... }
//	st, err := p.PortStatus(ctx)
//	if st.PaperEmpty() { ... }
//	n, err := p.Write(ctx, document)
package usbprint
