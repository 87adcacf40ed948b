package scanner_test

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"certkiosk/drivers/scanner"
)

// splitReports cuts b into boot keyboard reports, dropping a short tail.
func splitReports(b []byte) [][]byte {
	var reports [][]byte
	for len(b) >= scanner.BootReportSize {
		reports = append(reports, b[:scanner.BootReportSize])
		b = b[scanner.BootReportSize:]
	}
	return reports
}

// FuzzDecodeKeyboardReports feeds arbitrary report sequences, read in 8-byte
// reports, to the decoder on either layout. What comes out is UTF-8 without NUL,
// and sending every report twice in a row (a keyboard repeating an unchanged
// report at its idle rate) types exactly the same. Seeds:
// testdata/fuzz/FuzzDecodeKeyboardReports, cut from the recordings.
func FuzzDecodeKeyboardReports(f *testing.F) {
	f.Add([]byte("\x02\x00\x0b\x00\x00\x00\x00\x00\x00\x00\x0b\x0c\x00\x00\x00\x00\x01\x00\x30\x00\x00\x00\x00\x00"), false)
	f.Add([]byte("\x00\x00\x35\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x00\x00"), true)
	f.Fuzz(func(t *testing.T, data []byte, german bool) {
		l := scanner.LayoutUS()
		if german {
			l = scanner.LayoutDE()
		}
		reports := splitReports(data)
		out, err := scanner.DecodeKeyboardReports(l, reports)
		if err != nil {
			t.Fatalf("DecodeKeyboardReports(% x) error = %v", data, err)
		}
		if !utf8.Valid(out) || bytes.IndexByte(out, 0) >= 0 {
			t.Fatalf("DecodeKeyboardReports(% x) = %q: not UTF-8 without NUL", data, out)
		}
		var twice [][]byte
		for _, r := range reports {
			twice = append(twice, r, r)
		}
		again, err := scanner.DecodeKeyboardReports(l, twice)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("reports of % x sent twice each type %q, %v; once: %q", data, again, err, out)
		}
	})
}

// FuzzParsePOSReport feeds arbitrary reports to the aim-64 parser. A report it
// takes has data of the length its length byte gives, within the data field, a
// symbology that is empty or an AIM identifier, and the continued flag of bit 0
// of its last byte. Seeds: testdata/fuzz/FuzzParsePOSReport, reports from the
// recordings and broken ones.
func FuzzParsePOSReport(f *testing.F) {
	f.Add(append([]byte("\x02\x03]Q1HC1"), make([]byte, 56)...))
	f.Fuzz(func(t *testing.T, report []byte) {
		pf := scanner.POSFormatAIM64()
		r, err := scanner.ParsePOSReport(pf, report)
		if err != nil {
			return
		}
		if len(r.Data) != int(report[pf.LengthAt]) || len(r.Data) > pf.DataMax {
			t.Fatalf("ParsePOSReport(% x): %d bytes of data, length byte %d", report, len(r.Data), report[pf.LengthAt])
		}
		if !bytes.Equal(r.Data, report[pf.DataAt:pf.DataAt+len(r.Data)]) {
			t.Fatalf("ParsePOSReport(% x): data %q is not the report's", report, r.Data)
		}
		if r.Symbology != "" && (len(r.Symbology) != 3 || r.Symbology[0] != ']') {
			t.Fatalf("ParsePOSReport(% x): symbology %q", report, r.Symbology)
		}
		if r.Continued != (report[pf.ContinuedAt]&1 != 0) {
			t.Fatalf("ParsePOSReport(% x): continued %v", report, r.Continued)
		}
	})
}
