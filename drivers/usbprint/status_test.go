package usbprint

import "testing"

func TestPortStatus(t *testing.T) {
	tests := []struct {
		s                          PortStatus
		paper, selected, fault, ok bool
		name                       string
	}{
		{0x18, false, true, false, true, "0x18 ok"},
		{0x38, true, true, false, false, "0x38 paper-empty"},
		{0x20, true, false, true, false, "0x20 paper-empty,not-selected,error"},
		{0x08, false, false, false, false, "0x08 not-selected"},
		{0x10, false, true, true, false, "0x10 error"},
		{0xdf, false, true, false, true, "0xdf ok"}, // reserved bits are ignored
	}
	for _, tt := range tests {
		if tt.s.PaperEmpty() != tt.paper || tt.s.Selected() != tt.selected || tt.s.Fault() != tt.fault || tt.s.OK() != tt.ok || tt.s.String() != tt.name {
			t.Errorf("PortStatus(%#02x) = paper-empty %v, selected %v, fault %v, ok %v, %q; want %v, %v, %v, %v, %q",
				uint8(tt.s), tt.s.PaperEmpty(), tt.s.Selected(), tt.s.Fault(), tt.s.OK(), tt.s.String(), tt.paper, tt.selected, tt.fault, tt.ok, tt.name)
		}
	}
}
