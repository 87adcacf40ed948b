package cli

// devices.go: certkiosk devices — the card readers, scanners and printers on the
// USB bus, with VID:PID, names, serial number and state; the card readers the
// PC/SC service (pcscd) knows; and the simulated reader and scanner the kiosk
// falls back on.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"certkiosk/drivers/pcsc"
	"certkiosk/drivers/scanner"
	"certkiosk/drivers/sim"
	"certkiosk/drivers/usb"
	"certkiosk/drivers/usbprint"
)

// Device kinds, as the JSON output names them.
const (
	kindCardReader = "card-reader"
	kindScanner    = "scanner"
	kindPrinter    = "printer"
)

// listedDevice is one device found on the bus.
type listedDevice struct {
	Kind         string `json:"kind"`
	VID          string `json:"vid"`
	PID          string `json:"pid"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Product      string `json:"product,omitempty"`
	// Model is the name the kiosk's table of known models gives.
	Model    string `json:"model,omitempty"`
	Serial   string `json:"serial,omitempty"`
	Location string `json:"location"`
	// Mode is how a scanner would be read: keyboard, pos or serial.
	Mode  string `json:"mode,omitempty"`
	State string `json:"state"`
}

// simulatedDevice is a simulated twin the kiosk would use.
type simulatedDevice struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Script string `json:"script"`
	Steps  int    `json:"steps"`
	Length string `json:"length"`
}

// pcscReader is a card reader the PC/SC service knows.
type pcscReader struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"` // the service's name for it, as identify --card would use it
	Model  string `json:"model"`
	Serial string `json:"serial,omitempty"`
	Card   bool   `json:"card"`
	ATR    string `json:"atr,omitempty"` // hex, when a card is in
	State  string `json:"state"`
}

// pcscLister lists the PC/SC service's readers (pcsc.Readers).
type pcscLister func(context.Context) ([]pcsc.Reader, error)

// deviceList is the command's output.
type deviceList struct {
	CardReaders []listedDevice `json:"card_readers"`
	// PCSCReaders are the readers of the PC/SC service, which owns the USB
	// readers its drivers know (the CCID ones listed above then show as in use).
	PCSCReaders []pcscReader `json:"pcsc_readers,omitempty"`
	// PCSC says why there are no PC/SC readers to list, when the service is not
	// running or failed.
	PCSC      string            `json:"pcsc,omitempty"`
	Scanners  []listedDevice    `json:"scanners"`
	Printers  []listedDevice    `json:"printers"`
	Simulated []simulatedDevice `json:"simulated,omitempty"`
	// Note says what the kiosk does about a missing reader or scanner.
	Note string `json:"note,omitempty"`
	// USB says why there is no USB bus to list, when libusb could not start.
	USB string `json:"usb,omitempty"`
}

// Device states.
const (
	stateReady    = "ready"
	stateAccess   = "no permission (a udev rule must let the kiosk's user open it)"
	stateBusy     = "in use by another program"
	stateGone     = "unplugged while listed"
	stateAttached = "attached (several alike without serial numbers: not opened)"
)

func runDevices(ctx context.Context, env *Env, args []string) error {
	host := usb.NewHost()
	defer host.Close()
	return listDevices(ctx, env, args, host, host.Err(), pcsc.Readers)
}

