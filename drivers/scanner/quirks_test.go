package scanner

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestDefaultQuirks(t *testing.T) {
	table := DefaultQuirks()
	all := table.All()
	if len(all) < 10 {
		t.Fatalf("DefaultQuirks() has %d entries", len(all))
	}
	for _, q := range all {
		if q.Model == "" || q.Source == "" {
			t.Errorf("%s:%s lacks a model or source: %+v", q.VID, q.PID, q)
		}
		if q.workaround() && q.Symptom == "" {
			t.Errorf("%s:%s has a workaround without a symptom", q.VID, q.PID)
		}
	}
	q, ok := table.Lookup(0x0c2e, 0x0b8f)
	if !ok || q.Mode != ModePOS || !bytes.Equal(q.FeatureReport, []byte{0xfe, 0x01}) || q.POSFormat != "aim-64" {
		t.Errorf("Lookup(0c2e:0b8f) = %+v, %v", q, ok)
	}
	if q, ok := table.Lookup(0x0db5, 0x013a); !ok || q.workaround() {
		t.Errorf("Lookup(0db5:013a) = %+v, %v, want a known model without workaround", q, ok)
	}
	if _, ok := table.Lookup(0x046d, 0xc31c); ok {
		t.Errorf("Lookup(046d:c31c) found an ordinary keyboard")
	}
}

func testQuirks(t testing.TB) QuirkTable {
	t.Helper()
	f, err := os.Open("testdata/quirks.conf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	table, err := ParseQuirks(f)
	if err != nil {
		t.Fatal(err)
	}
	return table
}

func TestParseQuirks(t *testing.T) {
	table := testQuirks(t)
	if q, _ := table.Lookup(0x1234, 0x0001); string(q.Prefix) != "\x02" || string(q.Suffix) != "\x03" {
		t.Errorf("1234:0001 prefix %q suffix %q, want STX and ETX", q.Prefix, q.Suffix)
	}
	if q, _ := table.Lookup(0x1234, 0x0002); q.Layout != "de" {
		t.Errorf("1234:0002 layout %q, want de", q.Layout)
	}
	if q, _ := table.Lookup(0x1234, 0x0003); q.Mode != ModePOS || len(q.FeatureReport) != 2 {
		t.Errorf("1234:0003 = %+v", q)
	}
	if n := len(table.All()); n != 4 {
		t.Errorf("All() = %d entries, want 4", n)
	}
	one, err := ParseQuirks(strings.NewReader("[1234:0009]\nmodel = m\nsymptom = s\ngap = 40ms\nsuffix = \\r\\t\n"))
	if err != nil {
		t.Fatal(err)
	}
	if q, _ := one.Lookup(0x1234, 0x0009); q.Gap != 40*time.Millisecond || string(q.Suffix) != "\r\t" {
		t.Errorf("gap and suffix = %v, %q", q.Gap, q.Suffix)
	}
}

func TestParseQuirksRejects(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"no model", "[1234:0001]\nsource = x\n", "no model"},
		{"workaround without symptom", "[1234:0001]\nmodel = m\nlayout = de\n", "no symptom"},
		{"unknown key", "[1234:0001]\nmodel = m\nlayuot = de\n", "unknown key"},
		{"section twice", "[1234:0001]\nmodel = m\n[1234:0001]\nmodel = n\n", "twice"},
		{"key twice", "[1234:0001]\nmodel = m\nmodel = n\n", "twice"},
		{"key before a section", "model = m\n", "before the first"},
		{"bad section", "[scanner]\nmodel = m\n", "not [VID:PID]"},
		{"open section", "[1234:0001\nmodel = m\n", "no ']'"},
		{"not key = value", "[1234:0001]\nmodel m\n", "not key = value"},
		{"bad mode", "[1234:0001]\nmodel = m\nsymptom = s\nmode = bluetooth\n", "mode"},
		{"bad layout", "[1234:0001]\nmodel = m\nsymptom = s\nlayout = fr\n", "layout"},
		{"bad escape", "[1234:0001]\nmodel = m\nsymptom = s\nsuffix = \\q\n", "suffix"},
		{"empty prefix", "[1234:0001]\nmodel = m\nsymptom = s\nprefix =\n", "prefix"},
		{"bad format", "[1234:0001]\nmodel = m\nsymptom = s\npos-format = zebra\n", "pos-format"},
		{"bad hex", "[1234:0001]\nmodel = m\nsymptom = s\nfeature-report = f\n", "feature-report"},
		{"long gap", "[1234:0001]\nmodel = m\nsymptom = s\ngap = 3s\n", "outside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseQuirks(strings.NewReader(tt.in))
			if !errors.Is(err, ErrQuirks) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseQuirks(%q) error = %v, want ErrQuirks mentioning %q", tt.in, err, tt.want)
			}
		})
	}
}
