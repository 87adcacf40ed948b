package scanner

// device.go: conn, a scanner's claimed device: its interfaces and IN endpoint,
// Close that also stops a Next in progress, and the read loop the keyboard and
// serial modes share.

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"certkiosk/drivers/usb"
)

// conn is an open device with the scanner's interfaces claimed.
type conn struct {
	dev    usb.Device
	info   usb.DeviceInfo
	choice Choice
	quirk  Quirk
	intfs  []usb.Interface // claimed, released in reverse order
	in     usb.In

	// life ends when Close is called, which cancels a Next in progress.
	life context.Context
	kill context.CancelFunc
	// mu is held by Next while it reads, and by Close while it releases.
	mu     sync.Mutex
	closed bool
}

// claim claims the chosen interface (and a serial scanner's control interface).
func claim(ctx context.Context, dev usb.Device, choice Choice, q Quirk) (*conn, error) {
	c := &conn{dev: dev, info: dev.Info(), choice: choice, quirk: q}
	c.life, c.kill = context.WithCancel(context.Background())
	settings := []usb.InterfaceInfo{choice.Setting}
	if choice.Comm != nil {
		settings = append([]usb.InterfaceInfo{*choice.Comm}, settings...)
	}
	for _, s := range settings {
		intf, err := dev.Claim(ctx, s)
		if err != nil {
			c.release()
			return nil, fmt.Errorf("scanner: claim %s of %s: %w", s, c.info, err)
		}
		c.intfs = append(c.intfs, intf)
	}
	in, err := c.intfs[len(c.intfs)-1].In(choice.In.Address)
	if err != nil {
		c.release()
		return nil, fmt.Errorf("scanner: %s: %w", c.info, err)
	}
	c.in = in
	return c, nil
}

// release gives the interfaces back, leaving the device open.
func (c *conn) release() {
	c.kill()
	for i := len(c.intfs) - 1; i >= 0; i-- {
		c.intfs[i].Release()
	}
	c.intfs = nil
}

// Info describes the device as it was opened.
func (c *conn) Info() usb.DeviceInfo { return c.info }

// Interface returns the interface the scanner is read through.
func (c *conn) Interface() Choice { return c.choice }

// Quirk returns the model's entry in the quirks table, if it has one.
func (c *conn) Quirk() (Quirk, bool) { return c.quirk, c.quirk.Model != "" }

// Close releases the interfaces and the device. A Next in progress returns
// ErrClosed first.
func (c *conn) Close() error {
	c.kill()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	c.release()
	return c.dev.Close()
}

// begin starts a Next: it takes the lock and returns a context that ends with
// ctx or with Close. end must be called when Next returns.
func (c *conn) begin(ctx context.Context) (context.Context, func(), error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, nil, ErrClosed
	}
	bound, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(c.life, cancel)
	return bound, func() {
		stop()
		cancel()
		c.mu.Unlock()
	}, nil
}

// readError describes a failed read: ErrClosed when Close stopped it, and
// ErrIncomplete as well when a scan was in progress.
func (c *conn) readError(err error, pending int) error {
	if c.life.Err() != nil {
		err = ErrClosed
	}
	if pending > 0 {
		return fmt.Errorf("%w after %d bytes from %s: %w", ErrIncomplete, pending, c.info, err)
	}
	if errors.Is(err, ErrClosed) {
		return err
	}
	return fmt.Errorf("scanner: %s: %w", c.info, err)
}

// lastLookTime bounds the read that confirms a stream has gone quiet.
const lastLookTime = 10 * time.Millisecond

// lastLook reads once more, briefly, after a read's deadline passed: the
// deadline may have passed while this process was not running (a busy machine)
// rather than while the scanner was silent, and then the data is waiting.
func (c *conn) lastLook(ctx context.Context, buf []byte) (int, error) {
	lctx, cancel := context.WithTimeout(ctx, lastLookTime)
	defer cancel()
	return c.in.Read(lctx, buf)
}

// quiet reports whether a read ended because its own deadline passed (the stream
// stayed quiet), not because the caller's context ended.
func quiet(err error, caller context.Context) bool {
	return errors.Is(err, context.DeadlineExceeded) && caller.Err() == nil
}

// nextFromStream is the read loop of the keyboard and serial modes: read
// transfers, turn each into bytes with decode, and feed them to fr until it holds
// a complete scan.
func (c *conn) nextFromStream(ctx context.Context, fr *framer, buf []byte, decode func(dst, p []byte) ([]byte, error)) ([]byte, error) {
	ctx, end, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer end()
	var chars []byte
	for {
		if scan, ok, err := fr.take(); ok {
			if err != nil {
				return nil, fmt.Errorf("scanner: %s: %w", c.info, err)
			}
			return scan, nil
		}
		rctx, cancel := ctx, context.CancelFunc(func() {})
		if wait := fr.wait(); wait > 0 {
			rctx, cancel = context.WithTimeout(ctx, wait)
		}
		n, err := c.in.Read(rctx, buf)
		cancel()
		if err != nil && quiet(err, ctx) {
			if n, err = c.lastLook(ctx, buf); err != nil && quiet(err, ctx) {
				fr.quiet()
				continue
			}
		}
		if err != nil {
			pending := fr.pending()
			fr.discard()
			return nil, c.readError(err, pending)
		}
		if chars, err = decode(chars[:0], buf[:n]); err != nil {
			return nil, fmt.Errorf("scanner: %s: %w", c.info, err)
		}
		fr.write(chars)
	}
}
