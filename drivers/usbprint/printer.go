package usbprint

// printer.go: Open and Printer: the printer-class requests of USB printer class
// 1.1 §4.2 and the bulk transfers that carry print data and back-channel data.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"certkiosk/drivers/usb"
)

// Class-specific requests (USB printer class 1.1 §4.2).
const (
	RequestGetDeviceID   uint8 = 0x00
	RequestGetPortStatus uint8 = 0x01
	RequestSoftReset     uint8 = 0x02
)

// DeviceIDMaxLength is the buffer GET_DEVICE_ID is asked to fill. IEEE 1284 IDs
// are rarely longer than 400 bytes; the length prefix can say up to 65535.
const DeviceIDMaxLength = 1024

// DefaultChunkSize is how much print data one bulk transfer carries. Smaller
// transfers let a cancelled context stop a job sooner and report how far it got.
const DefaultChunkSize = 16 * 1024

// Options adjust Open. The zero Options are the defaults.
type Options struct {
	// Quirks is the table of per-model workarounds; nil means DefaultQuirks().
	Quirks *QuirkTable
	// ChunkSize is the size of each bulk OUT transfer; 0 means DefaultChunkSize.
	ChunkSize int
	// Sleep waits d or until ctx is done; nil means a timer. Tests replace it to
	// check a quirk's delay without waiting for it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Printer is an open USB printer with its printer interface claimed. Its methods
// may be called from several goroutines, but the device serves one request at a
// time, so the caller usually keeps to one.
type Printer struct {
	dev      usb.Device
	intf     usb.Interface
	out      usb.Out
	in       usb.In // nil when unidirectional
	info     usb.DeviceInfo
	choice   Choice
	quirk    Quirk
	hasQuirk bool
	chunk    int
	cfgIndex int
}

// Open opens the printer m selects on bus, chooses its printer interface (see
// ChooseInterface), claims it and applies the model's quirks. The caller closes
// the Printer.
func Open(ctx context.Context, bus usb.Bus, m usb.Match, opts Options) (*Printer, error) {
	table := opts.Quirks
	if table == nil {
		t := DefaultQuirks()
		table = &t
	}
	sleep := opts.Sleep
	if sleep == nil {
		sleep = sleepContext
	}
	dev, err := bus.Open(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("usbprint: open %s: %w", m, err)
	}
	p, err := setUp(ctx, dev, table, opts.ChunkSize, sleep)
	if err != nil {
		dev.Close()
		return nil, err
	}
	return p, nil
}

func setUp(ctx context.Context, dev usb.Device, table *QuirkTable, chunk int, sleep func(context.Context, time.Duration) error) (*Printer, error) {
	info := dev.Info()
	q, hasQuirk := table.Lookup(info.VID, info.PID)
	choice, err := ChooseInterface(info, q)
	if err != nil {
		return nil, err
	}
	intf, err := dev.Claim(ctx, choice.Setting)
	if err != nil {
		return nil, fmt.Errorf("usbprint: claim %s of %s: %w", choice.Setting, info, err)
	}
	p := &Printer{
		dev: dev, intf: intf, info: info, choice: choice,
		quirk: q, hasQuirk: hasQuirk,
		chunk:    chunk,
		cfgIndex: configIndex(info, choice.Setting.Config),
	}
	if p.chunk <= 0 {
		p.chunk = DefaultChunkSize
	}
	if p.out, err = intf.Out(choice.Out.Address); err != nil {
		intf.Release()
		return nil, fmt.Errorf("usbprint: %s: %w", info, err)
	}
	if choice.Bidirectional {
		if p.in, err = intf.In(choice.In.Address); err != nil {
			intf.Release()
			return nil, fmt.Errorf("usbprint: %s: %w", info, err)
		}
	}
	if q.DelayAfterClaim > 0 {
		if err := sleep(ctx, q.DelayAfterClaim); err != nil {
			intf.Release()
			return nil, fmt.Errorf("usbprint: waiting after claim (%s): %w", q.Symptom, err)
		}
	}
	return p, nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Info describes the device.
func (p *Printer) Info() usb.DeviceInfo { return p.info }

// Interface returns the chosen interface setting and endpoints.
func (p *Printer) Interface() Choice { return p.choice }

// Quirk returns the workaround applied to this model, if there is one.
func (p *Printer) Quirk() (Quirk, bool) { return p.quirk, p.hasQuirk }

// Bidirectional reports whether Read has a back channel to read.
func (p *Printer) Bidirectional() bool { return p.in != nil }

// setup returns the setup packet of a class request to the printer interface.
func (p *Printer) setup(dir, request uint8, value, index uint16) usb.Setup {
	return usb.Setup{RequestType: dir | usb.RequestClass | usb.RecipientInterface, Request: request, Value: value, Index: index}
}

// DeviceID reads the printer's IEEE 1284 device ID (GET_DEVICE_ID: wValue the
// configuration index, wIndex the interface number in the high byte and the
// alternate setting in the low byte).
func (p *Printer) DeviceID(ctx context.Context) (DeviceID, error) {
	s := p.choice.Setting
	buf := make([]byte, DeviceIDMaxLength)
	n, err := p.dev.Control(ctx, p.setup(usb.RequestIn, RequestGetDeviceID, uint16(p.cfgIndex), uint16(s.Number)<<8|uint16(s.Alternate)), buf)
	if err != nil {
		return nil, fmt.Errorf("usbprint: GET_DEVICE_ID: %w", err)
	}
	id, err := DecodeDeviceID(buf[:n], p.quirk.DeviceIDLength)
	if err != nil {
		return nil, fmt.Errorf("usbprint: GET_DEVICE_ID of %s: %w", p.info, err)
	}
	return id, nil
}

// PortStatus reads the port status byte (GET_PORT_STATUS, wIndex the interface
// number).
func (p *Printer) PortStatus(ctx context.Context) (PortStatus, error) {
	var b [1]byte
	n, err := p.dev.Control(ctx, p.setup(usb.RequestIn, RequestGetPortStatus, 0, uint16(p.choice.Setting.Number)), b[:])
	if err != nil {
		return 0, fmt.Errorf("usbprint: GET_PORT_STATUS: %w", err)
	}
	if n < 1 {
		return 0, fmt.Errorf("usbprint: GET_PORT_STATUS of %s: %w", p.info, ErrPortStatus)
	}
	return PortStatus(b[0]), nil
}

// SoftReset asks the printer to flush its buffers and reset its bulk pipes
// (SOFT_RESET, wIndex the interface number), e.g. after a job was cut off.
func (p *Printer) SoftReset(ctx context.Context) error {
	if _, err := p.dev.Control(ctx, p.setup(usb.RequestOut, RequestSoftReset, 0, uint16(p.choice.Setting.Number)), nil); err != nil {
		return fmt.Errorf("usbprint: SOFT_RESET: %w", err)
	}
	return nil
}

// Write sends data over bulk OUT in chunks and returns how many bytes the
// printer accepted. It stops at the first failed transfer or when ctx is done;
// the error then says how far it got and wraps the cause (usb.ErrDisconnected,
// usb.ErrStall, context.Canceled…).
func (p *Printer) Write(ctx context.Context, data []byte) (int, error) {
	sent := 0
	for sent < len(data) {
		if err := ctx.Err(); err != nil {
			return sent, p.writeError(sent, len(data), err)
		}
		start, end := sent, min(len(data), sent+p.chunk)
		n, err := p.out.Write(ctx, data[start:end])
		sent += n
		if err != nil {
			return sent, p.writeError(sent, len(data), err)
		}
		if n < end-start {
			return sent, p.writeError(sent, len(data), errors.New("short transfer"))
		}
	}
	return sent, nil
}

func (p *Printer) writeError(sent, total int, err error) error {
	return fmt.Errorf("usbprint: sent %d of %d bytes: %w", sent, total, err)
}

// Read reads back-channel data (status replies, PJL answers) from a
// bidirectional printer. A printer with nothing to say does not answer, so ctx
// should carry a deadline.
func (p *Printer) Read(ctx context.Context, buf []byte) (int, error) {
	if p.in == nil {
		return 0, fmt.Errorf("%w: %s", ErrUnidirectional, p.info)
	}
	n, err := p.in.Read(ctx, buf)
	if err != nil {
		return n, fmt.Errorf("usbprint: read back channel: %w", err)
	}
	return n, nil
}

// Close releases the interface and the device.
func (p *Printer) Close() error {
	err := p.intf.Release()
	if cerr := p.dev.Close(); err == nil {
		err = cerr
	}
	return err
}
