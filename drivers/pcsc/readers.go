package pcsc

// readers.go: the readers the PC/SC service knows, and their state
// (SCardListReaders, then SCardGetStatusChange without waiting).

import (
	"context"
	"slices"

	"github.com/ebfe/scard"
)

// Reader is a reader as the service reported it.
type Reader struct {
	// Name is the service's name for the reader, the one Connect takes. On
	// pcsc-lite it reads "Model [Interface] (Serial) NN SS" (ParseReaderName).
	Name string
	// Card is true when a card is in the reader.
	Card bool
	// ATR is the card's answer to reset, when there is a card.
	ATR []byte
	// InUse: another program has the card open; Exclusive: it holds it
	// exclusively, so Connect would fail with ErrBusy.
	InUse, Exclusive bool
	// Mute: the card does not answer a reset.
	Mute bool
	// Events counts insertions and removals since the service started
	// (pcsc-lite; 0 where the service does not count them).
	Events int
}

// State is how the reader is listed: "card present", "empty", "card in use by
// another program", "card mute"….
func (r Reader) State() string {
	switch {
	case !r.Card:
		return "empty"
	case r.Mute:
		return "card present, not answering"
	case r.Exclusive:
		return "card in use by another program (exclusively)"
	case r.InUse:
		return "card present, open in another program"
	}
	return "card present"
}

// Readers lists the readers the service knows, in its order. No reader is an
// empty list, not an error; no service is an error matching ErrNoService.
func Readers(ctx context.Context) ([]Reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sc, err := establish("SCardEstablishContext")
	if err != nil {
		return nil, err
	}
	defer release(sc)
	names, err := sc.ListReaders()
	if code, ok := codeOf(err); ok && code == codeNoReaders {
		return []Reader{}, nil
	}
	if err != nil {
		return nil, callError("SCardListReaders", "", err, true)
	}
	states := make([]scard.ReaderState, len(names))
	for i, n := range names {
		states[i] = scard.ReaderState{Reader: n, CurrentState: scard.StateUnaware}
	}
	if err := sc.GetStatusChange(states, 0); err != nil {
		return nil, callError("SCardGetStatusChange", "", err, true)
	}
	out := make([]Reader, 0, len(states))
	for _, st := range states {
		if st.EventState&(scard.StateUnknown|scard.StateUnavailable) != 0 {
			continue // gone between the two calls
		}
		out = append(out, readerOf(st))
	}
	return out, nil
}

// readerOf reads a reader's state flags. pcsc-lite keeps the number of card
// events in the upper 16 bits of the event state.
func readerOf(st scard.ReaderState) Reader {
	f := st.EventState
	r := Reader{
		Name:      st.Reader,
		Card:      f&scard.StatePresent != 0,
		InUse:     f&scard.StateInuse != 0,
		Exclusive: f&scard.StateExclusive != 0,
		Mute:      f&scard.StateMute != 0,
		Events:    int(uint32(f) >> 16),
	}
	if r.Card {
		r.ATR = slices.Clone(st.Atr)
	}
	return r
}
