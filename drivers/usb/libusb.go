package usb

// libusb.go: Host, USB I/O on libusb through github.com/google/gousb. This is the
// only file in CertKiosk that imports gousb; the rest of the code sees the
// interfaces of bus.go.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/gousb"
)

// DefaultControlTimeout bounds a control transfer whose context has no deadline.
// libusb cannot cancel a synchronous control transfer, so a deadline is the only
// way to stop one; class requests normally answer within milliseconds.
const DefaultControlTimeout = 5 * time.Second

// Host is the Bus of the machine's USB controllers. It is safe for concurrent use.
// When libusb cannot start (no USB subsystem at all) the Host behaves as an empty
// bus and Err says why.
type Host struct {
	ctx     *gousb.Context
	initErr error

	mu sync.Mutex
	// strings caches the string descriptors read during enumeration, by
	// DeviceInfo.Key without the serial: reading them means opening the device,
	// which a watcher polling every second should not do for devices it has
	// already seen.
	strings map[string]deviceStrings
}

type deviceStrings struct{ manufacturer, product, serial string }

var _ Bus = (*Host)(nil)

// NewHost starts libusb. It does not fail: a machine without USB gets a Host with
// no devices.
func NewHost() *Host {
	h := &Host{strings: map[string]deviceStrings{}}
	h.ctx, h.initErr = newContext()
	return h
}

// newContext starts a libusb context. gousb panics when libusb_init fails; that
// is turned into an error here.
func newContext() (ctx *gousb.Context, err error) {
	defer func() {
		if r := recover(); r != nil {
			ctx, err = nil, fmt.Errorf("usb: libusb did not start: %v", r)
		}
	}()
	return gousb.NewContext(), nil
}

// Err reports why libusb could not start, or nil when it runs.
func (h *Host) Err() error { return h.initErr }

// Close stops libusb. Devices opened from h must be closed first.
func (h *Host) Close() error {
	if h.ctx == nil {
		return nil
	}
	if err := h.ctx.Close(); err != nil {
		return fmt.Errorf("usb: close: %w", err)
	}
	h.ctx = nil
	return nil
}

