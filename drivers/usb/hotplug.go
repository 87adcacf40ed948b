package usb

// hotplug.go: Watcher, a poll-based report of devices arriving and leaving. libusb's
// own hot-plug callbacks are not available on every platform gousb supports, and a
// poll every second or so is plenty for a person walking up with a card.

import (
	"context"
	"time"
)

// EventKind says whether a device came or went.
type EventKind int

// Event kinds.
const (
	Arrived EventKind = iota + 1
	Departed
)

// String returns "arrived" or "departed".
func (k EventKind) String() string {
	switch k {
	case Arrived:
		return "arrived"
	case Departed:
		return "departed"
	}
	return "unknown"
}

// Event is one device arriving or departing.
type Event struct {
	Kind   EventKind
	Device DeviceInfo
}

// Watcher compares successive listings of a bus. Its first poll reports every
// device already attached as arrived, so a caller learns the starting set the
// same way as later changes. A Watcher is used by one goroutine at a time.
type Watcher struct {
	bus   Bus
	match Match
	known map[string]DeviceInfo
	// OnError, when set, hears about listings that failed; the watcher keeps the
	// devices it knew and tries again at the next poll.
	OnError func(error)
	// NewTicker, when set, replaces time.NewTicker in Run: it returns a channel
	// ticking every d and a function that stops it. Tests tick by hand.
	NewTicker func(d time.Duration) (<-chan time.Time, func())
}

// NewWatcher watches the devices on bus that m matches (the zero Match for all).
func NewWatcher(bus Bus, m Match) *Watcher {
	return &Watcher{bus: bus, match: m}
}

// Poll lists the bus once and returns what changed since the previous poll:
// departures first, then arrivals, each in bus order. A device unplugged and
// plugged in again between two polls shows as a departure and an arrival, since
// it has a new address.
func (w *Watcher) Poll(ctx context.Context) ([]Event, error) {
	list, err := w.bus.Devices(ctx)
	if err != nil {
		return nil, err
	}
	now := make(map[string]DeviceInfo, len(list))
	for _, d := range list {
		if w.match.Matches(d) {
			now[d.Key()] = d
		}
	}
	var gone, came []DeviceInfo
	for k, d := range w.known {
		if _, ok := now[k]; !ok {
			gone = append(gone, d)
		}
	}
	for k, d := range now {
		if _, ok := w.known[k]; !ok {
			came = append(came, d)
		}
	}
	w.known = now
	sortDevices(gone)
	sortDevices(came)
	events := make([]Event, 0, len(gone)+len(came))
	for _, d := range gone {
		events = append(events, Event{Kind: Departed, Device: d})
	}
	for _, d := range came {
		events = append(events, Event{Kind: Arrived, Device: d})
	}
	return events, nil
}

// Devices returns the matching devices seen at the last successful poll.
func (w *Watcher) Devices() []DeviceInfo {
	list := make([]DeviceInfo, 0, len(w.known))
	for _, d := range w.known {
		list = append(list, d)
	}
	sortDevices(list)
	return list
}

// Run polls at once and then every interval, calling fn with each event, until
// ctx is done; it then returns ctx.Err().
func (w *Watcher) Run(ctx context.Context, interval time.Duration, fn func(Event)) error {
	newTicker := w.NewTicker
	if newTicker == nil {
		newTicker = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		}
	}
	tick, stop := newTicker(interval)
	defer stop()
	for {
		events, err := w.Poll(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if w.OnError != nil {
				w.OnError(err)
			}
		}
		for _, e := range events {
			fn(e)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick:
		}
	}
}
