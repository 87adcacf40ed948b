// Package usbprinttest is a fake USB printer on a usbtest bus: a printer-class
// device that answers GET_DEVICE_ID, GET_PORT_STATUS and SOFT_RESET, keeps the
// print data sent to it, and can be set out of paper, off line or unplugged.
package usbprinttest

// printer.go: Printer, the fake printer.

import (
	"context"
	"sync"

	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
	"certkiosk/drivers/usbprint"
)

// Endpoint addresses of the fake printer's printer interface.
const (
	OutEndpoint usb.EndpointAddress = 0x01
	InEndpoint  usb.EndpointAddress = 0x82
)

// Port status values printers commonly report.
const (
	// Ready: selected, no error, paper present.
	Ready = usbprint.StatusSelected | usbprint.StatusNotError
	// PaperEmpty: out of paper, which printers report as an error and off line.
	PaperEmpty = usbprint.StatusPaperEmpty
	// Offline: no error, but not selected (the printer's on-line button).
	Offline = usbprint.StatusNotError
	// Failed: selected but in error (cover open, jam).
	Failed = usbprint.StatusSelected
)

// Config describes the fake printer.
type Config struct {
	VID, PID     usb.ID
	Manufacturer string
	Product      string
	Serial       string
	// DeviceID is the IEEE 1284 device ID, answered with a correct big-endian
	// length prefix; SetDeviceIDAnswer sets a malformed answer instead.
	DeviceID string
	// Bidirectional gives the printer interface protocol 2 and a bulk IN endpoint;
	// otherwise it is protocol 1 with bulk OUT only.
	Bidirectional bool
	// IPPUSB adds two IPP-over-USB interfaces (protocol 4) after the printer
	// interface, as most printers made since 2015 have.
	IPPUSB bool
}

// Printer is the fake printer. It embeds its usbtest.Device, for unplugging,
// fault injection on its endpoints and the transfer log.
type Printer struct {
	*usbtest.Device

	mu     sync.Mutex
	answer []byte
	status usbprint.PortStatus
	resets int
}

// New returns a fake printer, Ready, not yet plugged into a bus.
func New(cfg Config) *Printer {
	p := &Printer{
		Device: usbtest.NewDevice(Descriptors(cfg)),
		answer: EncodeDeviceID(cfg.DeviceID),
		status: Ready,
	}
	p.HandleControl(p.control)
	return p
}

// Descriptors returns the device descriptors of a printer made as cfg says:
// configuration 1, the printer interface 0 with bulk OUT 0x01 (and bulk IN 0x82
// when bidirectional), 512-byte packets as on a high-speed port.
func Descriptors(cfg Config) usb.DeviceInfo {
	proto := usbprint.ProtocolUnidirectional
	eps := []usb.EndpointInfo{{Address: OutEndpoint, Type: usb.Bulk, MaxPacketSize: 512}}
	if cfg.Bidirectional {
		proto = usbprint.ProtocolBidirectional
		eps = append(eps, usb.EndpointInfo{Address: InEndpoint, Type: usb.Bulk, MaxPacketSize: 512})
	}
	info := usb.DeviceInfo{
		VID: cfg.VID, PID: cfg.PID,
		Manufacturer: cfg.Manufacturer, Product: cfg.Product, Serial: cfg.Serial,
		Interfaces: []usb.InterfaceInfo{{
			Config: 1, Number: 0, Class: usb.ClassPrinter,
			SubClass: usbprint.SubClassPrinter, Protocol: proto, Endpoints: eps,
		}},
	}
	if cfg.IPPUSB {
		for i := 1; i <= 2; i++ {
			info.Interfaces = append(info.Interfaces, usb.InterfaceInfo{
				Config: 1, Number: i, Class: usb.ClassPrinter,
				SubClass: usbprint.SubClassPrinter, Protocol: usbprint.ProtocolIPPUSB,
				Endpoints: []usb.EndpointInfo{
					{Address: usb.EndpointAddress(1 + 2*i), Type: usb.Bulk, MaxPacketSize: 512},
					{Address: usb.EndpointIn | usb.EndpointAddress(2+2*i), Type: usb.Bulk, MaxPacketSize: 512},
				},
			})
		}
	}
	return info
}

// EncodeDeviceID returns id with its two-byte big-endian length prefix, as
// GET_DEVICE_ID answers it.
func EncodeDeviceID(id string) []byte {
	n := len(id) + 2
	return append([]byte{byte(n >> 8), byte(n)}, id...)
}

// SetStatus sets the port status byte the printer reports.
func (p *Printer) SetStatus(s usbprint.PortStatus) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status = s
}

// SetDeviceIDAnswer sets the raw answer to GET_DEVICE_ID, length prefix
// included, to imitate printers that get it wrong.
func (p *Printer) SetDeviceIDAnswer(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.answer = append([]byte(nil), b...)
}

// Received returns the print data the printer accepted.
func (p *Printer) Received() []byte { return p.Endpoint(OutEndpoint).Written() }

// Resets returns how many SOFT_RESET requests the printer received.
func (p *Printer) Resets() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.resets
}

// control answers the printer-class requests addressed to interface 0 and stalls
// everything else, as a printer does.
func (p *Printer) control(_ context.Context, s usb.Setup, data []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	const class = usb.RequestClass | usb.RecipientInterface
	switch {
	case s.RequestType == usb.RequestIn|class && s.Request == usbprint.RequestGetDeviceID && s.Index == 0:
		return copy(data, p.answer), nil
	case s.RequestType == usb.RequestIn|class && s.Request == usbprint.RequestGetPortStatus && s.Index == 0 && len(data) >= 1:
		data[0] = byte(p.status)
		return 1, nil
	case s.RequestType == usb.RequestOut|class && s.Request == usbprint.RequestSoftReset && s.Index == 0:
		p.resets++
		return 0, nil
	}
	return 0, usb.ErrStall
}
