package scanner

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// play feeds chunks to f, a chunk "|" standing for the stream going quiet, and
// returns what was taken: each scan, or "!" and the error.
func play(f *framer, chunks ...string) []string {
	var out []string
	takeAll := func() {
		for {
			scan, ok, err := f.take()
			if !ok {
				return
			}
			if err != nil {
				out = append(out, "!"+err.Error())
				continue
			}
			out = append(out, string(scan))
		}
	}
	for _, c := range chunks {
		if c == "|" {
			f.quiet()
		} else {
			f.write([]byte(c))
		}
		takeAll()
	}
	return out
}

func TestFramer(t *testing.T) {
	tests := []struct {
		name           string
		prefix, suffix string
		gap            time.Duration
		max            int
		chunks         []string
		want           []string
	}{
		{"lines until quiet", "", "", 0, 0, []string{"P<UTO\r", "L898\r", "|"}, []string{"P<UTO\rL898"}},
		{"CR LF split across chunks", "", "", 0, 0, []string{"AB\r", "\nCD\r\n", "|", "\n", "EF\n", "|"}, []string{"AB\r\nCD", "EF"}},
		{"line ends between scans dropped", "", "", 0, 0, []string{"\r\n\r\nX\n", "|"}, []string{"X"}},
		{"no line end, ends when quiet", "", "", 0, 0, []string{"12345", "|"}, []string{"12345"}},
		{"quiet with nothing", "", "", 0, 0, []string{"|", "\r", "|"}, nil},
		{"every line end ends a scan", "", "", -1, 0, []string{"A\r\nB\rC", "\n"}, []string{"A", "B", "C"}},
		{"suffix", "", "\x03", 0, 0, []string{"AB\x03CD", "\x03"}, []string{"AB", "CD"}},
		{"suffix of two bytes split", "", "\r\t", 0, 0, []string{"AB\r", "\tC\rD\r\t"}, []string{"AB", "C\rD"}},
		{"prefix and suffix", "\x02", "\x03", 0, 0, []string{"\x02AB\x03\x02", "CD\x03"}, []string{"AB", "CD"}},
		{"prefix without suffix", "]Q1", "", 0, 0, []string{"]Q1HC1:X\r", "|"}, []string{"HC1:X"}},
		{"GS and RS kept", "", "", 0, 0, []string{"01\x1d17\x1e\r", "|"}, []string{"01\x1d17\x1e"}},
		{"too long", "", "", 0, 8, []string{"123456789", "0\r", "|", "12\r", "|"}, []string{"!" + ErrTooLong.Error(), "12"}},
		{"too long with a suffix", "", "\x03", 0, 4, []string{"123456\x03AB\x03"}, []string{"!" + ErrTooLong.Error(), "AB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFramer([]byte(tt.prefix), []byte(tt.suffix), tt.gap, 0, tt.max)
			got := play(f, tt.chunks...)
			if strings.Join(got, "·") != strings.Join(tt.want, "·") {
				t.Errorf("scans of %q = %q, want %q", tt.chunks, got, tt.want)
			}
		})
	}
}

func TestFramerWait(t *testing.T) {
	f := newFramer(nil, nil, 0, 0, 0)
	if w := f.wait(); w != 0 {
		t.Errorf("wait() with nothing = %v, want 0", w)
	}
	f.write([]byte("AB"))
	if w := f.wait(); w != DefaultIdle {
		t.Errorf("wait() mid-line = %v, want %v", w, DefaultIdle)
	}
	f.write([]byte("\r"))
	if w := f.wait(); w != DefaultGap {
		t.Errorf("wait() after a line end = %v, want %v", w, DefaultGap)
	}
	if f.pending() != 3 {
		t.Errorf("pending() = %d, want 3", f.pending())
	}
	f.discard()
	if _, ok, _ := f.take(); ok || f.wait() != 0 {
		t.Errorf("after discard a scan is pending")
	}
	f = newFramer(nil, nil, 0, 0, 2)
	f.write([]byte("ABC"))
	if w := f.wait(); w != DefaultIdle {
		t.Errorf("wait() while dropping a long scan = %v, want %v", w, DefaultIdle)
	}
	f.quiet()
	if _, ok, err := f.take(); !ok || !errors.Is(err, ErrTooLong) {
		t.Errorf("take() after a long scan = %v, %v, want ErrTooLong", ok, err)
	}
}
