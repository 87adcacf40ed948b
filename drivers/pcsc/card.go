package pcsc

// card.go: a session with the card in a reader (SCardConnect), its APDUs
// (SCardTransmit) and its end (SCardDisconnect).

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/ebfe/scard"

	"certkiosk/drivers/ccid"
)

// Mode is how a session shares the card with other programs.
type Mode int

const (
	// Exclusive (the default) keeps every other program off the card for the
	// whole session (SCARD_SHARE_EXCLUSIVE): nothing can select another file
	// between two commands of a read, and nothing can read the card while the
	// kiosk has it. Connect fails with ErrBusy while another program has the
	// card open.
	Exclusive Mode = iota
	// Shared lets other programs open the card too (SCARD_SHARE_SHARED), as a
	// desktop's middleware expects; Transaction then keeps them out for the
	// length of one read.
	Shared
)

// String names the mode.
func (m Mode) String() string {
	if m == Shared {
		return "shared"
	}
	return "exclusive"
}

// Options shape a session.
type Options struct {
	// Mode is Exclusive unless set to Shared.
	Mode Mode
	// RemovalCheck is how long a failed transmission waits for the service to
	// report the card gone before it is taken for a transmission error: the
	// service notices a removal by polling (pcsc-lite: every 400 ms). 0 means
	// 1.5 s.
	RemovalCheck time.Duration
}

// maxCommand is the longest command APDU: an extended case 4 with 65535 data
// bytes (ISO/IEC 7816-4 §5.1).
const maxCommand = 4 + 3 + 65535 + 2

// Card is a session with the card in one reader. It is a Card for package
// eid: Transmit sends one command APDU and returns the response as the card
// gave it, 61xx and 6Cxx included — eid.Transmit fetches the rest with GET
// RESPONSE and repeats a command with the corrected Le. pcscd runs the
// transmission protocol (T=0 or T=1, chosen from the ATR at Connect).
//
// Once the card is pulled out (or reset by another program) every call fails
// with an error matching ccid.ErrCardRemoved; a new session starts with
// Connect. A Card is safe for concurrent use; commands are sent one at a time.
type Card struct {
	mu     sync.Mutex
	reader string
	opts   Options
	sc     *scard.Context
	card   *scard.Card
	atr    []byte
	proto  int
	events int   // the reader's event count when the session began
	lost   error // why the session ended, once it has
}

// Connect starts a session with the card in reader: it is powered and reset
// when no other program has it open, and T=0 or T=1 is chosen as its ATR
// offers. An empty reader fails with an error matching ccid.ErrNoCard; a
// reader the service does not know with ccid.ErrReaderGone; a card another
// program holds with ErrBusy.
func Connect(ctx context.Context, reader string, opts Options) (*Card, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.RemovalCheck == 0 {
		opts.RemovalCheck = 1500 * time.Millisecond
	}
	sc, err := establish("SCardEstablishContext")
	if err != nil {
		return nil, err
	}
	mode := scard.ShareExclusive
	if opts.Mode == Shared {
		mode = scard.ShareShared
	}
	h, err := sc.Connect(reader, mode, scard.ProtocolT0|scard.ProtocolT1)
	if err != nil {
		release(sc)
		return nil, callError("SCardConnect", reader, err, true)
	}
	c := &Card{reader: reader, opts: opts, sc: sc, card: h}
	switch h.ActiveProtocol() {
	case scard.ProtocolT0:
		c.proto = 0
	case scard.ProtocolT1:
		c.proto = 1
	default: // raw or undefined: nothing Transmit could send with
		c.close(scard.LeaveCard)
		return nil, codeError("SCardConnect", reader, codeProtoMismatch, true)
	}
	st, err := h.Status()
	if err != nil {
		c.close(scard.LeaveCard)
		return nil, c.failure(ctx, "SCardStatus", err)
	}
	c.atr = slices.Clone(st.Atr)
	if r, err := readerState(sc, reader); err == nil {
		c.events = r.Events
	}
	return c, nil
}

// readerState is the reader's state now.
func readerState(sc *scard.Context, reader string) (Reader, error) {
	states := []scard.ReaderState{{Reader: reader, CurrentState: scard.StateUnaware}}
	if err := sc.GetStatusChange(states, 0); err != nil {
		return Reader{}, callError("SCardGetStatusChange", reader, err, true)
	}
	return readerOf(states[0]), nil
}

// Reader returns the name of the session's reader.
func (c *Card) Reader() string { return c.reader }