// Devices lists the attached devices, root hubs included, in bus order. The
// string descriptors are read once per attachment; a device that cannot be
// opened (no permission) is listed without them.
func (h *Host) Devices(ctx context.Context) ([]DeviceInfo, error) {
	if h.ctx == nil {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var list []DeviceInfo
	// The opener sees every descriptor and opens nothing, so an error here is the
	// bus listing's own, not one device's.
	_, err := h.ctx.OpenDevices(func(desc *gousb.DeviceDesc) bool {
		list = append(list, deviceInfo(desc))
		return false
	})
	if err != nil {
		return nil, hostError("list", "", 0, err, ctx)
	}
	h.fillStrings(list)
	sortDevices(list)
	return list, nil
}

// fillStrings sets the string descriptors of each device in list, opening the
// devices not seen before.
func (h *Host) fillStrings(list []DeviceInfo) {
	h.mu.Lock()
	defer h.mu.Unlock()
	seen := make(map[string]bool, len(list))
	missing := map[string]bool{}
	for _, d := range list {
		k := attachment(d)
		seen[k] = true
		if _, ok := h.strings[k]; !ok && d.Class != ClassHub {
			missing[k] = true
		}
	}
	for k := range h.strings {
		if !seen[k] {
			delete(h.strings, k)
		}
	}
	if len(missing) > 0 {
		devs, _ := h.ctx.OpenDevices(func(desc *gousb.DeviceDesc) bool {
			return missing[attachment(deviceInfo(desc))]
		})
		for _, dev := range devs {
			var s deviceStrings
			s.manufacturer, _ = dev.Manufacturer()
			s.product, _ = dev.Product()
			s.serial, _ = dev.SerialNumber()
			h.strings[attachment(deviceInfo(dev.Desc))] = s
			dev.Close()
		}
		// A device that could not be opened is remembered without strings, so it
		// is not opened again on every poll.
		for k := range missing {
			if _, ok := h.strings[k]; !ok {
				h.strings[k] = deviceStrings{}
			}
		}
	}
	for i := range list {
		s := h.strings[attachment(list[i])]
		list[i].Manufacturer, list[i].Product, list[i].Serial = s.manufacturer, s.product, s.serial
	}
}

// attachment identifies a device on the bus before its serial is known.
func attachment(d DeviceInfo) string {
	return fmt.Sprintf("%d:%d %s:%s", d.Bus, d.Address, d.VID, d.PID)
}

// Open opens the one device m matches. The device is set to detach the kernel
// driver that would otherwise hold its interfaces busy (usblp for printers,
// usbhid for scanners) when an interface is claimed, as gousb's
// Device.SetAutoDetach describes; on platforms that cannot, the claim fails with
// ErrBusy instead.
func (h *Host) Open(ctx context.Context, m Match) (Device, error) {
	if h.ctx == nil {
		return nil, &Error{Op: "open", Device: m.String(), Err: ErrNotFound, Cause: h.initErr}
	}
	if err := ctx.Err(); err != nil {
		return nil, &Error{Op: "open", Device: m.String(), Err: err}
	}
	// The serial number is known only once a device is open: open every device
	// matching on descriptors, then keep the one whose serial matches too.
	byDesc := m
	byDesc.Serial = ""
	devs, openErr := h.ctx.OpenDevices(func(desc *gousb.DeviceDesc) bool {
		return byDesc.Matches(deviceInfo(desc))
	})
	var found []*hostDevice
	for _, dev := range devs {
		info := deviceInfo(dev.Desc)
		info.Manufacturer, _ = dev.Manufacturer()
		info.Product, _ = dev.Product()
		info.Serial, _ = dev.SerialNumber()
		if !m.Matches(info) {
			dev.Close()
			continue
		}
		found = append(found, &hostDevice{dev: dev, info: info})
	}
	switch {
	case len(found) == 1:
		d := found[0]
		// Not every platform can detach kernel drivers (macOS, Windows): there
		// the claim itself reports a busy interface.
		_ = d.dev.SetAutoDetach(true)
		return d, nil
	case len(found) > 1:
		names := make([]string, len(found))
		for i, d := range found {
			names[i] = d.info.String()
			d.dev.Close()
		}
		return nil, &Error{Op: "open", Device: m.String(), Err: ErrAmbiguous, Cause: errors.New(strings.Join(names, ", "))}
	case openErr != nil:
		// Matching devices exist but could not be opened: say why (permissions).
		return nil, hostError("open", m.String(), 0, openErr, ctx)
	}
	return nil, &Error{Op: "open", Device: m.String(), Err: ErrNotFound}
}

// deviceInfo converts gousb's descriptors, configurations and settings sorted.
func deviceInfo(desc *gousb.DeviceDesc) DeviceInfo {
	d := DeviceInfo{
		Bus:      desc.Bus,
		Address:  desc.Address,
		Path:     append([]int(nil), desc.Path...),
		VID:      ID(desc.Vendor),
		PID:      ID(desc.Product),
		Class:    Class(desc.Class),
		SubClass: uint8(desc.SubClass),
		Protocol: uint8(desc.Protocol),
	}
	for _, cfg := range desc.Configs {
		for _, intf := range cfg.Interfaces {
			for _, alt := range intf.AltSettings {
				ii := InterfaceInfo{
					Config:    cfg.Number,
					Number:    alt.Number,
					Alternate: alt.Alternate,
					Class:     Class(alt.Class),
					SubClass:  uint8(alt.SubClass),
					Protocol:  uint8(alt.Protocol),
				}
				for _, ep := range alt.Endpoints {
					ii.Endpoints = append(ii.Endpoints, EndpointInfo{
						Address:       EndpointAddress(ep.Address),
						Type:          TransferType(ep.TransferType),
						MaxPacketSize: ep.MaxPacketSize,
					})
				}
				sort.Slice(ii.Endpoints, func(a, b int) bool { return ii.Endpoints[a].Address < ii.Endpoints[b].Address })
				d.Interfaces = append(d.Interfaces, ii)
			}
		}
	}
	sort.Slice(d.Interfaces, func(a, b int) bool {
		x, y := d.Interfaces[a], d.Interfaces[b]
		if x.Config != y.Config {
			return x.Config < y.Config
		}
		if x.Number != y.Number {
			return x.Number < y.Number
		}
		return x.Alternate < y.Alternate
	})
	return d
}

func sortDevices(list []DeviceInfo) {
	sort.Slice(list, func(a, b int) bool {
		if list[a].Bus != list[b].Bus {
			return list[a].Bus < list[b].Bus
		}
		return list[a].Address < list[b].Address
	})
}

// hostDevice is a Device on libusb. gousb allows one claimed configuration per
// device; it is taken with the first claimed interface and given back with the
// last.
type hostDevice struct {
	dev  *gousb.Device
	info DeviceInfo

	ctrl sync.Mutex // one control transfer at a time: ControlTimeout is per device

	mu      sync.Mutex
	config  *gousb.Config
	claimed map[int]*hostInterface
	closed  bool
}

func (d *hostDevice) Info() DeviceInfo { return d.info }

func (d *hostDevice) name() string {
	return Match{VID: d.info.VID, PID: d.info.PID, Serial: d.info.Serial}.String()
}

func (d *hostDevice) Control(ctx context.Context, s Setup, data []byte) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, &Error{Op: "control", Device: d.name(), Err: err}
	}
	d.mu.Lock()
	closed := d.closed
	d.mu.Unlock()
	if closed {
		return 0, &Error{Op: "control", Device: d.name(), Err: ErrClosed}
	}
	timeout := DefaultControlTimeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = time.Until(dl)
		if timeout <= 0 {
			return 0, &Error{Op: "control", Device: d.name(), Err: context.DeadlineExceeded}
		}
		// libusb reads a zero timeout as "wait forever".
		timeout = max(timeout, time.Millisecond)
	}
	d.ctrl.Lock()
	defer d.ctrl.Unlock()
	d.dev.ControlTimeout = timeout
	n, err := d.dev.Control(s.RequestType, s.Request, s.Value, s.Index, data)
	if err != nil {
		if errors.Is(err, gousb.ErrorTimeout) && ctx.Err() != nil {
			return n, &Error{Op: "control", Device: d.name(), Err: ctx.Err(), Cause: err}
		}
		return n, hostError("control", d.name(), 0, err, ctx)
	}
	return n, nil
}

