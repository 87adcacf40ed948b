package scanner

// layout.go: keyboard layouts as data — which character each key of the HID
// Keyboard/Keypad usage page (HID Usage Tables 1.4 §10) types on a national
// layout. A keyboard-mode scanner is set to one layout and presses the keys that
// give its characters there; decoding with the same table gives them back,
// whatever layout the operating system uses.

import (
	"fmt"
	"slices"
	"strings"
)

// HID country codes (HID 1.11 §6.2.1, bCountryCode) of the layouts below.
const (
	CountryNotSupported uint8 = 0
	CountryGerman       uint8 = 9
	CountryUS           uint8 = 33
)

// level is a shift level of a key.
type level int

const (
	plain level = iota
	shifted
	altGr
	levels
)

// key is what one key types at each level.
type key struct {
	chars [levels]rune
	// dead marks levels that are dead keys: they type nothing themselves and put
	// their accent on the next character.
	dead [levels]bool
	// caps: Caps Lock swaps the plain and shifted levels (letters).
	caps bool
}

// Layout maps keyboard usages to characters. A Layout is not changed after it is
// made and may be shared.
type Layout struct {
	// Name is how configuration and quirks name the layout: "us", "de".
	Name string
	// Country is the HID country code a keyboard with this layout may announce.
	Country uint8
	keys    map[uint8]key
}

// String returns the layout's name.
func (l *Layout) String() string { return l.Name }

// Char returns what usage types at the given shift state, without Caps Lock,
// dead-key composition or control characters: for tables and tests. ok is false
// when the key types nothing there; dead reports a dead key.
func (l *Layout) Char(usage uint8, shift, altGraph bool) (r rune, dead, ok bool) {
	k, found := l.keys[usage]
	if !found {
		return 0, false, false
	}
	lv := plain
	switch {
	case altGraph:
		lv = altGr
	case shift:
		lv = shifted
	}
	return k.chars[lv], k.dead[lv], k.chars[lv] != 0
}

// set gives usage u its characters: plain, shifted and, when given, AltGr. A
// character written "dead:^" is a dead key.
func (l *Layout) set(u uint8, caps bool, chars ...string) {
	k := key{caps: caps}
	for i, c := range chars {
		if c == "" {
			continue
		}
		if a, ok := strings.CutPrefix(c, "dead:"); ok {
			c = a
			k.dead[i] = true
		}
		k.chars[i] = []rune(c)[0]
	}
	l.keys[u] = k
}

// row gives consecutive usages from first on their plain and shifted characters.
func (l *Layout) row(first uint8, caps bool, plainChars, shiftChars string) {
	p, s := []rune(plainChars), []rune(shiftChars)
	for i := range p {
		l.set(first+uint8(i), caps, string(p[i]), string(s[i]))
	}
}

// setAltGr adds an AltGr character to a key already set.
func (l *Layout) setAltGr(u uint8, c string) {
	k := l.keys[u]
	k.chars[altGr] = []rune(c)[0]
	l.keys[u] = k
}

// newLayout returns a layout with the keys every layout shares: Enter, Escape,
// Tab, Space and the keypad with Num Lock on (scanners that type digits on the
// keypad expect it on; the host's Num Lock state does not reach this decoder).
func newLayout(name string, country uint8) *Layout {
	l := &Layout{Name: name, Country: country, keys: map[uint8]key{}}
	l.set(usageEnter, false, "\r", "\r")
	l.set(usageEscape, false, "\x1b", "\x1b")
	l.set(usageTab, false, "\t", "\t")
	l.set(usageSpace, false, " ", " ")
	l.set(usageKeypadEnter, false, "\r", "\r")
	l.set(0x54, false, "/", "/")
	l.set(0x55, false, "*", "*")
	l.set(0x56, false, "-", "-")
	l.set(0x57, false, "+", "+")
	l.row(usageKeypad1, false, "123456789", "123456789")
	l.set(usageKeypad0, false, "0", "0")
	l.set(0x63, false, ".", ".")
	l.set(0x67, false, "=", "=")
	return l
}

// LayoutUS returns the US English layout (Windows "US", X11 "us").
func LayoutUS() *Layout {
	l := newLayout("us", CountryUS)
	l.row(0x04, true, "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	l.row(0x1e, false, "1234567890", "!@#$%^&*()")
	l.row(0x2d, false, "-=[]\\\\;'`,./", "_+{}||:\"~<>?")
	// The ISO key left of Z; Windows' US layout gives it backslash and bar.
	l.set(0x64, false, "\\", "|")
	return l
}

// LayoutDE returns the German layout (DIN 2137 T1, Windows "German"): Y and Z
// swapped, umlauts on the keys right of P and L, dead keys for ^, ´ and `, and
// AltGr for @ € µ { [ ] } \ ~ | ² ³.
func LayoutDE() *Layout {
	l := newLayout("de", CountryGerman)
	l.row(0x04, true, "abcdefghijklmnopqrstuvwxzy", "ABCDEFGHIJKLMNOPQRSTUVWXZY")
	l.row(0x1e, false, "1234567890", "!\"§$%&/()=")
	l.set(0x2d, false, "ß", "?", "\\")
	l.set(0x2e, false, "dead:´", "dead:`")
	l.set(0x2f, true, "ü", "Ü")
	l.set(0x30, false, "+", "*", "~")
	l.set(0x31, false, "#", "'")
	l.set(0x32, false, "#", "'")
	l.set(0x33, true, "ö", "Ö")
	l.set(0x34, true, "ä", "Ä")
	l.set(0x35, false, "dead:^", "°")
	l.row(0x36, false, ",.-", ";:_")
	l.set(0x64, false, "<", ">", "|")
	l.set(0x63, false, ",", ",") // the keypad's decimal key
	for u, c := range map[uint8]string{0x14: "@", 0x08: "€", 0x10: "µ", 0x1f: "²", 0x20: "³", 0x24: "{", 0x25: "[", 0x26: "]", 0x27: "}"} {
		l.setAltGr(u, c)
	}
	return l
}

// Layouts returns every layout the package has, by name.
func Layouts() []*Layout {
	return []*Layout{LayoutDE(), LayoutUS()}
}

// LayoutNames returns the names Layout accepts, sorted.
func LayoutNames() []string {
	var names []string
	for _, l := range Layouts() {
		names = append(names, l.Name)
	}
	slices.Sort(names)
	return names
}

// LayoutByName returns the layout called name ("us", "de"; any case).
func LayoutByName(name string) (*Layout, error) {
	for _, l := range Layouts() {
		if strings.EqualFold(l.Name, name) {
			return l, nil
		}
	}
	return nil, fmt.Errorf("%w %q (have %s)", ErrLayout, name, strings.Join(LayoutNames(), ", "))
}

// LayoutByCountry returns the layout for a HID country code, when the package
// has one.
func LayoutByCountry(country uint8) (*Layout, bool) {
	if country == CountryNotSupported {
		return nil, false
	}
	for _, l := range Layouts() {
		if l.Country == country {
			return l, true
		}
	}
	return nil, false
}
