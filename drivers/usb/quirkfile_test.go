package usb

import (
	"errors"
	"fmt"
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

func TestParseQuirks(t *testing.T) {
	type quirk struct {
		vid, pid ID
		model    string
	}
	rules := QuirkRules[quirk]{
		New: func(vid, pid ID) quirk { return quirk{vid: vid, pid: pid} },
		Set: func(q *quirk, key, value string) error {
			if key != "model" {
				return fmt.Errorf("unknown key %q", key)
			}
			q.model = value
			return nil
		},
		Check: func(q quirk) error {
			if q.model == "" {
				return errors.New("has no model")
			}
			return nil
		},
	}
	table, err := ParseQuirks(strings.NewReader("[04f9:0042]\nmodel = HL-1440\n[03f0:0001]\nmodel = LaserJet\n"), rules)
	if err != nil {
		t.Fatal(err)
	}
	if q, ok := table.Lookup(0x03f0, 0x0001); !ok || q != (quirk{0x03f0, 0x0001, "LaserJet"}) {
		t.Errorf("Lookup(03f0:0001) = %+v, %v", q, ok)
	}
	for _, tt := range []struct{ file, want string }{
		{"[04f9:0042]\nmodel = a\ncolour = red\n", `line 3: unknown key "colour"`},
		{"[04f9:0042]\nmodel = a\n\n[03f0:0001]\n", "line 4: [03f0:0001] has no model"},
		{"model = a\n", "before the first [VID:PID]"},
	} {
		if _, err := ParseQuirks(strings.NewReader(tt.file), rules); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseQuirks(%q) = %v, want an error mentioning %q", tt.file, err, tt.want)
		}
	}
}
