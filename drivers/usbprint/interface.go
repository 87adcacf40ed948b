package usbprint

// interface.go: choosing the printer interface among a device's settings (USB
// printer class 1.1 §4.1: class 7, subclass 1, protocol 1 unidirectional, 2
// bidirectional; protocol 4 is IPP over USB and not ours).

import (
	"fmt"
	"slices"

	"certkiosk/drivers/usb"
)

// Printer class codes.
const (
	SubClassPrinter        uint8 = 0x01
	ProtocolUnidirectional uint8 = 0x01
	ProtocolBidirectional  uint8 = 0x02
	ProtocolIEEE1284_4     uint8 = 0x03 // 1284.4 multiplexed channels; not used
	ProtocolIPPUSB         uint8 = 0x04 // IPP over USB; not used
)

// Choice is the interface setting chosen for printing, with its endpoints.
type Choice struct {
	Setting usb.InterfaceInfo
	Out     usb.EndpointInfo // bulk OUT, for print data
	// In is the bulk IN back channel; meaningful only when Bidirectional.
	In            usb.EndpointInfo
	Bidirectional bool
}

// ChooseInterface picks the setting to print through: a printer-class setting
// with a bulk OUT endpoint, bidirectional (protocol 2 with a bulk IN endpoint)
// rather than unidirectional unless q says the back channel must not be used, in
// the lowest configuration and interface. IPP-over-USB and 1284.4 settings are
// never chosen.
func ChooseInterface(d usb.DeviceInfo, q Quirk) (Choice, error) {
	var cands []Choice
	ipp := false
	for _, s := range d.Interfaces {
		printer := s.Class == usb.ClassPrinter && s.SubClass == SubClassPrinter
		vendor := q.VendorClass && s.Class == usb.ClassVendor
		if !printer && !vendor {
			continue
		}
		if s.Protocol == ProtocolIPPUSB {
			ipp = true
			continue
		}
		if printer && s.Protocol != ProtocolUnidirectional && s.Protocol != ProtocolBidirectional {
			continue
		}
		out, ok := s.Endpoint(false, usb.Bulk)
		if !ok {
			continue
		}
		c := Choice{Setting: s, Out: out}
		if in, ok := s.Endpoint(true, usb.Bulk); ok && s.Protocol == ProtocolBidirectional && !q.Unidirectional {
			c.In, c.Bidirectional = in, true
		}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		if ipp {
			return Choice{}, fmt.Errorf("%w: %s offers only IPP over USB (reach it through ipp-usb and an ipp:// URI)", ErrNotPrinter, d)
		}
		return Choice{}, fmt.Errorf("%w: %s", ErrNotPrinter, d)
	}
	rank := func(c Choice) int {
		switch {
		case c.Bidirectional:
			return 0
		case c.Setting.Protocol == ProtocolUnidirectional:
			return 1
		}
		return 2 // a bidirectional setting used one way only
	}
	if q.Unidirectional {
		rank = func(c Choice) int {
			if c.Setting.Protocol == ProtocolUnidirectional {
				return 0
			}
			return 1
		}
	}
	slices.SortStableFunc(cands, func(a, b Choice) int { return rank(a) - rank(b) })
	return cands[0], nil
}

// configIndex returns the position of configuration cfg among the device's
// configurations, which GET_DEVICE_ID takes as wValue.
func configIndex(d usb.DeviceInfo, cfg int) int {
	var values []int
	for _, s := range d.Interfaces {
		if !slices.Contains(values, s.Config) {
			values = append(values, s.Config)
		}
	}
	slices.Sort(values)
	return max(0, slices.Index(values, cfg))
}
