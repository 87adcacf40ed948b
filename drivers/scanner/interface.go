package scanner

// interface.go: choosing the interface a scanner is read through among a device's
// settings, and telling a scanner's likely mode from its descriptors alone.

import (
	"context"
	"fmt"

	"certkiosk/drivers/usb"
)

// CDC codes (USB CDC 1.2 §4.3, PSTN 1.2 §3.2).
const (
	SubClassACM                    uint8 = 0x02
	requestSetControlLineState     uint8 = 0x22
	controlLineDTR, controlLineRTS       = 0x01, 0x02
)

// Choice is the interface a scanner is read through.
type Choice struct {
	Mode    Mode
	Setting usb.InterfaceInfo
	// In is the endpoint scans arrive on: interrupt IN for HID, bulk IN for CDC.
	In usb.EndpointInfo
	// Comm is the CDC ACM control interface of a serial scanner, when it has
	// one; DTR is set through it.
	Comm *usb.InterfaceInfo
}

// isBootKeyboard reports whether s is a HID boot keyboard.
func isBootKeyboard(s usb.InterfaceInfo) bool {
	return s.Class == usb.ClassHID && s.SubClass == SubClassBoot && s.Protocol == ProtocolKeyboard
}

// candidates lists the settings of d that can carry scans in each mode, in
// descriptor order.
func candidates(d usb.DeviceInfo) (keyboard, hid, serial []Choice) {
	for _, s := range d.Interfaces {
		switch s.Class {
		case usb.ClassHID:
			ep, ok := s.Endpoint(true, usb.Interrupt)
			if !ok {
				continue
			}
			if isBootKeyboard(s) {
				keyboard = append(keyboard, Choice{Mode: ModeKeyboard, Setting: s, In: ep})
			} else {
				hid = append(hid, Choice{Mode: ModePOS, Setting: s, In: ep})
			}
		case usb.ClassCDCData:
			ep, ok := s.Endpoint(true, usb.Bulk)
			if !ok {
				continue
			}
			c := Choice{Mode: ModeSerial, Setting: s, In: ep}
			if comm, ok := commFor(d, s); ok {
				c.Comm = &comm
			}
			serial = append(serial, c)
		}
	}
	return keyboard, hid, serial
}

// commFor finds the ACM control interface that goes with data interface s: the
// one just before it in the same configuration, as composite devices lay them
// out, else the first one of that configuration.
func commFor(d usb.DeviceInfo, s usb.InterfaceInfo) (usb.InterfaceInfo, bool) {
	var first *usb.InterfaceInfo
	for i, c := range d.Interfaces {
		if c.Config != s.Config || c.Class != usb.ClassComm || c.SubClass != SubClassACM || c.Alternate != 0 {
			continue
		}
		if c.Number == s.Number-1 {
			return c, true
		}
		if first == nil {
			first = &d.Interfaces[i]
		}
	}
	if first != nil {
		return *first, true
	}
	return usb.InterfaceInfo{}, false
}

// ChooseInterface picks the interface to read dev through. With mode set it takes
// the first interface of that mode (for ModePOS, a HID interface whose report
// descriptor names the Bar Code Scanner page, else the first HID interface that
// is not a boot keyboard). Without, it prefers a HID interface that declares the
// Bar Code Scanner page, then a boot keyboard, then a CDC data interface. Reading
// a report descriptor claims the interface for a moment.
func ChooseInterface(ctx context.Context, dev usb.Device, mode Mode) (Choice, error) {
	info := dev.Info()
	keyboard, hid, serial := candidates(info)
	var pos []Choice
	if (mode == "" || mode == ModePOS) && len(hid) > 0 {
		for _, c := range hid {
			desc, err := peekReportDescriptor(ctx, dev, c.Setting)
			if err != nil {
				return Choice{}, fmt.Errorf("scanner: %s: %w", info, err)
			}
			if declaresBarCodeScanner(desc) {
				pos = append(pos, c)
			}
		}
	}
	switch mode {
	case ModeKeyboard:
		if len(keyboard) > 0 {
			return keyboard[0], nil
		}
	case ModePOS:
		if len(pos) > 0 {
			return pos[0], nil
		}
		if len(hid) > 0 {
			return hid[0], nil
		}
	case ModeSerial:
		if len(serial) > 0 {
			return serial[0], nil
		}
	case "":
		for _, list := range [][]Choice{pos, keyboard, serial} {
			if len(list) > 0 {
				return list[0], nil
			}
		}
		return Choice{}, fmt.Errorf("%w: %s has no bar code scanner HID interface, boot keyboard or CDC data interface", ErrNotScanner, info)
	default:
		return Choice{}, fmt.Errorf("scanner: %s: unknown mode %q", info, mode)
	}
	return Choice{}, fmt.Errorf("%w: %s has no %s interface", ErrNotScanner, info, mode)
}

// peekReportDescriptor claims s, reads its report descriptor and releases it.
func peekReportDescriptor(ctx context.Context, dev usb.Device, s usb.InterfaceInfo) ([]byte, error) {
	intf, err := dev.Claim(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("claim %s: %w", s, err)
	}
	defer intf.Release()
	return reportDescriptor(ctx, dev, s.Number)
}

// Likely returns the mode a scanner with descriptors d would probably be read in,
// without opening it: the quirk's mode, else a boot keyboard, else a CDC data
// interface, else "pos" for another HID interface (unconfirmed: only its report
// descriptor tells). It returns "" for a device with none of these.
func Likely(d usb.DeviceInfo, q Quirk) Mode {
	if q.Mode != "" {
		return q.Mode
	}
	keyboard, hid, serial := candidates(d)
	switch {
	case len(keyboard) > 0:
		return ModeKeyboard
	case len(serial) > 0:
		return ModeSerial
	case len(hid) > 0:
		return ModePOS
	}
	return ""
}