func (d *hostDevice) Claim(ctx context.Context, intf InterfaceInfo) (Interface, error) {
	if err := ctx.Err(); err != nil {
		return nil, &Error{Op: "claim", Device: d.name(), Err: err}
	}
	setting, ok := findSetting(d.info, intf)
	if !ok {
		return nil, &Error{Op: "claim", Device: d.name(), Err: ErrNoInterface, Cause: errors.New(intf.String())}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, &Error{Op: "claim", Device: d.name(), Err: ErrClosed}
	}
	if d.claimed[setting.Number] != nil {
		return nil, &Error{Op: "claim", Device: d.name(), Err: ErrBusy, Cause: fmt.Errorf("interface %d already claimed", setting.Number)}
	}
	if d.config != nil && d.config.Desc.Number != setting.Config {
		return nil, &Error{Op: "claim", Device: d.name(), Err: ErrBusy, Cause: fmt.Errorf("configuration %d in use", d.config.Desc.Number)}
	}
	if d.config == nil {
		cfg, err := d.dev.Config(setting.Config)
		if err != nil {
			return nil, hostError("claim", d.name(), 0, err, ctx)
		}
		d.config = cfg
	}
	gi, err := d.config.Interface(setting.Number, setting.Alternate)
	if err != nil {
		if len(d.claimed) == 0 {
			d.config.Close()
			d.config = nil
		}
		return nil, hostError("claim", d.name(), 0, err, ctx)
	}
	hi := &hostInterface{dev: d, intf: gi, info: setting}
	if d.claimed == nil {
		d.claimed = map[int]*hostInterface{}
	}
	d.claimed[setting.Number] = hi
	return hi, nil
}

// findSetting returns the device's own description of the setting intf names.
func findSetting(d DeviceInfo, intf InterfaceInfo) (InterfaceInfo, bool) {
	for _, s := range d.Interfaces {
		if s.Config == intf.Config && s.Number == intf.Number && s.Alternate == intf.Alternate {
			return s, true
		}
	}
	return InterfaceInfo{}, false
}

// release gives back one interface, and the configuration with the last one.
// Called with d.mu held.
func (d *hostDevice) release(hi *hostInterface) {
	hi.intf.Close()
	delete(d.claimed, hi.info.Number)
	if len(d.claimed) == 0 && d.config != nil {
		d.config.Close()
		d.config = nil
	}
}

func (d *hostDevice) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil
	}
	d.closed = true
	for _, hi := range d.claimed {
		hi.released = true
		d.release(hi)
	}
	if err := d.dev.Close(); err != nil {
		return &Error{Op: "close", Device: d.name(), Err: ErrIO, Cause: err}
	}
	return nil
}

type hostInterface struct {
	dev      *hostDevice
	intf     *gousb.Interface
	info     InterfaceInfo
	released bool // guarded by dev.mu
}

func (i *hostInterface) Info() InterfaceInfo { return i.info }

func (i *hostInterface) endpoint(addr EndpointAddress, in bool) (EndpointInfo, error) {
	i.dev.mu.Lock()
	released := i.released
	i.dev.mu.Unlock()
	op := "write"
	if in {
		op = "read"
	}
	if released {
		return EndpointInfo{}, &Error{Op: op, Device: i.dev.name(), Endpoint: addr, Err: ErrClosed}
	}
	for _, ep := range i.info.Endpoints {
		if ep.Address == addr && ep.Address.IsIn() == in && (ep.Type == Bulk || ep.Type == Interrupt) {
			return ep, nil
		}
	}
	return EndpointInfo{}, &Error{Op: op, Device: i.dev.name(), Endpoint: addr, Err: ErrNoEndpoint}
}

