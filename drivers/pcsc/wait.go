package pcsc

// wait.go: waiting for a card to be inserted or removed, with
// SCardGetStatusChange, given up when ctx is done (SCardCancel).

import (
	"context"
	"time"

	"github.com/ebfe/scard"
)

// waitSlice bounds one SCardGetStatusChange, so that a cancellation that
// reaches SCardCancel before the call begins still ends the wait soon.
const waitSlice = 500 * time.Millisecond

// WaitForCard returns the reader's state once a card is in it: at once when
// one already is. A reader the service does not know, or loses, is an error
// matching ccid.ErrReaderGone; no service at all, one matching ErrNoService;
// ctx done, one matching ctx.Err() (and ccid.ErrTimeout for a deadline).
func WaitForCard(ctx context.Context, reader string) (Reader, error) {
	return waitUntil(ctx, "waiting for a card", reader, func(r Reader) bool { return r.Card })
}

// WaitForRemoval returns once the reader is empty: at once when it already is.
// Errors are as for WaitForCard.
func WaitForRemoval(ctx context.Context, reader string) (Reader, error) {
	return waitUntil(ctx, "waiting for the card's removal", reader, func(r Reader) bool { return !r.Card })
}

// waitUntil waits for the reader's state to satisfy done, asking the service
// to wake it at every change.
func waitUntil(ctx context.Context, op, reader string, done func(Reader) bool) (Reader, error) {
	if ctx.Err() != nil {
		return Reader{}, ctxError(op, reader, ctx)
	}
	sc, err := establish("SCardEstablishContext")
	if err != nil {
		return Reader{}, err
	}
	defer release(sc)
	stop := context.AfterFunc(ctx, func() { _ = sc.Cancel() })
	defer stop()
	states := []scard.ReaderState{{Reader: reader, CurrentState: scard.StateUnaware}}
	for {
		if ctx.Err() != nil {
			return Reader{}, ctxError(op, reader, ctx)
		}
		err := sc.GetStatusChange(states, waitSlice)
		code, _ := codeOf(err)
		switch {
		case err == nil:
		case code == codeTimeout:
			continue // nothing changed in this slice
		case code == codeCancelled && ctx.Err() != nil:
			return Reader{}, ctxError(op, reader, ctx)
		default:
			return Reader{}, callError("SCardGetStatusChange", reader, err, true)
		}
		st := states[0]
		if st.EventState&(scard.StateUnknown|scard.StateUnavailable) != 0 {
			return Reader{}, codeError("SCardGetStatusChange", reader, codeUnknownReader, true)
		}
		if r := readerOf(st); done(r) {
			return r, nil
		}
		states[0].CurrentState = st.EventState &^ scard.StateChanged
	}
}
