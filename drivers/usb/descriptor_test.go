package usb

import "testing"

func TestDeviceInfoNames(t *testing.T) {
	d := DeviceInfo{Bus: 1, Address: 7, Path: []int{1, 4}, VID: 0x04f9, PID: 0x0042, Serial: "E12345"}
	if got, want := d.Location(), "1-1.4"; got != want {
		t.Errorf("Location() = %q, want %q", got, want)
	}
	if got, want := d.String(), "04f9:0042/E12345 at 1-1.4"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	d.Path = nil
	if got, want := d.Location(), "1:7"; got != want {
		t.Errorf("Location() without path = %q, want %q", got, want)
	}
	moved := d
	moved.Address = 8
	if d.Key() == moved.Key() {
		t.Errorf("Key() = %q for two addresses", d.Key())
	}
}

func TestEndpointAddress(t *testing.T) {
	tests := []struct {
		a    EndpointAddress
		in   bool
		num  int
		name string
	}{
		{0x01, false, 1, "0x01"},
		{0x82, true, 2, "0x82"},
		{0x8f, true, 15, "0x8f"},
	}
	for _, tt := range tests {
		if tt.a.IsIn() != tt.in || tt.a.Number() != tt.num || tt.a.String() != tt.name {
			t.Errorf("EndpointAddress(%#x) = in %v, number %d, %q; want %v, %d, %q", uint8(tt.a), tt.a.IsIn(), tt.a.Number(), tt.a.String(), tt.in, tt.num, tt.name)
		}
	}
}

func TestInterfaceEndpoint(t *testing.T) {
	i := InterfaceInfo{Endpoints: []EndpointInfo{
		{Address: 0x81, Type: Interrupt},
		{Address: 0x02, Type: Bulk},
		{Address: 0x83, Type: Bulk},
	}}
	if ep, ok := i.Endpoint(true, Bulk); !ok || ep.Address != 0x83 {
		t.Errorf("Endpoint(in, bulk) = %v, %v, want 0x83", ep.Address, ok)
	}
	if ep, ok := i.Endpoint(true, Interrupt); !ok || ep.Address != 0x81 {
		t.Errorf("Endpoint(in, interrupt) = %v, %v, want 0x81", ep.Address, ok)
	}
	if _, ok := i.Endpoint(false, Interrupt); ok {
		t.Errorf("Endpoint(out, interrupt) found one, want none")
	}
}

func TestClassString(t *testing.T) {
	if got := ClassSmartCard.String(); got != "smart-card" {
		t.Errorf("ClassSmartCard.String() = %q", got)
	}
	if got := Class(0x42).String(); got != "class-42" {
		t.Errorf("Class(0x42).String() = %q", got)
	}
}
