package usbtest

// device.go: Device, a fake device with descriptors and scripted behaviour, and
// the handles the driver under test gets from Bus.Open.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"certkiosk/drivers/usb"
)

// ControlFunc plays the device's side of a control transfer: for an IN request it
// fills data and returns how much it filled; for an OUT request it reads data. An
// error such as usb.ErrStall is reported to the driver as the device's answer.
type ControlFunc func(ctx context.Context, s usb.Setup, data []byte) (int, error)

// Device is a fake USB device. Its methods are safe for concurrent use, including
// from a ControlFunc or an endpoint handler (Unplug from inside a transfer is how
// a test unplugs a device mid-transfer).
type Device struct {
	mu        sync.Mutex
	info      usb.DeviceInfo
	bus       *Bus
	attached  bool
	gen       int           // attachment number; handles of older ones are dead
	gone      chan struct{} // closed when the current attachment ends
	control   ControlFunc
	endpoints map[usb.EndpointAddress]*Endpoint
	claimed   map[int]*handle // interface number → the handle holding it
	config    int             // configuration in use while interfaces are claimed
	opens     int
	log       []Transfer
}

// NewDevice returns a device with the given descriptors, not yet plugged in. The
// bus number and address are set when it is plugged in. Every bulk and interrupt
// endpoint in the descriptors gets an Endpoint with the default behaviour: OUT
// endpoints accept everything, IN endpoints wait for data queued by the test.
// Control requests are stalled until HandleControl sets a handler, as a device
// does with requests it does not know.
func NewDevice(info usb.DeviceInfo) *Device {
	d := &Device{
		info:      cloneInfo(info),
		endpoints: map[usb.EndpointAddress]*Endpoint{},
		claimed:   map[int]*handle{},
		gone:      make(chan struct{}),
	}
	close(d.gone) // not attached yet
	for _, intf := range d.info.Interfaces {
		for _, ep := range intf.Endpoints {
			if _, ok := d.endpoints[ep.Address]; !ok {
				d.endpoints[ep.Address] = newEndpoint(d, ep)
			}
		}
	}
	return d
}

func cloneInfo(info usb.DeviceInfo) usb.DeviceInfo {
	c := info
	c.Path = slices.Clone(info.Path)
	c.Interfaces = make([]usb.InterfaceInfo, len(info.Interfaces))
	for i, intf := range info.Interfaces {
		intf.Endpoints = slices.Clone(intf.Endpoints)
		c.Interfaces[i] = intf
	}
	return c
}

// Info returns the device's descriptors, with its current bus and address.
func (d *Device) Info() usb.DeviceInfo {
	d.mu.Lock()
	defer d.mu.Unlock()
	return cloneInfo(d.info)
}

// HandleControl sets how the device answers control requests.
func (d *Device) HandleControl(f ControlFunc) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.control = f
}

// Endpoint returns the endpoint at addr, or nil when the descriptors have none.
func (d *Device) Endpoint(addr usb.EndpointAddress) *Endpoint {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.endpoints[addr]
}

// Unplug detaches the device from its bus, as Bus.Unplug does.
func (d *Device) Unplug() {
	d.mu.Lock()
	b := d.bus
	d.mu.Unlock()
	if b != nil {
		b.Unplug(d)
	}
}

// Attached reports whether the device is plugged in.
func (d *Device) Attached() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.attached
}

// Opens returns how many times the device was opened.
func (d *Device) Opens() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.opens
}

// Claimed returns the interface numbers claimed now, in order.
func (d *Device) Claimed() []int {
	d.mu.Lock()
	defer d.mu.Unlock()
	var nums []int
	for n := range d.claimed {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	return nums
}

// Transfers returns every transfer the host made, in order: control transfers and
// endpoint transfers, with the bytes that moved and the error reported.
func (d *Device) Transfers() []Transfer {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Transfer, len(d.log))
	for i, t := range d.log {
		t.Data = slices.Clone(t.Data)
		out[i] = t
	}
	return out
}

// Recording returns the transfers made so far as a Recording, which Format turns
// into the text ParseRecording reads.
func (d *Device) Recording() *Recording {
	var r Recording
	for _, t := range d.Transfers() {
		r.Steps = append(r.Steps, t.step())
	}
	return &r
}

func (d *Device) record(t Transfer) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.log = append(d.log, t)
}

func (d *Device) attach(b *Bus, busNum, addr int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.bus = b
	d.info.Bus = busNum
	d.info.Address = addr
	if len(d.info.Path) == 0 {
		d.info.Path = []int{addr - 1}
	}
	d.attached = true
	d.gen++
	d.gone = make(chan struct{})
	d.claimed = map[int]*handle{}
}

