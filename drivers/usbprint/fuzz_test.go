package usbprint

import (
	"maps"
	"testing"
)

// FuzzParseDeviceID checks that any string parses without panicking and that a
// parsed ID survives String and ParseDeviceID unchanged. Seeds: the parse table
// and testdata/fuzz/FuzzParseDeviceID.
func FuzzParseDeviceID(f *testing.F) {
	for _, s := range []string{
		"MFG:HP;MDL:HP LaserJet Pro M404dn;CMD:PJL,PCL,PCLXL,PDF;CLS:PRINTER;",
		"MANUFACTURER:Zebra Technologies;COMMAND SET:ZPL;MODEL:ZTC GK420d",
		" mfg : x ;;: ;MDL",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseDeviceID(s)
		if err != nil {
			return
		}
		again, err := ParseDeviceID(id.String())
		if err != nil || !maps.Equal(again, id) {
			t.Fatalf("ParseDeviceID(%q) = %v; after String() %q: %v, %v", s, id, id.String(), again, err)
		}
		_ = id.CommandSet()
		_ = id.Supports("PDF")
	})
}

// FuzzDecodeDeviceID feeds arbitrary GET_DEVICE_ID answers, length prefix
// included, in every length order. Seeds: testdata/fuzz/FuzzDecodeDeviceID.
func FuzzDecodeDeviceID(f *testing.F) {
	f.Add([]byte("\x00\x1aMFG:HP;MDL:LaserJet;CMD:PDF;"), 0)
	f.Add([]byte("\x1a\x00MFG:HP;MDL:LaserJet;CMD:PDF;"), 2)
	f.Fuzz(func(t *testing.T, b []byte, order int) {
		o := LengthOrder(order % 3)
		if o < 0 {
			o = -o
		}
		id, err := DecodeDeviceID(b, o)
		if err != nil {
			return
		}
		if len(id) == 0 {
			t.Fatalf("DecodeDeviceID(%q) = empty ID without error", b)
		}
		for k, v := range id {
			if len(k)+len(v) > len(b) {
				t.Fatalf("DecodeDeviceID(%q): %q:%q is longer than the answer", b, k, v)
			}
		}
		if _, err := ParseDeviceID(id.String()); err != nil {
			t.Fatalf("DecodeDeviceID(%q) = %v, which does not parse again: %v", b, id, err)
		}
	})
}
