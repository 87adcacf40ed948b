// devices.go: the card reader and the scanner a kiosk watches beside the screen,
// whatever drives them: a real reader reads the card through its driver and hands
// over the person; a scanner hands over what it read.

package kiosk

import (
	"context"
	"time"

	"certkiosk/backend/identity"
)

// CardSource is a card reader the kiosk watches. NextCard waits for the next card to
// go in and reads who it belongs to through the card's driver (drivers/pcsc or
// drivers/ccid, then drivers/eid); an error other than ctx's shows the resident
// "card-unreadable". Name and ID describe the reader in the device list (ID: its
// VID:PID or PC/SC name).
type CardSource interface {
	Name() string
	ID() string
	NextCard(ctx context.Context) (identity.Person, error)
}

// ScanSource is a scanner the kiosk watches; a drivers/scanner.Scanner is one. Next
// waits for the next scan and returns what the scanner sent.
type ScanSource interface {
	Next(ctx context.Context) ([]byte, error)
}

// deviceRetry is the wait after a device failed, before it is asked again.
const deviceRetry = time.Second

// watchCards starts a session for each card that goes into the reader, until ctx
// ends.
func (a *App) watchCards(ctx context.Context, src CardSource) {
	for {
		p, err := src.NextCard(ctx)
		if ctx.Err() != nil {
			return
		}
		a.mu.Lock()
		a.touchLocked()
		if a.canIdentifyLocked() == nil {
			a.beginLocked(func(context.Context) (identity.Person, error) {
				if err != nil {
					return identity.Person{}, failure("card-unreadable", err)
				}
				return p, nil
			}, noActor)
		}
		a.mu.Unlock()
		if err != nil {
			a.log.Warn("kiosk: card not read", "reader", src.Name())
			sleep(ctx, deviceRetry)
		}
	}
}

// watchScans handles each scan of the scanner, until ctx ends.
func (a *App) watchScans(ctx context.Context, src ScanSource) {
	for {
		data, err := src.Next(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			a.log.Warn("kiosk: scanner", "err", err)
			sleep(ctx, deviceRetry)
			continue
		}
		a.scan(data)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
