package usbtest

// endpoint.go: Endpoint, the scripted behaviour of one bulk or interrupt endpoint,
// and the faults a test can inject into it.

import (
	"context"
	"slices"
	"sync"

	"certkiosk/drivers/usb"
)

// Fault is a failure injected into a transfer.
type Fault int

// Faults.
const (
	NoFault Fault = iota
	// Stall: the device stalls the endpoint (usb.ErrStall).
	Stall
	// Timeout: the transfer times out (usb.ErrTimeout).
	Timeout
	// Unplug: the device is unplugged in the middle of the transfer
	// (usb.ErrDisconnected, for this transfer and everything after).
	Unplug
	// Hang: the device stops taking or giving data, as a printer with a full
	// buffer does; the transfer waits until its context is done or the device is
	// unplugged.
	Hang
)

// String names the fault as recordings write it.
func (f Fault) String() string {
	switch f {
	case Stall:
		return "stall"
	case Timeout:
		return "timeout"
	case Unplug:
		return "unplug"
	case Hang:
		return "hang"
	}
	return "none"
}

// err is the error a fault reports, before the wait of Hang.
func (f Fault) err() error {
	switch f {
	case Stall:
		return usb.ErrStall
	case Timeout:
		return usb.ErrTimeout
	case Unplug:
		return usb.ErrDisconnected
	}
	return nil
}

// Handler plays the device's side of one transfer on an endpoint: for OUT it
// takes p and returns how much it accepted, for IN it fills p and returns how much
// it filled.
type Handler func(ctx context.Context, p []byte) (int, error)

// Endpoint is one bulk or interrupt endpoint of a fake device. By default an OUT
// endpoint accepts every byte and keeps it (Written), and an IN endpoint returns
// the transfers queued with Queue, waiting while there are none.
type Endpoint struct {
	dev  *Device
	info usb.EndpointInfo

	mu      sync.Mutex
	queue   [][]byte
	written []byte
	moved   int // bytes moved so far, for FailAfter
	faults  []pendingFault
	handler Handler
	wake    chan struct{} // closed when data is queued
}

type pendingFault struct {
	at    int
	fault Fault
}

func newEndpoint(d *Device, info usb.EndpointInfo) *Endpoint {
	return &Endpoint{dev: d, info: info, wake: make(chan struct{})}
}

// Info returns the endpoint's descriptor.
func (e *Endpoint) Info() usb.EndpointInfo { return e.info }

// Queue adds transfers for the host to read from an IN endpoint, one per slice
// (an empty slice is a zero-length packet).
func (e *Endpoint) Queue(data ...[]byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, b := range data {
		e.queue = append(e.queue, slices.Clone(b))
	}
	close(e.wake)
	e.wake = make(chan struct{})
}

// Written returns every byte the host wrote to an OUT endpoint and the device
// accepted.
func (e *Endpoint) Written() []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.written)
}

// Handle replaces the default behaviour with h. Faults set with FailAfter still
// come first.
func (e *Endpoint) Handle(h Handler) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.handler = h
}

// FailAfter injects fault f once n bytes have moved through the endpoint: the
// transfer that would carry byte n moves the bytes before it and then fails (an
// IN transfer fails when it starts at or after byte n). Each fault fires once;
// several can be set.
func (e *Endpoint) FailAfter(n int, f Fault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = append(e.faults, pendingFault{at: n, fault: f})
}

// transfer plays one transfer; gone is closed when the handle's attachment ends.
func (e *Endpoint) transfer(ctx context.Context, gone <-chan struct{}, p []byte) (int, error) {
	in := e.info.Address.IsIn()
	e.mu.Lock()
	for i, pf := range e.faults {
		fires := (in && e.moved >= pf.at) || (!in && e.moved+len(p) > pf.at)
		if !fires {
			continue
		}
		e.faults = slices.Delete(e.faults, i, i+1)
		n := 0
		if !in {
			n = max(0, pf.at-e.moved)
			e.written = append(e.written, p[:n]...)
			e.moved += n
		}
		e.mu.Unlock()
		return n, e.fire(ctx, gone, pf.fault)
	}
	if h := e.handler; h != nil {
		e.mu.Unlock()
		n, err := h(ctx, p)
		n = max(0, min(n, len(p)))
		e.mu.Lock()
		e.moved += n
		if !in {
			e.written = append(e.written, p[:n]...)
		}
		e.mu.Unlock()
		return n, err
	}
	if !in {
		e.written = append(e.written, p...)
		e.moved += len(p)
		e.mu.Unlock()
		return len(p), nil
	}
	for len(e.queue) == 0 {
		wake := e.wake
		e.mu.Unlock()
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-gone:
			return 0, usb.ErrDisconnected
		case <-wake:
		}
		e.mu.Lock()
	}
	b := e.queue[0]
	n := copy(p, b)
	if n < len(b) {
		// A real device would overflow the buffer; the fake keeps the rest for the
		// next read so tests can use small buffers.
		e.queue[0] = b[n:]
	} else {
		e.queue = e.queue[1:]
	}
	e.moved += n
	e.mu.Unlock()
	return n, nil
}

// fire applies a fault.
func (e *Endpoint) fire(ctx context.Context, gone <-chan struct{}, f Fault) error {
	switch f {
	case Unplug:
		e.dev.Unplug()
	case Hang:
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-gone:
			return usb.ErrDisconnected
		}
	}
	return f.err()
}
