package staff

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckPIN(t *testing.T) {
	tests := []struct {
		pin string
		ok  bool
	}{
		{"482916", true},
		{"48291", false},                   // too short
		{strings.Repeat("4829", 16), true}, // 64 characters
		{strings.Repeat("4829", 16) + "1", false},
		{"пароль7", true}, // letters of any script are characters
		{"111111", false}, // one character repeated
		{"ääääää", false},
		{"123456", false}, // straight runs
		{"3456789", false},
		{"987654", false},
		{"123457", true},
		{"012345a", true},   // a run, then something else
		{"4829\n16", false}, // control character
		{"4829\x0016", false},
		{"\xff48291", false}, // not UTF-8
	}
	for _, tt := range tests {
		err := CheckPIN([]byte(tt.pin))
		if (err == nil) != tt.ok {
			t.Errorf("CheckPIN(%q) = %v, want ok %v", tt.pin, err, tt.ok)
		}
		if err != nil {
			if !errors.Is(err, ErrWeakPIN) {
				t.Errorf("CheckPIN(%q) = %v, want ErrWeakPIN", tt.pin, err)
			}
			if len(tt.pin) >= 4 && strings.Contains(err.Error(), tt.pin[:4]) {
				t.Errorf("CheckPIN(%q) = %q repeats the PIN", tt.pin, err)
			}
		}
	}
}
