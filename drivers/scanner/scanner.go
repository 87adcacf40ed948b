package scanner

// scanner.go: the Scanner interface, the modes a scanner is read in, Options and
// Open, which picks the mode and returns the scanner of that mode.

import (
	"context"
	"fmt"
	"time"

	"certkiosk/drivers/usb"
)

// Scanner produces scans: one payload per barcode or document read, as the
// scanner sent it, less the line end or suffix that ended it. What the payload
// holds (a machine-readable zone, an HC1 certificate, other text) is for the
// caller to tell, with identity.ClassifyScan.
type Scanner interface {
	// Next waits for the next scan. It returns early with ctx's error; a scan cut
	// off by an unplug is an error wrapping ErrIncomplete and
	// usb.ErrDisconnected, and a scanner that is gone stays gone.
	Next(ctx context.Context) ([]byte, error)
	// Close releases the scanner; a Next in progress returns ErrClosed.
	Close() error
}

// Mode is how a scanner's reads reach the host.
type Mode string

// Modes.
const (
	// ModeKeyboard: a HID boot keyboard typing the read ("keyboard wedge").
	ModeKeyboard Mode = "keyboard"
	// ModePOS: HID POS scanned data reports (HID Point of Sale Usage Tables).
	ModePOS Mode = "pos"
	// ModeSerial: a USB CDC ACM virtual serial port sending the read as text.
	ModeSerial Mode = "serial"
)

// ParseMode reads a mode's name.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case ModeKeyboard, ModePOS, ModeSerial:
		return m, nil
	}
	return "", fmt.Errorf("unknown scanner mode %q (want keyboard, pos or serial)", s)
}

// Options adjust Open. The zero Options are the defaults; a field left zero
// takes the value of the model's quirk, if any, and then the default.
type Options struct {
	// Quirks is the table of known models; nil means DefaultQuirks().
	Quirks *QuirkTable
	// Mode forces a mode; empty lets the quirk or the interfaces decide.
	Mode Mode
	// Layout is the keyboard layout of a keyboard-mode scanner; nil means the
	// quirk's, else the one the device's HID descriptor announces (bCountryCode),
	// else US.
	Layout *Layout
	// POSFormat is the HID POS report format; nil means the quirk's, else
	// POSFormatAIM64.
	POSFormat *POSFormat
	// Prefix and Suffix override the quirk's (see Quirk).
	Prefix, Suffix []byte
	// Gap is how long the stream stays quiet after a line end before the scan is
	// complete; 0 means the quirk's, else DefaultGap; negative means that every
	// line end ends a scan at once.
	Gap time.Duration
	// Idle is how long a stream stays quiet in the middle of a line before what
	// came counts as a scan (or, in POS mode, before a continued scan is given up
	// as cut off); 0 means DefaultIdle.
	Idle time.Duration
	// MaxScan bounds a scan in bytes; 0 means DefaultMaxScan.
	MaxScan int
}

// Open opens the scanner m selects on bus, chooses the interface to read it
// through (ChooseInterface), claims it and prepares it: a boot keyboard is put in
// the boot protocol, a CDC port gets DTR, a HID POS scanner the quirk's feature
// report. The caller closes the Scanner.
func Open(ctx context.Context, bus usb.Bus, m usb.Match, opts Options) (Scanner, error) {
	table := opts.Quirks
	if table == nil {
		t := DefaultQuirks()
		table = &t
	}
	dev, err := bus.Open(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("scanner: open %s: %w", m, err)
	}
	info := dev.Info()
	q, _ := table.Lookup(info.VID, info.PID)
	mode := opts.Mode
	if mode == "" {
		mode = q.Mode
	}
	choice, err := ChooseInterface(ctx, dev, mode)
	if err != nil {
		dev.Close()
		return nil, err
	}
	s, err := setUp(ctx, dev, choice, q, opts)
	if err != nil {
		dev.Close()
		return nil, err
	}
	return s, nil
}

// setUp claims the chosen interfaces and makes the scanner of the chosen mode.
func setUp(ctx context.Context, dev usb.Device, choice Choice, q Quirk, opts Options) (Scanner, error) {
	c, err := claim(ctx, dev, choice, q)
	if err != nil {
		return nil, err
	}
	prefix, suffix := q.Prefix, q.Suffix
	if opts.Prefix != nil {
		prefix = opts.Prefix
	}
	if opts.Suffix != nil {
		suffix = opts.Suffix
	}
	gap := opts.Gap
	if gap == 0 {
		gap = q.Gap
	}
	switch choice.Mode {
	case ModeKeyboard:
		s, err := newKeyboard(ctx, c, opts.Layout, q)
		if err != nil {
			c.release()
			return nil, err
		}
		s.fr = newFramer(prefix, suffix, gap, opts.Idle, opts.MaxScan)
		return s, nil
	case ModePOS:
		s, err := newPOS(ctx, c, opts.POSFormat, q)
		if err != nil {
			c.release()
			return nil, err
		}
		s.prefix, s.suffix = prefix, suffix
		s.idle, s.max = opts.Idle, opts.MaxScan
		if s.idle <= 0 {
			s.idle = DefaultIdle
		}
		if s.max <= 0 {
			s.max = DefaultMaxScan
		}
		return s, nil
	default:
		s, err := newSerial(ctx, c)
		if err != nil {
			c.release()
			return nil, err
		}
		s.fr = newFramer(prefix, suffix, gap, opts.Idle, opts.MaxScan)
		return s, nil
	}
}
