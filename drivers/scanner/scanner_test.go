package scanner_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/identity"
	"certkiosk/drivers/scanner"
	"certkiosk/drivers/scanner/scannertest"
	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
)

// testNow is the moment scans are classified at: the TD3 specimen's expiry
// (2012) is in the past, which ParseMRZ does not mind.
var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// fast sets the timing of tests: the gap that ends a scan is short enough for
// quick tests and long enough for a busy machine running several test binaries
// at once; no test relies on a scan being ended mid-line unless it sets Idle.
func fast(o scanner.Options) scanner.Options {
	if o.Gap == 0 {
		o.Gap = 100 * time.Millisecond
	}
	if o.Idle == 0 {
		o.Idle = 10 * time.Second
	}
	return o
}

func open(t *testing.T, bus usb.Bus, m usb.Match, o scanner.Options) scanner.Scanner {
	t.Helper()
	s, err := scanner.Open(context.Background(), bus, m, fast(o))
	if err != nil {
		t.Fatalf("Open(%s) error = %v", m, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func next(t *testing.T, s scanner.Scanner) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b, err := s.Next(ctx)
	if err != nil {
		t.Fatalf("Next() error = %v", err)
	}
	return string(b)
}

var keyboardID = usb.Match{VID: 0x0db5, PID: 0x013a}

func newKeyboard(country uint8) *scannertest.Keyboard {
	return scannertest.NewKeyboard(scannertest.Config{VID: 0x0db5, PID: 0x013a, Manufacturer: "Access IS", Product: "Barcode Module", Serial: "K1", Country: country})
}

func TestKeyboardScansTD3(t *testing.T) {
	kb := newKeyboard(0)
	kb.Reports(inReports(t, "keyboard-td3-specimen.usb")...)
	s := open(t, usbtest.NewBus(kb.Device), keyboardID, scanner.Options{})
	got := next(t, s)
	want := strings.ReplaceAll(readText(t, "icao-9303-4-td3-specimen.mrz"), "\n", "\r")
	if got != want {
		t.Fatalf("Next() = %q, want %q", got, want)
	}
	if proto, idle := kb.Boot(); !proto || !idle {
		t.Errorf("boot protocol %v, idle 0 %v: want both set", proto, idle)
	}
	scan := identity.ClassifyScan([]byte(got), testNow)
	if scan.Kind != identity.ScanMRZ || scan.Err != nil || scan.MRZ.Format != identity.TD3 || scan.MRZ.Primary != "ERIKSSON" {
		t.Errorf("ClassifyScan(%q) = %+v", got, scan)
	}
	k := s.(*scanner.Keyboard)
	if k.Layout().Name != "us" || k.Interface().Mode != scanner.ModeKeyboard {
		t.Errorf("layout %s, mode %s; want us, keyboard", k.Layout(), k.Interface().Mode)
	}
	if q, ok := k.Quirk(); !ok || !strings.Contains(q.Model, "Access-IS") {
		t.Errorf("Quirk() = %+v, %v", q, ok)
	}
}

func TestKeyboardScans(t *testing.T) {
	hc1 := readText(t, "mari-tamm.hc1")
	tests := []struct {
		file string
		want string
		kind identity.ScanKind
	}{
		{"keyboard-hc1-rollover.usb", hc1, identity.ScanHC1},
		{"keyboard-gs1-ctrl.usb", "0104150123456782\x1d17261231\x1d10ABC123", identity.ScanText},
		{"keyboard-iso15434-alt.usb", "[)>\x1e06\x1d9N1234567\x1d1TABC123\x1e\x04", identity.ScanText},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			kb := newKeyboard(0)
			kb.Reports(inReports(t, tt.file)...)
			s := open(t, usbtest.NewBus(kb.Device), keyboardID, scanner.Options{})
			got := next(t, s)
			if got != tt.want {
				t.Fatalf("Next() = %q, want %q", got, tt.want)
			}
			if scan := identity.ClassifyScan([]byte(got), testNow); scan.Kind != tt.kind || scan.Text != tt.want {
				t.Errorf("ClassifyScan(%q) = %s %q, want %s with the separators kept", got, scan.Kind, scan.Text, tt.kind)
			}
		})
	}
}

