package ccid

// t1.go: the block transmission protocol T=1 (ISO/IEC 7816-3 §11): blocks
// (prologue NAD PCB LEN, information field, LRC), and the link that carries an
// APDU over them with chaining, acknowledgements, waiting time extensions,
// retransmission and resynchronisation. A reader at TPDU level passes each block
// to the card in one XfrBlock and returns the card's block in the DataBlock.

import (
	"context"
	"errors"
	"fmt"
)

// BlockKind is the kind of a T=1 block, from the high bits of its PCB.
type BlockKind int

// Block kinds (§11, the PCB).
const (
	IBlock BlockKind = iota + 1 // information
	RBlock                      // receive ready: acknowledgement or request to send again
	SBlock                      // supervisory
)

// String returns "I", "R" or "S".
func (k BlockKind) String() string {
	switch k {
	case IBlock:
		return "I"
	case RBlock:
		return "R"
	case SBlock:
		return "S"
	}
	return "?"
}

// SType is the function of an S-block (PCB bits 5..1).
type SType byte

// S-block functions (§11).
const (
	SResynch  SType = 0x00
	SIFS      SType = 0x01
	SAbort    SType = 0x02
	SWTX      SType = 0x03
	SVPPError SType = 0x04 // response only
)

// String returns "RESYNCH", "IFS", "ABORT", "WTX" or "VPP error".
func (t SType) String() string {
	switch t {
	case SResynch:
		return "RESYNCH"
	case SIFS:
		return "IFS"
	case SAbort:
		return "ABORT"
	case SWTX:
		return "WTX"
	case SVPPError:
		return "VPP error"
	}
	return fmt.Sprintf("S-%02x", byte(t))
}

// R-block error indications (PCB bits 4..1).
const (
	RNoError  = 0
	REDCError = 1 // EDC or parity error
	ROther    = 2 // other error
)

// PCB bits.
const (
	pcbR        = 0x80
	pcbS        = 0xc0
	pcbISeq     = 0x40 // N(S) of an I-block
	pcbIMore    = 0x20 // M, more data follows
	pcbRSeq     = 0x10 // N(R) of an R-block
	pcbSResp    = 0x20
	maxINF      = 254
	blockPrefix = 3 // NAD, PCB, LEN
)

// Block is a T=1 block with an LRC epilogue. CRC epilogues are not supported.
type Block struct {
	NAD byte
	PCB byte
	INF []byte
}

// NewIBlock returns an I-block with send sequence number seq (0 or 1).
func NewIBlock(seq byte, more bool, inf []byte) Block {
	pcb := (seq & 1) << 6
	if more {
		pcb |= pcbIMore
	}
	return Block{PCB: pcb, INF: inf}
}

// NewRBlock returns an R-block asking for the I-block with sequence number seq,
// with an error indication (RNoError, REDCError, ROther).
func NewRBlock(seq byte, errCode byte) Block {
	return Block{PCB: pcbR | (seq&1)<<4 | errCode&0x03}
}

// NewSBlock returns an S-block request or response.
func NewSBlock(t SType, response bool, inf []byte) Block {
	pcb := pcbS | byte(t)&0x1f
	if response {
		pcb |= pcbSResp
	}
	return Block{PCB: pcb, INF: inf}
}

// Kind returns the block's kind.
func (b Block) Kind() BlockKind {
	switch {
	case b.PCB&0x80 == 0:
		return IBlock
	case b.PCB&0xc0 == pcbR:
		return RBlock
	}
	return SBlock
}

// Seq returns N(S) of an I-block or N(R) of an R-block.
func (b Block) Seq() byte {
	if b.Kind() == IBlock {
		return b.PCB >> 6 & 1
	}
	return b.PCB >> 4 & 1
}

// More reports the M bit of an I-block: the chain continues.
func (b Block) More() bool { return b.Kind() == IBlock && b.PCB&pcbIMore != 0 }

// RError returns an R-block's error indication.
func (b Block) RError() byte { return b.PCB & 0x0f }

// SType returns an S-block's function.
func (b Block) SType() SType { return SType(b.PCB & 0x1f) }

// IsResponse reports whether an S-block is a response.
func (b Block) IsResponse() bool { return b.Kind() == SBlock && b.PCB&pcbSResp != 0 }

