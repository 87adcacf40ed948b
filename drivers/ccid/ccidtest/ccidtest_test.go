package ccidtest

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"certkiosk/drivers/ccid"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConfigDescriptor(t *testing.T) {
	for _, cfg := range []Config{
		{Level: ccid.LevelTPDU},
		{Level: ccid.LevelExtendedAPDU, Slots: 3, MaxMessageLength: 1034, NoInterrupt: true},
	} {
		raw := ConfigDescriptor(cfg)
		if total := int(raw[2]) | int(raw[3])<<8; total != len(raw) {
			t.Errorf("wTotalLength %d, descriptor of %d bytes", total, len(raw))
		}
		info := Descriptors(cfg)
		d, err := ccid.FindDescriptor(raw, info.Interfaces[0])
		if err != nil {
			t.Fatal(err)
		}
		if d != Descriptor(cfg) || d.Level() != cfg.Level || d.Slots() != cfg.slots() || int(d.MaxMessageLength) != cfg.maxMessage() {
			t.Errorf("FindDescriptor() = %+v, want %+v", d, Descriptor(cfg))
		}
		if want := 3; cfg.NoInterrupt {
			if n := len(info.Interfaces[0].Endpoints); n != want-1 || raw[13] != byte(n) {
				t.Errorf("%d endpoints, bNumEndpoints %d", n, raw[13])
			}
		}
	}
}

func TestIFSCOf(t *testing.T) {
	for atr, want := range map[string]int{
		"3B DB 96 00 80 B1 FE 45 1F 83 00 12 23 3F 53 65 49 44 0F 90 00 F1": 254,
		"3B 80 81 31 20 45 55": 32,
		"3B 80 81 11 10 00":    16, // TCK not checked here
		"3B 02 14 50":          32,
		"3B 80 01 81":          32,
		"3B":                   32,
		"3B 81 81":             32, // TD2 announced, missing
	} {
		if got := ifscOf(unhex(t, atr)); got != want {
			t.Errorf("ifscOf(%s) = %d, want %d", atr, got, want)
		}
	}
}

// TestCardT1 drives the card's side of T=1 with blocks written out by hand.
func TestCardT1(t *testing.T) {
	echo := func(apdu []byte) []byte { return append(bytes.Clone(apdu), 0x90, 0x00) }
	c := newCardT1(unhex(t, "3B 80 81 31 20 45 55"))
	for i, step := range []struct{ in, want string }{
		{"00 C1 01 04 C4", "00 E1 01 04 E4"},          // IFSD 4
		{"00 20 02 01 02 21", "00 90 00 90"},          // I(0,M): R(1)
		{"00 40 01 03 42", "00 20 04 01 02 03 90 B4"}, // I(1): the answer, chained by 4
		{"00 90 00 90", "00 40 01 00 41"},             // R(1): the rest
		{"00 90 00 90", "00 40 01 00 41"},             // R(1) again: repeat
		{"00 00 01 05 04", "00 00 03 05 90 00 96"},    // next command, I(0)
		{"00 40 01 06 47", "00 40 03 06 90 00 D5"},    // I(1)
		{"00 00 01 07 06", "00 00 03 07 90 00 94"},    // I(0)
		{"00 40 01 06 46", "00 91 00 91"},             // bad LRC: R(1), EDC error
		{"00 C0 00 C0", "00 E0 00 E0"},                // RESYNCH
		{"00 00 01 08 09", "00 00 03 08 90 00 9B"},    // I(0) after resync, IFSD 32 again
		{"00 C2 00 C2", "00 E2 00 E2"},                // ABORT
		{"00 40 01 09 48", "00 40 03 09 90 00 DA"},    // I(1)
		{"00 E3 01 01 E3", "00 82 00 82"},             // WTX response never asked for
	} {
		if got := c.receive(unhex(t, step.in), echo, 0); !bytes.Equal(got, unhex(t, step.want)) {
			t.Fatalf("step %d: receive(%s) = % X, want %s", i+1, step.in, got, step.want)
		}
	}

	c = newCardT1(unhex(t, "3B 80 81 31 20 45 55"))
	if got := c.receive(unhex(t, "00 00 01 0A 0B"), echo, 2); !bytes.Equal(got, unhex(t, "00 C3 01 02 C0")) {
		t.Fatalf("receive with WTX = % X, want S(WTX request 02)", got)
	}
	if got := c.receive(unhex(t, "00 E3 01 02 E0"), echo, 2); !bytes.Equal(got, unhex(t, "00 00 03 0A 90 00 99")) {
		t.Fatalf("receive(S(WTX response)) = % X", got)
	}
}