// listDevices is the command on any bus; busErr says why the bus is empty when
// USB could not start. readers lists the PC/SC service's readers; nil leaves
// them out.
func listDevices(ctx context.Context, env *Env, args []string, bus usb.Bus, busErr error, readers pcscLister) error {
	fs, _ := newFlags(env, "devices")
	asJSON := fs.Bool("json", false, "print the list as one JSON object")
	withSim := fs.Bool("sim", false, "list the simulated card reader and scanner too")
	scriptPath := fs.String("script", "", "the script the simulated devices would play (default: the built-in demo); implies --sim")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	found, err := bus.Devices(ctx)
	if err != nil {
		return fmt.Errorf("listing the USB devices: %w", err)
	}
	out := deviceList{CardReaders: []listedDevice{}, Scanners: []listedDevice{}, Printers: []listedDevice{}}
	if busErr != nil {
		out.USB = busErr.Error()
	}
	scanners := scanner.DefaultQuirks()
	printers := usbprint.DefaultQuirks()
	for _, d := range found {
		if d.Class == usb.ClassHub {
			continue
		}
		if d.HasClass(usb.ClassSmartCard) {
			out.CardReaders = append(out.CardReaders, entryOf(ctx, bus, d, kindCardReader, ""))
		}
		if q, ok := scanners.Lookup(d.VID, d.PID); ok {
			if mode := scanner.Likely(d, q); mode != "" {
				ld := entryOf(ctx, bus, d, kindScanner, q.Model)
				ld.Mode = string(mode)
				out.Scanners = append(out.Scanners, ld)
			}
		}
		pq, _ := printers.Lookup(d.VID, d.PID)
		if d.HasClass(usb.ClassPrinter) || (pq.VendorClass && d.HasClass(usb.ClassVendor)) {
			out.Printers = append(out.Printers, entryOf(ctx, bus, d, kindPrinter, pq.Model))
		}
	}
	if readers != nil {
		out.PCSCReaders, out.PCSC = listPCSC(ctx, readers)
	}
	noReader := len(out.CardReaders) == 0 && len(out.PCSCReaders) == 0
	switch {
	case noReader && len(out.Scanners) == 0:
		out.Note = "none found; the kiosk would use the simulated reader and scanner"
	case noReader:
		out.Note = "no card reader found; the kiosk would use the simulated reader"
	case len(out.Scanners) == 0:
		out.Note = "no scanner found; the kiosk would use the simulated scanner"
	}
	if *withSim || *scriptPath != "" {
		script := sim.DefaultScript()
		if *scriptPath != "" {
			if script, err = sim.ReadScript(*scriptPath); err != nil {
				return err
			}
		}
		s := sim.New(script, sim.Options{})
		for _, d := range []struct{ kind, name string }{
			{kindCardReader, s.Reader().Name()},
			{kindScanner, s.Scanner().Name()},
		} {
			out.Simulated = append(out.Simulated, simulatedDevice{
				Kind: d.kind, Name: d.name, Script: script.Name,
				Steps: len(script.Steps), Length: script.Duration().String(),
			})
		}
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	return writeDevices(env.Stdout, out)
}

// entryOf makes the listing of d, opening it to learn its state.
func entryOf(ctx context.Context, bus usb.Bus, d usb.DeviceInfo, kind, model string) listedDevice {
	return listedDevice{
		Kind: kind, VID: d.VID.String(), PID: d.PID.String(),
		Manufacturer: strings.TrimSpace(d.Manufacturer), Product: strings.TrimSpace(d.Product),
		Model: model, Serial: strings.TrimSpace(d.Serial), Location: d.Location(),
		State: deviceState(ctx, bus, d),
	}
}

// deviceState opens the device, without claiming any interface (which would take
// it from its kernel driver), and says how that went.
func deviceState(ctx context.Context, bus usb.Bus, d usb.DeviceInfo) string {
	dev, err := bus.Open(ctx, usb.Match{VID: d.VID, PID: d.PID, Serial: d.Serial})
	switch {
	case err == nil:
		dev.Close()
		return stateReady
	case errors.Is(err, usb.ErrAccess):
		return stateAccess
	case errors.Is(err, usb.ErrBusy):
		return stateBusy
	case errors.Is(err, usb.ErrNotFound):
		return stateGone
	case errors.Is(err, usb.ErrAmbiguous):
		return stateAttached
	}
	return "error: " + oneLine(err)
}

// writeDevices prints the list for people.
func writeDevices(w io.Writer, l deviceList) error {
	var b strings.Builder
	section := func(title string, list []listedDevice) {
		fmt.Fprintf(&b, "%s:\n", title)
		if len(list) == 0 {
			b.WriteString("  none found\n")
		}
		for _, d := range list {
			fmt.Fprintf(&b, "  %s:%s  %s", d.VID, d.PID, deviceName(d))
			if d.Serial != "" {
				fmt.Fprintf(&b, "  serial %s", d.Serial)
			}
			if d.Mode != "" {
				fmt.Fprintf(&b, "  %s mode", d.Mode)
			}
			fmt.Fprintf(&b, "  at %s  %s\n", d.Location, d.State)
		}
	}
	section("card readers", l.CardReaders)
	if l.PCSCReaders != nil || l.PCSC != "" {
		b.WriteString("PC/SC card readers:\n")
		if l.PCSC != "" {
			fmt.Fprintf(&b, "  none (%s)\n", l.PCSC)
		} else if len(l.PCSCReaders) == 0 {
			b.WriteString("  none found\n")
		}
		for _, r := range l.PCSCReaders {
			// The name as parsed: a device's own strings reach the terminal
			// without their control characters.
			fmt.Fprintf(&b, "  %s  %s", pcsc.ParseReaderName(r.Name), r.State)
			if r.ATR != "" {
				fmt.Fprintf(&b, "  ATR %s", r.ATR)
			}
			b.WriteString("\n")
		}
	}
	section("scanners", l.Scanners)
	section("printers", l.Printers)
	if len(l.Simulated) > 0 {
		b.WriteString("simulated:\n")
		for _, s := range l.Simulated {
			fmt.Fprintf(&b, "  %s  script %s: %d steps over %s\n", s.Name, s.Script, s.Steps, s.Length)
		}
	}
	if l.Note != "" {
		b.WriteString(l.Note + "\n")
	}
	if l.USB != "" {
		fmt.Fprintf(&b, "(no USB bus to list: %s)\n", l.USB)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// deviceName is what the device says it is, with the name the kiosk knows the
// model by when that differs.
func deviceName(d listedDevice) string {
	name := strings.TrimSpace(d.Manufacturer + " " + d.Product)
	switch {
	case name == "" && d.Model == "":
		return "(no name)"
	case name == "":
		return d.Model
	case d.Model != "" && !strings.EqualFold(name, d.Model):
		return name + " (" + d.Model + ")"
	}
	return name
}

// Why there are no PC/SC readers to list.
const (
	pcscNotRunning = "no PC/SC service: pcscd is not running"
)

// listPCSC lists the PC/SC service's readers; with no service, or a service
// that fails, the list is empty and the reason is returned instead.
func listPCSC(ctx context.Context, readers pcscLister) ([]pcscReader, string) {
	found, err := readers(ctx)
	switch {
	case errors.Is(err, pcsc.ErrNoService):
		return nil, pcscNotRunning
	case err != nil:
		return nil, "error: " + oneLine(err)
	}
	out := make([]pcscReader, 0, len(found))
	for _, r := range found {
		n := pcsc.ParseReaderName(r.Name)
		pr := pcscReader{Kind: kindCardReader, Name: r.Name, Model: n.Model, Serial: n.Serial, Card: r.Card, State: r.State()}
		if r.Card {
			pr.ATR = fmt.Sprintf("%X", r.ATR)
		}
		out = append(out, pr)
	}
	return out, ""
}
