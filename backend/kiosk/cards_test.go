package kiosk

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"certkiosk/backend/config"
	"certkiosk/backend/identity"
	"certkiosk/drivers/ccid"
	"certkiosk/drivers/ccid/ccidtest"
	"certkiosk/drivers/eid"
	"certkiosk/drivers/eid/eidtest"
	"certkiosk/drivers/pcsc"
	"certkiosk/drivers/pcsc/pcsctest"
	"certkiosk/drivers/usb/usbtest"
)

func TestMain(m *testing.M) {
	pcsctest.Isolate() // before the first PC/SC call: never the machine's own pcscd
	os.Exit(m.Run())
}

// idCard is a simulated Estonian ID card.
func idCard(t *testing.T, code, surname string) *eidtest.Card {
	t.Helper()
	card, err := eidtest.New(eid.PersonalData{
		Surname: surname, GivenNames: "MARI", Sex: "N", Citizenship: "EST",
		BirthDate: "1960-03-15", BirthPlace: "EST", PersonalCode: code,
		DocumentNumber: "AB0000001", Expiry: "2029-01-08",
	}, eidtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return card
}

type cardRead struct {
	p   identity.Person
	err error
}

// nextCard runs NextCard beside the test.
func nextCard(ctx context.Context, r CardSource) <-chan cardRead {
	ch := make(chan cardRead, 1)
	go func() {
		p, err := r.NextCard(ctx)
		ch <- cardRead{p, err}
	}()
	return ch
}

// The PC/SC reader against the real pcscd with vpcd's virtual reader: the card's
// holder handed over, a card left in read once, a card pulled out part way an
// error of its own and the card after it read, pcscd gone shown as offline.
func TestPCSCReader(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	d := pcsctest.Start(t)
	r := NewPCSCReader(d.Reader(0), pcsc.Options{})
	if r.ID() != d.Reader(0) || r.Name() != pcsctest.ReaderModel || r.State() != readerReady {
		t.Errorf("reader %q %q %q, want %q %q ready", r.ID(), r.Name(), r.State(), d.Reader(0), pcsctest.ReaderModel)
	}

	v := d.Insert(t, 0, pcsctest.EstEIDATR(), idCard(t, "46003150224", "TAMM"))
	p, err := r.NextCard(ctx)
	if err != nil {
		t.Fatalf("NextCard = %v\npcscd: %s", err, d.Log())
	}
	if p.Identifier.System != "urn:ee:personal-code" || p.Identifier.Value != "46003150224" || p.FamilyName != "TAMM" ||
		p.BirthDate != "1960-03-15" || p.Source != identity.SourceCard {
		t.Errorf("NextCard = %+v, want Mari Tamm from the card", p)
	}
	if r.State() != readerCardPresent {
		t.Errorf("state with the card in = %q", r.State())
	}

	// The card left in is not read again.
	next := nextCard(ctx, r)
	checkReadOnce(t, next)
	d.Remove(v, 0)

	// A card pulled out part way through the read.
	pulled := idCard(t, "38001085718", "JÕEORG")
	pulled.RemoveAfter(9)
	d.Insert(t, 0, pcsctest.EstEIDATR(), pulled)
	got := <-next
	if !errors.Is(got.err, ccid.ErrCardRemoved) || got.p.Identifier.Value != "" {
		t.Fatalf("NextCard(card pulled out) = %+v, %v; want ccid.ErrCardRemoved", got.p, got.err)
	}

	// The next card reads.
	next = nextCard(ctx, r)
	if err := d.WaitPresent(0, false, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	d.Insert(t, 0, pcsctest.EstEIDATR(), idCard(t, "38001085718", "JÕEORG"))
	got = <-next
	if got.err != nil || got.p.Identifier.Value != "38001085718" {
		t.Fatalf("NextCard after the pulled card = %+v, %v", got.p, got.err)
	}

	// SetupFrom finds the reader through the service outside demo mode.
	path, _, _ := exampleConfig(t)
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := SetupFrom(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pr, ok := s.Cards.(*PCSCReader); !ok || pr.ID() != d.Reader(0) {
		t.Errorf("SetupFrom with pcscd running: Cards = %#v, want the PC/SC reader %q", s.Cards, d.Reader(0))
	}

	// The service gone: the reader waits, offline, until the context ends.
	checkOffline(ctx, t, r, d.Stop)
}

// watchedReader is a card reader that tells its state.
type watchedReader interface {
	CardSource
	State() string
}

// checkOffline takes the reader away with gone while NextCard waits: the reader
// shows offline, and NextCard waits on until its context ends.
func checkOffline(ctx context.Context, t *testing.T, r watchedReader, gone func()) {
	t.Helper()
	short, stop := context.WithCancel(ctx)
	next := nextCard(short, r)
	gone()
	for deadline := time.Now().Add(10 * time.Second); r.State() != readerOffline; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("state after the reader went = %q, want offline", r.State())
		}
	}
	stop()
	if got := <-next; !errors.Is(got.err, context.Canceled) {
		t.Errorf("NextCard ended by its context = %v, want context.Canceled", got.err)
	}
}

// checkReadOnce checks that a card left in after its read is not read again.
func checkReadOnce(t *testing.T, next <-chan cardRead) {
	t.Helper()
	select {
	case got := <-next:
		t.Fatalf("the card left in was read again: %+v, %v", got.p, got.err)
	case <-time.After(1500 * time.Millisecond):
	}
}

// The USB CCID reader, simulated on a test bus: the card's holder handed over, a
// card left in read once, a card pulled out part way an error and the card after it
// read, the reader unplugged shown as offline.
func TestCCIDReader(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg := ccidtest.Config{VID: 0x08e6, PID: 0x3437, Level: ccid.LevelShortAPDU}
	sim := ccidtest.New(cfg)
	r := &CCIDReader{info: ccidtest.Descriptors(cfg), bus: usbtest.NewBus(sim.Device)}
	defer r.Close()
	if r.ID() != "08e6:3437" {
		t.Errorf("ID() = %q, want 08e6:3437", r.ID())
	}
	insert := func(card *eidtest.Card) {
		sim.Insert(&ccidtest.Card{ATR: ccidtest.EstEIDATR(), Answer: func(apdu []byte) []byte {
			resp, err := card.Transmit(context.Background(), apdu)
			if err != nil {
				sim.Remove() // the simulated card was pulled out
				return []byte{0x6F, 0x00}
			}
			return resp
		}})
	}

	insert(idCard(t, "46003150224", "TAMM"))
	p, err := r.NextCard(ctx)
	if err != nil || p.Identifier.Value != "46003150224" || p.Source != identity.SourceCard {
		t.Fatalf("NextCard = %+v, %v; want Mari Tamm from the card", p, err)
	}
	if r.State() != readerCardPresent {
		t.Errorf("state with the card in = %q", r.State())
	}
	next := nextCard(ctx, r)
	checkReadOnce(t, next)
	sim.Remove()

	pulled := idCard(t, "38001085718", "JÕEORG")
	pulled.RemoveAfter(9)
	insert(pulled)
	if got := <-next; got.err == nil || got.p.Identifier.Value != "" {
		t.Fatalf("NextCard(card pulled out) = %+v, %v; want an error", got.p, got.err)
	}
	next = nextCard(ctx, r)
	insert(idCard(t, "38001085718", "JÕEORG"))
	if got := <-next; got.err != nil || got.p.Identifier.Value != "38001085718" {
		t.Fatalf("NextCard after the pulled card = %+v, %v", got.p, got.err)
	}

	checkOffline(ctx, t, r, sim.Unplug)
}
