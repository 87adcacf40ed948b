package scanner_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"certkiosk/drivers/scanner"
	"certkiosk/drivers/scanner/scannertest"
	"certkiosk/drivers/usb/usbtest"
)

// r returns a boot keyboard report.
func r(mods uint8, keys ...uint8) []byte {
	rep := make([]byte, scanner.BootReportSize)
	rep[0] = mods
	copy(rep[2:], keys)
	return rep
}

var up = r(0)

func TestDecodeKeyboard(t *testing.T) {
	const (
		lctrl  = scanner.ModLeftCtrl
		lshift = scanner.ModLeftShift
		lalt   = scanner.ModLeftAlt
		ralt   = scanner.ModRightAlt
		kp0    = 0x62
		kp1    = 0x59
		kp2    = 0x5a
		kp3    = 0x5b
		kp8    = 0x60
		kp9    = 0x61
	)
	tests := []struct {
		name    string
		layout  *scanner.Layout
		reports [][]byte
		want    string
	}{
		{"letter", nil, [][]byte{r(0, 0x04), up}, "a"},
		{"shifted letter", nil, [][]byte{r(lshift, 0x04), up}, "A"},
		{"right shift", nil, [][]byte{r(scanner.ModRightShift, 0x36), up}, "<"},
		{"digits and punctuation", nil, [][]byte{r(0, 0x1e), up, r(0, 0x27), up, r(lshift, 0x1f), up, r(0, 0x38), up}, "10@/"},
		{"enter, tab, space, escape", nil, [][]byte{r(0, 0x28), up, r(0, 0x2b), up, r(0, 0x2c), up, r(0, 0x29), up, r(0, 0x58), up}, "\r\t \x1b\r"},
		{"keypad", nil, [][]byte{r(0, kp1), up, r(0, kp0), up, r(0, 0x63), up, r(0, 0x56), up}, "10.-"},
		{"held key types once", nil, [][]byte{r(0, 0x04), r(0, 0x04), r(0, 0x04), up}, "a"},
		{"same key after release types again", nil, [][]byte{r(0, 0x04), up, r(0, 0x04), up}, "aa"},
		{"rollover", nil, [][]byte{r(0, 0x04), r(0, 0x04, 0x05), r(0, 0x05), r(0, 0x05, 0x06), up}, "abc"},
		{"two new keys in one report", nil, [][]byte{r(0, 0x04, 0x05), up}, "ab"},
		{"a key twice in one report", nil, [][]byte{r(0, 0x04, 0x04), up}, "a"},
		{"phantom state skipped", nil, [][]byte{r(0, 0x04), r(0, 1, 1, 1, 1, 1, 1), r(0, 0x04), up}, "a"},
		{"phantom state keeps the held keys", nil, [][]byte{r(0, 0x04), r(0, 1, 1, 1, 1, 1, 1), r(0, 0x04, 0x05), up}, "ab"},
		{"caps lock", nil, [][]byte{r(0, 0x39), up, r(0, 0x04), up, r(lshift, 0x04), up, r(0, 0x1e), up, r(0, 0x39), up, r(0, 0x04), up}, "Aa1a"},
		{"GS as Ctrl+]", nil, [][]byte{r(lctrl, 0x30), up}, "\x1d"},
		{"GS with right Ctrl", nil, [][]byte{r(scanner.ModRightCtrl, 0x30), up}, "\x1d"},
		{"RS as Ctrl+^", nil, [][]byte{r(lctrl|lshift, 0x23), up}, "\x1e"},
		{"RS as Ctrl+6", nil, [][]byte{r(lctrl, 0x23), up}, "\x1e"},
		{"FS, ESC, US", nil, [][]byte{r(lctrl, 0x31), up, r(lctrl, 0x2f), up, r(lctrl|lshift, 0x2d), up}, "\x1c\x1b\x1f"},
		{"EOT as Ctrl+D", nil, [][]byte{r(lctrl, 0x07), up}, "\x04"},
		{"Ctrl+Enter is Enter", nil, [][]byte{r(lctrl, 0x28), up}, "\r"},
		{"Ctrl+@ types nothing", nil, [][]byte{r(lctrl|lshift, 0x1f), up}, ""},
		{"Ctrl with an unmapped key", nil, [][]byte{r(lctrl, 0x1e), up}, ""},
		{"GUI key", nil, [][]byte{r(scanner.ModLeftGUI, 0x04), up}, ""},
		{"function key and arrows", nil, [][]byte{r(0, 0x3a), up, r(0, 0x4f), up, r(0, 0x2a), up}, ""},
		{"Alt+029 is GS", nil, [][]byte{r(lalt), r(lalt, kp0), r(lalt), r(lalt, kp2), r(lalt), r(lalt, kp9), r(lalt), up}, "\x1d"},
		{"Alt+30 is RS", nil, [][]byte{r(lalt, kp3), r(lalt), r(lalt, kp0), up}, "\x1e"},
		{"Alt+0228 is Windows-1252 ä", nil, [][]byte{r(lalt, kp0), r(lalt), r(lalt, kp2), r(lalt), r(lalt, kp2), r(lalt), r(lalt, kp8), up}, "ä"},
		{"Alt+132 is code page 437 ä", nil, [][]byte{r(lalt, kp1), r(lalt), r(lalt, kp3), r(lalt), r(lalt, kp2), up}, "ä"},
		{"Alt+0129 undefined in Windows-1252", nil, [][]byte{r(lalt, kp0), r(lalt), r(lalt, kp1), r(lalt), r(lalt, kp2), r(lalt), r(lalt, kp9), up}, ""},
		{"Alt+321 wraps to 65", nil, [][]byte{r(lalt, kp3), r(lalt), r(lalt, kp2), r(lalt), r(lalt, kp1), up}, "A"},
		{"Alt+0 types nothing", nil, [][]byte{r(lalt, kp0), up}, ""},
		{"Alt with a letter is a shortcut", nil, [][]byte{r(lalt, 0x04), r(lalt, kp2), r(lalt, kp9), up}, ""},
		{"Alt code then a key in the release report", nil, [][]byte{r(lalt, kp2), r(lalt, kp9), r(0, 0x04), up}, "\x1da"},
		{"German Y and Z", scanner.LayoutDE(), [][]byte{r(0, 0x1c), up, r(lshift, 0x1d), up}, "zY"},
		{"German umlauts and caps lock", scanner.LayoutDE(), [][]byte{r(0, 0x33), up, r(0, 0x39), up, r(0, 0x34), up, r(0, 0x2d), up}, "öÄß"},
		{"German AltGr", scanner.LayoutDE(), [][]byte{r(ralt, 0x14), up, r(lctrl|lalt, 0x14), up, r(ralt, 0x08), up, r(ralt, 0x64), up}, "@@€|"},
		{"German punctuation", scanner.LayoutDE(), [][]byte{r(lshift, 0x24), up, r(lshift, 0x37), up, r(0, 0x30), up, r(lshift, 0x30), up, r(0, 0x64), up, r(0, 0x63), up}, "/:+*<,"},
		{"German dead circumflex", scanner.LayoutDE(), [][]byte{r(0, 0x35), up, r(0, 0x04), up}, "â"},
		{"German dead acute on a capital", scanner.LayoutDE(), [][]byte{r(0, 0x2e), up, r(lshift, 0x08), up}, "É"},
		{"German dead grave", scanner.LayoutDE(), [][]byte{r(lshift, 0x2e), up, r(0, 0x18), up}, "ù"},
		{"dead key then space", scanner.LayoutDE(), [][]byte{r(0, 0x35), up, r(0, 0x2c), up}, "^"},
		{"dead key that does not compose", scanner.LayoutDE(), [][]byte{r(0, 0x35), up, r(0, 0x1b), up}, "^x"},
		{"two dead keys", scanner.LayoutDE(), [][]byte{r(0, 0x35), up, r(0, 0x35), up, r(0, 0x04), up}, "^â"},
		{"dead key before Enter", scanner.LayoutDE(), [][]byte{r(0, 0x2e), up, r(0, 0x28), up}, "´\r"},
		{"German control keys at US positions", scanner.LayoutDE(), [][]byte{r(lctrl, 0x30), up, r(lctrl, 0x1c), up}, "\x1d\x1a"},
		{"padded report", nil, [][]byte{append(r(0, 0x04), 0, 0, 0, 0), up}, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scanner.DecodeKeyboardReports(tt.layout, tt.reports)
			if err != nil || string(got) != tt.want {
				t.Errorf("scanner.DecodeKeyboardReports(%v) = %q, %v, want %q", tt.reports, got, err, tt.want)
			}
		})
	}
}

