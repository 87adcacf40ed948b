package pcsc

import "testing"

func TestParseReaderName(t *testing.T) {
	tests := []struct {
		in   string
		want ReaderName
	}{
		{"Gemalto PC Twin Reader (645D9F53) 00 00", ReaderName{Model: "Gemalto PC Twin Reader", Serial: "645D9F53", Index: 0, Slot: 0}},
		{"Identiv uTrust 4701 F Dual Interface Reader [CCID Interface] (55041911202813) 01 00",
			ReaderName{Model: "Identiv uTrust 4701 F Dual Interface Reader", Interface: "CCID Interface", Serial: "55041911202813", Index: 1, Slot: 0}},
		{"Virtual PCD 00 01", ReaderName{Model: "Virtual PCD", Index: 0, Slot: 1}},
		{"Alcor Micro AU9540 0A FF", ReaderName{Model: "Alcor Micro AU9540", Index: 10, Slot: 255}},
		{"HID Global OMNIKEY 3x21 Smart Card Reader 0", ReaderName{Model: "HID Global OMNIKEY 3x21 Smart Card Reader 0", Index: -1, Slot: -1}}, // Windows
		{"Reader 0a 00", ReaderName{Model: "Reader 0a 00", Index: -1, Slot: -1}},                                                               // pcsc-lite writes upper case
		{"Reader (unclosed 00 00", ReaderName{Model: "Reader (unclosed", Index: 0, Slot: 0}},
		{"(645D9F53) 00 00", ReaderName{Model: "(645D9F53)", Index: 0, Slot: 0}},
		{"Bell\a Reader\x00 00 00", ReaderName{Model: "Bell Reader", Index: 0, Slot: 0}},
		{" 00 00", ReaderName{Model: " 00 00", Index: -1, Slot: -1}},
		{"", ReaderName{Index: -1, Slot: -1}},
	}
	for _, tt := range tests {
		got := ParseReaderName(tt.in)
		if got != tt.want {
			t.Errorf("ParseReaderName(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if back := ParseReaderName(got.String()); back != got {
			t.Errorf("ParseReaderName(%q).String() = %q, which parses as %+v", tt.in, got.String(), back)
		}
	}
}
