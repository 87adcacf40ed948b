package scanner

// quirks.go: the scanners the kiosk knows, and per-model workarounds, as data
// keyed by VID:PID (quirks.conf), each workaround with the symptom it fixes.

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"certkiosk/drivers/usb"
)

// defaultQuirks is the table shipped with the kiosk. Read-only.
//
//go:embed quirks.conf
var defaultQuirks string

// Quirk describes one scanner model: who makes it and, when it needs one, the
// workaround.
type Quirk struct {
	VID, PID usb.ID
	Model    string
	// Symptom says what goes wrong without the workaround; required when the
	// entry has one.
	Symptom string
	// Source says where the model, or its problem, is known from.
	Source string

	// Mode forces how the scanner is read, when its interfaces mislead.
	Mode Mode
	// Layout is the keyboard layout the scanner types with in keyboard mode.
	Layout string
	// Prefix is sent before every scan and removed; Suffix ends every scan and is
	// removed (the scan ends at it, without waiting for the stream to go quiet).
	Prefix, Suffix []byte
	// POSFormat names the HID POS report format (see POSFormats).
	POSFormat string
	// FeatureReport is sent with SET_REPORT (feature) after the interface is
	// claimed; its first byte is the report ID.
	FeatureReport []byte
	// Gap replaces DefaultGap.
	Gap time.Duration
}

// workaround reports whether the entry changes how the scanner is driven.
func (q Quirk) workaround() bool {
	return q.Mode != "" || q.Layout != "" || len(q.Prefix) > 0 || len(q.Suffix) > 0 ||
		q.POSFormat != "" || len(q.FeatureReport) > 0 || q.Gap != 0
}

// QuirkTable holds the scanner quirks by VID:PID. The zero QuirkTable is empty.
type QuirkTable = usb.QuirkTable[Quirk]

// DefaultQuirks returns the table shipped with the kiosk (quirks.conf). It is
// parsed on every call, so callers keep the result.
func DefaultQuirks() QuirkTable {
	t, err := ParseQuirks(strings.NewReader(defaultQuirks))
	if err != nil {
		// quirks.conf is compiled in and checked by the package's tests.
		panic(err)
	}
	return t
}

// ParseQuirks reads a quirks table: sections headed "[vvvv:pppp]" (hex VID:PID),
// each followed by "key = value" lines; '#' starts a comment line. The keys are
// model (required), source, symptom (required with any of the keys after it),
// mode (keyboard, pos or serial), layout (a keyboard layout name), prefix and
// suffix (text with Go escapes: \r, \t, \x02), pos-format, feature-report (hex
// bytes, the report ID first) and gap (a Go duration up to 2s). An unknown key,
// a repeated section or key, or a workaround without a symptom is an error, so
// that a typo does not silently disable a workaround.
func ParseQuirks(r io.Reader) (QuirkTable, error) {
	t, err := usb.ParseQuirks(r, usb.QuirkRules[Quirk]{
		New: func(vid, pid usb.ID) Quirk { return Quirk{VID: vid, PID: pid} },
		Set: setQuirk,
		Check: func(q Quirk) error {
			if q.Model == "" {
				return errors.New("has no model")
			}
			if q.workaround() && q.Symptom == "" {
				return errors.New("has a workaround and no symptom")
			}
			return nil
		},
	})
	if err != nil {
		return QuirkTable{}, fmt.Errorf("%w: %v", ErrQuirks, err)
	}
	return t, nil
}

func setQuirk(q *Quirk, k, v string) error {
	var err error
	switch k {
	case "model":
		q.Model = v
	case "symptom":
		q.Symptom = v
	case "source":
		q.Source = v
	case "mode":
		q.Mode, err = ParseMode(v)
	case "layout":
		var l *Layout
		if l, err = LayoutByName(v); err == nil {
			q.Layout = l.Name
		}
	case "prefix":
		q.Prefix, err = unescape(v)
	case "suffix":
		q.Suffix, err = unescape(v)
	case "pos-format":
		var f POSFormat
		if f, err = POSFormatByName(v); err == nil {
			q.POSFormat = f.Name
		}
	case "feature-report":
		q.FeatureReport, err = parseHexBytes(v)
	case "gap":
		q.Gap, err = time.ParseDuration(v)
		if err == nil && (q.Gap <= 0 || q.Gap > 2*time.Second) {
			err = fmt.Errorf("%s is outside 0 to 2s", v)
		}
	default:
		return fmt.Errorf("unknown key %q", k)
	}
	if err != nil {
		return fmt.Errorf("%s: %v", k, err)
	}
	return nil
}

// unescape reads text with Go's escapes (\r, \n, \t, \xHH, \\); it must not be
// empty.
func unescape(v string) ([]byte, error) {
	s, err := strconv.Unquote(`"` + v + `"`)
	if err != nil {
		return nil, fmt.Errorf("%q is not text with Go escapes", v)
	}
	if s == "" {
		return nil, fmt.Errorf("empty")
	}
	return []byte(s), nil
}

// parseHexBytes reads hex bytes, optionally separated by spaces: "fe 01".
func parseHexBytes(v string) ([]byte, error) {
	h := strings.Join(strings.Fields(v), "")
	if h == "" || len(h)%2 != 0 {
		return nil, fmt.Errorf("%q is not hex bytes", v)
	}
	b := make([]byte, len(h)/2)
	for i := range b {
		n, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			return nil, fmt.Errorf("%q is not hex bytes", v)
		}
		b[i] = byte(n)
	}
	return b, nil
}
