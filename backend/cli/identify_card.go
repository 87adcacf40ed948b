package cli

// identify_card.go: which reader stack identify --card reads the ID card
// through — the PC/SC service's readers when pcscd is running and knows one
// (it then owns the USB readers), else the USB CCID reader directly.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"certkiosk/backend/identity"
	"certkiosk/drivers/ccid"
	"certkiosk/drivers/eid"
	"certkiosk/drivers/pcsc"
	"certkiosk/drivers/usb"
)

// errNoCardInReader is --card with readers but no card in any of them.
var errNoCardInReader = errors.New("no card in the card reader: insert the ID card")

// readAnyCard reads the ID card through the PC/SC service when it runs and has
// a reader, and from the USB bus otherwise.
func readAnyCard(ctx context.Context, bus usb.Bus) (identity.Person, error) {
	readers, err := pcsc.Readers(ctx)
	switch {
	case errors.Is(err, pcsc.ErrNoService):
		return readCard(ctx, bus)
	case err != nil:
		return identity.Person{}, fmt.Errorf("asking pcscd for its card readers: %w", err)
	case len(readers) == 0:
		return readCard(ctx, bus)
	}
	return readCardPCSC(ctx, readers)
}

// readCardPCSC reads the ID card in the one PC/SC reader holding a card: an
// exclusive session, so nothing else on the machine talks to the card during
// the read, ended with a reset of the card.
func readCardPCSC(ctx context.Context, readers []pcsc.Reader) (identity.Person, error) {
	var withCard []string
	for _, r := range readers {
		if r.Card {
			withCard = append(withCard, r.Name)
		}
	}
	switch len(withCard) {
	case 0:
		return identity.Person{}, errNoCardInReader
	case 1:
	default:
		return identity.Person{}, fmt.Errorf("cards in %d readers (%s): leave one", len(withCard), strings.Join(withCard, ", "))
	}
	c, err := pcsc.Connect(ctx, withCard[0], pcsc.Options{})
	switch {
	case errors.Is(err, ccid.ErrNoCard):
		return identity.Person{}, errNoCardInReader // taken out since the listing
	case errors.Is(err, pcsc.ErrBusy):
		return identity.Person{}, fmt.Errorf("the card reader is in use by another program: %w", err)
	case err != nil:
		return identity.Person{}, err
	}
	defer c.Close()
	return eid.ReadPerson(ctx, c)
}
