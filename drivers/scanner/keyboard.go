package scanner

// keyboard.go: KeyboardDecoder, which turns the input reports of a HID boot
// keyboard (HID 1.11 Appendix B.1) into the characters a keyboard-mode
// ("keyboard wedge") scanner typed, using a Layout in place of the operating
// system's keyboard handling.

import (
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Modifier bits of a boot keyboard report's first byte (HID 1.11 §8.3).
const (
	ModLeftCtrl   uint8 = 1 << 0
	ModLeftShift  uint8 = 1 << 1
	ModLeftAlt    uint8 = 1 << 2
	ModLeftGUI    uint8 = 1 << 3
	ModRightCtrl  uint8 = 1 << 4
	ModRightShift uint8 = 1 << 5
	ModRightAlt   uint8 = 1 << 6 // AltGr on layouts that have one
	ModRightGUI   uint8 = 1 << 7
)

// Keyboard/Keypad page usages the decoder treats specially (HID Usage Tables 1.4
// §10).
const (
	usageErrorRollOver  uint8 = 0x01 // every key array slot holds it: too many keys down
	usagePOSTFail       uint8 = 0x02
	usageErrorUndefined uint8 = 0x03
	usageEnter          uint8 = 0x28
	usageEscape         uint8 = 0x29
	usageTab            uint8 = 0x2b
	usageSpace          uint8 = 0x2c
	usageCapsLock       uint8 = 0x39
	usageKeypadEnter    uint8 = 0x58
	usageKeypad1        uint8 = 0x59
	usageKeypad0        uint8 = 0x62
)

// BootReportSize is the length of a boot keyboard input report: modifiers,
// a reserved byte and six key slots.
const BootReportSize = 8

// maxAltDigits bounds an Alt+numpad sequence; Windows reads at most the value
// modulo 256, so more digits than this only repeat that.
const maxAltDigits = 5

// KeyboardDecoder decodes the reports of one keyboard in order. It keeps what the
// previous report held, so that a key held across reports (rollover: a fast
// scanner presses the next key before releasing the last) types once. Its zero
// value is not usable; make one with NewKeyboardDecoder. A decoder is used by one
// goroutine at a time.
//
// What the keys type:
//   - a key's character on the Layout, with Shift, Caps Lock (a press toggles
//     it; letters only) and AltGr (Right Alt, or Ctrl+Left Alt);
//   - Enter and keypad Enter type CR (0x0D), Tab HT, Escape ESC;
//   - Ctrl with a letter types its control character (Ctrl+D is EOT, 0x04), and
//     Ctrl with the keys at the US positions of [ \ ] ^ _ types ESC, FS, GS (Ctrl+],
//     usage 0x30), RS (Ctrl+^, the 6 key with or without Shift) and US — scanners
//     send the separators of GS1 and ISO/IEC 15434 codes this way;
//   - Left Alt held while keypad digits are pressed types, when Alt is released,
//     the character of that decimal code as Windows does: below 128 the ASCII
//     character (Alt+029 is GS), from 128 the Windows-1252 character when the
//     first digit is 0 (Alt+0228 is ä) and the code page 437 one when it is not
//     (Alt+132 is ä); scanners use this for characters their layout lacks;
//   - a dead key (´ ` ^ on the German layout) puts its accent on the next letter
//     when the two compose (^ then a is â), types the accent alone before Space,
//     and types the accent followed by the next character otherwise.
//
// Keys that type nothing: arrows, function keys, Backspace, Delete, keys with a
// GUI (Windows) modifier, Alt with any other key (a menu shortcut), and NUL
// (Ctrl+@, Alt+0), which has no place in a scan.
type KeyboardDecoder struct {
	layout *Layout
	down   [6]uint8 // the key slots of the previous report
	caps   bool
	dead   rune // the accent of a dead key waiting for the next character
	// An Alt+numpad sequence: the digits typed while Left Alt is held.
	altHeld   bool
	altDigits []byte
	altSpoilt bool // a key other than a keypad digit was pressed with Alt
}

// NewKeyboardDecoder returns a decoder for a keyboard set to layout l (LayoutUS
// when nil).
func NewKeyboardDecoder(l *Layout) *KeyboardDecoder {
	if l == nil {
		l = LayoutUS()
	}
	return &KeyboardDecoder{layout: l}
}

// Layout returns the layout the decoder reads keys with.
func (d *KeyboardDecoder) Layout() *Layout { return d.layout }

// Reset forgets the keys held, Caps Lock, a pending dead key and Alt sequence:
// the state of a keyboard just plugged in.
func (d *KeyboardDecoder) Reset() {
	*d = KeyboardDecoder{layout: d.layout}
}

// Decode reads one input report and appends what it typed to dst, as UTF-8.
// A report shorter than BootReportSize is an ErrReport; bytes beyond it (a device
// padding its reports) are ignored. A report whose key slots carry ErrorRollOver,
// POSTFail or ErrorUndefined says nothing about which keys are down (the
// "phantom state" of HID 1.11 Appendix C) and is skipped.
func (d *KeyboardDecoder) Decode(dst, report []byte) ([]byte, error) {
	if len(report) < BootReportSize {
		return dst, fmt.Errorf("%w: keyboard report of %d bytes, want %d", ErrReport, len(report), BootReportSize)
	}
	mods := report[0]
	var keys [6]uint8
	copy(keys[:], report[2:BootReportSize])
	for _, k := range keys {
		if k == usageErrorRollOver || k == usagePOSTFail || k == usageErrorUndefined {
			return dst, nil
		}
	}
	altNow := mods&ModLeftAlt != 0 && mods&(ModLeftCtrl|ModRightCtrl) == 0
	if d.altHeld && !altNow {
		dst = d.finishAlt(dst)
	}
	d.altHeld = altNow
	for i, k := range keys {
		if k == 0 || d.wasDown(k) || slicesContains(keys[:i], k) {
			continue
		}
		dst = d.press(dst, k, mods)
	}
	d.down = keys
	return dst, nil
}

func (d *KeyboardDecoder) wasDown(k uint8) bool { return slicesContains(d.down[:], k) }

func slicesContains(s []uint8, k uint8) bool {
	for _, x := range s {
		if x == k {
			return true
		}
	}
	return false
}

// press types what key k gives with the modifiers mods.
func (d *KeyboardDecoder) press(dst []byte, k, mods uint8) []byte {
	ctrl := mods&(ModLeftCtrl|ModRightCtrl) != 0
	shift := mods&(ModLeftShift|ModRightShift) != 0
	leftAlt := mods&ModLeftAlt != 0
	graph := mods&ModRightAlt != 0 || (ctrl && leftAlt)
	if k == usageCapsLock {
		d.caps = !d.caps
		return dst
	}
	if mods&(ModLeftGUI|ModRightGUI) != 0 {
		return dst
	}
	if leftAlt && !ctrl {
		if digit, ok := keypadDigit(k); ok && len(d.altDigits) < maxAltDigits {
			d.altDigits = append(d.altDigits, digit)
		} else {
			d.altSpoilt = true
		}
		return dst
	}
	kk, known := d.layout.keys[k]
	if ctrl && !graph {
		if known && (k == usageEnter || k == usageKeypadEnter) {
			return d.emit(dst, '\r')
		}
		if c, ok := controlChar(k, kk); ok {
			return d.emit(dst, c)
		}
		return dst
	}
	if !known {
		return dst
	}
	lv := plain
	switch {
	case graph:
		lv = altGr
	case shift:
		lv = shifted
	}
	if kk.caps && d.caps && lv != altGr {
		lv = shifted - lv
	}
	r := kk.chars[lv]
	if r == 0 {
		return dst
	}
	if kk.dead[lv] {
		if d.dead != 0 {
			// Two dead keys: the first is typed as itself.
			dst = utf8.AppendRune(dst, d.dead)
		}
		d.dead = r
		return dst
	}
	return d.emit(dst, r)
}

// controlChar returns the control character Ctrl with key k types: a letter's
// (by the layout, so Ctrl+Z is the Z key on a German keyboard), or the one at the
// US position of [ \ ] ^ _.
func controlChar(k uint8, kk key) (rune, bool) {
	if r := kk.chars[plain]; kk.caps && 'a' <= r && r <= 'z' {
		return r - 'a' + 1, true
	}
	switch k {
	case 0x2f: // [
		return 0x1b, true
	case 0x31, 0x32: // \ and the ISO key at its place
		return 0x1c, true
	case 0x30: // ]
		return 0x1d, true
	case 0x23: // 6, ^ with Shift
		return 0x1e, true
	case 0x2d: // -, _ with Shift
		return 0x1f, true
	}
	return 0, false
}

// keypadDigit returns the digit of a keypad digit key.
func keypadDigit(k uint8) (byte, bool) {
	switch {
	case k == usageKeypad0:
		return '0', true
	case usageKeypad1 <= k && k < usageKeypad1+9:
		return '1' + (k - usageKeypad1), true
	}
	return 0, false
}

// finishAlt types the character of the Alt+numpad sequence that has just ended.
func (d *KeyboardDecoder) finishAlt(dst []byte) []byte {
	digits, spoilt := d.altDigits, d.altSpoilt
	d.altDigits, d.altSpoilt = d.altDigits[:0], false
	if len(digits) == 0 || spoilt {
		return dst
	}
	n := 0
	for _, c := range digits {
		n = n*10 + int(c-'0')
	}
	b := byte(n % 256)
	var r rune
	switch {
	case b == 0:
		return dst
	case b < 0x80:
		r = rune(b)
	case digits[0] == '0':
		r = charmap.Windows1252.DecodeByte(b)
	default:
		r = charmap.CodePage437.DecodeByte(b)
	}
	if r == utf8.RuneError {
		return dst // a code Windows-1252 leaves undefined
	}
	return d.emit(dst, r)
}

// combining maps the accents of dead keys to their combining marks.
func combining(accent rune) rune {
	switch accent {
	case '^':
		return '\u0302'
	case '´':
		return '\u0301'
	case '`':
		return '\u0300'
	}
	return 0
}

// emit appends r, composing it with a pending dead key's accent.
func (d *KeyboardDecoder) emit(dst []byte, r rune) []byte {
	if accent := d.dead; accent != 0 {
		d.dead = 0
		if r == ' ' {
			return utf8.AppendRune(dst, accent)
		}
		if mark := combining(accent); mark != 0 {
			composed := []rune(norm.NFC.String(string([]rune{r, mark})))
			if len(composed) == 1 {
				return utf8.AppendRune(dst, composed[0])
			}
		}
		dst = utf8.AppendRune(dst, accent)
	}
	return utf8.AppendRune(dst, r)
}

// DecodeKeyboardReports decodes a sequence of boot keyboard reports with a fresh
// decoder for layout l and returns what they typed. It stops at the first report
// that is not one.
func DecodeKeyboardReports(l *Layout, reports [][]byte) ([]byte, error) {
	d := NewKeyboardDecoder(l)
	var out []byte
	for i, r := range reports {
		var err error
		if out, err = d.Decode(out, r); err != nil {
			return out, fmt.Errorf("report %d: %w", i+1, err)
		}
	}
	return out, nil
}
