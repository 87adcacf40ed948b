package eid

import (
	"bytes"
	"errors"
	"testing"
)

func TestCommandEncode(t *testing.T) {
	data255 := bytes.Repeat([]byte{0xAB}, 255)
	data256 := bytes.Repeat([]byte{0xCD}, 256)
	tests := []struct {
		name string
		cmd  Command
		want []byte
		cas  int
		ext  bool
	}{
		{"case 1", Command{CLA: 0x00, INS: 0xA4, P1: 0x00, P2: 0x0C}, h("00 A4 00 0C"), 1, false},
		{"case 1, extended asked", Command{INS: 0xA4, P2: 0x0C, Extended: true}, h("00 A4 00 0C"), 1, false},
		{"case 2S", Command{INS: 0xB0, Ne: 0xE7}, h("00 B0 00 00 E7"), 2, false},
		{"case 2S, Ne 256 is 00", Command{INS: 0xB0, Ne: 256}, h("00 B0 00 00 00"), 2, false},
		{"case 2S, Ne 1", Command{INS: 0xB0, P1: 0x01, P2: 0x02, Ne: 1}, h("00 B0 01 02 01"), 2, false},
		{"case 2E, Ne 257", Command{INS: 0xB0, Ne: 257}, h("00 B0 00 00 00 01 01"), 2, true},
		{"case 2E, Ne 65536 is 0000", Command{INS: 0xB0, Ne: 65536}, h("00 B0 00 00 00 00 00"), 2, true},
		{"case 2E forced", Command{INS: 0xB0, Ne: 16, Extended: true}, h("00 B0 00 00 00 00 10"), 2, true},
		{"case 3S", Command{INS: 0xA4, P1: 0x01, P2: 0x0C, Data: h("50 00")}, h("00 A4 01 0C 02 50 00"), 3, false},
		{"case 3S, 255 bytes", Command{INS: 0xD6, Data: data255}, append(h("00 D6 00 00 FF"), data255...), 3, false},
		{"case 3E, 256 bytes", Command{INS: 0xD6, Data: data256}, append(h("00 D6 00 00 00 01 00"), data256...), 3, true},
		{"case 3E forced", Command{INS: 0x20, P2: 0x01, Data: h("31 32"), Extended: true}, h("00 20 00 01 00 00 02 31 32"), 3, true},
		{"case 4S", Command{INS: 0xA4, P1: 0x02, P2: 0x04, Data: h("50 01"), Ne: 256}, h("00 A4 02 04 02 50 01 00"), 4, false},
		{"case 4S, Ne 10", Command{CLA: 0x80, INS: 0xCA, Data: h("01"), Ne: 10}, h("80 CA 00 00 01 01 0A"), 4, false},
		{"case 4E by data", Command{INS: 0x2A, P1: 0x9E, P2: 0x9A, Data: data256, Ne: 256},
			append(append(h("00 2A 9E 9A 00 01 00"), data256...), 0x01, 0x00), 4, true},
		{"case 4E by Ne", Command{INS: 0x88, Data: h("01 02"), Ne: 65536}, h("00 88 00 00 00 00 02 01 02 00 00"), 4, true},
		{"case 4E by Ne 300", Command{INS: 0x88, Data: h("01"), Ne: 300}, h("00 88 00 00 00 00 01 01 01 2C"), 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.cmd.Encode()
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Fatalf("Encode() = %X, %v, want %X", got, err, tt.want)
			}
			if c := tt.cmd.Case(); c != tt.cas {
				t.Errorf("Case() = %d, want %d", c, tt.cas)
			}
			if e := tt.cmd.IsExtended(); e != tt.ext {
				t.Errorf("IsExtended() = %t, want %t", e, tt.ext)
			}
			back, err := ParseCommand(got)
			if err != nil {
				t.Fatalf("ParseCommand(%X): %v", got, err)
			}
			again, err := back.Encode()
			if err != nil || !bytes.Equal(again, got) {
				t.Errorf("ParseCommand(%X).Encode() = %X, %v", got, again, err)
			}
			if back.Ne != tt.cmd.Ne || !bytes.Equal(back.Data, tt.cmd.Data) || back.INS != tt.cmd.INS {
				t.Errorf("ParseCommand(%X) = %+v, want %+v", got, back, tt.cmd)
			}
		})
	}
}

func TestCommandEncodeErrors(t *testing.T) {
	for _, cmd := range []Command{
		{INS: 0xD6, Data: make([]byte, 65536)},
		{INS: 0xB0, Ne: 65537},
		{INS: 0xB0, Ne: -1},
	} {
		if got, err := cmd.Encode(); !errors.Is(err, ErrCommand) {
			t.Errorf("Encode(Nc %d, Ne %d) = %X, %v, want ErrCommand", len(cmd.Data), cmd.Ne, got, err)
		}
	}
}

func TestParseCommandErrors(t *testing.T) {
	for _, b := range [][]byte{
		h(""), h("00 A4 00"),
		h("00 A4 00 0C 02 50"),          // Lc 2, one byte
		h("00 A4 00 0C 02 50 00 00 00"), // Lc 2, three more bytes
		h("00 B0 00 00 00 01"),          // extended, truncated
		h("00 D6 00 00 00 00 00 01"),    // extended Lc of 0
		h("00 D6 00 00 00 00 02 01"),    // extended Lc 2, one byte
	} {
		if c, err := ParseCommand(b); !errors.Is(err, ErrCommand) {
			t.Errorf("ParseCommand(%X) = %+v, %v, want ErrCommand", b, c, err)
		}
	}
}

func TestParseResponse(t *testing.T) {
	tests := []struct {
		in   []byte
		data []byte
		sw   SW
	}{
		{h("90 00"), nil, SWOK},
		{h("6A 82"), nil, SWFileNotFound},
		{h("01 02 03 90 00"), h("01 02 03"), SWOK},
		{h("41 62 82"), h("41"), SWEndOfFile},
		{h("63 C2"), nil, 0x63C2},
		{append(make([]byte, 65536), 0x90, 0x00), make([]byte, 65536), SWOK},
	}
	for _, tt := range tests {
		r, err := ParseResponse(tt.in)
		if err != nil || r.SW != tt.sw || !bytes.Equal(r.Data, tt.data) {
			t.Errorf("ParseResponse(%X) = %X %s, %v, want %X %s", tt.in, r.Data, r.SW, err, tt.data, tt.sw)
			continue
		}
		if !bytes.Equal(r.Bytes(), tt.in) {
			t.Errorf("ParseResponse(%X).Bytes() = %X", tt.in, r.Bytes())
		}
		if len(r.Data) > 0 {
			tt.in[0] ^= 0xFF
			if r.Data[0] == tt.in[0] {
				t.Errorf("ParseResponse(%X): data shares memory with the input", tt.in)
			}
		}
	}
	for _, b := range [][]byte{nil, h("90"), make([]byte, 65539)} {
		if r, err := ParseResponse(b); !errors.Is(err, ErrResponse) {
			t.Errorf("ParseResponse(%d bytes) = %+v, %v, want ErrResponse", len(b), r, err)
		}
	}
}
