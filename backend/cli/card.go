package cli

// card.go: reading the ID card in the USB card reader, for identify --card.

import (
	"context"
	"errors"
	"fmt"

	"certkiosk/backend/identity"
	"certkiosk/drivers/ccid"
	"certkiosk/drivers/eid"
	"certkiosk/drivers/usb"
)

// errNoCardReader is --card with no smart-card reader on the USB bus.
var errNoCardReader = errors.New("no card reader attached: give --mrz or --id")

// readCard reads who the ID card in the one smart-card reader on bus belongs
// to: the reader opened (ccid), the card powered on, its personal data and
// authentication certificate read and checked against each other (eid), the
// card powered off.
func readCard(ctx context.Context, bus usb.Bus) (identity.Person, error) {
	r, err := ccid.Open(ctx, bus, usb.Match{}, ccid.Options{})
	switch {
	case errors.Is(err, usb.ErrNotFound):
		return identity.Person{}, errNoCardReader
	case errors.Is(err, usb.ErrAmbiguous):
		return identity.Person{}, fmt.Errorf("more than one card reader attached; leave one: %w", err)
	case err != nil:
		return identity.Person{}, err
	}
	defer r.Close()
	if _, err := r.PowerOn(ctx); err != nil {
		if errors.Is(err, ccid.ErrNoCard) {
			return identity.Person{}, errors.New("no card in the card reader: insert the ID card")
		}
		return identity.Person{}, err
	}
	defer r.PowerOff(context.WithoutCancel(ctx))
	return eid.ReadPerson(ctx, r)
}