// String describes the block, e.g. "I(1,M) 12 bytes", "R(0) EDC error", "S(WTX request 02)".
func (b Block) String() string {
	switch b.Kind() {
	case IBlock:
		m := ""
		if b.More() {
			m = ",M"
		}
		return fmt.Sprintf("I(%d%s) %d bytes", b.Seq(), m, len(b.INF))
	case RBlock:
		s := fmt.Sprintf("R(%d)", b.Seq())
		switch b.RError() {
		case REDCError:
			s += " EDC error"
		case ROther:
			s += " other error"
		}
		return s
	}
	dir := "request"
	if b.IsResponse() {
		dir = "response"
	}
	return fmt.Sprintf("S(%s %s % x)", b.SType(), dir, b.INF)
}

// LRC returns the longitudinal redundancy check of p: all bytes XORed (§11).
func LRC(p []byte) byte {
	var x byte
	for _, c := range p {
		x ^= c
	}
	return x
}

// Encode returns the block with its LRC.
func (b Block) Encode() []byte {
	out := make([]byte, 0, blockPrefix+len(b.INF)+1)
	out = append(out, b.NAD, b.PCB, byte(len(b.INF)))
	out = append(out, b.INF...)
	return append(out, LRC(out))
}

// errLRC marks a block whose check byte is wrong, which the receiver answers
// with an R-block indicating an EDC error rather than another error.
var errLRC = errors.New("LRC mismatch")

// ParseBlock parses a T=1 block with an LRC epilogue, strictly: LEN must match
// the bytes present and may not be FF, the LRC must check, the PCB must be one
// §11 defines (reserved bits clear), an R-block carries no information, an
// S(IFS) one byte from 01 to FE, an S(WTX) one byte, other S-blocks none. Errors
// wrap ErrT1. The block's INF aliases b.
func ParseBlock(b []byte) (Block, error) {
	bad := func(format string, args ...any) (Block, error) {
		return Block{}, fmt.Errorf("%w: %s", ErrT1, fmt.Sprintf(format, args...))
	}
	if len(b) < blockPrefix+1 {
		return bad("block of %d bytes, the prologue and LRC alone are 4", len(b))
	}
	n := int(b[2])
	if n > maxINF {
		return bad("LEN %02X is reserved", b[2])
	}
	if len(b) != blockPrefix+n+1 {
		return bad("LEN %d but the block has %d bytes of information", n, len(b)-blockPrefix-1)
	}
	if l := LRC(b[:len(b)-1]); l != b[len(b)-1] {
		return Block{}, fmt.Errorf("%w: %w: computed %02X, block has %02X", ErrT1, errLRC, l, b[len(b)-1])
	}
	blk := Block{NAD: b[0], PCB: b[1], INF: b[blockPrefix : blockPrefix+n]}
	switch blk.Kind() {
	case IBlock:
		if blk.PCB&0x1f != 0 {
			return bad("I-block PCB %02X has reserved bits set", blk.PCB)
		}
	case RBlock:
		if blk.PCB&0x20 != 0 || blk.PCB&0x0f > ROther {
			return bad("R-block PCB %02X is not defined", blk.PCB)
		}
		if n != 0 {
			return bad("R-block with %d bytes of information", n)
		}
	case SBlock:
		t := blk.SType()
		switch {
		case t > SVPPError || t == SVPPError && !blk.IsResponse():
			return bad("S-block PCB %02X is not defined", blk.PCB)
		case t == SIFS && (n != 1 || blk.INF[0] == 0x00 || blk.INF[0] == 0xff):
			return bad("S(IFS) must carry one byte from 01 to FE, has % X", blk.INF)
		case t == SWTX && n != 1:
			return bad("S(WTX) must carry one byte, has %d", n)
		case t != SIFS && t != SWTX && n != 0:
			return bad("S(%s) with %d bytes of information", t, n)
		}
	}
	return blk, nil
}

// blockError is what a block transfer reports when no valid block came back:
// the reader's parity or EDC error, a card that stayed mute, or bytes that do
// not parse. The link answers it with an R-block instead of giving up.
type blockError struct {
	code byte // REDCError or ROther
	err  error
}

func (e *blockError) Error() string { return e.err.Error() }
func (e *blockError) Unwrap() error { return e.err }

