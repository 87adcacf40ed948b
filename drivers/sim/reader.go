package sim

// reader.go: Reader, the simulated card reader. An Estonian ID card it holds is a
// simulated chip (package eidtest) that the kiosk reads with package eid exactly
// as it reads a real card through a CCID reader; the card of a holder from
// another country, whose chip is not simulated, hands over the holder as an
// identity.Person.

import (
	"context"
	"fmt"
	"sync"
	"time"

	"certkiosk/backend/identity"
	"certkiosk/drivers/eid"
	"certkiosk/drivers/eid/eidtest"
)

// CardEventKind says whether a card went in or came out.
type CardEventKind string

// Card event kinds.
const (
	CardInserted CardEventKind = "inserted"
	CardRemoved  CardEventKind = "removed"
)

// CardEvent is a card going into or coming out of the simulated reader.
type CardEvent struct {
	Kind CardEventKind
	// Holder is whose card it is.
	Holder Holder
	// Card is the card's chip, for an Estonian ID card: read it with
	// eid.ReadPerson. It is nil for other cards, and fails with
	// eidtest.ErrRemoved once the card is out.
	Card eid.Card
	// At is when it happened, by the simulation's clock; Seq is its place among
	// all the events of the simulation, card and scan alike; Line is the script's
	// line.
	At   time.Time
	Seq  int
	Line int
}

// CardReader is what the simulated reader offers the kiosk: card events as they
// happen, and the person on the card in the reader. *Reader implements it.
type CardReader interface {
	// Next waits for a card to go in or come out.
	Next(ctx context.Context) (CardEvent, error)
	// ReadPerson reads the card in the reader now.
	ReadPerson(ctx context.Context) (identity.Person, error)
	Close() error
}

var _ CardReader = (*Reader)(nil)

// Reader is the simulated card reader. Its methods are safe for concurrent use.
type Reader struct {
	events *queue[CardEvent]

	mu      sync.Mutex
	current *CardEvent // the insertion of the card in the reader, or nil
}

func newReader() *Reader { return &Reader{events: newQueue[CardEvent]()} }

// Name describes the reader for listings.
func (r *Reader) Name() string { return "simulated card reader" }

// Next waits for the next card event. Once the script has been played and every
// event taken it returns ErrScriptDone; after Close, ErrClosed.
func (r *Reader) Next(ctx context.Context) (CardEvent, error) {
	return r.events.next(ctx)
}

// Present returns the insertion of the card in the reader now, by the script's
// progress (not by the events taken).
func (r *Reader) Present() (CardEvent, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.current == nil {
		return CardEvent{}, false
	}
	return *r.current, true
}

// ReadPerson reads who the card in the reader belongs to: through package eid
// from the simulated chip of an Estonian ID card, directly for other cards.
func (r *Reader) ReadPerson(ctx context.Context) (identity.Person, error) {
	ev, ok := r.Present()
	if !ok {
		return identity.Person{}, ErrNoCard
	}
	if ev.Card == nil {
		return ev.Holder.Person, nil
	}
	p, err := eid.ReadPerson(ctx, ev.Card)
	if err != nil {
		return identity.Person{}, fmt.Errorf("sim: reading the card of line %d: %w", ev.Line, err)
	}
	return p, nil
}

// Close stops the reader: Next returns ErrClosed.
func (r *Reader) Close() error {
	r.events.close()
	return nil
}

// insert puts a holder's card in.
func (r *Reader) insert(h Holder, at time.Time, seq, line int) error {
	ev := CardEvent{Kind: CardInserted, Holder: h, At: at, Seq: seq, Line: line}
	if h.Estonian() {
		card, err := eidtest.New(eidtest.Holder(h.Person), eidtest.Options{})
		if err != nil {
			return fmt.Errorf("sim: line %d: making the ID card: %w", line, err)
		}
		ev.Card = card
	}
	r.mu.Lock()
	r.current = &ev
	r.mu.Unlock()
	r.events.push(ev)
	return nil
}

// remove takes the card out.
func (r *Reader) remove(at time.Time, seq, line int) {
	r.mu.Lock()
	cur := r.current
	r.current = nil
	r.mu.Unlock()
	ev := CardEvent{Kind: CardRemoved, At: at, Seq: seq, Line: line}
	if cur != nil {
		ev.Holder = cur.Holder
		if c, ok := cur.Card.(*eidtest.Card); ok {
			c.Remove()
		}
	}
	r.events.push(ev)
}