func (d *Device) detach() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.attached {
		return
	}
	d.attached = false
	close(d.gone)
}

// name is how errors name the device.
func (d *Device) name() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return usb.Match{VID: d.info.VID, PID: d.info.PID, Serial: d.info.Serial}.String()
}

func (d *Device) open() (usb.Device, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.attached {
		return nil, &usb.Error{Op: "open", Device: usb.Match{VID: d.info.VID, PID: d.info.PID}.String(), Err: usb.ErrDisconnected}
	}
	d.opens++
	return &handle{dev: d, gen: d.gen, gone: d.gone, info: cloneInfo(d.info)}, nil
}

// Transfer is one transfer the host made.
type Transfer struct {
	Kind     StepKind
	Setup    usb.Setup           // for control transfers
	Endpoint usb.EndpointAddress // for endpoint transfers
	// Length is wLength for a control transfer, the buffer size for others.
	Length int
	// Data is what moved: sent by the host for OUT, returned by the device for IN.
	Data []byte
	Err  error
}

func (t Transfer) step() Step {
	s := Step{Kind: t.Kind, Setup: t.Setup, Length: t.Length, Endpoint: t.Endpoint, Data: slices.Clone(t.Data)}
	switch {
	case t.Err == nil:
	case errors.Is(t.Err, usb.ErrStall):
		s.Fault = Stall
	case errors.Is(t.Err, usb.ErrTimeout):
		s.Fault = Timeout
	case errors.Is(t.Err, usb.ErrDisconnected):
		s.Fault = Unplug
	}
	return s
}

// handle is an open device, as a driver sees it.
type handle struct {
	dev  *Device
	gen  int
	gone chan struct{}
	info usb.DeviceInfo

	mu     sync.Mutex
	closed bool
	intfs  map[int]*fakeInterface
}

var _ usb.Device = (*handle)(nil)

func (h *handle) Info() usb.DeviceInfo { return cloneInfo(h.info) }

// alive reports a *usb.Error when the handle can no longer be used.
func (h *handle) alive(op string, ep usb.EndpointAddress) error {
	h.mu.Lock()
	closed := h.closed
	h.mu.Unlock()
	if closed {
		return h.fail(op, ep, usb.ErrClosed)
	}
	select {
	case <-h.gone:
		return h.fail(op, ep, usb.ErrDisconnected)
	default:
	}
	return nil
}

func (h *handle) fail(op string, ep usb.EndpointAddress, err error) error {
	var ue *usb.Error
	if errors.As(err, &ue) {
		return err
	}
	return &usb.Error{Op: op, Device: h.dev.name(), Endpoint: ep, Err: err}
}

func (h *handle) Control(ctx context.Context, s usb.Setup, data []byte) (int, error) {
	if err := h.alive("control", 0); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, h.fail("control", 0, err)
	}
	h.dev.mu.Lock()
	f := h.dev.control
	h.dev.mu.Unlock()
	var n int
	var err error
	if f == nil {
		err = usb.ErrStall
	} else {
		n, err = f(ctx, s, data)
		n = max(0, min(n, len(data)))
	}
	// An answer that arrives after the device went away is lost.
	select {
	case <-h.gone:
		if err == nil {
			n, err = 0, usb.ErrDisconnected
		}
	default:
	}
	// The log keeps what the device answered to an IN request, and what the host
	// sent with an OUT one.
	t := Transfer{Kind: ControlStep, Setup: s, Length: len(data), Data: slices.Clone(data), Err: err}
	if s.IsIn() {
		t.Data = slices.Clone(data[:n])
	}
	h.dev.record(t)
	if err != nil {
		return n, h.fail("control", 0, err)
	}
	return n, nil
}

