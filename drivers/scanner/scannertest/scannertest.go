// Package scannertest holds fake scanners on a usbtest bus, one for each way a
// scanner reaches the host: a keyboard-mode scanner (a HID boot keyboard that can
// type text as a US-layout scanner does), a HID POS scanner (scanned data reports
// in the aim-64 format), and a CDC ACM serial scanner. Each embeds its
// usbtest.Device, for unplugging, fault injection and the transfer log.
package scannertest

// scannertest.go: Config and the three fake scanners.

import (
	"context"
	"slices"
	"sync"

	"certkiosk/drivers/scanner"
	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
)

// Endpoint addresses of the fakes.
const (
	// KeyboardIn and POSIn are the interrupt IN endpoints of the HID fakes.
	KeyboardIn usb.EndpointAddress = 0x81
	POSIn      usb.EndpointAddress = 0x81
	// SerialIn and SerialOut are the bulk endpoints of the CDC data interface,
	// SerialNotify the control interface's interrupt endpoint.
	SerialIn     usb.EndpointAddress = 0x82
	SerialOut    usb.EndpointAddress = 0x01
	SerialNotify usb.EndpointAddress = 0x83
)

// Config describes a fake scanner.
type Config struct {
	VID, PID     usb.ID
	Manufacturer string
	Product      string
	Serial       string
	// Country is the HID country code a keyboard announces in its HID descriptor
	// (scanner.CountryGerman…); 0 for none.
	Country uint8
}

// Requests the fakes answer.
const (
	hidClassOut     = usb.RequestOut | usb.RequestClass | usb.RecipientInterface
	hidDescriptorIn = usb.RequestIn | usb.RequestStandard | usb.RecipientInterface
)

// BootKeyboardReportDescriptor is the boot keyboard report descriptor of HID 1.11
// Appendix E.6: modifiers, a reserved byte, five LEDs out, six key slots.
func BootKeyboardReportDescriptor() []byte {
	return []byte{
		0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, // Generic Desktop, Keyboard, Collection (Application)
		0x05, 0x07, 0x19, 0xe0, 0x29, 0xe7, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02, // modifiers
		0x95, 0x01, 0x75, 0x08, 0x81, 0x01, // reserved
		0x95, 0x05, 0x75, 0x01, 0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02, // LEDs
		0x95, 0x01, 0x75, 0x03, 0x91, 0x01, // LED padding
		0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, // keys
		0xc0,
	}
}

// POSReportDescriptor is a report descriptor for the aim-64 scanned data report,
// written for the tests: the Bar Code Scanner page's application collection with
// a Scanned Data Report of report ID 2 — a length byte in a vendor page (the POS
// tables define no length usage), Symbology Identifiers 1 to 3, 56 bytes of
// Decoded Data, a vendor symbology byte, a reserved byte, and the Decode Data
// Continued bit.
func POSReportDescriptor() []byte {
	return []byte{
		0x06, 0x8c, 0x00, 0x09, 0x02, 0xa1, 0x01, // Bar Code Scanner page, Bar Code Scanner, Collection (Application)
		0x09, 0x12, 0xa1, 0x02, 0x85, 0x02, // Scanned Data Report, Collection (Logical), Report ID 2
		0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95, 0x01, // bytes
		0x06, 0x66, 0xff, 0x09, 0x01, 0x81, 0x02, // data length (vendor page)
		0x06, 0x8c, 0x00, 0x09, 0xfb, 0x09, 0xfc, 0x09, 0xfd, 0x95, 0x03, 0x81, 0x02, // Symbology Identifier 1-3
		0x09, 0xfe, 0x95, 0x38, 0x82, 0x02, 0x01, // Decoded Data, 56 buffered bytes
		0x06, 0x66, 0xff, 0x09, 0x02, 0x95, 0x01, 0x81, 0x02, // maker's symbology code
		0x81, 0x03, // reserved
		0x06, 0x8c, 0x00, 0x09, 0xff, 0x25, 0x01, 0x75, 0x01, 0x81, 0x02, // Decode Data Continued
		0x75, 0x07, 0x81, 0x03, // padding
		0xc0, 0xc0,
	}
}

// hidDescriptor is interface 0's HID descriptor (HID 1.11 §6.2.1).
func hidDescriptor(country uint8, reportLength int) []byte {
	return []byte{9, 0x21, 0x11, 0x01, country, 1, 0x22, byte(reportLength), byte(reportLength >> 8)}
}

