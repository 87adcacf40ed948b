package cli

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"certkiosk/backend/identity"
	"certkiosk/drivers/ccid"
	"certkiosk/drivers/ccid/ccidtest"
	"certkiosk/drivers/eid"
	"certkiosk/drivers/eid/eidtest"
	"certkiosk/drivers/usb/usbtest"
)

// inReader puts a simulated ID card into a simulated CCID reader's slot.
func inReader(t *testing.T, reader *ccidtest.Reader, card *eidtest.Card) {
	t.Helper()
	reader.Insert(&ccidtest.Card{
		ATR: ccidtest.EstEIDATR(),
		Answer: func(apdu []byte) []byte {
			resp, err := card.Transmit(context.Background(), apdu)
			if err != nil {
				reader.Remove() // the simulated card was pulled out
				return []byte{0x6F, 0x00}
			}
			return resp
		},
	})
}

func TestReadCard(t *testing.T) {
	ctx := context.Background()
	holder := eid.PersonalData{Surname: "JÕEORG", GivenNames: "JAAK-KRISTJAN", Sex: "M", Citizenship: "EST",
		BirthDate: "1980-01-08", BirthPlace: "EST", PersonalCode: "38001085718", DocumentNumber: "AB0000001", Expiry: "2028-01-08"}

	if _, err := readCard(ctx, usbtest.NewBus()); !errors.Is(err, errNoCardReader) {
		t.Errorf("readCard(no reader) = %v, want errNoCardReader", err)
	}

	reader := ccidtest.New(ccidtest.Config{Level: ccid.LevelShortAPDU})
	bus := usbtest.NewBus(reader.Device)
	if _, err := readCard(ctx, bus); err == nil || !strings.Contains(err.Error(), "no card in the card reader") {
		t.Errorf("readCard(empty reader) = %v, want no card", err)
	}

	card, err := eidtest.New(holder, eidtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inReader(t, reader, card)
	p, err := readCard(ctx, bus)
	if err != nil || p.Identifier.Value != "38001085718" || p.FamilyName != "JÕEORG" || p.Source != identity.SourceCard {
		t.Fatalf("readCard = %+v, %v", p, err)
	}

	// Pulled out half way: an error, nobody.
	card, _ = eidtest.New(holder, eidtest.Options{})
	card.RemoveAfter(9)
	inReader(t, reader, card)
	if p, err := readCard(ctx, bus); err == nil || !reflect.DeepEqual(p, identity.Person{}) {
		t.Errorf("readCard(card pulled out) = %+v, %v", p, err)
	}

	// A certificate of someone else.
	cert, _ := eidtest.Certificate(holder, "PNOEE-37605030299")
	card, _ = eidtest.New(holder, eidtest.Options{AuthCert: cert})
	inReader(t, reader, card)
	if _, err := readCard(ctx, bus); !errors.Is(err, eid.ErrCertMismatch) {
		t.Errorf("readCard(another's certificate) = %v, want eid.ErrCertMismatch", err)
	}
}