func TestKeyboardGermanLayout(t *testing.T) {
	hc1 := readText(t, "mari-tamm.hc1")
	table := quirkTable(t)
	tests := []struct {
		name    string
		pid     usb.ID
		country uint8
		opts    scanner.Options
		want    string // the layout used
	}{
		{"quirk", 0x0002, 0, scanner.Options{Quirks: &table}, "de"},
		{"country code in the HID descriptor", 0x0004, scanner.CountryGerman, scanner.Options{Quirks: &table}, "de"},
		{"option", 0x0004, 0, scanner.Options{Quirks: &table, Layout: scanner.LayoutDE()}, "de"},
		{"no quirk: the symptom", 0x0004, 0, scanner.Options{Quirks: &table}, "us"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kb := scannertest.NewKeyboard(scannertest.Config{VID: 0x1234, PID: tt.pid, Country: tt.country})
			kb.Reports(inReports(t, "keyboard-hc1-de.usb")...)
			s := open(t, usbtest.NewBus(kb.Device), usb.Match{VID: 0x1234, PID: tt.pid}, tt.opts)
			got := next(t, s)
			if l := s.(*scanner.Keyboard).Layout().Name; l != tt.want {
				t.Errorf("layout %s, want %s", l, tt.want)
			}
			if (got == hc1) != (tt.want == "de") {
				t.Errorf("Next() = %q; right: %v, want %v", got, got == hc1, tt.want == "de")
			}
		})
	}
}

// TestKeyboardReplay replays an exchange byte for byte, the requests Open makes
// included.
func TestKeyboardReplay(t *testing.T) {
	rec, err := usbtest.ReadRecording("testdata/keyboard-open.usb")
	if err != nil {
		t.Fatal(err)
	}
	kb := newKeyboard(0)
	r := kb.Replay(rec)
	s := open(t, usbtest.NewBus(kb.Device), keyboardID, scanner.Options{})
	if got := next(t, s); got != "12" {
		t.Errorf("Next() = %q, want 12", got)
	}
	if err := r.Done(); err != nil {
		t.Error(err)
	}
}

func TestKeyboardScansOneAfterAnother(t *testing.T) {
	kb := newKeyboard(0)
	s := open(t, usbtest.NewBus(kb.Device), keyboardID, scanner.Options{})
	for _, text := range []string{"7700000000000001", "HC1:6BF"} {
		if err := kb.Type(text + "\r"); err != nil {
			t.Fatal(err)
		}
		if got := next(t, s); got != text {
			t.Errorf("Next() = %q, want %q", got, text)
		}
	}
}

func TestKeyboardUnplugMidScan(t *testing.T) {
	kb := newKeyboard(0)
	reports := inReports(t, "keyboard-td3-specimen.usb")
	kb.Reports(reports...)
	kb.Endpoint(scannertest.KeyboardIn).FailAfter(8*len(reports)/2, usbtest.Unplug)
	s := open(t, usbtest.NewBus(kb.Device), keyboardID, scanner.Options{})
	_, err := s.Next(context.Background())
	if !errors.Is(err, scanner.ErrIncomplete) || !errors.Is(err, usb.ErrDisconnected) {
		t.Fatalf("Next() error = %v, want ErrIncomplete and usb.ErrDisconnected", err)
	}
	_, err = s.Next(context.Background())
	if errors.Is(err, scanner.ErrIncomplete) || !errors.Is(err, usb.ErrDisconnected) {
		t.Errorf("Next() after the unplug error = %v, want usb.ErrDisconnected alone", err)
	}
}