// Keyboard is a fake keyboard-mode scanner: a boot keyboard on interface 0.
type Keyboard struct {
	*usbtest.Device

	mu       sync.Mutex
	country  uint8
	boot     bool
	idleZero bool
}

// KeyboardDescriptors returns the descriptors of a keyboard-mode scanner: one
// boot keyboard interface with an 8-byte interrupt IN endpoint.
func KeyboardDescriptors(cfg Config) usb.DeviceInfo {
	return deviceInfo(cfg, usb.InterfaceInfo{
		Config: 1, Number: 0, Class: usb.ClassHID, SubClass: scanner.SubClassBoot, Protocol: scanner.ProtocolKeyboard,
		Endpoints: []usb.EndpointInfo{{Address: KeyboardIn, Type: usb.Interrupt, MaxPacketSize: 8}},
	})
}

// NewKeyboard returns a fake keyboard-mode scanner, not yet plugged in.
func NewKeyboard(cfg Config) *Keyboard {
	k := &Keyboard{Device: usbtest.NewDevice(KeyboardDescriptors(cfg)), country: cfg.Country}
	k.HandleControl(k.control)
	return k
}

func (k *Keyboard) control(_ context.Context, s usb.Setup, data []byte) (int, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	switch {
	case s.RequestType == hidClassOut && s.Request == 0x0b && s.Index == 0: // SET_PROTOCOL
		k.boot = s.Value == 0
		return 0, nil
	case s.RequestType == hidClassOut && s.Request == 0x0a && s.Index == 0: // SET_IDLE
		k.idleZero = s.Value>>8 == 0
		return 0, nil
	case s.RequestType == hidDescriptorIn && s.Request == 0x06 && s.Value == 0x2100 && s.Index == 0:
		return copy(data, hidDescriptor(k.country, len(BootKeyboardReportDescriptor()))), nil
	case s.RequestType == hidDescriptorIn && s.Request == 0x06 && s.Value == 0x2200 && s.Index == 0:
		return copy(data, BootKeyboardReportDescriptor()), nil
	}
	return 0, usb.ErrStall
}

// Boot reports whether the host asked for the boot protocol and for no idle
// repeats.
func (k *Keyboard) Boot() (protocol, idleZero bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.boot, k.idleZero
}

// Reports queues input reports for the host to read, one per transfer.
func (k *Keyboard) Reports(reports ...[]byte) { k.Endpoint(KeyboardIn).Queue(reports...) }

// Type queues the reports of a US-layout scanner typing text, one key at a time
// (see TypeUS).
func (k *Keyboard) Type(text string) error {
	reports, err := TypeUS(text, false)
	if err != nil {
		return err
	}
	k.Reports(reports...)
	return nil
}

// POS is a fake HID POS scanner: interface 0, a HID interface (not a boot
// keyboard) with a 64-byte interrupt IN endpoint, whose report descriptor names
// the Bar Code Scanner page.
type POS struct {
	*usbtest.Device

	mu       sync.Mutex
	features [][]byte
	report   []byte
}

// POSDescriptors returns the descriptors of a HID POS scanner.
func POSDescriptors(cfg Config) usb.DeviceInfo {
	return deviceInfo(cfg, usb.InterfaceInfo{
		Config: 1, Number: 0, Class: usb.ClassHID,
		Endpoints: []usb.EndpointInfo{
			{Address: POSIn, Type: usb.Interrupt, MaxPacketSize: 64},
			{Address: 0x02, Type: usb.Interrupt, MaxPacketSize: 64},
		},
	})
}

// NewPOS returns a fake HID POS scanner, not yet plugged in.
func NewPOS(cfg Config) *POS {
	p := &POS{Device: usbtest.NewDevice(POSDescriptors(cfg)), report: POSReportDescriptor()}
	p.HandleControl(p.control)
	return p
}

// SetReportDescriptor replaces the report descriptor the scanner answers with
// (nil: it stalls the request, as some scanners do).
func (p *POS) SetReportDescriptor(d []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.report = slices.Clone(d)
}

