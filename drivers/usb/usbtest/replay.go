package usbtest

// replay.go: Replayer, a device playing its side of a recorded exchange.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"certkiosk/drivers/usb"
)

// ErrMismatch reports a host that did not do what the recording says: another
// request, other bytes, or a transfer beyond the end. The driver under test sees
// it inside a *usb.Error; Replayer.Done reports the first one.
var ErrMismatch = errors.New("usbtest: host diverged from the recording")

// Replayer plays a recording on a device. The host's transfers must come in the
// recorded order. Bytes written to one OUT endpoint form a stream: the host may
// cut them into transfers of other sizes than the recorded ones, as long as the
// bytes and their order are the same.
type Replayer struct {
	dev   *Device
	mu    sync.Mutex
	steps []Step
	pos   int // next step
	off   int // bytes of steps[pos] already moved
	err   error
}

// Replay makes d answer according to rec, replacing its control handler and the
// behaviour of all its endpoints.
func (d *Device) Replay(rec *Recording) *Replayer {
	r := &Replayer{dev: d, steps: rec.Steps}
	d.HandleControl(r.control)
	d.mu.Lock()
	eps := make([]*Endpoint, 0, len(d.endpoints))
	for _, ep := range d.endpoints {
		eps = append(eps, ep)
	}
	d.mu.Unlock()
	for _, ep := range eps {
		addr := ep.info.Address
		if addr.IsIn() {
			ep.Handle(func(ctx context.Context, p []byte) (int, error) { return r.in(ctx, addr, p) })
		} else {
			ep.Handle(func(ctx context.Context, p []byte) (int, error) { return r.out(ctx, addr, p) })
		}
	}
	return r
}

// Done reports the first divergence, or the steps the host never made.
func (r *Replayer) Done() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	if r.pos < len(r.steps) {
		s := r.steps[r.pos]
		return fmt.Errorf("%w: %d of %d steps not replayed, the first at line %d: %s", ErrMismatch, len(r.steps)-r.pos, len(r.steps), s.Line, s)
	}
	return nil
}

// Remaining returns how many steps are still to come.
func (r *Replayer) Remaining() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.steps) - r.pos
}

// current returns the next step, or nil at the end. Called with r.mu held.
func (r *Replayer) current() *Step {
	if r.pos >= len(r.steps) {
		return nil
	}
	return &r.steps[r.pos]
}

// diverge records the first mismatch. Called with r.mu held.
func (r *Replayer) diverge(format string, args ...any) error {
	if r.err == nil {
		where := "after the end of the recording"
		if s := r.current(); s != nil {
			where = fmt.Sprintf("at line %d, which has %s", s.Line, s)
		}
		r.err = fmt.Errorf("%w: %s, %s", ErrMismatch, fmt.Sprintf(format, args...), where)
	}
	return r.err
}

// advance moves past the current step and returns how it ends. Called with r.mu
// held; the fault is applied by the caller after unlocking.
func (r *Replayer) advance() Fault {
	f := r.steps[r.pos].Fault
	r.pos++
	r.off = 0
	return f
}

// finish applies a step's fault.
func (r *Replayer) finish(ctx context.Context, f Fault) error {
	if f == NoFault {
		return nil
	}
	r.dev.mu.Lock()
	gone := r.dev.gone
	r.dev.mu.Unlock()
	return (&Endpoint{dev: r.dev}).fire(ctx, gone, f)
}

func (r *Replayer) control(ctx context.Context, s usb.Setup, data []byte) (int, error) {
	r.mu.Lock()
	if r.err != nil {
		r.mu.Unlock()
		return 0, r.err
	}
	step := r.current()
	if step == nil || step.Kind != ControlStep || step.Setup != s || step.Length != len(data) {
		err := r.diverge("host sent ctrl %s %04x", s, len(data))
		r.mu.Unlock()
		return 0, err
	}
	n := 0
	if s.IsIn() {
		n = copy(data, step.Data)
	} else if !bytes.Equal(data, step.Data) {
		err := r.diverge("host sent ctrl %s with data %s", s, abbrev(data))
		r.mu.Unlock()
		return 0, err
	}
	f := r.advance()
	r.mu.Unlock()
	return n, r.finish(ctx, f)
}

func (r *Replayer) out(ctx context.Context, addr usb.EndpointAddress, p []byte) (int, error) {
	r.mu.Lock()
	if r.err != nil {
		r.mu.Unlock()
		return 0, r.err
	}
	done := 0
	for {
		step := r.current()
		if step == nil || step.Kind != OutStep || step.Endpoint != addr {
			if done == len(p) && len(p) > 0 {
				break
			}
			err := r.diverge("host wrote %d bytes to endpoint %s (%s)", len(p)-done, addr, abbrev(p[done:]))
			r.mu.Unlock()
			return done, err
		}
		rest := step.Data[r.off:]
		k := min(len(rest), len(p)-done)
		if i := firstDiff(rest[:k], p[done:done+k]); i >= 0 {
			err := r.diverge("host wrote %02x at byte %d of the step, where %02x was recorded", p[done+i], r.off+i, rest[i])
			r.mu.Unlock()
			return done + i, err
		}
		done += k
		r.off += k
		if r.off == len(step.Data) {
			if f := r.advance(); f != NoFault {
				r.mu.Unlock()
				return done, r.finish(ctx, f)
			}
		}
		if done == len(p) {
			break
		}
	}
	r.mu.Unlock()
	return done, nil
}

func firstDiff(a, b []byte) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

func (r *Replayer) in(ctx context.Context, addr usb.EndpointAddress, p []byte) (int, error) {
	r.mu.Lock()
	if r.err != nil {
		r.mu.Unlock()
		return 0, r.err
	}
	step := r.current()
	if step == nil || step.Kind != InStep || step.Endpoint != addr {
		err := r.diverge("host read endpoint %s", addr)
		r.mu.Unlock()
		return 0, err
	}
	n := copy(p, step.Data[r.off:])
	r.off += n
	f := NoFault
	if r.off == len(step.Data) {
		f = r.advance()
	}
	r.mu.Unlock()
	return n, r.finish(ctx, f)
}
