package ccidtest

// card.go: Card, the simulated card, and its side of T=1 (ISO/IEC 7816-3 §11)
// for readers at TPDU level. The card side is written from the standard on
// its own, apart from package ccid's host side, so that each checks the other.

import (
	"slices"
	"sync"
)

// Card is a simulated card.
type Card struct {
	// ATR is the answer to reset. At TPDU level the card speaks T=1 with the
	// IFSC its ATR sets (32 when it sets none).
	ATR []byte
	// Answer plays the card application: it gets each command APDU, whole, and
	// returns the response APDU, status word included. It may remove the card
	// (Reader.Remove) to imitate a card pulled out in the middle of a command:
	// the reader then reports the card gone instead of the answer.
	Answer func(apdu []byte) []byte
	// WTX, at TPDU level, makes the card ask for a waiting time extension with
	// this multiplier before each answer.
	WTX byte
	// Mute makes the card give no answer to reset.
	Mute bool

	mu    sync.Mutex
	apdus [][]byte
}

// APDUs returns the command APDUs the card received, in order.
func (c *Card) APDUs() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([][]byte, len(c.apdus))
	for i, a := range c.apdus {
		out[i] = slices.Clone(a)
	}
	return out
}

func (c *Card) answer(apdu []byte) []byte {
	c.mu.Lock()
	c.apdus = append(c.apdus, slices.Clone(apdu))
	c.mu.Unlock()
	if c.Answer == nil {
		return []byte{0x6d, 0x00} // instruction not supported
	}
	return c.Answer(slices.Clone(apdu))
}

// EstEIDATR returns the answer to reset of the Estonian ID card issued since
// 2018: T=0 and T=1 offered, Fi/Di 512/32, IFSC 254, historical bytes with
// "SeID".
func EstEIDATR() []byte {
	return []byte{0x3b, 0xdb, 0x96, 0x00, 0x80, 0xb1, 0xfe, 0x45, 0x1f, 0x83, 0x00,
		0x12, 0x23, 0x3f, 0x53, 0x65, 0x49, 0x44, 0x0f, 0x90, 0x00, 0xf1}
}

// ifscOf finds the IFSC in an ATR: TA of the first interface group (i > 2)
// after a TD indicating T=1; 32 when there is none.
func ifscOf(atr []byte) int {
	if len(atr) < 2 {
		return 32
	}
	pos, y, group, t := 2, atr[1]>>4, 1, 0
	for pos <= len(atr) {
		var ta byte
		hasTA := y&1 != 0
		if hasTA && pos < len(atr) {
			ta = atr[pos]
		}
		if hasTA && group > 2 && t == 1 && ta != 0 && ta != 0xff {
			return int(ta)
		}
		for bit := byte(1); bit < 8; bit <<= 1 {
			if y&bit != 0 {
				pos++
			}
		}
		if y&8 == 0 || pos >= len(atr) {
			return 32
		}
		td := atr[pos]
		pos++
		y, t = td>>4, int(td&0x0f)
		group++
	}
	return 32
}

// cardT1 is the card's side of a T=1 link.
type cardT1 struct {
	ifsc     int    // the card's own
	ifsd     int    // the interface device's: 32 until it says otherwise
	ns       byte   // N(S) of the card's next I-block
	nr       byte   // N(S) expected of the next I-block received
	cmd      []byte // command received so far
	resp     []byte // response still to send
	last     []byte // last block sent, for a repeat
	awaitWTX bool   // S(WTX request) sent, its response awaited
}

func newCardT1(atr []byte) *cardT1 { return &cardT1{ifsc: ifscOf(atr), ifsd: 32} }

func lrc(p []byte) byte {
	var x byte
	for _, c := range p {
		x ^= c
	}
	return x
}

func block(pcb byte, inf []byte) []byte {
	b := append([]byte{0x00, pcb, byte(len(inf))}, inf...)
	return append(b, lrc(b))
}

// receive takes one block from the interface device and returns the card's
// answer. answer runs the application on a whole command; wtx, when not 0, is
// asked for before each response.
func (c *cardT1) receive(b []byte, answer func([]byte) []byte, wtx byte) []byte {
	if len(b) < 4 || int(b[2]) != len(b)-4 || b[2] == 0xff {
		return c.sendR(2)
	}
	if lrc(b[:len(b)-1]) != b[len(b)-1] {
		return c.sendR(1)
	}
	pcb, inf := b[1], b[3:len(b)-1]
	switch {
	case pcb&0x80 == 0: // I-block
		if pcb>>6&1 != c.nr {
			return c.repeat()
		}
		c.nr ^= 1
		c.cmd = append(c.cmd, inf...)
		if pcb&0x20 != 0 {
			return c.keep(block(0x80|c.nr<<4, nil))
		}
		c.resp = answer(c.cmd)
		c.cmd = nil
		if wtx != 0 {
			c.awaitWTX = true
			return c.keep(block(0xc3, []byte{wtx}))
		}
		return c.nextI()
	case pcb&0xc0 == 0x80: // R-block
		if pcb&0x0f == 0 && pcb>>4&1 == c.ns && len(c.resp) > 0 {
			return c.nextI() // acknowledgement of our chained block
		}
		return c.repeat()
	default: // S-block
		switch pcb {
		case 0xc1: // IFS request
			if len(inf) != 1 || inf[0] == 0 || inf[0] == 0xff {
				return c.sendR(2)
			}
			c.ifsd = int(inf[0])
			return c.keep(block(0xe1, inf))
		case 0xc0: // RESYNCH request
			c.ns, c.nr, c.ifsd, c.cmd, c.resp, c.awaitWTX = 0, 0, 32, nil, nil, false
			return c.keep(block(0xe0, nil))
		case 0xc2: // ABORT request
			c.cmd, c.resp = nil, nil
			return c.keep(block(0xe2, nil))
		case 0xe3: // WTX response
			if c.awaitWTX && len(inf) == 1 {
				c.awaitWTX = false
				return c.nextI()
			}
		}
		return c.sendR(2)
	}
}

// nextI sends the next part of the response.
func (c *cardT1) nextI() []byte {
	n := min(c.ifsd, len(c.resp))
	pcb := c.ns << 6
	if n < len(c.resp) {
		pcb |= 0x20
	}
	b := block(pcb, c.resp[:n])
	c.resp = c.resp[n:]
	c.ns ^= 1
	return c.keep(b)
}

// sendR reports a bad block; it is not kept, so that a repeat asked for later
// repeats the last good block.
func (c *cardT1) sendR(code byte) []byte { return block(0x80|c.nr<<4|code, nil) }

func (c *cardT1) repeat() []byte {
	if c.last == nil {
		return c.sendR(2)
	}
	return slices.Clone(c.last)
}

func (c *cardT1) keep(b []byte) []byte {
	c.last = slices.Clone(b)
	return b
}