func (p *POS) control(_ context.Context, s usb.Setup, data []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case s.RequestType == hidDescriptorIn && s.Request == 0x06 && s.Value == 0x2100 && s.Index == 0:
		return copy(data, hidDescriptor(0, len(p.report))), nil
	case s.RequestType == hidDescriptorIn && s.Request == 0x06 && s.Value == 0x2200 && s.Index == 0 && p.report != nil:
		return copy(data, p.report), nil
	case s.RequestType == hidClassOut && s.Request == 0x09 && s.Value>>8 == 0x03 && s.Index == 0: // SET_REPORT feature
		p.features = append(p.features, slices.Clone(data))
		return len(data), nil
	}
	return 0, usb.ErrStall
}

// FeatureReports returns the feature reports the host set, in order.
func (p *POS) FeatureReports() [][]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.features)
}

// Reports queues input reports for the host to read, one per transfer.
func (p *POS) Reports(reports ...[]byte) { p.Endpoint(POSIn).Queue(reports...) }

// Scan queues the reports of one read (see POSReports).
func (p *POS) Scan(symbology string, data []byte) { p.Reports(POSReports(symbology, data)...) }

// POSReports returns the aim-64 scanned data reports of one read: 56 bytes of
// data a report, each but the last with the continued bit, every report carrying
// the symbology.
func POSReports(symbology string, data []byte) [][]byte {
	f := scanner.POSFormatAIM64()
	var reports [][]byte
	for first := true; first || len(data) > 0; first = false {
		r := make([]byte, f.Size)
		r[0] = f.ReportID
		n := copy(r[f.DataAt:f.DataAt+f.DataMax], data)
		r[f.LengthAt] = byte(n)
		copy(r[f.SymbologyAt:f.SymbologyAt+3], symbology)
		data = data[n:]
		if len(data) > 0 {
			r[f.ContinuedAt] |= f.ContinuedMask
		}
		reports = append(reports, r)
	}
	return reports
}

// Serial is a fake CDC ACM serial scanner: the control interface 0 and the data
// interface 1.
type Serial struct {
	*usbtest.Device

	mu        sync.Mutex
	lineState []uint16
}

// SerialDescriptors returns the descriptors of a CDC ACM serial scanner.
func SerialDescriptors(cfg Config) usb.DeviceInfo {
	return deviceInfo(cfg,
		usb.InterfaceInfo{
			Config: 1, Number: 0, Class: usb.ClassComm, SubClass: scanner.SubClassACM, Protocol: 0x01,
			Endpoints: []usb.EndpointInfo{{Address: SerialNotify, Type: usb.Interrupt, MaxPacketSize: 8}},
		},
		usb.InterfaceInfo{
			Config: 1, Number: 1, Class: usb.ClassCDCData,
			Endpoints: []usb.EndpointInfo{
				{Address: SerialOut, Type: usb.Bulk, MaxPacketSize: 64},
				{Address: SerialIn, Type: usb.Bulk, MaxPacketSize: 64},
			},
		})
}

// NewSerial returns a fake serial scanner, not yet plugged in.
func NewSerial(cfg Config) *Serial {
	s := &Serial{Device: usbtest.NewDevice(SerialDescriptors(cfg))}
	s.HandleControl(s.control)
	return s
}

func (s *Serial) control(_ context.Context, st usb.Setup, data []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case st.RequestType == hidClassOut && st.Request == 0x22 && st.Index == 0: // SET_CONTROL_LINE_STATE
		s.lineState = append(s.lineState, st.Value)
		return 0, nil
	case st.RequestType == hidClassOut && st.Request == 0x20 && st.Index == 0: // SET_LINE_CODING
		return len(data), nil
	}
	return 0, usb.ErrStall
}

// LineStates returns the control line states the host set (bit 0 DTR, bit 1
// RTS), in order.
func (s *Serial) LineStates() []uint16 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.lineState)
}

// Send queues bulk transfers for the host to read, one per chunk.
func (s *Serial) Send(chunks ...[]byte) { s.Endpoint(SerialIn).Queue(chunks...) }

// SendString queues text as one transfer per chunk.
func (s *Serial) SendString(chunks ...string) {
	for _, c := range chunks {
		s.Send([]byte(c))
	}
}

func deviceInfo(cfg Config, intfs ...usb.InterfaceInfo) usb.DeviceInfo {
	return usb.DeviceInfo{
		VID: cfg.VID, PID: cfg.PID,
		Manufacturer: cfg.Manufacturer, Product: cfg.Product, Serial: cfg.Serial,
		Interfaces: intfs,
	}
}
