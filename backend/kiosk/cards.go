// cards.go: the real card readers a kiosk outside demo mode watches — a reader the
// PC/SC service owns (drivers/pcsc), or the USB CCID reader the kiosk drives itself
// (drivers/ccid) — each reading the Estonian ID card through drivers/eid, and which
// of them a kiosk finds.

package kiosk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"certkiosk/backend/identity"
	"certkiosk/drivers/ccid"
	"certkiosk/drivers/eid"
	"certkiosk/drivers/pcsc"
	"certkiosk/drivers/usb"
)

// The reader states the device list shows (the frontend's staff.device-state).
const (
	readerReady       = "ready"
	readerCardPresent = "card-present"
	readerOffline     = "offline"
)

// readerState is what a card reader last knew of itself, for the device list.
type readerState struct {
	mu    sync.Mutex
	state string
}

func (r *readerState) set(s string) {
	r.mu.Lock()
	r.state = s
	r.mu.Unlock()
}

// State returns "ready", "card-present" or "offline".
func (r *readerState) State() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state == "" {
		return readerReady
	}
	return r.state
}

// PCSCReader is a card reader the PC/SC service (pcscd) owns. NextCard waits for a
// card, reads its holder in an exclusive session (ended with a reset of the card),
// and hands them over; the next call first waits for that card to be taken out, so
// a card left in is read once. A reader that goes away, or a service that stops,
// is waited for: the reader shows "offline" meanwhile.
type PCSCReader struct {
	reader string
	opts   pcsc.Options
	readerState

	// in: a card was read (or tried) and has not been seen taken out yet. Only
	// NextCard, one call at a time, reads and writes it.
	in bool
}

var _ CardSource = (*PCSCReader)(nil)

// NewPCSCReader returns the reader the PC/SC service calls name.
func NewPCSCReader(name string, opts pcsc.Options) *PCSCReader {
	return &PCSCReader{reader: name, opts: opts}
}

// Name returns the reader's model, as its name says it.
func (r *PCSCReader) Name() string { return pcsc.ParseReaderName(r.reader).Model }

// ID returns the service's name for the reader.
func (r *PCSCReader) ID() string { return r.reader }

// NextCard returns the holder of the next card put in. A card pulled out during the
// read is an error matching ccid.ErrCardRemoved; the card after it reads as any.
func (r *PCSCReader) NextCard(ctx context.Context) (identity.Person, error) {
	for {
		err := r.waitForNewCard(ctx)
		if ctx.Err() != nil {
			return identity.Person{}, ctx.Err()
		}
		if err != nil {
			// Unplugged, or pcscd stopped: asked again after a while.
			r.set(readerOffline)
			r.in = false
			sleep(ctx, deviceRetry)
			continue
		}
		r.in = true
		r.set(readerCardPresent)
		return r.read(ctx)
	}
}

// waitForNewCard waits for the card read last to be taken out, then for a card.
func (r *PCSCReader) waitForNewCard(ctx context.Context) error {
	if r.in {
		if _, err := pcsc.WaitForRemoval(ctx, r.reader); err != nil {
			return err
		}
		r.in = false
		r.set(readerReady)
	}
	_, err := pcsc.WaitForCard(ctx, r.reader)
	return err
}

func (r *PCSCReader) read(ctx context.Context) (identity.Person, error) {
	c, err := pcsc.Connect(ctx, r.reader, r.opts)
	if err != nil {
		return identity.Person{}, fmt.Errorf("kiosk: card reader %s: %w", r.reader, err)
	}
	defer c.Close()
	p, err := eid.ReadPerson(ctx, c)
	if err != nil {
		return identity.Person{}, fmt.Errorf("kiosk: card reader %s: %w", r.reader, err)
	}
	return p, nil
}

// CCIDReader is a USB smart-card reader of the CCID class, driven by the kiosk
// itself (no PC/SC service runs). It is opened at the first NextCard and again after
// it was unplugged; Close releases it.
type CCIDReader struct {
	info usb.DeviceInfo
	readerState

	mu     sync.Mutex // guards what Close releases
	bus    usb.Bus    // the bus the reader is on; nil: the machine's, opened as host
	host   *usb.Host
	r      *ccid.Reader
	events <-chan ccid.Event
	stop   context.CancelFunc
	closed bool
}

var _ CardSource = (*CCIDReader)(nil)

// NewCCIDReader returns the reader found on the USB bus as info.
func NewCCIDReader(info usb.DeviceInfo) *CCIDReader { return &CCIDReader{info: info} }

// Name returns the reader's product name, or its VID:PID when it gives none.
func (c *CCIDReader) Name() string {
	if c.info.Product != "" {
		return c.info.Product
	}
	return c.ID()
}

// ID returns the reader's VID:PID.
func (c *CCIDReader) ID() string {
	return fmt.Sprintf("%04x:%04x", uint16(c.info.VID), uint16(c.info.PID))
}

