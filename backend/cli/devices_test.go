package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"certkiosk/drivers/scanner/scannertest"
	"certkiosk/drivers/sim"
	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
	"certkiosk/drivers/usbprint/usbprinttest"
)

// devicesOn runs the command on bus and returns what it printed.
func devicesOn(t *testing.T, bus usb.Bus, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Now: func() time.Time { return issueTime }}
	err := listDevices(context.Background(), env, args, bus, nil, nil)
	return stdout.String(), err
}

// cardReader is a CCID reader's descriptors: one smart-card interface.
func cardReader(serial string) *usbtest.Device {
	return usbtest.NewDevice(usb.DeviceInfo{
		VID: 0x076b, PID: 0x3031, Manufacturer: "HID Global", Product: "OMNIKEY 3x21 Smart Card Reader", Serial: serial,
		Interfaces: []usb.InterfaceInfo{{Config: 1, Class: usb.ClassSmartCard, Endpoints: []usb.EndpointInfo{
			{Address: 0x02, Type: usb.Bulk, MaxPacketSize: 64},
			{Address: 0x82, Type: usb.Bulk, MaxPacketSize: 64},
			{Address: 0x83, Type: usb.Interrupt, MaxPacketSize: 8},
		}}},
	})
}

// kioskBus has one device of each kind the kiosk uses, and some it does not.
func kioskBus() *usbtest.Bus {
	keyboard := usbtest.NewDevice(usb.DeviceInfo{ // an ordinary keyboard: not a scanner
		VID: 0x046d, PID: 0xc31c, Product: "USB Keyboard",
		Interfaces: scannertest.KeyboardDescriptors(scannertest.Config{}).Interfaces,
	})
	modem := usbtest.NewDevice(scannertest.SerialDescriptors(scannertest.Config{VID: 0x1546, PID: 0x01a7})) // a CDC device the table does not know
	hub := usbtest.NewDevice(usb.DeviceInfo{VID: 0x1d6b, PID: 0x0002, Class: usb.ClassHub})
	return usbtest.NewBus(
		hub,
		cardReader("A1234"),
		scannertest.NewKeyboard(scannertest.Config{VID: 0x0db5, PID: 0x013a, Manufacturer: "Access IS", Product: "Barcode Module", Serial: "K1"}).Device,
		keyboard,
		scannertest.NewSerial(scannertest.Config{VID: 0x05e0, PID: 0x1701}).Device,
		modem,
		usbprinttest.New(usbprinttest.Config{VID: 0x04f9, PID: 0x0042, Manufacturer: "Brother", Product: "HL-L2350DW", Serial: "E7"}).Device,
	)
}

func TestDevicesText(t *testing.T) {
	out, err := devicesOn(t, kioskBus())
	if err != nil {
		t.Fatal(err)
	}
	want := `card readers:
  076b:3031  HID Global OMNIKEY 3x21 Smart Card Reader  serial A1234  at 1-2  ready
scanners:
  0db5:013a  Access IS Barcode Module (Access-IS barcode module, virtual keyboard)  serial K1  keyboard mode  at 1-3  ready
  05e0:1701  Symbol Technologies bar code scanner, CDC serial  serial mode  at 1-5  ready
printers:
  04f9:0042  Brother HL-L2350DW  serial E7  at 1-7  ready
`
	if out != want {
		t.Errorf("devices printed\n%s\nwant\n%s", out, want)
	}
}

func TestDevicesJSON(t *testing.T) {
	out, err := devicesOn(t, kioskBus(), "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got deviceList
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output %q is not JSON: %v", out, err)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("output %q is not one line", out)
	}
	want := deviceList{
		CardReaders: []listedDevice{{Kind: "card-reader", VID: "076b", PID: "3031", Manufacturer: "HID Global", Product: "OMNIKEY 3x21 Smart Card Reader", Serial: "A1234", Location: "1-2", State: "ready"}},
		Scanners: []listedDevice{
			{Kind: "scanner", VID: "0db5", PID: "013a", Manufacturer: "Access IS", Product: "Barcode Module", Model: "Access-IS barcode module, virtual keyboard", Serial: "K1", Location: "1-3", Mode: "keyboard", State: "ready"},
			{Kind: "scanner", VID: "05e0", PID: "1701", Model: "Symbol Technologies bar code scanner, CDC serial", Location: "1-5", Mode: "serial", State: "ready"},
		},
		Printers: []listedDevice{{Kind: "printer", VID: "04f9", PID: "0042", Manufacturer: "Brother", Product: "HL-L2350DW", Serial: "E7", Location: "1-7", State: "ready"}},
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("devices --json =\n%s\nwant\n%s", g, w)
	}
}