// blockXfer sends one block and returns the card's answer. bwi, when not 0,
// extends the reader's block waiting time for this exchange (XfrBlock bBWI).
type blockXfer func(ctx context.Context, block []byte, bwi byte) ([]byte, error)

// t1Attempts is how often the link sends a block again, or asks for one, before
// it resynchronises (§11: a block is repeated at most twice, so three
// tries in all).
const t1Attempts = 3

// maxResponseLen bounds a chained response: the longest extended response
// APDU, 65536 data bytes and the status word.
const maxResponseLen = 65536 + 2

// t1Link is the interface device's side of a T=1 link.
type t1Link struct {
	xfer     blockXfer
	ifsc     int // the card's information field size
	atrIFSC  int // IFSC of the ATR, restored by a resynchronisation
	ifsd     int // the interface device's, once the card has accepted it
	wantIFSD int
	ns       byte // N(S) of the next I-block sent
	nr       byte // N(S) expected of the card's next I-block
	broken   bool // an exchange failed half way: resynchronise before the next
}

func newT1Link(xfer blockXfer, p T1Params, ifsd int) *t1Link {
	return &t1Link{xfer: xfer, ifsc: p.IFSC, atrIFSC: p.IFSC, ifsd: 32, wantIFSD: ifsd}
}

// exchangeS sends an S-block request and waits for its response, trying again
// after a block error or an unexpected answer.
func (l *t1Link) exchangeS(ctx context.Context, t SType, inf []byte) (Block, error) {
	req := NewSBlock(t, false, inf).Encode()
	var last error
	for range t1Attempts {
		raw, err := l.xfer(ctx, req, 0)
		if err != nil {
			var be *blockError
			if !errors.As(err, &be) {
				return Block{}, err
			}
			last = err
			continue
		}
		b, err := ParseBlock(raw)
		if err != nil {
			last = err
			continue
		}
		if b.Kind() == SBlock && b.IsResponse() && b.SType() == t {
			return b, nil
		}
		last = fmt.Errorf("%w: answer %s to S(%s request)", ErrT1, b, t)
	}
	return Block{}, errorf("%w: S(%s request) not answered after %d tries: %w", ErrT1, t, t1Attempts, last)
}

// negotiateIFSD tells the card the interface device's IFSD (§11), as the
// first block after the ATR.
func (l *t1Link) negotiateIFSD(ctx context.Context) error {
	want := l.wantIFSD
	b, err := l.exchangeS(ctx, SIFS, []byte{byte(want)})
	if err != nil {
		return err
	}
	if int(b.INF[0]) != want {
		return fmt.Errorf("%w: S(IFS response) for %d instead of %d", ErrT1, b.INF[0], want)
	}
	l.ifsd = want
	return nil
}

// resync restores the link after errors it could not cure (§11): an
// S(RESYNCH) exchange resets both sequence numbers and the information field
// sizes, and the IFSD is negotiated again.
func (l *t1Link) resync(ctx context.Context) error {
	if _, err := l.exchangeS(ctx, SResynch, nil); err != nil {
		l.broken = true
		if !errors.Is(err, ErrT1) {
			return err // the reader or the card went away, or the reader failed
		}
		return errorf("T=1 resynchronisation failed, power the card on again: %w", err)
	}
	l.ns, l.nr = 0, 0
	l.ifsc, l.ifsd = l.atrIFSC, 32
	l.broken = false
	if l.wantIFSD != 32 {
		if err := l.negotiateIFSD(ctx); err != nil {
			l.broken = true
			return err
		}
	}
	return nil
}

// link phases while an APDU is exchanged.
const (
	phaseChaining  = iota // an I-block with M sent, its acknowledgement awaited
	phaseFinal            // the last I-block of the command sent, the answer awaited
	phaseReceiving        // part of a chained answer received and acknowledged
)

