package pcsc_test

import (
	"context"
	"errors"
	"fmt"

	"certkiosk/drivers/ccid"
	"certkiosk/drivers/eid"
	"certkiosk/drivers/pcsc"
)

// The kiosk's loop over one reader: wait for a card, read the person in an
// exclusive session, wait for the card to be taken out. A card pulled out part
// way is told apart from a reader gone, which ends the loop.
func ExampleWaitForCard() {
	ctx := context.Background()
	readers, err := pcsc.Readers(ctx)
	if errors.Is(err, pcsc.ErrNoService) || len(readers) == 0 {
		fmt.Println("no PC/SC reader: use the USB reader or the simulated one")
		return
	}
	reader := readers[0].Name
	for {
		if _, err := pcsc.WaitForCard(ctx, reader); err != nil {
			fmt.Println(err) // ccid.ErrReaderGone: unplugged, or pcscd stopped
			return
		}
		c, err := pcsc.Connect(ctx, reader, pcsc.Options{})
		if err == nil {
			p, err := eid.ReadPerson(ctx, c)
			c.Close()
			switch {
			case errors.Is(err, ccid.ErrCardRemoved):
				fmt.Println("the card was taken out too soon: insert it again")
			case err != nil:
				fmt.Println("not read:", err)
			default:
				fmt.Println("read", p.Identifier.System)
			}
		}
		if _, err := pcsc.WaitForRemoval(ctx, reader); err != nil {
			return
		}
	}
}
