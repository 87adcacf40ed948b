package scanner

// framing.go: cutting the character stream of a keyboard-mode or serial scanner
// into scans. A scanner ends each line with CR, LF or CR LF (or a configured
// suffix), and a document reader sends a machine-readable zone as two or three
// such lines in quick succession; so a scan ends when the stream has gone quiet
// for a moment after a line end, not at every line end.

import (
	"bytes"
	"time"
)

// Defaults for Options.
const (
	// DefaultGap is how long the stream must stay quiet after a line end for the
	// scan to be complete. Scanners send the lines of one read within a few
	// milliseconds of each other; people take far longer between two reads.
	DefaultGap = 150 * time.Millisecond
	// DefaultIdle is how long the stream must stay quiet in the middle of a line
	// (a scanner set to send no line end at all) for what came to count as a scan.
	DefaultIdle = time.Second
	// DefaultMaxScan bounds one scan. The largest QR code holds under 8 KB, and an
	// HC1 certificate well under that.
	DefaultMaxScan = 16 << 10
)

// framer gathers bytes until they make a scan. It is used by one goroutine.
type framer struct {
	prefix, suffix []byte
	gap            time.Duration // < 0: every line end ends a scan at once
	idle           time.Duration
	max            int

	buf      []byte
	done     [][]byte // scans ended by a suffix or a line end, not yet taken
	overflow bool     // the scan in progress passed max and is being dropped
	tooLong  int      // scans dropped for their length, not yet reported
}

func newFramer(prefix, suffix []byte, gap, idle time.Duration, max int) *framer {
	if gap == 0 {
		gap = DefaultGap
	}
	if idle <= 0 {
		idle = DefaultIdle
	}
	if max <= 0 {
		max = DefaultMaxScan
	}
	return &framer{prefix: prefix, suffix: suffix, gap: gap, idle: idle, max: max}
}

func isLineEnd(c byte) bool { return c == '\r' || c == '\n' }

// write adds bytes that arrived.
func (f *framer) write(p []byte) {
	for _, c := range p {
		if len(f.buf) == 0 && !f.overflow && isLineEnd(c) {
			continue // the rest of the last scan's line end, or an empty line
		}
		f.buf = append(f.buf, c)
		if keep := max(len(f.suffix), 1); f.overflow && len(f.buf) > keep {
			// Only the end of the overlong scan matters now.
			f.buf = append(f.buf[:0], f.buf[len(f.buf)-keep:]...)
		}
		switch {
		case len(f.suffix) > 0 && bytes.HasSuffix(f.buf, f.suffix):
			f.end()
		case len(f.suffix) == 0 && f.gap < 0 && isLineEnd(c):
			f.end()
		case !f.overflow && len(f.buf) > f.max:
			f.overflow = true
			f.buf = f.buf[:0]
		}
	}
}

// end ends the scan in progress.
func (f *framer) end() {
	if f.overflow {
		f.overflow = false
		f.tooLong++
		f.buf = f.buf[:0]
		return
	}
	if scan := f.trim(f.buf); len(scan) > 0 {
		f.done = append(f.done, scan)
	}
	f.buf = f.buf[:0]
}

// trim returns a copy of a scan without its line ends, suffix and prefix.
func (f *framer) trim(b []byte) []byte {
	b = bytes.TrimRight(b, "\r\n")
	if len(f.suffix) > 0 {
		b = bytes.TrimSuffix(b, f.suffix)
		b = bytes.TrimRight(b, "\r\n")
	}
	if len(f.prefix) > 0 {
		b = bytes.TrimPrefix(b, f.prefix)
	}
	return bytes.Clone(b)
}

// take returns the next complete scan, or ErrTooLong for one that was dropped;
// ok is false when there is neither.
func (f *framer) take() (scan []byte, ok bool, err error) {
	if f.tooLong > 0 {
		f.tooLong--
		return nil, true, ErrTooLong
	}
	if len(f.done) > 0 {
		scan = f.done[0]
		f.done = f.done[1:]
		return scan, true, nil
	}
	return nil, false, nil
}

// wait returns how long the stream must stay quiet before the scan in progress
// is complete, or 0 when none is in progress.
func (f *framer) wait() time.Duration {
	if len(f.buf) == 0 && !f.overflow {
		return 0
	}
	if n := len(f.buf); n > 0 && isLineEnd(f.buf[n-1]) && f.gap > 0 {
		return f.gap
	}
	return f.idle
}

// quiet ends the scan in progress because the stream went quiet.
func (f *framer) quiet() {
	if len(f.buf) > 0 || f.overflow {
		f.end()
	}
}

// pending returns how many bytes of an unfinished scan are held.
func (f *framer) pending() int { return len(f.buf) }

// discard drops the scan in progress and any not yet taken.
func (f *framer) discard() {
	f.buf = f.buf[:0]
	f.done = nil
	f.overflow = false
	f.tooLong = 0
}
