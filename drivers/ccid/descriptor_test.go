package ccid

import (
	"bytes"
	"errors"
	"testing"

	"certkiosk/drivers/usb"
)

// A TPDU-level CCID class descriptor, as the table of CCID rev 1.1 §5.1 lays
// it out: one slot, 5/3/1.8 V, T=0 and T=1, 4 MHz, 10752 bps up to 344100
// bps, IFSD 254, dwFeatures 000100BA, 271-byte messages.
const tpduDescriptor = "36 21 1001 00 07 03000000 a00f0000 a00f0000 00 002a0000 24400500 00" +
	" fe000000 00000000 00000000 ba000100 0f010000 ff ff 0000 00 01"

func TestParseDescriptor(t *testing.T) {
	raw := unhex(t, tpduDescriptor)
	d, err := ParseDescriptor(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := Descriptor{
		CCIDVersion: 0x0110, VoltageSupport: 7, Protocols: 3, DefaultClock: 4000, MaximumClock: 4000,
		DataRate: 10752, MaxDataRate: 344100, MaxIFSD: 254, Features: 0x000100ba, MaxMessageLength: 271,
		ClassGetResponse: 0xff, ClassEnvelope: 0xff, MaxCCIDBusySlots: 1,
	}
	if d != want {
		t.Errorf("ParseDescriptor() = %+v, want %+v", d, want)
	}
	if d.Level() != LevelTPDU || d.Slots() != 1 {
		t.Errorf("Level() = %v, Slots() = %d", d.Level(), d.Slots())
	}
	if got := d.Features.String(); got != "auto-parameters,auto-voltage,auto-clock,auto-baud-rate,auto-PPS,TPDU" {
		t.Errorf("Features.String() = %q", got)
	}
	if enc := d.Encode(); !bytes.Equal(enc, raw) {
		t.Errorf("Encode() = % x, want % x", enc, raw)
	}
	for _, bad := range [][]byte{raw[:53], append([]byte{0x35}, raw[1:]...), append([]byte{0x36, 0x24}, raw[2:]...)} {
		if _, err := ParseDescriptor(bad); !errors.Is(err, ErrDescriptor) {
			t.Errorf("ParseDescriptor(% x…) = %v, want ErrDescriptor", bad[:4], err)
		}
	}
	small := bytes.Clone(raw)
	small[44], small[45] = 0x10, 0x00 // dwMaxCCIDMessageLength 16
	if _, err := ParseDescriptor(small); !errors.Is(err, ErrDescriptor) {
		t.Errorf("ParseDescriptor(16-byte messages) = %v, want ErrDescriptor", err)
	}
}

func TestFeaturesLevel(t *testing.T) {
	for f, want := range map[Features]Level{
		0x000100ba: LevelTPDU, 0x000204ba: LevelShortAPDU, 0x000404ba: LevelExtendedAPDU,
		0x000000ba: LevelCharacter, 0x00060000: LevelExtendedAPDU,
	} {
		if got := f.Level(); got != want {
			t.Errorf("Features(%08x).Level() = %v, want %v", uint32(f), got, want)
		}
	}
	if got := Features(0x80000000).String(); got != "0x80000000" {
		t.Errorf("String() = %q", got)
	}
}

func TestFindDescriptor(t *testing.T) {
	ccidDesc := unhex(t, tpduDescriptor)
	config := func(body ...[]byte) []byte {
		b := []byte{9, 2, 0, 0, 1, 1, 0, 0x80, 0x32}
		for _, p := range body {
			b = append(b, p...)
		}
		b[2], b[3] = byte(len(b)), byte(len(b)>>8)
		return b
	}
	intf := unhex(t, "09 04 00 00 03 0b 00 00 00")
	eps := unhex(t, "07 05 01 02 4000 00  07 05 82 02 4000 00  07 05 83 03 0800 10")
	setting := usb.InterfaceInfo{Config: 1, Number: 0, Class: usb.ClassSmartCard}
	for _, tc := range []struct {
		name   string
		config []byte
		want   error
	}{
		{"after the interface", config(intf, ccidDesc, eps), nil},
		{"after the endpoints", config(intf, eps, ccidDesc), nil},
		{"in another interface", config(intf, eps, unhex(t, "09 04 01 00 00 0b 00 00 00"), ccidDesc), ErrNotReader},
		{"missing", config(intf, eps), ErrNotReader},
		{"zero bLength", config(intf, []byte{0, 5}), ErrDescriptor},
		{"bLength past the end", config(intf, []byte{7, 5, 1}), ErrDescriptor},
		{"short CCID descriptor", config(intf, ccidDesc[:20]), ErrDescriptor},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.config
			if tc.name == "short CCID descriptor" {
				cfg[len(cfg)-20] = 20
			}
			d, err := FindDescriptor(cfg, setting)
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("FindDescriptor() = %v, want %v", err, tc.want)
				}
				return
			}
			if err != nil || d.MaxMessageLength != 271 {
				t.Fatalf("FindDescriptor() = %+v, %v", d, err)
			}
		})
	}
	if _, err := FindDescriptor(config(intf, ccidDesc), usb.InterfaceInfo{Config: 2}); !errors.Is(err, ErrDescriptor) {
		t.Errorf("FindDescriptor(other configuration) = %v, want ErrDescriptor", err)
	}
}