// transceive sends apdu in I-blocks of at most IFSC bytes and returns the
// information of the card's I-blocks, joined.
func (l *t1Link) transceive(ctx context.Context, apdu []byte) ([]byte, error) {
	if l.broken {
		if err := l.resync(ctx); err != nil {
			return nil, err
		}
	}
	off, n := 0, 0 // command bytes acknowledged, and in the I-block in flight
	nextI := func() (Block, int) {
		n = min(l.ifsc, len(apdu)-off)
		more := off+n < len(apdu)
		ph := phaseFinal
		if more {
			ph = phaseChaining
		}
		return NewIBlock(l.ns, more, apdu[off:off+n]), ph
	}
	prev, phase := nextI() // the last block that was not an error report
	send := prev
	var bwi byte
	var resp []byte
	errs := 0
	fail := func(cause error) ([]byte, error) {
		if err := l.resync(ctx); err != nil {
			if !errors.Is(err, ErrT1) {
				return nil, err
			}
			return nil, errorf("%w: %v; %w", ErrT1, cause, err)
		}
		return nil, fmt.Errorf("%w: %v; the link was resynchronised, the command may be sent again", ErrT1, cause)
	}
	for {
		raw, err := l.xfer(ctx, send.Encode(), bwi)
		bwi = 0
		var b Block
		if err == nil {
			b, err = ParseBlock(raw)
			if err != nil {
				code := byte(ROther)
				if errors.Is(err, errLRC) {
					code = REDCError
				}
				err = &blockError{code: code, err: err}
			}
		}
		if err == nil && b.Kind() == IBlock && len(b.INF) > l.ifsd {
			err = &blockError{code: ROther, err: fmt.Errorf("%w: I-block of %d bytes, IFSD is %d", ErrT1, len(b.INF), l.ifsd)}
		}
		if err != nil {
			var be *blockError
			if !errors.As(err, &be) {
				// Where the exchange stopped is unknown: resynchronise first
				// next time.
				l.broken = true
				return nil, err
			}
			if errs++; errs >= t1Attempts {
				return fail(fmt.Errorf("%d bad blocks in a row: %w", errs, be.err))
			}
			send = NewRBlock(l.nr, be.code)
			continue
		}
		switch b.Kind() {
		case IBlock:
			if phase == phaseChaining || b.Seq() != l.nr {
				if errs++; errs >= t1Attempts {
					return fail(fmt.Errorf("unexpected %s", b))
				}
				send = NewRBlock(l.nr, ROther)
				continue
			}
			if phase == phaseFinal {
				l.ns ^= 1 // the card's answer acknowledges the last I-block
			}
			l.nr ^= 1
			errs = 0
			resp = append(resp, b.INF...)
			if len(resp) > maxResponseLen {
				return fail(fmt.Errorf("chained answer longer than %d bytes", maxResponseLen))
			}
			if !b.More() {
				return resp, nil
			}
			phase = phaseReceiving
			prev = NewRBlock(l.nr, RNoError)
			send = prev
		case RBlock:
			if phase == phaseChaining && b.Seq() != l.ns && b.RError() == RNoError {
				l.ns ^= 1
				off += n
				errs = 0
				prev, phase = nextI()
				send = prev
				continue
			}
			// The card did not get the last block: send it again.
			if errs++; errs >= t1Attempts {
				return fail(fmt.Errorf("%s asked for a block %d times", b, errs))
			}
			send = prev
		case SBlock:
			if b.IsResponse() {
				if errs++; errs >= t1Attempts {
					return fail(fmt.Errorf("unexpected %s", b))
				}
				send = NewRBlock(l.nr, ROther)
				continue
			}
			switch b.SType() {
			case SWTX:
				// The card needs more time: acknowledge, and have the reader wait
				// that many block waiting times for the next block (§11).
				prev = NewSBlock(SWTX, true, []byte{b.INF[0]})
				send, bwi = prev, b.INF[0]
			case SIFS:
				l.ifsc = int(b.INF[0])
				prev = NewSBlock(SIFS, true, []byte{b.INF[0]})
				send = prev
			case SAbort:
				if _, err := l.xfer(ctx, NewSBlock(SAbort, true, nil).Encode(), 0); err != nil {
					l.broken = true
					return nil, errorf("%w: the card aborted the chain: %w", ErrT1, err)
				}
				l.broken = true
				return nil, fmt.Errorf("%w: the card aborted the chain", ErrT1)
			default: // RESYNCH is the interface device's to ask for
				if errs++; errs >= t1Attempts {
					return fail(fmt.Errorf("unexpected %s", b))
				}
				send = NewRBlock(l.nr, ROther)
			}
		}
	}
}