func TestDecodeKeyboardShortReport(t *testing.T) {
	d := scanner.NewKeyboardDecoder(nil)
	got, err := d.Decode([]byte("x"), []byte{0, 0, 4})
	if !errors.Is(err, scanner.ErrReport) || string(got) != "x" {
		t.Errorf("Decode(3 bytes) = %q, %v, want x, scanner.ErrReport", got, err)
	}
}

func TestDecoderReset(t *testing.T) {
	d := scanner.NewKeyboardDecoder(scanner.LayoutDE())
	out, _ := d.Decode(nil, r(0, 0x39)) // Caps Lock on
	out, _ = d.Decode(out, r(0, 0x35))  // dead ^
	d.Reset()
	out, _ = d.Decode(out, r(0, 0x04))
	if string(out) != "a" || d.Layout().Name != "de" {
		t.Errorf("after Reset: %q with layout %s, want a with de", out, d.Layout())
	}
}

// TestUSLayoutMatchesTyping checks the decoder's US table against scannertest's,
// written apart from it: every character it can type decodes to itself, with and
// without rollover.
func TestUSLayoutMatchesTyping(t *testing.T) {
	var all strings.Builder
	for c := rune(1); c < 0x7f; c++ {
		if c == '\n' {
			continue // typed as Enter, which decodes as CR
		}
		if _, err := scannertest.TypeUS(string(c), false); err == nil {
			all.WriteRune(c)
		}
	}
	text := all.String()
	if len(text) < 95+5 { // printable ASCII, and the control characters scanners use
		t.Fatalf("scannertest types only %d characters: %q", len(text), text)
	}
	for _, rollover := range []bool{false, true} {
		reports, err := scannertest.TypeUS(text+text, rollover)
		if err != nil {
			t.Fatal(err)
		}
		got, err := scanner.DecodeKeyboardReports(scanner.LayoutUS(), reports)
		if err != nil || string(got) != text+text {
			t.Errorf("rollover %v: decoded %q, %v, want %q", rollover, got, err, text+text)
		}
	}
}

