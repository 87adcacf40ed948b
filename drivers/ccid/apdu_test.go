package ccid

import (
	"errors"
	"strings"
	"testing"
)

func TestClassifyAPDU(t *testing.T) {
	ext := func(lc int) string { return strings.Repeat(" 11", lc) }
	for _, tc := range []struct {
		name string
		in   string
		want APDUCase
		bad  bool
	}{
		{"case 1", "00 A4 00 0C", APDUCase{Case: 1}, false},
		{"case 2 short", "00 B0 00 00 10", APDUCase{Case: 2, Ne: 16}, false},
		{"case 2 short Le 00", "00 B0 00 00 00", APDUCase{Case: 2, Ne: 256}, false},
		{"case 3 short", "00 A4 02 0C 02 50 01", APDUCase{Case: 3, Nc: 2}, false},
		{"case 4 short", "00 A4 04 00 02 50 00 00", APDUCase{Case: 4, Nc: 2, Ne: 256}, false},
		{"case 2 extended", "00 B0 00 00 00 03 00", APDUCase{Case: 2, Extended: true, Ne: 768}, false},
		{"case 2 extended Le 0000", "00 B0 00 00 00 00 00", APDUCase{Case: 2, Extended: true, Ne: 65536}, false},
		{"case 3 extended", "00 D6 00 00 00 01 00" + ext(256), APDUCase{Case: 3, Extended: true, Nc: 256}, false},
		{"case 4 extended", "00 2A 9E 9A 00 00 03 01 02 03 00 00", APDUCase{Case: 4, Extended: true, Nc: 3, Ne: 65536}, false},
		{"too short", "00 A4 00", APDUCase{}, true},
		{"Lc too big", "00 A4 02 0C 03 50 01", APDUCase{}, true},
		{"Lc too small", "00 A4 02 0C 01 50 01 00 00", APDUCase{}, true},
		{"extended field cut", "00 B0 00 00 00 01", APDUCase{}, true},
		{"extended Lc 0", "00 D6 00 00 00 00 00 11", APDUCase{}, true},
		{"extended Lc wrong", "00 D6 00 00 00 00 05 11 22", APDUCase{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ClassifyAPDU(unhex(t, tc.in))
			if tc.bad {
				if !errors.Is(err, ErrAPDU) {
					t.Fatalf("ClassifyAPDU(%s) = %+v, %v, want ErrAPDU", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ClassifyAPDU(%s) = %+v, %v, want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}
