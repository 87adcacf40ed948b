package usb_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
)

func reader(serial string) *usbtest.Device {
	return usbtest.NewDevice(usb.DeviceInfo{
		VID: 0x076b, PID: 0x3031, Serial: serial,
		Interfaces: []usb.InterfaceInfo{{Config: 1, Class: usb.ClassSmartCard, Endpoints: []usb.EndpointInfo{
			{Address: 0x02, Type: usb.Bulk, MaxPacketSize: 64},
			{Address: 0x82, Type: usb.Bulk, MaxPacketSize: 64},
			{Address: 0x83, Type: usb.Interrupt, MaxPacketSize: 8},
		}}},
	})
}

func keyboard() *usbtest.Device {
	return usbtest.NewDevice(usb.DeviceInfo{
		VID: 0x046d, PID: 0xc31c,
		Interfaces: []usb.InterfaceInfo{{Config: 1, Class: usb.ClassHID, Endpoints: []usb.EndpointInfo{{Address: 0x81, Type: usb.Interrupt, MaxPacketSize: 8}}}},
	})
}

// summary reduces events to "arrived 076b:3031/A" strings.
func summary(events []usb.Event) []string {
	var s []string
	for _, e := range events {
		d := e.Device
		s = append(s, e.Kind.String()+" "+usb.Match{VID: d.VID, PID: d.PID, Serial: d.Serial}.String())
	}
	return s
}

func TestWatcherPoll(t *testing.T) {
	ctx := context.Background()
	a, b, kbd := reader("A"), reader("B"), keyboard()
	bus := usbtest.NewBus(a, kbd)
	w := usb.NewWatcher(bus, usb.Match{Class: usb.ClassSmartCard})

	steps := []struct {
		name   string
		change func()
		want   []string
	}{
		{"first poll reports what is there", func() {}, []string{"arrived 076b:3031/A"}},
		{"nothing changed", func() {}, nil},
		{"arrival", func() { bus.Plug(b) }, []string{"arrived 076b:3031/B"}},
		{"other classes are ignored", func() { bus.Unplug(kbd) }, nil},
		{"departure", func() { bus.Unplug(a) }, []string{"departed 076b:3031/A"}},
		{"replugged between polls", func() { bus.Unplug(b); bus.Plug(b) }, []string{"departed 076b:3031/B", "arrived 076b:3031/B"}},
		{"two at once, departures first", func() { bus.Unplug(b); bus.Plug(a) }, []string{"departed 076b:3031/B", "arrived 076b:3031/A"}},
	}
	for _, s := range steps {
		s.change()
		events, err := w.Poll(ctx)
		if err != nil {
			t.Fatalf("%s: Poll() error = %v", s.name, err)
		}
		if got := summary(events); !reflect.DeepEqual(got, s.want) {
			t.Errorf("%s: Poll() = %q, want %q", s.name, got, s.want)
		}
	}
	if got := w.Devices(); len(got) != 1 || got[0].Serial != "A" {
		t.Errorf("Devices() = %v, want reader A", got)
	}
}

func TestWatcherKeepsStateOnListingError(t *testing.T) {
	ctx := context.Background()
	a := reader("A")
	bus := usbtest.NewBus(a)
	w := usb.NewWatcher(bus, usb.Match{})
	if _, err := w.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	bus.FailListing(usb.ErrIO)
	if _, err := w.Poll(ctx); !errors.Is(err, usb.ErrIO) {
		t.Fatalf("Poll() with a failing bus: error = %v, want ErrIO", err)
	}
	bus.FailListing(nil)
	events, err := w.Poll(ctx)
	if err != nil || len(events) != 0 {
		t.Errorf("Poll() after the bus recovered = %v, %v; want no change", summary(events), err)
	}
}

// steppedBus tells the test when a listing is done.
type steppedBus struct {
	*usbtest.Bus
	polled chan struct{}
}

func (b steppedBus) Devices(ctx context.Context) ([]usb.DeviceInfo, error) {
	defer func() { b.polled <- struct{}{} }()
	return b.Bus.Devices(ctx)
}

func TestWatcherRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bus := steppedBus{usbtest.NewBus(), make(chan struct{})}
	w := usb.NewWatcher(bus, usb.Match{})
	tick := make(chan time.Time)
	var interval time.Duration
	w.NewTicker = func(d time.Duration) (<-chan time.Time, func()) { interval = d; return tick, func() {} }
	var errs []error
	w.OnError = func(err error) { errs = append(errs, err) }
	events := make(chan usb.Event, 10)
	done := make(chan error)
	go func() {
		done <- w.Run(ctx, 2*time.Second, func(e usb.Event) { events <- e })
	}()
	<-bus.polled // the first poll, at once
	a := reader("A")
	bus.Plug(a)
	tick <- time.Time{}
	<-bus.polled
	bus.FailListing(usb.ErrIO)
	tick <- time.Time{}
	<-bus.polled
	bus.FailListing(nil)
	a.Unplug()
	tick <- time.Time{}
	<-bus.polled
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run() = %v, want context.Canceled", err)
	}
	close(events)
	var seen []usb.Event
	for e := range events {
		seen = append(seen, e)
	}
	if got, want := summary(seen), []string{"arrived 076b:3031/A", "departed 076b:3031/A"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Run() reported %q, want %q", got, want)
	}
	if len(errs) != 1 || !errors.Is(errs[0], usb.ErrIO) {
		t.Errorf("OnError heard %v, want one ErrIO", errs)
	}
	if interval != 2*time.Second {
		t.Errorf("ticker interval %v, want 2s", interval)
	}
}

func TestWatcherRunTicks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	bus := usbtest.NewBus()
	w := usb.NewWatcher(bus, usb.Match{})
	got := make(chan usb.Event, 1)
	go w.Run(ctx, time.Millisecond, func(e usb.Event) { got <- e; cancel() })
	bus.Plug(reader("A"))
	select {
	case e := <-got:
		if e.Kind != usb.Arrived {
			t.Errorf("event %v, want an arrival", e.Kind)
		}
	case <-ctx.Done():
		t.Fatal("no event from the real ticker")
	}
}
