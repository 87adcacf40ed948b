package usbprint

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"certkiosk/drivers/usb"
)

func TestDefaultQuirks(t *testing.T) {
	table := DefaultQuirks()
	all := table.All()
	if len(all) == 0 {
		t.Fatal("DefaultQuirks() is empty")
	}
	for _, q := range all {
		if q.Symptom == "" || q.Model == "" || q.Source == "" {
			t.Errorf("quirk %s:%s lacks a model, symptom or source: %+v", q.VID, q.PID, q)
		}
	}
	q, ok := table.Lookup(0x03f0, 0x0004)
	if !ok || !q.Unidirectional || q.Model != "HP DeskJet 895C" {
		t.Errorf("Lookup(03f0:0004) = %+v, %v, want the unidirectional HP DeskJet 895C", q, ok)
	}
	if q, ok := table.Lookup(0x04b8, 0x0202); !ok || !q.VendorClass {
		t.Errorf("Lookup(04b8:0202) = %+v, %v, want vendor-class", q, ok)
	}
	if _, ok := table.Lookup(0x03f0, 0xc42a); ok {
		t.Errorf("Lookup(03f0:c42a) found a quirk for a model without one")
	}
}

func testQuirks(t *testing.T) QuirkTable {
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
	tests := []struct {
		vid, pid uint16
		check    func(Quirk) bool
	}{
		{0x04f9, 0xffe1, func(q Quirk) bool { return q.DeviceIDLength == LengthLittleEndian }},
		{0x1234, 0x0002, func(q Quirk) bool { return q.DelayAfterClaim == 750*time.Millisecond }},
		{0x1234, 0x0003, func(q Quirk) bool { return q.Unidirectional && !q.VendorClass }},
		{0x1234, 0x0004, func(q Quirk) bool { return q.VendorClass }},
	}
	for _, tt := range tests {
		q, ok := table.Lookup(idOf(tt.vid), idOf(tt.pid))
		if !ok || !tt.check(q) {
			t.Errorf("Lookup(%04x:%04x) = %+v, %v", tt.vid, tt.pid, q, ok)
		}
	}
	if n := len(table.All()); n != 4 {
		t.Errorf("All() = %d entries, want 4", n)
	}
}

func TestParseQuirksRejects(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"no symptom", "[1234:0001]\nunidirectional = true\n", "no symptom"},
		{"unknown key", "[1234:0001]\nsymptom = x\nunidirectinal = true\n", "unknown key"},
		{"section twice", "[1234:0001]\nsymptom = x\n[1234:0001]\nsymptom = y\n", "twice"},
		{"key twice", "[1234:0001]\nsymptom = x\nsymptom = y\n", "twice"},
		{"key before a section", "symptom = x\n", "before the first"},
		{"bad section", "[printer]\nsymptom = x\n", "not [VID:PID]"},
		{"serial in section", "[1234:0001/AB]\nsymptom = x\n", "not [VID:PID]"},
		{"open section", "[1234:0001\nsymptom = x\n", "no ']'"},
		{"not key = value", "[1234:0001]\nsymptom x\n", "not key = value"},
		{"bad bool", "[1234:0001]\nsymptom = x\nvendor-class = sometimes\n", "vendor-class"},
		{"bad duration", "[1234:0001]\nsymptom = x\ndelay-after-claim = 5\n", "delay-after-claim"},
		{"long delay", "[1234:0001]\nsymptom = x\ndelay-after-claim = 1m\n", "outside"},
		{"bad order", "[1234:0001]\nsymptom = x\ndevice-id-length = middle-endian\n", "device-id-length"},
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

func idOf(v uint16) usb.ID { return usb.ID(v) }