func (h *handle) Claim(ctx context.Context, intf usb.InterfaceInfo) (usb.Interface, error) {
	if err := h.alive("claim", 0); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, h.fail("claim", 0, err)
	}
	var setting usb.InterfaceInfo
	found := false
	for _, s := range h.info.Interfaces {
		if s.Config == intf.Config && s.Number == intf.Number && s.Alternate == intf.Alternate {
			setting, found = s, true
			break
		}
	}
	if !found {
		return nil, &usb.Error{Op: "claim", Device: h.dev.name(), Err: usb.ErrNoInterface, Cause: errors.New(intf.String())}
	}
	d := h.dev
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.gen != h.gen || !d.attached {
		return nil, &usb.Error{Op: "claim", Device: usb.Match{VID: d.info.VID, PID: d.info.PID}.String(), Err: usb.ErrDisconnected}
	}
	if holder := d.claimed[setting.Number]; holder != nil {
		return nil, &usb.Error{Op: "claim", Device: usb.Match{VID: d.info.VID, PID: d.info.PID}.String(), Err: usb.ErrBusy, Cause: fmt.Errorf("interface %d already claimed", setting.Number)}
	}
	if len(d.claimed) > 0 && d.config != setting.Config {
		return nil, &usb.Error{Op: "claim", Device: usb.Match{VID: d.info.VID, PID: d.info.PID}.String(), Err: usb.ErrBusy, Cause: fmt.Errorf("configuration %d in use", d.config)}
	}
	d.claimed[setting.Number] = h
	d.config = setting.Config
	fi := &fakeInterface{h: h, info: setting}
	h.mu.Lock()
	if h.intfs == nil {
		h.intfs = map[int]*fakeInterface{}
	}
	h.intfs[setting.Number] = fi
	h.mu.Unlock()
	return fi, nil
}

func (h *handle) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	intfs := h.intfs
	h.intfs = nil
	h.mu.Unlock()
	for _, fi := range intfs {
		fi.Release()
	}
	return nil
}

// fakeInterface is a claimed interface.
type fakeInterface struct {
	h    *handle
	info usb.InterfaceInfo

	mu       sync.Mutex
	released bool
}

func (i *fakeInterface) Info() usb.InterfaceInfo { return i.info }

func (i *fakeInterface) endpoint(addr usb.EndpointAddress, in bool) (*Endpoint, error) {
	op := "write"
	if in {
		op = "read"
	}
	for _, ep := range i.info.Endpoints {
		if ep.Address == addr && addr.IsIn() == in && (ep.Type == usb.Bulk || ep.Type == usb.Interrupt) {
			return i.h.dev.Endpoint(addr), nil
		}
	}
	return nil, &usb.Error{Op: op, Device: i.h.dev.name(), Endpoint: addr, Err: usb.ErrNoEndpoint}
}

func (i *fakeInterface) In(addr usb.EndpointAddress) (usb.In, error) {
	ep, err := i.endpoint(addr, true)
	if err != nil {
		return nil, err
	}
	return &endpointHandle{intf: i, ep: ep}, nil
}

func (i *fakeInterface) Out(addr usb.EndpointAddress) (usb.Out, error) {
	ep, err := i.endpoint(addr, false)
	if err != nil {
		return nil, err
	}
	return &endpointHandle{intf: i, ep: ep}, nil
}

func (i *fakeInterface) Release() error {
	i.mu.Lock()
	if i.released {
		i.mu.Unlock()
		return nil
	}
	i.released = true
	i.mu.Unlock()
	d := i.h.dev
	d.mu.Lock()
	if d.gen == i.h.gen && d.claimed[i.info.Number] == i.h {
		delete(d.claimed, i.info.Number)
	}
	d.mu.Unlock()
	i.h.mu.Lock()
	delete(i.h.intfs, i.info.Number)
	i.h.mu.Unlock()
	return nil
}

func (i *fakeInterface) usable(op string, addr usb.EndpointAddress) error {
	i.mu.Lock()
	released := i.released
	i.mu.Unlock()
	if released {
		return i.h.fail(op, addr, usb.ErrClosed)
	}
	return i.h.alive(op, addr)
}

// endpointHandle is an endpoint reached through a claimed interface; it
// implements both usb.In and usb.Out, the direction being checked when it is made.
type endpointHandle struct {
	intf *fakeInterface
	ep   *Endpoint
}

func (e *endpointHandle) Info() usb.EndpointInfo { return e.ep.info }

func (e *endpointHandle) Read(ctx context.Context, p []byte) (int, error) {
	return e.transfer(ctx, "read", p)
}

func (e *endpointHandle) Write(ctx context.Context, p []byte) (int, error) {
	return e.transfer(ctx, "write", p)
}

func (e *endpointHandle) transfer(ctx context.Context, op string, p []byte) (int, error) {
	addr := e.ep.info.Address
	if err := e.intf.usable(op, addr); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, e.intf.h.fail(op, addr, err)
	}
	n, err := e.ep.transfer(ctx, e.intf.h.gone, p)
	kind := OutStep
	if addr.IsIn() {
		kind = InStep
	}
	e.intf.h.dev.record(Transfer{Kind: kind, Endpoint: addr, Length: len(p), Data: slices.Clone(p[:n]), Err: err})
	if err != nil {
		return n, e.intf.h.fail(op, addr, err)
	}
	return n, nil
}
