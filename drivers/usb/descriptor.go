package usb

// descriptor.go: what a device says about itself, after the USB 2.0 specification
// §9.6 (device, configuration, interface and endpoint descriptors).

import (
	"fmt"
	"strconv"
	"strings"
)

// ID is a vendor or product identifier (idVendor, idProduct).
type ID uint16

// String returns the identifier as four lower-case hex digits, as lsusb prints it.
func (id ID) String() string { return fmt.Sprintf("%04x", uint16(id)) }

// Class is a USB class code (bDeviceClass, bInterfaceClass), as assigned by the
// USB-IF "Defined Class Codes" list.
type Class uint8

// Class codes the kiosk cares about.
const (
	ClassPerInterface  Class = 0x00 // device class: see each interface
	ClassComm          Class = 0x02 // CDC control (serial scanners)
	ClassHID           Class = 0x03 // HID (barcode scanners)
	ClassPrinter       Class = 0x07 // printer class
	ClassMassStorage   Class = 0x08
	ClassHub           Class = 0x09
	ClassCDCData       Class = 0x0a // CDC data
	ClassSmartCard     Class = 0x0b // CCID card readers
	ClassMiscellaneous Class = 0xef
	ClassVendor        Class = 0xff // vendor specific
)

// String names the class, or gives its hex code.
func (c Class) String() string {
	switch c {
	case ClassPerInterface:
		return "per-interface"
	case ClassComm:
		return "comm"
	case ClassHID:
		return "hid"
	case ClassPrinter:
		return "printer"
	case ClassMassStorage:
		return "mass-storage"
	case ClassHub:
		return "hub"
	case ClassCDCData:
		return "cdc-data"
	case ClassSmartCard:
		return "smart-card"
	case ClassMiscellaneous:
		return "miscellaneous"
	case ClassVendor:
		return "vendor"
	}
	return fmt.Sprintf("class-%02x", uint8(c))
}

// TransferType is an endpoint's transfer type (bmAttributes bits 1..0, §9.6.6).
type TransferType uint8

// Transfer types.
const (
	Control     TransferType = 0
	Isochronous TransferType = 1
	Bulk        TransferType = 2
	Interrupt   TransferType = 3
)

// String names the transfer type.
func (t TransferType) String() string {
	switch t {
	case Control:
		return "control"
	case Isochronous:
		return "isochronous"
	case Bulk:
		return "bulk"
	case Interrupt:
		return "interrupt"
	}
	return "transfer-" + strconv.Itoa(int(t))
}

// EndpointAddress is bEndpointAddress: the endpoint number in bits 3..0 and the
// direction in bit 7 (set for IN, device to host).
type EndpointAddress uint8

// EndpointIn is the direction bit of an IN endpoint's address.
const EndpointIn EndpointAddress = 0x80

// IsIn reports whether the endpoint sends data to the host.
func (a EndpointAddress) IsIn() bool { return a&EndpointIn != 0 }

// Number returns the endpoint number, without the direction bit.
func (a EndpointAddress) Number() int { return int(a & 0x0f) }

// String returns the address in hex, e.g. "0x81".
func (a EndpointAddress) String() string { return fmt.Sprintf("0x%02x", uint8(a)) }

// EndpointInfo describes one endpoint of an interface setting.
type EndpointInfo struct {
	Address       EndpointAddress
	Type          TransferType
	MaxPacketSize int
}

// InterfaceInfo describes one alternate setting of one interface of one
// configuration. A device lists every setting of every configuration.
type InterfaceInfo struct {
	Config    int // bConfigurationValue of the configuration holding it
	Number    int // bInterfaceNumber
	Alternate int // bAlternateSetting
	Class     Class
	SubClass  uint8
	Protocol  uint8
	Endpoints []EndpointInfo
}

// Endpoint returns the first endpoint of the given direction and type.
func (i InterfaceInfo) Endpoint(in bool, t TransferType) (EndpointInfo, bool) {
	for _, ep := range i.Endpoints {
		if ep.Address.IsIn() == in && ep.Type == t {
			return ep, true
		}
	}
	return EndpointInfo{}, false
}

// String describes the setting, e.g. "config 1 interface 0.0 printer/01/02".
func (i InterfaceInfo) String() string {
	return fmt.Sprintf("config %d interface %d.%d %s/%02x/%02x", i.Config, i.Number, i.Alternate, i.Class, i.SubClass, i.Protocol)
}

// DeviceInfo is what enumeration learns about a device: where it sits, who made it
// and what interfaces it offers.
type DeviceInfo struct {
	Bus     int   // bus number
	Address int   // address on the bus; a replugged device gets a new one
	Path    []int // ports from the root hub, e.g. [1 4] for "1-1.4"

	VID, PID ID
	// Manufacturer, Product and Serial are the string descriptors, empty when the
	// device has none or could not be opened to read them (no permission).
	Manufacturer string
	Product      string
	Serial       string

	Class    Class // bDeviceClass; ClassPerInterface for most devices
	SubClass uint8
	Protocol uint8

	Interfaces []InterfaceInfo
}

// HasClass reports whether the device, or any of its interfaces, is of class c.
func (d DeviceInfo) HasClass(c Class) bool {
	if d.Class == c {
		return true
	}
	for _, i := range d.Interfaces {
		if i.Class == c {
			return true
		}
	}
	return false
}

// Location returns where the device is plugged in, "bus-port.port…" as Linux
// names it (e.g. "1-1.4"), or "bus:address" when the path is unknown.
func (d DeviceInfo) Location() string {
	if len(d.Path) == 0 {
		return fmt.Sprintf("%d:%d", d.Bus, d.Address)
	}
	ports := make([]string, len(d.Path))
	for i, p := range d.Path {
		ports[i] = strconv.Itoa(p)
	}
	return strconv.Itoa(d.Bus) + "-" + strings.Join(ports, ".")
}

// Key identifies this attachment of the device: the same device unplugged and
// plugged in again gets a new address and so a new key.
func (d DeviceInfo) Key() string {
	return fmt.Sprintf("%d:%d %s:%s %s", d.Bus, d.Address, d.VID, d.PID, d.Serial)
}

// String returns "vid:pid[/serial] at location".
func (d DeviceInfo) String() string {
	s := d.VID.String() + ":" + d.PID.String()
	if d.Serial != "" {
		s += "/" + d.Serial
	}
	return s + " at " + d.Location()
}

// Setup is the setup packet of a control transfer (§9.3), without wLength: the
// length is that of the data buffer passed with it.
type Setup struct {
	RequestType uint8 // bmRequestType
	Request     uint8 // bRequest
	Value       uint16
	Index       uint16
}

// bmRequestType bits (§9.3.1).
const (
	RequestIn          uint8 = 0x80 // data stage device to host
	RequestOut         uint8 = 0x00
	RequestStandard    uint8 = 0x00
	RequestClass       uint8 = 0x20
	RequestVendor      uint8 = 0x40
	RecipientDevice    uint8 = 0x00
	RecipientInterface uint8 = 0x01
	RecipientEndpoint  uint8 = 0x02
	RecipientOther     uint8 = 0x03
)

// IsIn reports whether the request reads data from the device.
func (s Setup) IsIn() bool { return s.RequestType&RequestIn != 0 }

// String returns the setup packet's fields in hex.
func (s Setup) String() string {
	return fmt.Sprintf("%02x %02x %04x %04x", s.RequestType, s.Request, s.Value, s.Index)
}
