// Package usb is the kiosk's one door to USB: it enumerates devices, opens one by
// VID:PID[/serial] or by interface class, claims interfaces, and moves bytes over
// control, bulk and interrupt endpoints. It is the only package in CertKiosk that
// touches libusb (through github.com/google/gousb, in libusb.go); every driver above
// it (usbprint, and later ccid and scanner) sees the small interfaces of bus.go, so
// all driver logic can be tested against the in-memory fake in package usbtest.
//
// # A map of the package
//
//   - descriptor.go: what a device says about itself (DeviceInfo, InterfaceInfo,
//     EndpointInfo) and the numbers of the USB 2.0 specification (§9.6).
//   - bus.go: the interfaces Bus, Device, Interface, In and Out.
//   - match.go: choosing a device (Match, ParseMatch).
//   - libusb.go: Host, the Bus on the machine's real USB controllers.
//   - hotplug.go: Watcher, a poll-based report of devices arriving and leaving.
//   - stream.go: io.Reader and io.Writer views of an endpoint.
//   - errors.go: the sentinel errors and the Error type that carries them.
//
// # Talking to a device
//
// Every call that waits for a device takes a context.Context first. Bulk and
// interrupt transfers are cancelled when the context is done; a control transfer
// cannot be cancelled once submitted, so it is bounded by the context's deadline
// (DefaultControlTimeout when there is none).
//
//	host := usb.NewHost()
//	defer host.Close()
//	m, _ := usb.ParseMatch("04f9:0042/E12345")
//	dev, err := host.Open(ctx, m)
//	if err != nil { ... } // errors.Is(err, usb.ErrNotFound) when it is not plugged in
//	defer dev.Close()
//	intf, err := dev.Claim(ctx, dev.Info().Interfaces[0])
//	...
//	defer intf.Release()
//	out, err := intf.Out(0x01)
//	n, err := out.Write(ctx, data)
//
// A machine with no USB bus at all (a container, a CI runner without
// /dev/bus/usb) is not an error: Devices reports no devices and Open reports
// ErrNotFound, exactly as for an empty bus.
//
// # Errors
//
// Failures are reported as *Error values naming the operation and the device;
// errors.Is matches them against ErrNotFound, ErrDisconnected, ErrStall,
// ErrTimeout, ErrBusy, ErrAccess and the other sentinels, and against
// context.Canceled or context.DeadlineExceeded when the caller's context ended a
// transfer.
package usb
