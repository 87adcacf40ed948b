package usbprint

// quirks.go: per-model workarounds, as data keyed by VID:PID (quirks.conf), each
// with the symptom it works around.

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

// Quirk is the workaround for one printer model.
type Quirk struct {
	VID, PID usb.ID
	Model    string
	// Symptom says what goes wrong without the workaround.
	Symptom string
	// Source says where the problem was seen or documented.
	Source string

	// Unidirectional: the printer announces a back channel that must not be used.
	Unidirectional bool
	// VendorClass: the printer interface has class 0xff instead of 7.
	VendorClass bool
	// DelayAfterClaim: the printer needs this long after the interface is claimed
	// before it answers requests.
	DelayAfterClaim time.Duration
	// DeviceIDLength: how to read the device ID's length prefix.
	DeviceIDLength LengthOrder
}

// QuirkTable holds the printer quirks by VID:PID. The zero QuirkTable is empty.
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
// model, symptom (required), source, unidirectional (true/false), vendor-class
// (true/false), delay-after-claim (a Go duration) and device-id-length
// (big-endian, little-endian or auto). An unknown key, a repeated section or key,
// or a section without a symptom is an error, so that a typo does not silently
// disable a workaround.
func ParseQuirks(r io.Reader) (QuirkTable, error) {
	t, err := usb.ParseQuirks(r, usb.QuirkRules[Quirk]{
		New: func(vid, pid usb.ID) Quirk { return Quirk{VID: vid, PID: pid} },
		Set: setQuirk,
		Check: func(q Quirk) error {
			if q.Symptom == "" {
				return errors.New("has no symptom")
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
	case "unidirectional":
		q.Unidirectional, err = strconv.ParseBool(v)
	case "vendor-class":
		q.VendorClass, err = strconv.ParseBool(v)
	case "delay-after-claim":
		q.DelayAfterClaim, err = time.ParseDuration(v)
		if err == nil && (q.DelayAfterClaim < 0 || q.DelayAfterClaim > 10*time.Second) {
			err = fmt.Errorf("%s is outside 0 to 10s", v)
		}
	case "device-id-length":
		switch v {
		case "auto":
			q.DeviceIDLength = LengthAuto
		case "big-endian":
			q.DeviceIDLength = LengthBigEndian
		case "little-endian":
			q.DeviceIDLength = LengthLittleEndian
		default:
			err = fmt.Errorf("%q is not big-endian, little-endian or auto", v)
		}
	default:
		return fmt.Errorf("unknown key %q", k)
	}
	if err != nil {
		return fmt.Errorf("%s: %v", k, err)
	}
	return nil
}