func TestDevicesNoneFound(t *testing.T) {
	out, err := devicesOn(t, usbtest.NewBus())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out, "none found; the kiosk would use the simulated reader and scanner\n") || strings.Count(out, "  none found\n") != 3 {
		t.Errorf("devices on an empty bus printed\n%s", out)
	}
	out, err = devicesOn(t, usbtest.NewBus(), "--json")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"card_readers":[],"scanners":[],"printers":[],"note":"none found; the kiosk would use the simulated reader and scanner"}` + "\n"
	if out != want {
		t.Errorf("devices --json on an empty bus = %s, want %s", out, want)
	}
	out, _ = devicesOn(t, usbtest.NewBus(cardReader("")))
	if !strings.HasSuffix(out, "\nno scanner found; the kiosk would use the simulated scanner\n") {
		t.Errorf("devices with a reader alone printed\n%s", out)
	}
}

func TestDevicesSimulated(t *testing.T) {
	out, err := devicesOn(t, usbtest.NewBus(), "--sim")
	if err != nil {
		t.Fatal(err)
	}
	steps := len(sim.DefaultScript().Steps)
	length := sim.DefaultScript().Duration().String()
	for _, want := range []string{
		"simulated:\n",
		"  simulated card reader  script default: " + strconv.Itoa(steps) + " steps over " + length + "\n",
		"  simulated scanner  script default: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("devices --sim printed\n%s\nwithout %q", out, want)
		}
	}
	script := filepath.Join(t.TempDir(), "demo.script")
	os.WriteFile(script, []byte("wait 1s\nscan hc1 HC1:6BF\n"), 0o600)
	out, err = devicesOn(t, kioskBus(), "--json", "--script", script)
	if err != nil {
		t.Fatal(err)
	}
	var got deviceList
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Simulated) != 2 || got.Simulated[1] != (simulatedDevice{Kind: "scanner", Name: "simulated scanner", Script: script, Steps: 2, Length: "1s"}) || got.Note != "" {
		t.Errorf("devices --json --script: simulated %+v, note %q", got.Simulated, got.Note)
	}
	os.WriteFile(script, []byte("wait 1s\nscan barcode 123\n"), 0o600)
	if _, err := devicesOn(t, usbtest.NewBus(), "--script", script); !errors.Is(err, sim.ErrScript) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("devices --script with a bad script error = %v, want one naming line 2", err)
	}
}

// deniedBus is a bus on which some devices cannot be opened.
type deniedBus struct {
	*usbtest.Bus
	denied map[usb.ID]error
}

func (b deniedBus) Open(ctx context.Context, m usb.Match) (usb.Device, error) {
	if err, ok := b.denied[m.VID]; ok {
		return nil, &usb.Error{Op: "open", Device: m.String(), Err: err}
	}
	return b.Bus.Open(ctx, m)
}

func TestDevicesState(t *testing.T) {
	bus := deniedBus{kioskBus(), map[usb.ID]error{0x076b: usb.ErrAccess, 0x04f9: usb.ErrBusy, 0x0db5: usb.ErrIO}}
	out, err := devicesOn(t, bus)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"at 1-2  no permission (a udev rule must let the kiosk's user open it)\n",
		"at 1-7  in use by another program\n",
		"at 1-3  error: usb: open 0db5:013a/K1: input/output error\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("devices printed\n%s\nwithout %q", out, want)
		}
	}
	twins := usbtest.NewBus(cardReader(""), cardReader(""))
	out, _ = devicesOn(t, twins)
	if strings.Count(out, "attached (several alike without serial numbers: not opened)") != 2 {
		t.Errorf("two alike readers printed\n%s", out)
	}
}

func TestDevicesErrors(t *testing.T) {
	bus := usbtest.NewBus()
	bus.FailListing(usb.ErrIO)
	if _, err := devicesOn(t, bus); !errors.Is(err, usb.ErrIO) {
		t.Errorf("devices on a failing bus error = %v, want usb.ErrIO", err)
	}
	if _, err := devicesOn(t, usbtest.NewBus(), "extra"); !errors.As(err, new(usageError)) {
		t.Errorf("devices extra error = %v, want a usage error", err)
	}
}

// TestDevicesOnThisMachine runs the command on the real USB bus: on a machine
// without one (CI, containers) the listing is empty and nothing fails.
func TestDevicesOnThisMachine(t *testing.T) {
	r := run(t, "", "devices")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "card readers:\n") {
		t.Fatalf("devices exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat("/dev/bus/usb"); errors.Is(err, os.ErrNotExist) && !strings.Contains(r.stdout, "none found; the kiosk would use the simulated reader and scanner") {
		t.Errorf("devices without /dev/bus/usb printed\n%s", r.stdout)
	}
	r = run(t, "", "devices", "--json")
	var l deviceList
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &l) != nil || l.CardReaders == nil {
		t.Errorf("devices --json exit %d, stdout %q", r.code, r.stdout)
	}
}
