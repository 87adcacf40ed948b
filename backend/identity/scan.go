package identity

// scan.go: what a barcode or document scanner read, made a typed value — a
// machine-readable zone, an HC1 certificate, or text.

import (
	"strings"
	"time"
)

// ScanKind says what a scan holds.
type ScanKind string

// The kinds of scan.
const (
	ScanMRZ  ScanKind = "mrz"  // a machine-readable zone, read or failed
	ScanHC1  ScanKind = "hc1"  // an EU Digital COVID Certificate, HC1: and Base45
	ScanText ScanKind = "text" // anything else: an OMS policy barcode, a GS1 code…
)

// Scan is one scan, classified.
type Scan struct {
	Kind ScanKind
	// Text is what the scanner sent, less the CR and LF it ends a scan with.
	// Everything else is kept as sent: GS (0x1D), RS (0x1E) and EOT (0x04), which
	// structure GS1 and ISO/IEC 15434 barcodes, and the spaces of Base45.
	Text string
	// MRZ is the zone of a ScanMRZ whose every check passed; Err says which check
	// a ScanMRZ failed. Exactly one of them is set for a ScanMRZ, neither otherwise.
	MRZ *MRZ
	Err error
}

// ClassifyScan tells what a scan holds. It is an HC1 certificate when it starts
// with "HC1:"; a machine-readable zone when it has the look of one — 2 or 3 lines
// (or one line of 72, 88 or 90 characters) of 20 to 50 characters each, all
// A–Z, 0–9 and < once lower case is upper-cased, with fillers among them — in which
// case it is parsed with ParseMRZ (now decides the centuries); and text otherwise.
// A zone that looks like one but fails a check is still a ScanMRZ, with Err set,
// so that the kiosk asks for the document to be scanned again rather than taking
// the zone for a barcode.
func ClassifyScan(b []byte, now time.Time) Scan {
	text := strings.TrimRight(string(b), "\r\n")
	switch {
	case strings.HasPrefix(text, "HC1:"):
		return Scan{Kind: ScanHC1, Text: text}
	case looksLikeMRZ(text):
		s := Scan{Kind: ScanMRZ, Text: text}
		m, err := ParseMRZ(text, now)
		if err != nil {
			s.Err = err
		} else {
			s.MRZ = &m
		}
		return s
	}
	return Scan{Kind: ScanText, Text: text}
}

// looksLikeMRZ reports whether text has the shape of a machine-readable zone,
// whether or not its lengths and check digits are right.
func looksLikeMRZ(text string) bool {
	lines := mrzLines(text)
	if len(lines) < 2 || len(lines) > 3 {
		return false
	}
	fillers := 0
	for _, l := range lines {
		if len(l) < 20 || len(l) > 50 {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isMRZChar(l[i]) {
				return false
			}
		}
		fillers += strings.Count(l, "<")
	}
	return fillers > 0
}
