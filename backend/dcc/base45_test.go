package dcc

// Tests of the Base45 codec: RFC 9285 examples, must-fail inputs, fuzzing.

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// base45Examples are the examples of RFC 9285 §4.3 and §4.4, plus edge cases.
var base45Examples = []struct {
	raw, encoded string
}{
	{"AB", "BB8"},                       // §4.3
	{"Hello!!", "%69 VD92EX0"},          // §4.3
	{"base-45", "UJCLQE7W581"},          // §4.3
	{"ietf!", "QED8WEX0"},               // §4.4
	{"", ""},                            // nothing in, nothing out
	{"\x00", "00"},                      // smallest single byte
	{"\xff", "U5"},                      // 255 = 30 + 5*45
	{"\x00\x00", "000"},                 // smallest pair
	{"\xff\xff", "FGW"},                 // 65535 = 15 + 16*45 + 32*2025
	{"\xff\xff\xff", "FGWU5"},           // pair then single
	{"\x00\x01\x02", "100" + "20"},      // values in order c, d, e
	{"\x01\x00\x00\x00", "V50" + "000"}, // 256 = 31 + 5*45
}

func TestEncodeBase45(t *testing.T) {
	for _, tc := range base45Examples {
		if got := EncodeBase45([]byte(tc.raw)); got != tc.encoded {
			t.Errorf("EncodeBase45(%q) = %q, want %q", tc.raw, got, tc.encoded)
		}
	}
}

func TestDecodeBase45(t *testing.T) {
	for _, tc := range base45Examples {
		got, err := DecodeBase45(tc.encoded)
		if err != nil || !bytes.Equal(got, []byte(tc.raw)) {
			t.Errorf("DecodeBase45(%q) = %q, %v, want %q, nil", tc.encoded, got, err, tc.raw)
		}
	}
}

func TestDecodeBase45Errors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   error
		offset int
	}{
		{"dangling single character", "A", ErrBase45Dangling, 0},
		{"dangling after a triplet", "BB8A", ErrBase45Dangling, 3},
		{"triplet above 0xFFFF", "GGW", ErrBase45Overflow, 0}, // 65536
		{"largest triplet", ":::", ErrBase45Overflow, 0},
		{"second triplet above 0xFFFF", "BB8GGW", ErrBase45Overflow, 3},
		{"final pair above 0xFF", "BB8V5", ErrBase45Overflow, 3}, // 256 = 31 + 5*45
		{"largest pair", "::", ErrBase45Overflow, 0},
		{"lower case", "bb8", ErrBase45Char, 0},
		{"character outside the alphabet", "BB#", ErrBase45Char, 2},
		{"equals sign", "BB8U5=", ErrBase45Char, 5},
		{"non-ASCII", "B\xc3\xa9", ErrBase45Char, 1},
		{"NUL", "BB\x00", ErrBase45Char, 2},
		{"line break", "BB8\nBB", ErrBase45Char, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeBase45(tc.in)
			if !errors.Is(err, tc.want) || !errors.Is(err, ErrBase45) {
				t.Fatalf("DecodeBase45(%q) = %q, %v, want error %v", tc.in, got, err, tc.want)
			}
			var be *Base45Error
			if !errors.As(err, &be) || be.Offset != tc.offset {
				t.Errorf("DecodeBase45(%q) error offset = %+v, want %d", tc.in, be, tc.offset)
			}
			if !strings.HasPrefix(err.Error(), "dcc: base45: ") {
				t.Errorf("DecodeBase45(%q) error = %q, want prefix %q", tc.in, err, "dcc: base45: ")
			}
		})
	}
}

func TestBase45RoundTripAllPairs(t *testing.T) {
	// Every two-byte value, and every single byte, survives a round trip.
	buf := make([]byte, 0, 2*65536+1)
	for n := range 65536 {
		buf = append(buf, byte(n>>8), byte(n))
	}
	for _, tail := range [][]byte{nil, {0x00}, {0x7f}, {0xff}} {
		in := append(buf[:len(buf):len(buf)], tail...)
		got, err := DecodeBase45(EncodeBase45(in))
		if err != nil || !bytes.Equal(got, in) {
			t.Errorf("DecodeBase45(EncodeBase45(all pairs + % x)) = %d bytes, %v, want %d bytes", tail, len(got), err, len(in))
		}
	}
}

// FuzzBase45Decode checks that decoding never panics, that whatever decodes
// re-encodes to the same text (Base45 has one encoding per byte string) and that any
// bytes survive an encode-decode round trip.
func FuzzBase45Decode(f *testing.F) {
	for _, tc := range base45Examples {
		f.Add(tc.encoded)
	}
	for _, s := range []string{"GGW", "::", "A", "bb8", "BB8\n", "FGW FGW"} {
		f.Add(s)
	}
	for _, v := range fuzzSeedVectors(f) {
		if body, ok := strings.CutPrefix(v.prefix, HC1Prefix); ok {
			f.Add(body)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := DecodeBase45(s)
		if err == nil {
			if again := EncodeBase45(got); again != s {
				t.Errorf("EncodeBase45(DecodeBase45(%q)) = %q, want the input", s, again)
			}
		} else if !errors.Is(err, ErrBase45) {
			t.Errorf("DecodeBase45(%q) error = %v, want one matching ErrBase45", s, err)
		}
		back, err := DecodeBase45(EncodeBase45([]byte(s)))
		if err != nil || !bytes.Equal(back, []byte(s)) {
			t.Errorf("DecodeBase45(EncodeBase45(%q)) = %q, %v, want the input", s, back, err)
		}
	})
}
