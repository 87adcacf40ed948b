package usbprint

import (
	"errors"
	"strings"
	"testing"

	"certkiosk/drivers/usb"
)

func setting(num, alt int, class usb.Class, proto uint8, eps ...usb.EndpointAddress) usb.InterfaceInfo {
	s := usb.InterfaceInfo{Config: 1, Number: num, Alternate: alt, Class: class, SubClass: SubClassPrinter, Protocol: proto}
	for _, a := range eps {
		s.Endpoints = append(s.Endpoints, usb.EndpointInfo{Address: a, Type: usb.Bulk, MaxPacketSize: 512})
	}
	return s
}

func TestChooseInterface(t *testing.T) {
	uni := setting(0, 0, usb.ClassPrinter, ProtocolUnidirectional, 0x01)
	bidi := setting(0, 1, usb.ClassPrinter, ProtocolBidirectional, 0x01, 0x82)
	ipp1 := setting(1, 0, usb.ClassPrinter, ProtocolIPPUSB, 0x03, 0x84)
	ipp2 := setting(2, 0, usb.ClassPrinter, ProtocolIPPUSB, 0x05, 0x86)
	vendor := setting(0, 0, usb.ClassVendor, ProtocolBidirectional, 0x01, 0x82)
	bidiNoIn := setting(0, 0, usb.ClassPrinter, ProtocolBidirectional, 0x01)
	storage := usb.InterfaceInfo{Config: 1, Number: 3, Class: usb.ClassMassStorage, Endpoints: []usb.EndpointInfo{{Address: 0x07, Type: usb.Bulk}}}
	tests := []struct {
		name     string
		settings []usb.InterfaceInfo
		q        Quirk
		want     usb.InterfaceInfo
		bidi     bool
	}{
		{"bidirectional preferred", []usb.InterfaceInfo{uni, bidi}, Quirk{}, bidi, true},
		{"unidirectional only", []usb.InterfaceInfo{uni, storage}, Quirk{}, uni, false},
		{"IPP over USB beside the printer interface is skipped", []usb.InterfaceInfo{ipp1, bidi, ipp2}, Quirk{}, bidi, true},
		{"quirk: unidirectional setting preferred", []usb.InterfaceInfo{uni, bidi}, Quirk{Unidirectional: true}, uni, false},
		{"quirk: bidirectional setting used one way", []usb.InterfaceInfo{bidi}, Quirk{Unidirectional: true}, bidi, false},
		{"protocol 2 without bulk IN is one way", []usb.InterfaceInfo{bidiNoIn}, Quirk{}, bidiNoIn, false},
		{"quirk: vendor class", []usb.InterfaceInfo{storage, vendor}, Quirk{VendorClass: true}, vendor, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ChooseInterface(usb.DeviceInfo{VID: 1, PID: 2, Interfaces: tt.settings}, tt.q)
			if err != nil {
				t.Fatalf("ChooseInterface() error = %v", err)
			}
			if c.Setting.Number != tt.want.Number || c.Setting.Alternate != tt.want.Alternate || c.Setting.Class != tt.want.Class || c.Bidirectional != tt.bidi || c.Out.Address != 0x01 {
				t.Errorf("ChooseInterface() = %v bidirectional %v out %v, want %v bidirectional %v out 0x01", c.Setting, c.Bidirectional, c.Out.Address, tt.want, tt.bidi)
			}
			if c.Bidirectional && c.In.Address != 0x82 {
				t.Errorf("ChooseInterface() in = %v, want 0x82", c.In.Address)
			}
		})
	}
}

func TestChooseInterfaceRejects(t *testing.T) {
	ipp := setting(0, 0, usb.ClassPrinter, ProtocolIPPUSB, 0x01, 0x82)
	tests := []struct {
		name     string
		settings []usb.InterfaceInfo
		want     string
	}{
		{"IPP over USB only", []usb.InterfaceInfo{ipp}, "ipp-usb"},
		{"vendor class without quirk", []usb.InterfaceInfo{setting(0, 0, usb.ClassVendor, 2, 0x01, 0x82)}, "no printer-class"},
		{"1284.4 only", []usb.InterfaceInfo{setting(0, 0, usb.ClassPrinter, ProtocolIEEE1284_4, 0x01, 0x82)}, "no printer-class"},
		{"no bulk OUT", []usb.InterfaceInfo{setting(0, 0, usb.ClassPrinter, ProtocolBidirectional, 0x82)}, "no printer-class"},
		{"not a printer", nil, "no printer-class"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ChooseInterface(usb.DeviceInfo{VID: 1, PID: 2, Interfaces: tt.settings}, Quirk{})
			if !errors.Is(err, ErrNotPrinter) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ChooseInterface() error = %v, want ErrNotPrinter mentioning %q", err, tt.want)
			}
		})
	}
}

func TestConfigIndex(t *testing.T) {
	d := usb.DeviceInfo{Interfaces: []usb.InterfaceInfo{{Config: 1}, {Config: 2}, {Config: 2, Number: 1}}}
	if got := configIndex(d, 2); got != 1 {
		t.Errorf("configIndex(config 2) = %d, want 1", got)
	}
	if got := configIndex(d, 1); got != 0 {
		t.Errorf("configIndex(config 1) = %d, want 0", got)
	}
}
