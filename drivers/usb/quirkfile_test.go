package usb

import (
	"slices"
	"strings"
	"testing"
)

func TestQuirkTable(t *testing.T) {
	var zero QuirkTable[string]
	if _, ok := zero.Lookup(1, 2); ok || len(zero.All()) != 0 {
		t.Error("the zero QuirkTable is not empty")
	}
	var tab QuirkTable[string]
	tab.Add(0x04f9, 0x0042, "b")
	tab.Add(0x03f0, 0xc42a, "a2")
	tab.Add(0x03f0, 0x0001, "a1")
	if q, ok := tab.Lookup(0x03f0, 0xc42a); !ok || q != "a2" {
		t.Errorf("Lookup(03f0:c42a) = %q, %v, want a2", q, ok)
	}
	if got := tab.All(); !slices.Equal(got, []string{"a1", "a2", "b"}) {
		t.Errorf("All() = %v, want ordered by VID:PID", got)
	}
}

func TestReadQuirkFileErrors(t *testing.T) {
	tests := []struct{ file, want string }{
		{"model = x\n", "line 1: \"model = x\" before the first [VID:PID]"},
		{"[04f9:0042\n", "has no ']'"},
		{"[printer]\n", "is not [VID:PID]"},
		{"[04f9:0042]\n[04f9:0042]\n", "line 2: 04f9:0042 appears twice"},
		{"[04f9:0042]\nmodel = a\nmodel = b\n", "line 3: model given twice"},
		{"[04f9:0042]\njust words\n", "is not key = value"},
	}
	for _, tt := range tests {
		if _, err := ReadQuirkFile(strings.NewReader(tt.file)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadQuirkFile(%q) = %v, want an error mentioning %q", tt.file, err, tt.want)
		}
	}
	secs, err := ReadQuirkFile(strings.NewReader("# comment\n[04f9:0042]\n model = HL-1440 \n\n[03f0:0001]\n"))
	if err != nil || len(secs) != 2 || secs[0].Entries[0] != (QuirkEntry{"model", "HL-1440", 3}) || secs[1].Line != 5 {
		t.Errorf("ReadQuirkFile = %+v, %v", secs, err)
	}
}
