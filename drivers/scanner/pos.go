package scanner

// pos.go: POS, a scanner in HID POS mode: each read arrives as one or more
// scanned data reports (posreport.go), the last without the continued flag.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"
)

// POS is a HID POS scanner. Its methods may be called from several goroutines;
// Next calls are served one at a time.
type POS struct {
	*conn
	format         POSFormat
	prefix, suffix []byte
	idle           time.Duration
	max            int
	buf            []byte
}

var _ Scanner = (*POS)(nil)

// POSScan is one read of a HID POS scanner.
type POSScan struct {
	Data []byte
	// Symbology is the AIM identifier of the first report ("]Q1" for QR Code,
	// "]d2" for GS1 DataMatrix), empty when the scanner sends none.
	Symbology string
	// Vendor is the maker's symbology code of the first report.
	Vendor byte
}

// newPOS sends the quirk's feature report, which some scanners wait for before
// they send scans.
func newPOS(ctx context.Context, c *conn, f *POSFormat, q Quirk) (*POS, error) {
	format := POSFormatAIM64()
	switch {
	case f != nil:
		format = *f
	case q.POSFormat != "":
		var err error
		if format, err = POSFormatByName(q.POSFormat); err != nil {
			return nil, err
		}
	}
	if err := setFeatureReport(ctx, c.dev, c.choice.Setting.Number, q.FeatureReport); optional(err) != nil {
		return nil, fmt.Errorf("scanner: %s: SET_REPORT (%s): %w", c.info, q.Symptom, err)
	}
	size := max(c.choice.In.MaxPacketSize, format.Size)
	return &POS{conn: c, format: format, buf: make([]byte, size)}, nil
}

// Format returns the report format the scanner is read with.
func (p *POS) Format() POSFormat { return p.format }

// Next waits for the next scan and returns its data.
func (p *POS) Next(ctx context.Context) ([]byte, error) {
	s, err := p.NextScan(ctx)
	return s.Data, err
}

// NextScan waits for the next scan and returns it with its symbology. Reports
// with other IDs are skipped; a malformed report drops the scan in progress and
// is returned as an ErrReport. A scan whose continuation does not come within
// the idle time is an ErrIncomplete.
func (p *POS) NextScan(ctx context.Context) (POSScan, error) {
	ctx, end, err := p.begin(ctx)
	if err != nil {
		return POSScan{}, err
	}
	defer end()
	var scan POSScan
	started, overflow := false, false
	for {
		rctx, cancel := ctx, context.CancelFunc(func() {})
		if started {
			rctx, cancel = context.WithTimeout(ctx, p.idle)
		}
		n, err := p.in.Read(rctx, p.buf)
		cancel()
		if err != nil && quiet(err, ctx) {
			n, err = p.lastLook(ctx, p.buf)
		}
		if err != nil {
			if quiet(err, ctx) {
				return POSScan{}, fmt.Errorf("%w: %s sent no continuation for %s after %d bytes", ErrIncomplete, p.info, p.idle, len(scan.Data))
			}
			return POSScan{}, p.readError(err, len(scan.Data))
		}
		if n == 0 {
			continue
		}
		r, err := ParsePOSReport(p.format, p.buf[:n])
		if errors.Is(err, ErrOtherReport) {
			continue
		}
		if err != nil {
			return POSScan{}, fmt.Errorf("scanner: %s: %w", p.info, err)
		}
		if !started {
			started = true
			scan.Symbology, scan.Vendor = r.Symbology, r.Vendor
		}
		if !overflow {
			scan.Data = append(scan.Data, r.Data...)
			if len(scan.Data) > p.max {
				overflow, scan.Data = true, nil
			}
		}
		if r.Continued {
			continue
		}
		if overflow {
			return POSScan{}, fmt.Errorf("scanner: %s: %w", p.info, ErrTooLong)
		}
		scan.Data = trimAffixes(scan.Data, p.prefix, p.suffix)
		return scan, nil
	}
}

// trimAffixes removes a prefix and a suffix a scanner is set to send.
func trimAffixes(b, prefix, suffix []byte) []byte {
	if len(suffix) > 0 {
		b = bytes.TrimSuffix(b, suffix)
	}
	if len(prefix) > 0 {
		b = bytes.TrimPrefix(b, prefix)
	}
	return b
}