// ATR returns the card's answer to reset as the service read it (parse it with
// ccid.ParseATR).
func (c *Card) ATR() []byte { return slices.Clone(c.atr) }

// Protocol returns the transmission protocol in use: 0 for T=0, 1 for T=1.
func (c *Card) Protocol() int { return c.proto }

// Transmit sends one command APDU and returns the response APDU, SW1 SW2
// included. ctx is checked before the command is sent; a command once sent is
// waited for, as pcscd and the reader bound it by the card's waiting time.
func (c *Card) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(apdu) < 4 || len(apdu) > maxCommand {
		return nil, &Error{Op: "SCardTransmit", Reader: c.reader, Code: codeInvalidParam, Err: ErrAPDU}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lost != nil {
		return nil, c.lost
	}
	resp, err := c.card.Transmit(apdu)
	if err != nil {
		return nil, c.failure(ctx, "SCardTransmit", err)
	}
	if len(resp) < 2 {
		// vpcd, and some readers' drivers, answer "success" with no bytes for
		// a card that left mid-command.
		if c.removedWithin(ctx) {
			c.lost = removedError("SCardTransmit", c.reader, codeSuccess)
			return nil, c.lost
		}
		return nil, &Error{Op: "SCardTransmit", Reader: c.reader, Code: codeSuccess, Err: ErrAPDU}
	}
	return resp, nil
}

// Transaction runs fn with other programs kept off the card
// (SCardBeginTransaction … SCardEndTransaction): for a read of several
// commands in Shared mode. In Exclusive mode it only runs fn.
func (c *Card) Transaction(ctx context.Context, fn func() error) error {
	if c.opts.Mode != Shared {
		return fn()
	}
	c.mu.Lock()
	if c.lost != nil {
		c.mu.Unlock()
		return c.lost
	}
	err := c.card.BeginTransaction()
	if err != nil {
		err = c.failure(ctx, "SCardBeginTransaction", err)
	}
	c.mu.Unlock()
	if err != nil {
		return err
	}
	ferr := fn()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lost == nil {
		if err := c.card.EndTransaction(scard.LeaveCard); err != nil && ferr == nil {
			ferr = c.failure(ctx, "SCardEndTransaction", err)
		}
	}
	return ferr
}

// Close ends the session, resetting the card (SCARD_RESET_CARD) so that no
// PIN verified in it stays verified for the next program. A card already gone
// is no error.
func (c *Card) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sc == nil {
		return nil
	}
	err := c.close(scard.ResetCard)
	if c.lost != nil {
		err = nil
	}
	c.lost = &Error{Op: "SCardTransmit", Reader: c.reader, Code: codeInvalidHandle, Err: ErrClosed}
	return err
}

// close disconnects and releases the context.
func (c *Card) close(d scard.Disposition) error {
	err := c.card.Disconnect(d)
	release(c.sc)
	c.sc = nil
	if err != nil {
		if code, _ := codeOf(err); code == codeRemovedCard || code == codeResetCard || code == codeNoSmartcard {
			return nil
		}
		return callError("SCardDisconnect", c.reader, err, true)
	}
	return nil
}

// failure makes the error of a failed call in the session, and ends the
// session when the card turns out to be gone. A transmission that failed
// without saying why (SCARD_E_NOT_TRANSACTED: the reader's driver lost the
// card mid-command) is taken for a removal when the service reports the card
// gone, or removed and put back, within Options.RemovalCheck.
func (c *Card) failure(ctx context.Context, op string, err error) error {
	code, ok := codeOf(err)
	if !ok {
		return callError(op, c.reader, err, true)
	}
	switch code {
	case codeRemovedCard, codeResetCard:
		c.lost = removedError(op, c.reader, code)
		return c.lost
	case codeNotTransacted, codeNoSmartcard:
		if c.removedWithin(ctx) {
			c.lost = removedError(op, c.reader, code)
			return c.lost
		}
	}
	e := codeError(op, c.reader, code, true)
	if errors.Is(e, ccid.ErrReaderGone) {
		c.lost = e
	}
	return e
}

// removedWithin waits up to Options.RemovalCheck for the service to report the
// session's card gone.
func (c *Card) removedWithin(ctx context.Context) bool {
	wctx, cancel := context.WithTimeout(ctx, c.opts.RemovalCheck)
	defer cancel()
	r, err := waitUntil(wctx, "checking for the card's removal", c.reader, func(r Reader) bool {
		return !r.Card || r.Events != c.events
	})
	return err == nil && (!r.Card || r.Events != c.events)
}
