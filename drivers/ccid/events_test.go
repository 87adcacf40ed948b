package ccid_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"certkiosk/drivers/ccid"
	"certkiosk/drivers/ccid/ccidtest"
	"certkiosk/drivers/usb"
)

// next returns the next event, failing the test when none comes in time.
func next(t *testing.T, ch <-chan ccid.Event) ccid.Event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("event channel closed")
		}
		return e
	case <-time.After(2 * time.Second):
		t.Fatal("no event")
	}
	return ccid.Event{}
}

func expect(t *testing.T, ch <-chan ccid.Event, kind ccid.EventKind, slot int) ccid.Event {
	t.Helper()
	e := next(t, ch)
	if e.Kind != kind || e.Slot != slot {
		t.Fatalf("event %v, want slot %d: %v", e, slot, kind)
	}
	return e
}

func TestEvents(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  ccidtest.Config
	}{
		{"interrupt", ccidtest.Config{Level: ccid.LevelShortAPDU}},
		{"polling", ccidtest.Config{Level: ccid.LevelShortAPDU, NoInterrupt: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rg := newRig(t, tc.cfg, ccid.Options{PollInterval: 5 * time.Millisecond})
			fc := newFileCard()
			rg.fake.Insert(fc.card())
			ch := rg.reader.Events(ctx)
			expect(t, ch, ccid.CardInserted, 0) // the card already there

			if _, err := rg.reader.PowerOn(ctx); err != nil {
				t.Fatal(err)
			}
			rg.fake.Remove()
			expect(t, ch, ccid.CardRemoved, 0)
			sent := len(rg.fake.Commands())
			if _, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 01 0C 02 50 00")); !errors.Is(err, ccid.ErrCardRemoved) {
				t.Errorf("Transmit after the removal event = %v, want ErrCardRemoved", err)
			}
			if len(rg.fake.Commands()) != sent {
				t.Error("Transmit after the removal event talked to the reader")
			}

			rg.fake.Insert(fc.card())
			expect(t, ch, ccid.CardInserted, 0)
			if _, err := rg.reader.PowerOn(ctx); err != nil {
				t.Fatal(err)
			}
			if resp, err := selectAndRead(ctx, t, rg.reader, "5001"); err != nil || string(resp) != "JÕEORG\x90\x00" {
				t.Fatalf("read after reinsertion = %q, %v", resp, err)
			}

			rg.fake.Unplug()
			e := next(t, ch)
			if e.Kind != ccid.ReaderGone || !errors.Is(e.Err, ccid.ErrReaderGone) {
				t.Fatalf("event %v, want reader gone", e)
			}
			if _, ok := <-ch; ok {
				t.Error("events after reader gone")
			}
			if _, err := rg.reader.Status(ctx); !errors.Is(err, ccid.ErrReaderGone) {
				t.Errorf("Status() = %v, want ErrReaderGone", err)
			}
		})
	}
}

// TestEventsSwap puts another card in while a session runs: the interrupt
// message says "present, changed", which ends the session.
func TestEventsSwap(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelExtendedAPDU}, ccid.Options{})
	rg.fake.Insert(newFileCard().card())
	ch := rg.reader.Events(ctx)
	expect(t, ch, ccid.CardInserted, 0)
	// The reader's first interrupt message reports the card as changed; that
	// is no news.
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	rg.fake.Insert(newFileCard().card())
	expect(t, ch, ccid.CardRemoved, 0)
	expect(t, ch, ccid.CardInserted, 0)
	if _, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 01 0C 02 50 00")); !errors.Is(err, ccid.ErrCardRemoved) {
		t.Errorf("Transmit after a swap = %v, want ErrCardRemoved", err)
	}
}

func TestEventsHardwareError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelShortAPDU}, ccid.Options{})
	rg.fake.Insert(newFileCard().card())
	ch := rg.reader.Events(ctx)
	expect(t, ch, ccid.CardInserted, 0)
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	rg.fake.Overcurrent(0)
	if e := expect(t, ch, ccid.HardwareError, 0); e.Code != ccid.HardwareOvercurrent {
		t.Errorf("hardware error code %02x", e.Code)
	}
	if _, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 01 0C 02 50 00")); !errors.Is(err, ccid.ErrCardRemoved) {
		t.Errorf("Transmit after an overcurrent = %v, want ErrCardRemoved", err)
	}
}

func TestWatchOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelShortAPDU}, ccid.Options{})
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- rg.reader.Watch(ctx, func(ccid.Event) {})
	}()
	go func() {
		// Watch has started once its first GetSlotStatus went out.
		for len(rg.fake.Commands()) == 0 {
			time.Sleep(time.Millisecond)
		}
		close(started)
	}()
	<-started
	time.Sleep(10 * time.Millisecond)
	if err := rg.reader.Watch(ctx, func(ccid.Event) {}); !errors.Is(err, ccid.ErrWatching) {
		t.Errorf("second Watch = %v, want ErrWatching", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Watch after cancel = %v", err)
	}

	// Close ends a running Watch.
	go func() { done <- rg.reader.Watch(context.Background(), func(ccid.Event) {}) }()
	time.Sleep(10 * time.Millisecond)
	rg.reader.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Watch ended without an error")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not end Watch")
	}
	if err := rg.reader.Watch(context.Background(), func(ccid.Event) {}); !errors.Is(err, usb.ErrClosed) {
		t.Errorf("Watch after Close = %v, want usb.ErrClosed", err)
	}
}
