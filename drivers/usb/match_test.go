package usb

import (
	"errors"
	"testing"
)

func TestParseMatch(t *testing.T) {
	tests := []struct {
		in   string
		want Match
	}{
		{"04f9:0042", Match{VID: 0x04f9, PID: 0x0042}},
		{"03F0:C42A/VNB3K12345", Match{VID: 0x03f0, PID: 0xc42a, Serial: "VNB3K12345"}},
		{"0x0a5f:0x00d3/XXRXJ1234567", Match{VID: 0x0a5f, PID: 0x00d3, Serial: "XXRXJ1234567"}},
		{"4b8:e", Match{VID: 0x04b8, PID: 0x000e}},
		{"04b8:0e28/A/B", Match{VID: 0x04b8, PID: 0x0e28, Serial: "A/B"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMatch(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseMatch(%q) = %+v, %v, want %+v", tt.in, got, err, tt.want)
			}
			if again, err := ParseMatch(got.String()); err != nil || again != got {
				t.Errorf("ParseMatch(%q) = %+v, %v, want %+v", got.String(), again, err, got)
			}
		})
	}
}

func TestParseMatchRejects(t *testing.T) {
	for _, in := range []string{"", "04f9", "04f9:", ":0042", "04f9:0042/", "04f9:00420", "zz:0042", "04f9:00g2", "0000:0042", "04f9-0042", " 04f9:0042"} {
		t.Run(in, func(t *testing.T) {
			if m, err := ParseMatch(in); !errors.Is(err, ErrBadMatch) {
				t.Errorf("ParseMatch(%q) = %+v, %v, want ErrBadMatch", in, m, err)
			}
		})
	}
}

func TestMatchMatches(t *testing.T) {
	printer := DeviceInfo{VID: 0x04f9, PID: 0x0042, Serial: "E12345  ", Interfaces: []InterfaceInfo{{Class: ClassPrinter, SubClass: 1, Protocol: 2}}}
	reader := DeviceInfo{VID: 0x076b, PID: 0x3031, Class: ClassSmartCard}
	tests := []struct {
		name string
		m    Match
		d    DeviceInfo
		want bool
	}{
		{"zero matches all", Match{}, printer, true},
		{"vid pid", Match{VID: 0x04f9, PID: 0x0042}, printer, true},
		{"other pid", Match{VID: 0x04f9, PID: 0x0043}, printer, false},
		{"serial padded by the device", Match{VID: 0x04f9, PID: 0x0042, Serial: "E12345"}, printer, true},
		{"other serial", Match{Serial: "E99999"}, printer, false},
		{"interface class", Match{Class: ClassPrinter}, printer, true},
		{"device class", Match{Class: ClassSmartCard}, reader, true},
		{"class absent", Match{Class: ClassSmartCard}, printer, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Matches(tt.d); got != tt.want {
				t.Errorf("%v.Matches(%v) = %v, want %v", tt.m, tt.d, got, tt.want)
			}
		})
	}
}

func TestMatchString(t *testing.T) {
	tests := []struct {
		m    Match
		want string
	}{
		{Match{}, "any"},
		{Match{Class: ClassSmartCard}, "class=0b"},
		{Match{VID: 0x3f0, PID: 0xc42a, Serial: "X1"}, "03f0:c42a/X1"},
		{Match{VID: 0x3f0, PID: 0xc42a, Class: ClassPrinter}, "03f0:c42a class=07"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func FuzzParseMatch(f *testing.F) {
	for _, s := range []string{"04f9:0042", "03F0:C42A/VNB3K12345", "0x0a5f:0x00d3/X", "::", "/", "0:0/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMatch(s)
		if err != nil {
			return
		}
		again, err := ParseMatch(m.String())
		if err != nil || again != m {
			t.Fatalf("ParseMatch(%q) = %+v; ParseMatch(%q) = %+v, %v", s, m, m.String(), again, err)
		}
	})
}
