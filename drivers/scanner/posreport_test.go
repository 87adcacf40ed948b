package scanner

import (
	"bytes"
	"errors"
	"testing"
)

// posReport builds an aim-64 report.
func posReport(id, length byte, sym string, data string, vendor byte, cont bool) []byte {
	b := make([]byte, 64)
	b[0], b[1] = id, length
	copy(b[2:5], sym)
	copy(b[5:61], data)
	b[61] = vendor
	if cont {
		b[63] = 0x01
	}
	return b
}

func TestParsePOSReport(t *testing.T) {
	f := POSFormatAIM64()
	full := string(bytes.Repeat([]byte("x"), 56))
	tests := []struct {
		name   string
		report []byte
		want   POSReport
	}{
		{"QR code", posReport(2, 9, "]Q1", "HC1:NCFOX", 's', false), POSReport{Symbology: "]Q1", Vendor: 's', Data: []byte("HC1:NCFOX")}},
		{"continued", posReport(2, 56, "]Q1", full, 0, true), POSReport{Symbology: "]Q1", Data: []byte(full), Continued: true}},
		{"GS kept", posReport(2, 5, "]d2", "01\x1d17", 0, false), POSReport{Symbology: "]d2", Data: []byte("01\x1d17")}},
		{"no symbology", posReport(2, 3, "", "123", 0, false), POSReport{Data: []byte("123")}},
		{"not an AIM identifier", posReport(2, 3, "Q1\x00", "123", 0, false), POSReport{Data: []byte("123")}},
		{"length shorter than the data", posReport(2, 2, "]C0", "12345", 0, false), POSReport{Symbology: "]C0", Data: []byte("12")}},
		{"other bits of the last byte", append(posReport(2, 1, "]E0", "7", 0, false)[:63], 0xfe), POSReport{Symbology: "]E0", Data: []byte("7")}},
		{"longer report", append(posReport(2, 1, "]E0", "7", 0, false), 0xff, 0xff), POSReport{Symbology: "]E0", Data: []byte("7")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePOSReport(f, tt.report)
			if err != nil || got.Symbology != tt.want.Symbology || got.Vendor != tt.want.Vendor ||
				!bytes.Equal(got.Data, tt.want.Data) || got.Continued != tt.want.Continued {
				t.Errorf("ParsePOSReport() = %+v, %v, want %+v", got, err, tt.want)
			}
		})
	}
}

func TestParsePOSReportRejects(t *testing.T) {
	f := POSFormatAIM64()
	tests := []struct {
		name   string
		report []byte
		want   error
	}{
		{"empty", nil, ErrReport},
		{"other report ID", posReport(4, 1, "", "", 0, false), ErrOtherReport},
		{"short", posReport(2, 1, "]Q1", "x", 0, false)[:40], ErrReport},
		{"length beyond the data field", posReport(2, 57, "]Q1", "x", 0, false), ErrReport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParsePOSReport(f, tt.report); !errors.Is(err, tt.want) {
				t.Errorf("ParsePOSReport() error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPOSFormatByName(t *testing.T) {
	if f, err := POSFormatByName("aim-64"); err != nil || f.Size != 64 {
		t.Errorf("POSFormatByName(aim-64) = %+v, %v", f, err)
	}
	if _, err := POSFormatByName("zebra"); err == nil {
		t.Errorf("POSFormatByName(zebra) did not fail")
	}
}
