package usb

// match.go: choosing a device by VID:PID, serial number or class.

import (
	"fmt"
	"strconv"
	"strings"
)

// Match selects devices. A zero field matches anything, so the zero Match matches
// every device.
type Match struct {
	VID, PID ID
	// Serial, when set, must equal the device's serial number string. It tells
	// two printers of the same model apart.
	Serial string
	// Class, when set, must be the device's class or the class of one of its
	// interfaces (ClassSmartCard finds any card reader).
	Class Class
}

// Matches reports whether d is selected by m.
func (m Match) Matches(d DeviceInfo) bool {
	if m.VID != 0 && d.VID != m.VID {
		return false
	}
	if m.PID != 0 && d.PID != m.PID {
		return false
	}
	// Some devices pad their serial number with spaces; compare without them.
	if m.Serial != "" && strings.TrimSpace(d.Serial) != strings.TrimSpace(m.Serial) {
		return false
	}
	if m.Class != 0 && !d.HasClass(m.Class) {
		return false
	}
	return true
}

// String returns the selector as ParseMatch reads it, with the class appended as
// "class=NN" when one is set.
func (m Match) String() string {
	var s string
	if m.VID != 0 || m.PID != 0 || m.Serial != "" {
		s = m.VID.String() + ":" + m.PID.String()
		if m.Serial != "" {
			s += "/" + m.Serial
		}
	}
	if m.Class != 0 {
		if s != "" {
			s += " "
		}
		s += fmt.Sprintf("class=%02x", uint8(m.Class))
	}
	if s == "" {
		return "any"
	}
	return s
}

// ParseMatch reads "VID:PID" or "VID:PID/serial", the identifiers in hex (four
// digits at most, "0x" allowed, any case): "04f9:0042", "03F0:C42A/VNB3K12345".
// The serial is taken as written, up to the end of the string.
func ParseMatch(s string) (Match, error) {
	ids, serial, hasSerial := strings.Cut(s, "/")
	if hasSerial && serial == "" {
		return Match{}, fmt.Errorf("%w: %q: empty serial after '/'", ErrBadMatch, s)
	}
	v, p, ok := strings.Cut(ids, ":")
	if !ok {
		return Match{}, fmt.Errorf("%w: %q: want VID:PID[/serial]", ErrBadMatch, s)
	}
	vid, err := parseID(v)
	if err != nil {
		return Match{}, fmt.Errorf("%w: %q: vendor id: %v", ErrBadMatch, s, err)
	}
	pid, err := parseID(p)
	if err != nil {
		return Match{}, fmt.Errorf("%w: %q: product id: %v", ErrBadMatch, s, err)
	}
	if vid == 0 {
		return Match{}, fmt.Errorf("%w: %q: vendor id 0000 is not assigned", ErrBadMatch, s)
	}
	return Match{VID: vid, PID: pid, Serial: serial}, nil
}

func parseID(s string) (ID, error) {
	h := strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if h == "" || len(h) > 4 {
		return 0, fmt.Errorf("%q is not 1 to 4 hex digits", s)
	}
	n, err := strconv.ParseUint(h, 16, 16)
	if err != nil {
		return 0, fmt.Errorf("%q is not hex", s)
	}
	return ID(n), nil
}
