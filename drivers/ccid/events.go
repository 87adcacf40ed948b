package ccid

// events.go: Watch and Events, card insertion and removal as the reader
// reports them on its interrupt pipe (RDR_to_PC_NotifySlotChange, CCID rev 1.1
// §6.3.1), or as polling GetSlotStatus finds them on readers without one.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"certkiosk/drivers/usb"
)

// EventKind says what happened.
type EventKind int

// Event kinds.
const (
	CardInserted  EventKind = iota + 1
	CardRemoved             // the slot's session, if any, has ended
	HardwareError           // RDR_to_PC_HardwareError, e.g. an overcurrent; the card is off
	ReaderGone              // the reader was unplugged; the last event
	WatchFailed             // watching stopped for another reason, in Err; the last event
)

// String returns "card inserted", "card removed", "hardware error", "reader
// gone" or "watch failed".
func (k EventKind) String() string {
	switch k {
	case CardInserted:
		return "card inserted"
	case CardRemoved:
		return "card removed"
	case HardwareError:
		return "hardware error"
	case ReaderGone:
		return "reader gone"
	case WatchFailed:
		return "watch failed"
	}
	return "unknown"
}

// Event is a change in a slot or in the reader.
type Event struct {
	Kind EventKind
	Slot int
	Code byte  // bHardwareErrorCode, for HardwareError
	Err  error // for ReaderGone and WatchFailed
}

// String reads like "slot 0: card inserted".
func (e Event) String() string {
	switch e.Kind {
	case HardwareError:
		return fmt.Sprintf("slot %d: hardware error 0x%02x", e.Slot, e.Code)
	case ReaderGone, WatchFailed:
		return fmt.Sprintf("%s: %v", e.Kind, e.Err)
	}
	return fmt.Sprintf("slot %d: %s", e.Slot, e.Kind)
}

// Watch reports changes to fn until ctx is done (it then returns ctx.Err()),
// the reader goes away (fn hears ReaderGone and Watch returns an error matching
// ErrReaderGone) or the reader is closed. It first reports a CardInserted for
// every slot that holds a card, so the caller learns the starting state the way
// it learns changes. A removal seen here ends the slot's session at once, so
// that no APDU meant for one card reaches the next. One Watch at a time.
func (r *Reader) Watch(ctx context.Context, fn func(Event)) error {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	r.state.Lock()
	switch {
	case r.watching:
		r.state.Unlock()
		return ErrWatching
	case r.closed:
		r.state.Unlock()
		return errorf("%s: %w", r.info, usb.ErrClosed)
	}
	r.watching, r.stopW = true, stop
	r.state.Unlock()
	defer func() {
		r.state.Lock()
		r.watching, r.stopW = false, nil
		r.state.Unlock()
	}()

	present := make([]bool, len(r.slots))
	poll := func() error {
		for i, s := range r.slots {
			st, err := s.Status(ctx)
			if err != nil {
				return err
			}
			now := st.Card.Present()
			if present[i] && !now {
				s.markLost()
				fn(Event{Kind: CardRemoved, Slot: i})
			}
			if now && !present[i] {
				fn(Event{Kind: CardInserted, Slot: i})
			}
			present[i] = now
		}
		return nil
	}
	ended := func(err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, ErrReaderGone) || errors.Is(err, usb.ErrDisconnected) {
			if !errors.Is(err, ErrReaderGone) {
				r.markGone(err)
				err = ioError("interrupt", err)
			}
			fn(Event{Kind: ReaderGone, Err: err})
		}
		return err
	}
	if err := poll(); err != nil {
		return ended(err)
	}
	if r.intr != nil {
		err := r.watchInterrupt(ctx, fn, present)
		if ctx.Err() != nil || errors.Is(err, usb.ErrDisconnected) {
			return ended(err)
		}
		// The interrupt pipe failed in some other way (a stall, a timeout):
		// polling still works.
	}
	t := time.NewTicker(r.opts.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if err := poll(); err != nil {
			return ended(err)
		}
	}
}

// watchInterrupt reads NotifySlotChange and HardwareError messages until the
// pipe fails. Malformed messages are skipped.
func (r *Reader) watchInterrupt(ctx context.Context, fn func(Event), present []bool) error {
	slots := len(r.slots)
	need := 1 + (2*slots+7)/8
	buf := make([]byte, roundUp(max(need, 4), r.intr.Info().MaxPacketSize))
	first := true
	for {
		n, err := r.intr.Read(ctx, buf)
		if err != nil {
			return err
		}
		nt, err := DecodeNotification(buf[:n], slots)
		if err != nil {
			continue
		}
		if nt.Type == RDRtoPCHardwareError {
			if int(nt.Slot) < slots {
				r.slots[nt.Slot].markLost()
				fn(Event{Kind: HardwareError, Slot: int(nt.Slot), Code: nt.Code})
			}
			continue
		}
		for i := range slots {
			now, was := nt.Present[i], present[i]
			// A card out and in again between two messages shows as "present,
			// changed". Readers also set "changed" in their first message for
			// cards already there, which is no news.
			swapped := now && was && nt.Changed[i] && !first
			if was && (!now || swapped) {
				r.slots[i].markLost()
				fn(Event{Kind: CardRemoved, Slot: i})
			}
			if now && (!was || swapped) {
				fn(Event{Kind: CardInserted, Slot: i})
			}
			present[i] = now
		}
		first = false
	}
}

// Events runs Watch in a goroutine and delivers its events on a channel, which
// is closed when watching ends. When it ends for another reason than ctx, the
// last event is ReaderGone or WatchFailed.
func (r *Reader) Events(ctx context.Context) <-chan Event {
	ch := make(chan Event, 8)
	go func() {
		defer close(ch)
		send := func(e Event) {
			select {
			case ch <- e:
			case <-ctx.Done():
			}
		}
		err := r.Watch(ctx, send)
		if err != nil && ctx.Err() == nil && !errors.Is(err, ErrReaderGone) {
			send(Event{Kind: WatchFailed, Err: err})
		}
	}()
	return ch
}
