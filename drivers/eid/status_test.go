package eid

import (
	"errors"
	"fmt"
	"testing"
)

func TestStatusWords(t *testing.T) {
	tests := []struct {
		sw      SW
		str     string
		is      error // the sentinel it matches, or nil
		retries int   // -1: none
	}{
		{0x9000, "9000 (success)", nil, -1},
		{0x6A82, "6A82 (file or application not found)", ErrFileNotFound, -1},
		{0x6A83, "6A83 (record not found)", ErrFileNotFound, -1},
		{0x6982, "6982 (security status not satisfied)", ErrSecurityStatus, -1},
		{0x6983, "6983 (PIN blocked)", ErrPINBlocked, -1},
		{0x63C2, "63C2 (verification failed, 2 tries left)", ErrWrongPIN, 2},
		{0x63C1, "63C1 (verification failed, 1 try left)", ErrWrongPIN, 1},
		{0x63C0, "63C0 (verification failed, no tries left)", ErrWrongPIN, 0},
		{0x6300, "6300 (verification failed)", ErrWrongPIN, -1},
		{0x6282, "6282 (end of file or record reached before Ne bytes)", nil, -1},
		{0x6B00, "6B00 (wrong parameters P1-P2, offset outside the file)", nil, -1},
		{0x6110, "6110 (16 more bytes to get)", nil, -1},
		{0x6C00, "6C00 (wrong Le, 256 bytes available)", nil, -1},
		{0x6D00, "6D00 (instruction not supported)", nil, -1},
		{0x9F12, "9F12", nil, -1},
	}
	sentinels := []error{ErrFileNotFound, ErrSecurityStatus, ErrPINBlocked, ErrWrongPIN}
	for _, tt := range tests {
		if got := tt.sw.String(); got != tt.str {
			t.Errorf("SW(%04X).String() = %q, want %q", uint16(tt.sw), got, tt.str)
		}
		n, ok := tt.sw.RetriesLeft()
		if tt.retries >= 0 && (!ok || n != tt.retries) || tt.retries < 0 && ok {
			t.Errorf("SW(%04X).RetriesLeft() = %d, %t, want %d", uint16(tt.sw), n, ok, tt.retries)
		}
		err := Response{SW: tt.sw}.Err()
		if tt.sw.OK() {
			if err != nil {
				t.Errorf("Response{9000}.Err() = %v", err)
			}
			continue
		}
		wrapped := fmt.Errorf("select EF 5001: %w", err)
		var se *StatusError
		if !errors.As(wrapped, &se) || se.SW != tt.sw {
			t.Errorf("errors.As(%v) = %v, want *StatusError %04X", wrapped, se, uint16(tt.sw))
		}
		for _, s := range sentinels {
			if got := errors.Is(wrapped, s); got != (s == tt.is) {
				t.Errorf("errors.Is(%v, %v) = %t", wrapped, s, got)
			}
		}
	}
}