// NextCard returns the holder of the next card put in; a card already in when the
// reader is opened counts as put in. A card pulled out during the read is an error
// matching ccid.ErrCardRemoved.
func (c *CCIDReader) NextCard(ctx context.Context) (identity.Person, error) {
	for {
		r, events, err := c.open(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return identity.Person{}, ctx.Err()
			}
			c.set(readerOffline)
			sleep(ctx, deviceRetry)
			continue
		}
		select {
		case <-ctx.Done():
			return identity.Person{}, ctx.Err()
		case e, ok := <-events:
			switch {
			case !ok || e.Kind == ccid.ReaderGone || e.Kind == ccid.WatchFailed:
				c.release()
				c.set(readerOffline)
				sleep(ctx, deviceRetry)
			case e.Kind == ccid.CardRemoved:
				c.set(readerReady)
			case e.Kind == ccid.CardInserted:
				c.set(readerCardPresent)
				return c.read(ctx, r)
			}
		}
	}
}

func (c *CCIDReader) read(ctx context.Context, r *ccid.Reader) (identity.Person, error) {
	if _, err := r.PowerOn(ctx); err != nil {
		return identity.Person{}, fmt.Errorf("kiosk: card reader %s: %w", c.ID(), err)
	}
	defer r.PowerOff(context.WithoutCancel(ctx))
	p, err := eid.ReadPerson(ctx, r)
	if err != nil {
		return identity.Person{}, fmt.Errorf("kiosk: card reader %s: %w", c.ID(), err)
	}
	return p, nil
}

// open opens the reader and starts watching its slot, once.
func (c *CCIDReader) open(ctx context.Context) (*ccid.Reader, <-chan ccid.Event, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, nil, ccid.ErrReaderGone
	}
	if c.r != nil {
		return c.r, c.events, nil
	}
	if c.bus == nil {
		c.host = usb.NewHost()
		c.bus = c.host
	}
	r, err := ccid.Open(ctx, c.bus, usb.Match{VID: c.info.VID, PID: c.info.PID, Serial: c.info.Serial}, ccid.Options{})
	if err != nil {
		return nil, nil, err
	}
	watch, stop := context.WithCancel(context.Background())
	c.r, c.events, c.stop = r, r.Events(watch), stop
	c.set(readerReady)
	return c.r, c.events, nil
}

// release closes the reader, to be opened again.
func (c *CCIDReader) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.r != nil {
		c.stop()
		c.r.Close()
		c.r, c.events = nil, nil
	}
}

// Close releases the reader and the USB bus.
func (c *CCIDReader) Close() error {
	c.release()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.host != nil {
		c.host.Close()
		c.host, c.bus = nil, nil
	}
	return nil
}

// readerProbe finds the card readers attached: the PC/SC service's, and the USB
// CCID readers on the bus.
type readerProbe struct {
	pcsc func(context.Context) ([]pcsc.Reader, error)
	usb  func(context.Context) ([]usb.DeviceInfo, error)
}

// systemReaders asks pcscd and the machine's USB bus.
var systemReaders = readerProbe{
	pcsc: pcsc.Readers,
	usb: func(ctx context.Context) ([]usb.DeviceInfo, error) {
		host := usb.NewHost()
		defer host.Close()
		return host.Devices(ctx)
	},
}

// probeTime bounds the look for a card reader at start-up.
const probeTime = 5 * time.Second

// findCardReader returns the card reader a kiosk watches, chosen as identify --card
// chooses: the PC/SC service's first reader when the service runs and lists one
// (it then owns the USB readers), else the one USB CCID reader on the bus, else
// none (nil).
func findCardReader(log *slog.Logger, probe readerProbe) CardSource {
	ctx, cancel := context.WithTimeout(context.Background(), probeTime)
	defer cancel()
	readers, err := probe.pcsc(ctx)
	switch {
	case err == nil && len(readers) > 0:
		if len(readers) > 1 {
			log.Warn("kiosk: more than one PC/SC card reader; the first is used", "reader", readers[0].Name, "readers", len(readers))
		}
		log.Info("kiosk: card reader through PC/SC", "reader", readers[0].Name)
		return NewPCSCReader(readers[0].Name, pcsc.Options{})
	case err != nil && !errors.Is(err, pcsc.ErrNoService):
		log.Warn("kiosk: asking pcscd for its card readers", "err", err)
	}
	devices, err := probe.usb(ctx)
	if err != nil {
		log.Warn("kiosk: listing the USB bus for card readers", "err", err)
	}
	var found []usb.DeviceInfo
	for _, d := range devices {
		if d.HasClass(usb.ClassSmartCard) {
			found = append(found, d)
		}
	}
	if len(found) == 0 {
		log.Warn("kiosk: no card reader: neither pcscd nor the USB bus has one")
		return nil
	}
	if len(found) > 1 {
		log.Warn("kiosk: more than one USB card reader; the first is used", "reader", found[0].String(), "readers", len(found))
	}
	log.Info("kiosk: USB card reader", "reader", found[0].String())
	return NewCCIDReader(found[0])
}
