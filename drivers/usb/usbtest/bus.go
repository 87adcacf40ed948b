package usbtest

// bus.go: Bus, the fake usb.Bus devices are plugged into.

import (
	"context"
	"errors"
	"strings"
	"sync"

	"certkiosk/drivers/usb"
)

// Bus is an in-memory usb.Bus. Its methods are safe for concurrent use.
type Bus struct {
	mu       sync.Mutex
	number   int
	nextAddr int
	devices  []*Device // attached, in plug order
	listErr  error
}

var _ usb.Bus = (*Bus)(nil)

// NewBus returns bus number 1 with devs plugged in, in that order.
func NewBus(devs ...*Device) *Bus {
	b := &Bus{number: 1, nextAddr: 2} // address 1 is the root hub's
	for _, d := range devs {
		b.Plug(d)
	}
	return b
}

// Plug attaches d. It gets the next free address and, when its descriptors give no
// path, port number address-1 on the root hub. Plugging in a device that was
// unplugged starts a new attachment: handles opened before stay dead.
func (b *Bus) Plug(d *Device) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, x := range b.devices {
		if x == d {
			return
		}
	}
	addr := b.nextAddr
	b.nextAddr++
	d.attach(b, b.number, addr)
	b.devices = append(b.devices, d)
}

// Unplug detaches d: transfers in progress and every later use of its handles
// fail with usb.ErrDisconnected.
func (b *Bus) Unplug(d *Device) {
	b.mu.Lock()
	found := false
	for i, x := range b.devices {
		if x == d {
			b.devices = append(b.devices[:i], b.devices[i+1:]...)
			found = true
			break
		}
	}
	b.mu.Unlock()
	if found {
		d.detach()
	}
}

// FailListing makes Devices and Open fail with err (wrapped in a *usb.Error) until
// it is called again with nil.
func (b *Bus) FailListing(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.listErr = err
}

// Devices lists the attached devices in plug order.
func (b *Bus) Devices(ctx context.Context) ([]usb.DeviceInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.listErr != nil {
		return nil, &usb.Error{Op: "list", Err: b.listErr}
	}
	list := make([]usb.DeviceInfo, 0, len(b.devices))
	for _, d := range b.devices {
		list = append(list, d.Info())
	}
	return list, nil
}

// Open opens the one attached device m matches.
func (b *Bus) Open(ctx context.Context, m usb.Match) (usb.Device, error) {
	if err := ctx.Err(); err != nil {
		return nil, &usb.Error{Op: "open", Device: m.String(), Err: err}
	}
	b.mu.Lock()
	if b.listErr != nil {
		err := b.listErr
		b.mu.Unlock()
		return nil, &usb.Error{Op: "open", Device: m.String(), Err: err}
	}
	var found []*Device
	for _, d := range b.devices {
		if m.Matches(d.Info()) {
			found = append(found, d)
		}
	}
	b.mu.Unlock()
	switch len(found) {
	case 0:
		return nil, &usb.Error{Op: "open", Device: m.String(), Err: usb.ErrNotFound}
	case 1:
		return found[0].open()
	}
	names := make([]string, len(found))
	for i, d := range found {
		names[i] = d.Info().String()
	}
	return nil, &usb.Error{Op: "open", Device: m.String(), Err: usb.ErrAmbiguous, Cause: errors.New(strings.Join(names, ", "))}
}