func TestCloseStopsNext(t *testing.T) {
	kb := newKeyboard(0)
	s, err := scanner.Open(context.Background(), usbtest.NewBus(kb.Device), keyboardID, scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.Next(context.Background())
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, scanner.ErrClosed) {
			t.Errorf("Next() stopped by Close error = %v, want ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Next() did not return after Close")
	}
	if _, err := s.Next(context.Background()); !errors.Is(err, scanner.ErrClosed) {
		t.Errorf("Next() after Close error = %v, want ErrClosed", err)
	}
	if got := kb.Claimed(); len(got) != 0 {
		t.Errorf("interfaces %v still claimed after Close", got)
	}
}

func TestNextHonoursContext(t *testing.T) {
	kb := newKeyboard(0)
	s := open(t, usbtest.NewBus(kb.Device), keyboardID, scanner.Options{})
	kb.Type("123") // no line end: the scan is not over
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := s.Next(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Next() error = %v, want DeadlineExceeded", err)
	}
}

func TestTooLong(t *testing.T) {
	kb := newKeyboard(0)
	s := open(t, usbtest.NewBus(kb.Device), keyboardID, scanner.Options{MaxScan: 10})
	kb.Type("12345678901234\r")
	if _, err := s.Next(context.Background()); !errors.Is(err, scanner.ErrTooLong) {
		t.Fatalf("Next() error = %v, want ErrTooLong", err)
	}
	kb.Type("123\r")
	if got := next(t, s); got != "123" {
		t.Errorf("Next() after a long scan = %q, want 123", got)
	}
}

func quirkTable(t *testing.T) scanner.QuirkTable {
	t.Helper()
	table, err := scanner.ParseQuirks(strings.NewReader(readText(t, "quirks.conf")))
	if err != nil {
		t.Fatal(err)
	}
	return table
}

var posID = usb.Match{VID: 0x0db5, PID: 0x013b}

func newPOS(vid, pid usb.ID) *scannertest.POS {
	return scannertest.NewPOS(scannertest.Config{VID: vid, PID: pid, Manufacturer: "Access IS", Product: "Barcode Module", Serial: "P1"})
}

func TestPOSScans(t *testing.T) {
	hc1 := readText(t, "mari-tamm.hc1")
	tests := []struct {
		file      string
		want      string
		symbology string
	}{
		{"pos-hc1.usb", hc1, "]Q1"},
		{"pos-gs1-datamatrix.usb", "0104150123456782\x1d17261231\x1d10ABC123", "]d2"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := newPOS(0x0db5, 0x013b)
			p.Reports(inReports(t, tt.file)...)
			s := open(t, usbtest.NewBus(p.Device), posID, scanner.Options{})
			got, err := s.(*scanner.POS).NextScan(context.Background())
			if err != nil || string(got.Data) != tt.want || got.Symbology != tt.symbology {
				t.Errorf("NextScan() = %q %s, %v, want %q %s", got.Data, got.Symbology, err, tt.want, tt.symbology)
			}
		})
	}
}

func TestPOSFoundByReportDescriptor(t *testing.T) {
	p := newPOS(0x1234, 0x0004) // known, but not as a POS scanner
	p.Scan("]Q1", []byte("HC1:6BF"))
	s := open(t, usbtest.NewBus(p.Device), usb.Match{VID: 0x1234, PID: 0x0004}, scanner.Options{})
	if got := next(t, s); got != "HC1:6BF" {
		t.Errorf("Next() = %q", got)
	}
	if got := p.FeatureReports(); len(got) != 0 {
		t.Errorf("feature reports % x sent without a quirk", got)
	}
}

