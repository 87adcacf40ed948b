package usb

// bus.go: the interfaces every driver programs against. Host implements them on
// libusb; usbtest.Bus implements them in memory.

import "context"

// Bus is a set of USB devices that can be listed and opened.
type Bus interface {
	// Devices lists the devices attached now. A machine without USB has none and
	// reports no error.
	Devices(ctx context.Context) ([]DeviceInfo, error)
	// Open opens the one device that m matches. It fails with ErrNotFound when
	// none does and ErrAmbiguous when several do.
	Open(ctx context.Context, m Match) (Device, error)
}

// Device is an open device. Close releases whatever interfaces are still claimed.
type Device interface {
	// Info describes the device as it was when it was opened.
	Info() DeviceInfo
	// Control performs a control transfer on endpoint 0. For a request with
	// s.IsIn(), data receives up to len(data) bytes; otherwise data is sent. The
	// length of data is the setup packet's wLength. It returns the number of bytes
	// moved.
	Control(ctx context.Context, s Setup, data []byte) (int, error)
	// Claim claims interface intf.Number with alternate setting intf.Alternate, in
	// configuration intf.Config, for this process.
	Claim(ctx context.Context, intf InterfaceInfo) (Interface, error)
	// Close releases the device.
	Close() error
}

// Interface is a claimed interface.
type Interface interface {
	// Info describes the claimed setting.
	Info() InterfaceInfo
	// In returns the IN endpoint (bulk or interrupt) at addr.
	In(addr EndpointAddress) (In, error)
	// Out returns the OUT endpoint (bulk or interrupt) at addr.
	Out(addr EndpointAddress) (Out, error)
	// Release gives the interface back; its endpoints must not be used after.
	Release() error
}

// In is an endpoint the host reads from.
type In interface {
	Info() EndpointInfo
	// Read waits for one transfer from the device and returns how many bytes it
	// put in p. A buffer that is a multiple of the endpoint's packet size avoids
	// overflows. It returns early, with ctx.Err(), when ctx is done.
	Read(ctx context.Context, p []byte) (int, error)
}

// Out is an endpoint the host writes to.
type Out interface {
	Info() EndpointInfo
	// Write sends p and returns how many bytes the device accepted, which is less
	// than len(p) only with an error. It returns early, with ctx.Err(), when ctx
	// is done.
	Write(ctx context.Context, p []byte) (int, error)
}
