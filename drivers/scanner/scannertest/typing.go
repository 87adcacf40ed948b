package scannertest

// typing.go: the reports a keyboard-mode scanner set to the US layout sends to
// type a text. The table is written out character by character, apart from the
// decoder's layout tables, so that tests of one check the other.

import (
	"fmt"
	"strings"
)

// Modifier bits of a boot keyboard report.
const (
	leftCtrl  = 0x01
	leftShift = 0x02
)

// stroke is one key press: the key's usage and the modifiers held with it.
type stroke struct{ usage, mods byte }

// usStroke returns the key a US-layout keyboard presses for r.
func usStroke(r rune) (stroke, bool) {
	switch {
	case 'a' <= r && r <= 'z':
		return stroke{0x04 + byte(r-'a'), 0}, true
	case 'A' <= r && r <= 'Z':
		return stroke{0x04 + byte(r-'A'), leftShift}, true
	case '1' <= r && r <= '9':
		return stroke{0x1e + byte(r-'1'), 0}, true
	case r == '0':
		return stroke{0x27, 0}, true
	}
	punctuation := map[rune]stroke{
		'!': {0x1e, leftShift}, '@': {0x1f, leftShift}, '#': {0x20, leftShift}, '$': {0x21, leftShift},
		'%': {0x22, leftShift}, '^': {0x23, leftShift}, '&': {0x24, leftShift}, '*': {0x25, leftShift},
		'(': {0x26, leftShift}, ')': {0x27, leftShift},
		'-': {0x2d, 0}, '_': {0x2d, leftShift}, '=': {0x2e, 0}, '+': {0x2e, leftShift},
		'[': {0x2f, 0}, '{': {0x2f, leftShift}, ']': {0x30, 0}, '}': {0x30, leftShift},
		'\\': {0x31, 0}, '|': {0x31, leftShift}, ';': {0x33, 0}, ':': {0x33, leftShift},
		'\'': {0x34, 0}, '"': {0x34, leftShift}, '`': {0x35, 0}, '~': {0x35, leftShift},
		',': {0x36, 0}, '<': {0x36, leftShift}, '.': {0x37, 0}, '>': {0x37, leftShift},
		'/': {0x38, 0}, '?': {0x38, leftShift},
		' ': {0x2c, 0}, '\r': {0x28, 0}, '\n': {0x28, 0}, '\t': {0x2b, 0}, 0x1b: {0x29, 0},
		// The separators of GS1 and ISO/IEC 15434 codes, as scanners type them.
		0x1c: {0x31, leftCtrl},             // FS: Ctrl+\
		0x1d: {0x30, leftCtrl},             // GS: Ctrl+]
		0x1e: {0x23, leftCtrl | leftShift}, // RS: Ctrl+^
		0x1f: {0x2d, leftCtrl | leftShift}, // US: Ctrl+_
	}
	if s, ok := punctuation[r]; ok {
		return s, true
	}
	if 0x01 <= r && r <= 0x1a { // Ctrl+A … Ctrl+Z (EOT is Ctrl+D)
		return stroke{0x04 + byte(r-1), leftCtrl}, true
	}
	return stroke{}, false
}

// report returns a boot keyboard report with the given modifiers and keys down.
func report(mods byte, keys ...byte) []byte {
	r := make([]byte, 8)
	r[0] = mods
	copy(r[2:], keys)
	return r
}

// TypeUS returns the reports that type text on the US layout. Without rollover
// every character is a press and a release. With rollover the next key goes down
// before the last comes up when both need the same modifiers, as fast scanners
// do: [a], [a b], [b], … so a decoder must not type a held key twice.
// A character the layout cannot type is an error.
func TypeUS(text string, rollover bool) ([][]byte, error) {
	var reports [][]byte
	var held stroke
	holding := false
	for i, r := range text {
		s, ok := usStroke(r)
		if !ok {
			return nil, fmt.Errorf("scannertest: %q (at byte %d) cannot be typed on the US layout", r, i)
		}
		switch {
		case !rollover:
			reports = append(reports, report(s.mods, s.usage), report(0))
		case holding && s.mods == held.mods && s.usage != held.usage:
			reports = append(reports, report(s.mods, held.usage, s.usage), report(s.mods, s.usage))
		case holding:
			reports = append(reports, report(0), report(s.mods, s.usage))
		default:
			reports = append(reports, report(s.mods, s.usage))
		}
		held, holding = s, rollover
	}
	if rollover && holding {
		reports = append(reports, report(0))
	}
	return reports, nil
}

// AltCode returns the reports that type a character with Left Alt and the keypad
// digits of its decimal code, as scanners in "Alt mode" do: "029" types GS.
func AltCode(digits string) ([][]byte, error) {
	const leftAlt = 0x04
	reports := [][]byte{report(leftAlt)}
	for _, d := range digits {
		if d < '0' || d > '9' {
			return nil, fmt.Errorf("scannertest: Alt code %q is not decimal digits", digits)
		}
		usage := byte(0x62) // keypad 0
		if d != '0' {
			usage = 0x59 + byte(d-'1')
		}
		reports = append(reports, report(leftAlt, usage), report(leftAlt))
	}
	return append(reports, report(0)), nil
}

// FormatReports writes reports as the in-lines of a usbtest recording on
// endpoint ep, one report a line: the form of the recordings in testdata.
func FormatReports(ep byte, reports [][]byte) string {
	var b strings.Builder
	for _, r := range reports {
		fmt.Fprintf(&b, "in %02x %x\n", ep, r)
	}
	return b.String()
}