func TestPOSQuirks(t *testing.T) {
	table := quirkTable(t)
	ctx := context.Background()
	// No report descriptor, no quirk: not taken for a scanner.
	p := newPOS(0x1234, 0x0004)
	p.SetReportDescriptor(nil)
	if _, err := scanner.Open(ctx, usbtest.NewBus(p.Device), usb.Match{VID: 0x1234, PID: 0x0004}, scanner.Options{Quirks: &table}); !errors.Is(err, scanner.ErrNotScanner) {
		t.Errorf("Open() without descriptor or quirk error = %v, want ErrNotScanner", err)
	}
	if got := p.Claimed(); len(got) != 0 {
		t.Errorf("interfaces %v left claimed by a failed Open", got)
	}
	// The quirk forces POS mode and sends its feature report.
	q := newPOS(0x1234, 0x0003)
	q.SetReportDescriptor(nil)
	q.Scan("]Q1", []byte("HC1:6BF"))
	s := open(t, usbtest.NewBus(q.Device), usb.Match{VID: 0x1234, PID: 0x0003}, scanner.Options{Quirks: &table})
	if got := next(t, s); got != "HC1:6BF" {
		t.Errorf("Next() = %q", got)
	}
	if got := q.FeatureReports(); len(got) != 1 || string(got[0]) != "\xfe\x01" {
		t.Errorf("feature reports = % x, want fe 01", got)
	}
	// The shipped table has the Honeywell one.
	h := newPOS(0x0c2e, 0x0b8f)
	open(t, usbtest.NewBus(h.Device), usb.Match{VID: 0x0c2e, PID: 0x0b8f}, scanner.Options{})
	if got := h.FeatureReports(); len(got) != 1 || string(got[0]) != "\xfe\x01" {
		t.Errorf("Honeywell feature reports = % x, want fe 01", got)
	}
}

func TestPOSUnplugMidScan(t *testing.T) {
	p := newPOS(0x0db5, 0x013b)
	reports := inReports(t, "pos-hc1.usb")
	p.Reports(reports...)
	p.Endpoint(scannertest.POSIn).FailAfter(3*64, usbtest.Unplug)
	s := open(t, usbtest.NewBus(p.Device), posID, scanner.Options{})
	_, err := s.Next(context.Background())
	if !errors.Is(err, scanner.ErrIncomplete) || !errors.Is(err, usb.ErrDisconnected) {
		t.Errorf("Next() error = %v, want ErrIncomplete and usb.ErrDisconnected", err)
	}
}

func TestPOSContinuationNeverComes(t *testing.T) {
	p := newPOS(0x0db5, 0x013b)
	p.Reports(inReports(t, "pos-hc1.usb")[:2]...)
	s := open(t, usbtest.NewBus(p.Device), posID, scanner.Options{Idle: 300 * time.Millisecond})
	_, err := s.Next(context.Background())
	if !errors.Is(err, scanner.ErrIncomplete) || errors.Is(err, usb.ErrDisconnected) {
		t.Errorf("Next() error = %v, want ErrIncomplete", err)
	}
	p.Scan("]Q1", []byte("HC1:6BF"))
	if got := next(t, s); got != "HC1:6BF" {
		t.Errorf("Next() after a cut-off scan = %q", got)
	}
}

func TestPOSMalformedReport(t *testing.T) {
	p := newPOS(0x0db5, 0x013b)
	bad := make([]byte, 64)
	bad[0], bad[1] = 0x02, 60
	p.Reports(bad)
	p.Scan("", []byte("123"))
	s := open(t, usbtest.NewBus(p.Device), posID, scanner.Options{})
	if _, err := s.Next(context.Background()); !errors.Is(err, scanner.ErrReport) {
		t.Errorf("Next() error = %v, want ErrReport", err)
	}
	if got := next(t, s); got != "123" {
		t.Errorf("Next() after a bad report = %q", got)
	}
}

var serialID = usb.Match{VID: 0x0db5, PID: 0x0139}

