package scanner_test

import (
	"slices"
	"testing"

	"certkiosk/drivers/scanner"
	"certkiosk/drivers/scanner/scannertest"
)

func TestUsagePages(t *testing.T) {
	tests := []struct {
		name string
		desc []byte
		want []uint16
	}{
		{"boot keyboard", scannertest.BootKeyboardReportDescriptor(), []uint16{0x01, 0x07, 0x08}},
		{"POS scanner", scannertest.POSReportDescriptor(), []uint16{0x8c, 0xff66}},
		{"extended usage", []byte{0x0b, 0x02, 0x00, 0x8c, 0x00}, []uint16{0x8c}},
		{"long item skipped", []byte{0xfe, 0x02, 0x10, 0x05, 0x8c, 0x05, 0x01}, []uint16{0x01}},
		{"truncated item", []byte{0x05, 0x01, 0x06, 0x8c}, []uint16{0x01}},
		{"truncated long item", []byte{0xfe, 0x10}, nil},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		if got := scanner.UsagePages(tt.desc); !slices.Equal(got, tt.want) {
			t.Errorf("%s: UsagePages(% x) = %#x, want %#x", tt.name, tt.desc, got, tt.want)
		}
	}
}
