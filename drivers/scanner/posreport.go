package scanner

// posreport.go: the scanned data report of a HID POS scanner. The HID Point of
// Sale Usage Tables 1.02 define its fields on the Bar Code Scanner page (0x8C):
// Scanned Data Report (0x12), Symbology Identifier 1, 2 and 3 (0xFB–0xFD),
// Decoded Data (0xFE) and Decode Data Continued (0xFF). Where each field sits in
// the report is the device's choice, told by its report descriptor; the tables
// define no length field. POSFormat holds the positions as data.

import (
	"fmt"
	"slices"
	"strings"
)

// POSFormat says where a scanner puts the fields of its scanned data report.
// Offsets count from the report ID, the report's first byte.
type POSFormat struct {
	// Name is how quirks name the format.
	Name string
	// ReportID is the scanned data report's ID; reports with other IDs are not
	// scans.
	ReportID byte
	// Size is the report's length, ID included.
	Size int
	// LengthAt is the offset of the byte giving how many bytes of DataAt are data.
	LengthAt int
	// SymbologyAt is the offset of Symbology Identifiers 1 to 3: an AIM
	// identifier (ISO/IEC 15424), "]" and two characters, e.g. "]Q1" for a QR code.
	SymbologyAt int
	// DataAt and DataMax place the Decoded Data.
	DataAt, DataMax int
	// VendorAt is the offset of a further symbology identifier in the maker's own
	// code, or -1.
	VendorAt int
	// ContinuedAt and ContinuedMask place the Decode Data Continued flag: set
	// when the next report carries more of the same scan.
	ContinuedAt   int
	ContinuedMask byte
}

// POSFormatAIM64 is the 64-byte scanned data report of Honeywell scan engines,
// as the Access-IS document and barcode readers built on them document it (their
// manuals' "HID reports" appendix): report ID 2; the data length; the AIM
// identifier; up to 56 bytes of data; the maker's code identifier at byte 61; byte
// 62 reserved; bit 0 of byte 63 set when the data continues in the next report.
func POSFormatAIM64() POSFormat {
	return POSFormat{
		Name: "aim-64", ReportID: 0x02, Size: 64,
		LengthAt: 1, SymbologyAt: 2, DataAt: 5, DataMax: 56,
		VendorAt: 61, ContinuedAt: 63, ContinuedMask: 0x01,
	}
}

// POSFormats returns the formats the package knows.
func POSFormats() []POSFormat { return []POSFormat{POSFormatAIM64()} }

// POSFormatByName returns the format called name.
func POSFormatByName(name string) (POSFormat, error) {
	var names []string
	for _, f := range POSFormats() {
		if f.Name == name {
			return f, nil
		}
		names = append(names, f.Name)
	}
	return POSFormat{}, fmt.Errorf("unknown HID POS report format %q (have %s)", name, strings.Join(names, ", "))
}

// POSReport is one scanned data report.
type POSReport struct {
	// Symbology is the AIM identifier ("]Q1"), empty when the report carries none.
	Symbology string
	// Vendor is the maker's symbology code, 0 when none.
	Vendor byte
	// Data is this report's part of the scan.
	Data []byte
	// Continued says the next report carries more of the scan.
	Continued bool
}

// ParsePOSReport reads one input report in format f. A report with another ID is
// an ErrOtherReport; one too short for f, or whose length byte says more than f
// has room for, is an ErrReport.
func ParsePOSReport(f POSFormat, report []byte) (POSReport, error) {
	if len(report) == 0 {
		return POSReport{}, fmt.Errorf("%w: empty report", ErrReport)
	}
	if report[0] != f.ReportID {
		return POSReport{}, fmt.Errorf("%w: report ID %#02x", ErrOtherReport, report[0])
	}
	need := max(f.LengthAt, f.SymbologyAt+2, f.DataAt+f.DataMax-1, f.VendorAt, f.ContinuedAt) + 1
	if len(report) < need {
		return POSReport{}, fmt.Errorf("%w: %s report of %d bytes, want %d", ErrReport, f.Name, len(report), need)
	}
	n := int(report[f.LengthAt])
	if n > f.DataMax {
		return POSReport{}, fmt.Errorf("%w: %s report says %d bytes of data, it has room for %d", ErrReport, f.Name, n, f.DataMax)
	}
	r := POSReport{
		Symbology: aimIdentifier(report[f.SymbologyAt : f.SymbologyAt+3]),
		Data:      slices.Clone(report[f.DataAt : f.DataAt+n]),
		Continued: report[f.ContinuedAt]&f.ContinuedMask != 0,
	}
	if f.VendorAt >= 0 {
		r.Vendor = report[f.VendorAt]
	}
	return r, nil
}

// aimIdentifier returns b as an AIM symbology identifier: "]" followed by two
// printable ASCII characters; anything else is no identifier.
func aimIdentifier(b []byte) string {
	if len(b) != 3 || b[0] != ']' {
		return ""
	}
	for _, c := range b[1:] {
		if c <= ' ' || c > '~' {
			return ""
		}
	}
	return string(b)
}