func (i *hostInterface) In(addr EndpointAddress) (In, error) {
	info, err := i.endpoint(addr, true)
	if err != nil {
		return nil, err
	}
	ep, err := i.intf.InEndpoint(addr.Number())
	if err != nil {
		return nil, &Error{Op: "read", Device: i.dev.name(), Endpoint: addr, Err: ErrNoEndpoint, Cause: err}
	}
	return &hostIn{intf: i, ep: ep, info: info}, nil
}

func (i *hostInterface) Out(addr EndpointAddress) (Out, error) {
	info, err := i.endpoint(addr, false)
	if err != nil {
		return nil, err
	}
	ep, err := i.intf.OutEndpoint(addr.Number())
	if err != nil {
		return nil, &Error{Op: "write", Device: i.dev.name(), Endpoint: addr, Err: ErrNoEndpoint, Cause: err}
	}
	return &hostOut{intf: i, ep: ep, info: info}, nil
}

func (i *hostInterface) Release() error {
	i.dev.mu.Lock()
	defer i.dev.mu.Unlock()
	if i.released {
		return nil
	}
	i.released = true
	i.dev.release(i)
	return nil
}

// usable reports ErrClosed once the interface was released.
func (i *hostInterface) usable(op string, addr EndpointAddress) error {
	i.dev.mu.Lock()
	defer i.dev.mu.Unlock()
	if i.released {
		return &Error{Op: op, Device: i.dev.name(), Endpoint: addr, Err: ErrClosed}
	}
	return nil
}

type hostIn struct {
	intf *hostInterface
	ep   *gousb.InEndpoint
	info EndpointInfo
}

func (e *hostIn) Info() EndpointInfo { return e.info }

func (e *hostIn) Read(ctx context.Context, p []byte) (int, error) {
	if err := e.intf.usable("read", e.info.Address); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, &Error{Op: "read", Device: e.intf.dev.name(), Endpoint: e.info.Address, Err: err}
	}
	n, err := e.ep.ReadContext(ctx, p)
	if err != nil {
		return n, hostError("read", e.intf.dev.name(), e.info.Address, err, ctx)
	}
	return n, nil
}

type hostOut struct {
	intf *hostInterface
	ep   *gousb.OutEndpoint
	info EndpointInfo
}

func (e *hostOut) Info() EndpointInfo { return e.info }

func (e *hostOut) Write(ctx context.Context, p []byte) (int, error) {
	if err := e.intf.usable("write", e.info.Address); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, &Error{Op: "write", Device: e.intf.dev.name(), Endpoint: e.info.Address, Err: err}
	}
	n, err := e.ep.WriteContext(ctx, p)
	if err != nil {
		return n, hostError("write", e.intf.dev.name(), e.info.Address, err, ctx)
	}
	return n, nil
}

// hostError translates a gousb error into an *Error with the matching sentinel.
// gousb wraps some libusb errors in plain text (claiming, setting a
// configuration), so those are recognised by libusb's own message.
func hostError(op, device string, ep EndpointAddress, err error, ctx context.Context) error {
	e := &Error{Op: op, Device: device, Endpoint: ep, Cause: err}
	switch {
	case errors.Is(err, gousb.TransferCancelled) && ctx.Err() != nil:
		e.Err = ctx.Err()
	case isLibusb(err, gousb.TransferNoDevice, gousb.ErrorNoDevice):
		e.Err = ErrDisconnected
	case isLibusb(err, gousb.TransferStall, gousb.ErrorPipe):
		e.Err = ErrStall
	case isLibusb(err, gousb.TransferTimedOut, gousb.ErrorTimeout):
		e.Err = ErrTimeout
	case isLibusb(err, gousb.TransferOverflow, gousb.ErrorOverflow):
		e.Err = ErrOverflow
	case isLibusb(err, gousb.ErrorBusy):
		e.Err = ErrBusy
	case isLibusb(err, gousb.ErrorAccess):
		e.Err = ErrAccess
	case isLibusb(err, gousb.ErrorNotFound):
		e.Err = ErrNotFound
	default:
		e.Err = ErrIO
	}
	return e
}

// isLibusb reports whether err is one of the given gousb errors, either as a
// value or quoted in a message gousb built around it.
func isLibusb(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) || strings.Contains(err.Error(), t.Error()) {
			return true
		}
	}
	return false
}