func TestSerialScansTD3(t *testing.T) {
	sp := scannertest.NewSerial(scannertest.Config{VID: 0x0db5, PID: 0x0139})
	sp.Send(inReports(t, "serial-td3-crlf.usb")...)
	s := open(t, usbtest.NewBus(sp.Device), serialID, scanner.Options{})
	got := next(t, s)
	want := strings.ReplaceAll(readText(t, "icao-9303-4-td3-specimen.mrz"), "\n", "\r\n")
	if got != want {
		t.Fatalf("Next() = %q, want %q", got, want)
	}
	if scan := identity.ClassifyScan([]byte(got), testNow); scan.Kind != identity.ScanMRZ || scan.Err != nil {
		t.Errorf("ClassifyScan() = %+v", scan)
	}
	if got := sp.LineStates(); len(got) != 1 || got[0] != 0x03 {
		t.Errorf("control line states = %v, want [3] (DTR and RTS)", got)
	}
	if got := sp.Claimed(); len(got) != 2 {
		t.Errorf("claimed interfaces %v, want the control and data interfaces", got)
	}
}

func TestSerialLines(t *testing.T) {
	tests := []struct {
		name   string
		chunks []string
		want   string
	}{
		{"CR", []string{"7700000000000001\r"}, "7700000000000001"},
		{"LF", []string{"7700000000000001\n"}, "7700000000000001"},
		{"CR LF split", []string{"77000000", "00000001\r", "\n"}, "7700000000000001"},
		{"GS kept", []string{"01041501234567", "82\x1d10AB\r\n"}, "0104150123456782\x1d10AB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp := scannertest.NewSerial(scannertest.Config{VID: 0x0db5, PID: 0x0139})
			sp.SendString(tt.chunks...)
			s := open(t, usbtest.NewBus(sp.Device), serialID, scanner.Options{})
			if got := next(t, s); got != tt.want {
				t.Errorf("Next() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSerialSuffixQuirk(t *testing.T) {
	table := quirkTable(t)
	sp := scannertest.NewSerial(scannertest.Config{VID: 0x1234, PID: 0x0001})
	sp.SendString("\x02HC1:6BF\x03\x02770000", "0000000001\x03")
	// Without a line end or quiet gap the suffix alone ends each scan.
	s := open(t, usbtest.NewBus(sp.Device), usb.Match{VID: 0x1234, PID: 0x0001}, scanner.Options{Quirks: &table, Gap: time.Hour, Idle: time.Hour})
	for _, want := range []string{"HC1:6BF", "7700000000000001"} {
		if got := next(t, s); got != want {
			t.Errorf("Next() = %q, want %q", got, want)
		}
	}
}

func TestSerialEveryLineAScan(t *testing.T) {
	sp := scannertest.NewSerial(scannertest.Config{VID: 0x0db5, PID: 0x0139})
	sp.SendString("A1\r\nB2\r\n")
	s := open(t, usbtest.NewBus(sp.Device), serialID, scanner.Options{Gap: -1})
	for _, want := range []string{"A1", "B2"} {
		if got := next(t, s); got != want {
			t.Errorf("Next() = %q, want %q", got, want)
		}
	}
}

func TestSerialUnplugMidScan(t *testing.T) {
	sp := scannertest.NewSerial(scannertest.Config{VID: 0x0db5, PID: 0x0139})
	sp.SendString("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\r\n", "L898902C36UTO")
	sp.Endpoint(scannertest.SerialIn).FailAfter(59, usbtest.Unplug)
	s := open(t, usbtest.NewBus(sp.Device), serialID, scanner.Options{})
	_, err := s.Next(context.Background())
	if !errors.Is(err, scanner.ErrIncomplete) || !errors.Is(err, usb.ErrDisconnected) || !strings.Contains(err.Error(), "59 bytes") {
		t.Errorf("Next() error = %v, want ErrIncomplete after 59 bytes and usb.ErrDisconnected", err)
	}
}

func TestChooseInterface(t *testing.T) {
	kbd := scannertest.KeyboardDescriptors(scannertest.Config{}).Interfaces[0]
	pos := scannertest.POSDescriptors(scannertest.Config{}).Interfaces[0]
	pos.Number = 1
	pos.Endpoints = []usb.EndpointInfo{{Address: 0x82, Type: usb.Interrupt, MaxPacketSize: 64}}
	serial := scannertest.SerialDescriptors(scannertest.Config{}).Interfaces
	serial[0].Number, serial[1].Number = 2, 3
	tests := []struct {
		name  string
		intfs []usb.InterfaceInfo
		mode  scanner.Mode
		want  scanner.Mode
		num   int
	}{
		{"keyboard and POS: POS", []usb.InterfaceInfo{kbd, pos}, "", scanner.ModePOS, 1},
		{"keyboard and POS, keyboard asked", []usb.InterfaceInfo{kbd, pos}, scanner.ModeKeyboard, scanner.ModeKeyboard, 0},
		{"keyboard and serial: keyboard", []usb.InterfaceInfo{kbd, serial[0], serial[1]}, "", scanner.ModeKeyboard, 0},
		{"serial asked", []usb.InterfaceInfo{kbd, serial[0], serial[1]}, scanner.ModeSerial, scanner.ModeSerial, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := usbtest.NewDevice(usb.DeviceInfo{VID: 0x1234, PID: 0x0099, Interfaces: tt.intfs})
			dev.HandleControl(func(_ context.Context, s usb.Setup, data []byte) (int, error) {
				if s.Value == 0x2200 && s.Index == 1 {
					return copy(data, scannertest.POSReportDescriptor()), nil
				}
				return 0, usb.ErrStall
			})
			h, err := usbtest.NewBus(dev).Open(context.Background(), usb.Match{VID: 0x1234})
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			c, err := scanner.ChooseInterface(context.Background(), h, tt.mode)
			if err != nil || c.Mode != tt.want || c.Setting.Number != tt.num {
				t.Fatalf("ChooseInterface() = %s on %d, %v, want %s on %d", c.Mode, c.Setting.Number, err, tt.want, tt.num)
			}
			if tt.want == scanner.ModeSerial && (c.Comm == nil || c.Comm.Number != 2) {
				t.Errorf("serial without its control interface 2: %+v", c.Comm)
			}
			if got := dev.Claimed(); len(got) != 0 {
				t.Errorf("ChooseInterface left %v claimed", got)
			}
		})
	}
	dev := usbtest.NewDevice(usb.DeviceInfo{VID: 0x1234, PID: 0x0098, Interfaces: []usb.InterfaceInfo{{Config: 1, Class: usb.ClassMassStorage}}})
	if _, err := scanner.Open(context.Background(), usbtest.NewBus(dev), usb.Match{VID: 0x1234}, scanner.Options{}); !errors.Is(err, scanner.ErrNotScanner) {
		t.Errorf("Open(mass storage) error = %v, want ErrNotScanner", err)
	}
	if _, err := scanner.Open(context.Background(), usbtest.NewBus(), usb.Match{VID: 0x1234}, scanner.Options{}); !errors.Is(err, usb.ErrNotFound) {
		t.Errorf("Open(nothing) error = %v, want usb.ErrNotFound", err)
	}
}

func TestLikely(t *testing.T) {
	table := scanner.DefaultQuirks()
	tests := []struct {
		info usb.DeviceInfo
		want scanner.Mode
	}{
		{scannertest.KeyboardDescriptors(scannertest.Config{VID: 0x0db5, PID: 0x013a}), scanner.ModeKeyboard},
		{scannertest.SerialDescriptors(scannertest.Config{VID: 0x0db5, PID: 0x0139}), scanner.ModeSerial},
		{scannertest.POSDescriptors(scannertest.Config{VID: 0x0db5, PID: 0x013b}), scanner.ModePOS},
		{usb.DeviceInfo{VID: 0x0db5, PID: 0x013b}, scanner.ModePOS}, // from the quirk alone
		{usb.DeviceInfo{VID: 0x1234, PID: 0x0001, Interfaces: []usb.InterfaceInfo{{Class: usb.ClassPrinter}}}, ""},
	}
	for _, tt := range tests {
		q, _ := table.Lookup(tt.info.VID, tt.info.PID)
		if got := scanner.Likely(tt.info, q); got != tt.want {
			t.Errorf("Likely(%s) = %q, want %q", tt.info, got, tt.want)
		}
	}
}
