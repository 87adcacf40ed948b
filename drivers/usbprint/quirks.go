package usbprint

// quirks.go: per-model workarounds, as data keyed by VID:PID (quirks.conf), each
// with the symptom it works around.

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
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

// QuirkTable holds quirks by VID:PID. The zero QuirkTable is empty.
type QuirkTable struct {
	byID map[[2]usb.ID]Quirk
}

// Lookup returns the quirk for a model.
func (t QuirkTable) Lookup(vid, pid usb.ID) (Quirk, bool) {
	q, ok := t.byID[[2]usb.ID{vid, pid}]
	return q, ok
}

// All returns the table's entries ordered by VID:PID.
func (t QuirkTable) All() []Quirk {
	all := make([]Quirk, 0, len(t.byID))
	for _, q := range t.byID {
		all = append(all, q)
	}
	slices.SortFunc(all, func(a, b Quirk) int {
		if a.VID != b.VID {
			return int(a.VID) - int(b.VID)
		}
		return int(a.PID) - int(b.PID)
	})
	return all
}

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
	t := QuirkTable{byID: map[[2]usb.ID]Quirk{}}
	var cur *Quirk
	var curLine int
	seen := map[string]bool{}
	finish := func() error {
		if cur == nil {
			return nil
		}
		if cur.Symptom == "" {
			return fmt.Errorf("%w: line %d: [%s:%s] has no symptom", ErrQuirks, curLine, cur.VID, cur.PID)
		}
		t.byID[[2]usb.ID{cur.VID, cur.PID}] = *cur
		return nil
	}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if strings.HasPrefix(text, "[") {
			if !strings.HasSuffix(text, "]") {
				return QuirkTable{}, fmt.Errorf("%w: line %d: section header %q has no ']'", ErrQuirks, line, text)
			}
			if err := finish(); err != nil {
				return QuirkTable{}, err
			}
			m, err := usb.ParseMatch(strings.TrimSpace(text[1 : len(text)-1]))
			if err != nil || m.Serial != "" {
				return QuirkTable{}, fmt.Errorf("%w: line %d: section %s is not [VID:PID]", ErrQuirks, line, text)
			}
			if _, dup := t.byID[[2]usb.ID{m.VID, m.PID}]; dup {
				return QuirkTable{}, fmt.Errorf("%w: line %d: %s:%s appears twice", ErrQuirks, line, m.VID, m.PID)
			}
			cur = &Quirk{VID: m.VID, PID: m.PID}
			curLine = line
			seen = map[string]bool{}
			continue
		}
		if cur == nil {
			return QuirkTable{}, fmt.Errorf("%w: line %d: %q before the first [VID:PID]", ErrQuirks, line, text)
		}
		k, v, ok := strings.Cut(text, "=")
		if !ok {
			return QuirkTable{}, fmt.Errorf("%w: line %d: %q is not key = value", ErrQuirks, line, text)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if seen[k] {
			return QuirkTable{}, fmt.Errorf("%w: line %d: %s given twice", ErrQuirks, line, k)
		}
		seen[k] = true
		if err := setQuirk(cur, k, v); err != nil {
			return QuirkTable{}, fmt.Errorf("%w: line %d: %v", ErrQuirks, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return QuirkTable{}, fmt.Errorf("%w: %v", ErrQuirks, err)
	}
	if err := finish(); err != nil {
		return QuirkTable{}, err
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