// inReports returns the data of the in-steps of a recording in testdata.
func inReports(t testing.TB, name string) [][]byte {
	t.Helper()
	rec, err := usbtest.ReadRecording(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var reports [][]byte
	for _, s := range rec.Steps {
		if s.Kind == usbtest.InStep {
			reports = append(reports, s.Data)
		}
	}
	return reports
}

func readText(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimRight(string(b), "\n")
}

func TestDecodeRecordings(t *testing.T) {
	td3 := strings.ReplaceAll(readText(t, "icao-9303-4-td3-specimen.mrz"), "\n", "\r") + "\r"
	hc1 := readText(t, "mari-tamm.hc1") + "\r"
	tests := []struct {
		file   string
		layout *scanner.Layout
		want   string
	}{
		{"keyboard-td3-specimen.usb", scanner.LayoutUS(), td3},
		{"keyboard-hc1-rollover.usb", scanner.LayoutUS(), hc1},
		{"keyboard-gs1-ctrl.usb", scanner.LayoutUS(), "0104150123456782\x1d17261231\x1d10ABC123\r"},
		{"keyboard-iso15434-alt.usb", scanner.LayoutUS(), "[)>\x1e06\x1d9N1234567\x1d1TABC123\x1e\x04\r"},
		{"keyboard-hc1-de.usb", scanner.LayoutDE(), hc1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := scanner.DecodeKeyboardReports(tt.layout, inReports(t, tt.file))
			if err != nil || string(got) != tt.want {
				t.Errorf("scanner.DecodeKeyboardReports(%s, %s) = %q, %v, want %q", tt.file, tt.layout, got, err, tt.want)
			}
		})
	}
	// The symptom the German layout quirk works around.
	got, _ := scanner.DecodeKeyboardReports(scanner.LayoutUS(), inReports(t, "keyboard-hc1-de.usb"))
	if string(got) == hc1 {
		t.Errorf("the German recording decodes the same on the US layout")
	}
}

func TestLayoutByName(t *testing.T) {
	for _, name := range []string{"us", "DE"} {
		if l, err := scanner.LayoutByName(name); err != nil || !strings.EqualFold(l.Name, name) {
			t.Errorf("scanner.LayoutByName(%q) = %v, %v", name, l, err)
		}
	}
	if _, err := scanner.LayoutByName("fr"); !errors.Is(err, scanner.ErrLayout) || !strings.Contains(err.Error(), "de, us") {
		t.Errorf("scanner.LayoutByName(fr) error = %v, want scanner.ErrLayout naming de, us", err)
	}
	if l, ok := scanner.LayoutByCountry(scanner.CountryGerman); !ok || l.Name != "de" {
		t.Errorf("scanner.LayoutByCountry(9) = %v, %v, want de", l, ok)
	}
	if _, ok := scanner.LayoutByCountry(0); ok {
		t.Errorf("scanner.LayoutByCountry(0) found a layout")
	}
	if c, dead, ok := scanner.LayoutDE().Char(0x35, false, false); c != '^' || !dead || !ok {
		t.Errorf("scanner.LayoutDE().Char(0x35) = %q, %v, %v, want a dead ^", c, dead, ok)
	}
	if c, _, ok := scanner.LayoutUS().Char(0x30, true, false); c != '}' || !ok {
		t.Errorf("scanner.LayoutUS().Char(0x30, shift) = %q, %v, want }", c, ok)
	}
	if _, _, ok := scanner.LayoutUS().Char(0x3a, false, false); ok {
		t.Errorf("scanner.LayoutUS().Char(F1) types something")
	}
}

func ExampleDecodeKeyboardReports() {
	reports := [][]byte{
		{0x02, 0, 0x0b, 0, 0, 0, 0, 0},    // Shift+h
		{0x00, 0, 0x0b, 0x0c, 0, 0, 0, 0}, // h still down, i pressed: h is not typed again
		{0x00, 0, 0x0c, 0, 0, 0, 0, 0},
		{0x01, 0, 0x30, 0, 0, 0, 0, 0}, // Ctrl+]: GS
		{0x00, 0, 0x28, 0, 0, 0, 0, 0}, // Enter
		{0, 0, 0, 0, 0, 0, 0, 0},
	}
	text, err := scanner.DecodeKeyboardReports(scanner.LayoutUS(), reports)
	fmt.Printf("%q %v\n", text, err)
	// Output: "Hi\x1d\r" <nil>
}
