package staff

// pin.go: which PINs an account may have.

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// PIN lengths, in characters. Six digits against a lock-out after ten failures leave
// a guesser one chance in 100,000 per account.
const (
	MinPINLen = 6
	MaxPINLen = 64
)

// CheckPIN refuses a PIN that is too short or too long, is not UTF-8, holds a control
// character, or is one character repeated (111111) or a straight run of digits
// (123456, 987654). The error never repeats the PIN.
func CheckPIN(pin []byte) error {
	if !utf8.Valid(pin) {
		return fmt.Errorf("%w: not UTF-8 text", ErrWeakPIN)
	}
	n := utf8.RuneCount(pin)
	if n < MinPINLen || n > MaxPINLen {
		return fmt.Errorf("%w: %d characters, want %d to %d", ErrWeakPIN, n, MinPINLen, MaxPINLen)
	}
	// Walked as bytes, never converted to a string, which could not be wiped.
	var first, prev rune
	same, up, down := true, true, true
	for i, rest := 0, pin; len(rest) > 0; i++ {
		r, size := utf8.DecodeRune(rest)
		rest = rest[size:]
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: holds a control character", ErrWeakPIN)
		}
		if i == 0 {
			first = r
			up, down = isDigit(r), isDigit(r)
		} else {
			same = same && r == first
			up = up && isDigit(r) && r == prev+1
			down = down && isDigit(r) && r == prev-1
		}
		prev = r
	}
	switch {
	case same:
		return fmt.Errorf("%w: one character repeated", ErrWeakPIN)
	case up || down:
		return fmt.Errorf("%w: a straight run of digits", ErrWeakPIN)
	}
	return nil
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
