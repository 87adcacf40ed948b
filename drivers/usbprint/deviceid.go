package usbprint

// deviceid.go: the IEEE 1284 device ID (IEEE 1284-2000 §7.6), the string of
// "KEY:value;" pairs a printer answers GET_DEVICE_ID with (USB printer class 1.1
// §4.2.1), prefixed by its length in two bytes.

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// DeviceID is a parsed IEEE 1284 device ID: values by key. Keys are upper case
// and the long spellings some printers use are stored under the short ones:
// MANUFACTURER as MFG, MODEL as MDL, COMMAND SET as CMD, CLASS as CLS,
// DESCRIPTION as DES, SERIALNUMBER and SERN as SN.
type DeviceID map[string]string

// canonicalKey maps the spelled-out keys to the short ones.
func canonicalKey(k string) string {
	switch k {
	case "MANUFACTURER":
		return "MFG"
	case "MODEL":
		return "MDL"
	case "COMMAND SET", "COMMANDSET", "COMMAND_SET":
		return "CMD"
	case "CLASS":
		return "CLS"
	case "DESCRIPTION":
		return "DES"
	case "SERIALNUMBER", "SERIAL NUMBER", "SERN":
		return "SN"
	}
	return k
}

// ParseDeviceID reads a device ID string (without its length prefix). It is
// lenient, as printers are: the last ';' may be missing, space around keys and
// values is ignored, keys are matched without regard to case, text without a ':'
// is skipped, and the first of two values for one key is kept. The string ends
// at a NUL byte. It fails with ErrDeviceID only when no "key:value" is found.
func ParseDeviceID(s string) (DeviceID, error) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	id := DeviceID{}
	for _, pair := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(pair, ":")
		if !ok {
			continue
		}
		k = canonicalKey(upperASCII(strings.TrimSpace(k)))
		if k == "" {
			continue
		}
		if _, dup := id[k]; dup {
			continue
		}
		id[k] = strings.TrimSpace(v)
	}
	if len(id) == 0 {
		return nil, fmt.Errorf("%w: no KEY:value pair in %q", ErrDeviceID, abbrev(s))
	}
	return id, nil
}

// upperASCII upper-cases ASCII letters only, leaving other bytes as they are.
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}

func abbrev(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// LengthOrder is how the two-byte length in front of a device ID is read.
type LengthOrder int

// Length orders.
const (
	// LengthAuto reads the length big-endian, as the class specification says,
	// and falls back to little-endian, then to the bytes received, when the
	// value cannot be right.
	LengthAuto LengthOrder = iota
	// LengthBigEndian trusts the big-endian length.
	LengthBigEndian
	// LengthLittleEndian reads the length little-endian (a known firmware bug).
	LengthLittleEndian
)

// String returns the name used in the quirks table.
func (o LengthOrder) String() string {
	switch o {
	case LengthBigEndian:
		return "big-endian"
	case LengthLittleEndian:
		return "little-endian"
	}
	return "auto"
}

// DecodeDeviceID reads the answer to GET_DEVICE_ID: a two-byte length, which
// counts itself, then the device ID string. Printers get the length wrong in
// several ways, tolerated here: bytes swapped (read with LengthAuto or as the
// quirks table says), a length that leaves out its own two bytes, a length longer
// than what was sent; the string also ends at a NUL.
func DecodeDeviceID(b []byte, order LengthOrder) (DeviceID, error) {
	n := len(b)
	if n < 2 {
		return nil, fmt.Errorf("%w: answer of %d bytes has no length", ErrDeviceID, n)
	}
	be := int(b[0])<<8 | int(b[1])
	le := int(b[1])<<8 | int(b[0])
	fits := func(l int) bool { return l >= 2 && l <= n }
	var end int
	switch order {
	case LengthBigEndian:
		end = be
	case LengthLittleEndian:
		end = le
	default:
		switch {
		case fits(be):
			end = be
		case fits(le):
			end = le
		default:
			end = n
		}
	}
	if end+2 == n {
		end = n // the length left out its own two bytes
	}
	end = max(2, min(end, n))
	s := b[2:end]
	if i := bytes.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return ParseDeviceID(string(s))
}

// Get returns the value of key, which may be given in either spelling and any
// case ("model", "MDL").
func (id DeviceID) Get(key string) string {
	return id[canonicalKey(upperASCII(strings.TrimSpace(key)))]
}

// Manufacturer returns MFG.
func (id DeviceID) Manufacturer() string { return id["MFG"] }

// Model returns MDL.
func (id DeviceID) Model() string { return id["MDL"] }

// Class returns CLS, "PRINTER" for printers.
func (id DeviceID) Class() string { return id["CLS"] }

// Description returns DES.
func (id DeviceID) Description() string { return id["DES"] }

// SerialNumber returns SN.
func (id DeviceID) SerialNumber() string { return id["SN"] }

// CommandSet returns the page description languages in CMD, e.g. ["PJL", "PCL",
// "PDF"], in the printer's order and spelling.
func (id DeviceID) CommandSet() []string {
	var set []string
	for _, c := range strings.Split(id["CMD"], ",") {
		if c = strings.TrimSpace(c); c != "" {
			set = append(set, c)
		}
	}
	return set
}

// Supports reports whether CMD lists lang, without regard to case. A version
// after the name counts ("PDF 1.7", "PDF17" and "PDF" all give PDF), but a
// longer name does not ("PCLXL" is not PCL).
func (id DeviceID) Supports(lang string) bool {
	want := upperASCII(strings.TrimSpace(lang))
	if want == "" {
		return false
	}
	for _, c := range id.CommandSet() {
		c = upperASCII(c)
		if !strings.HasPrefix(c, want) {
			continue
		}
		rest := c[len(want):]
		if rest == "" || rest[0] == ' ' || rest[0] == '.' || rest[0] == '-' || ('0' <= rest[0] && rest[0] <= '9') {
			return true
		}
	}
	return false
}

// String returns the device ID as a string in canonical form: MFG, MDL, CMD,
// CLS and DES first, the other keys after in alphabetical order, each pair
// ending with ';'.
func (id DeviceID) String() string {
	first := []string{"MFG", "MDL", "CMD", "CLS", "DES"}
	var rest []string
	for k := range id {
		if !slices.Contains(first, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	var b strings.Builder
	for _, k := range append(first, rest...) {
		if v, ok := id[k]; ok {
			b.WriteString(k)
			b.WriteByte(':')
			b.WriteString(v)
			b.WriteByte(';')
		}
	}
	return b.String()
}
