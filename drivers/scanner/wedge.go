package scanner

// wedge.go: Keyboard, a scanner in keyboard mode ("keyboard wedge"): a HID boot
// keyboard whose reports are decoded here with the scanner's own layout, so the
// operating system's keyboard layout and Caps Lock play no part.

import (
	"context"
	"fmt"
)

// Keyboard is a keyboard-mode scanner. Its methods may be called from several
// goroutines; Next calls are served one at a time.
type Keyboard struct {
	*conn
	dec *KeyboardDecoder
	fr  *framer
	buf []byte
}

var _ Scanner = (*Keyboard)(nil)

// newKeyboard prepares a claimed boot keyboard: boot protocol, no idle repeats,
// and the layout (given, the quirk's, announced by the device, or US).
func newKeyboard(ctx context.Context, c *conn, l *Layout, q Quirk) (*Keyboard, error) {
	n := c.choice.Setting.Number
	if err := setBootProtocol(ctx, c.dev, n); err != nil {
		return nil, fmt.Errorf("scanner: %s: %w", c.info, err)
	}
	if l == nil && q.Layout != "" {
		var err error
		if l, err = LayoutByName(q.Layout); err != nil {
			return nil, err
		}
	}
	if l == nil {
		country, err := countryCode(ctx, c.dev, n)
		if err != nil {
			return nil, fmt.Errorf("scanner: %s: HID descriptor: %w", c.info, err)
		}
		l, _ = LayoutByCountry(country)
	}
	size := max(c.choice.In.MaxPacketSize, BootReportSize)
	return &Keyboard{conn: c, dec: NewKeyboardDecoder(l), buf: make([]byte, size)}, nil
}

// Layout returns the keyboard layout the scanner's keys are read with.
func (k *Keyboard) Layout() *Layout { return k.dec.Layout() }

// Next waits for the next scan: the characters typed up to a line end (Enter)
// after which the keyboard stays quiet for the gap, or up to the suffix.
func (k *Keyboard) Next(ctx context.Context) ([]byte, error) {
	return k.nextFromStream(ctx, k.fr, k.buf, k.dec.Decode)
}
