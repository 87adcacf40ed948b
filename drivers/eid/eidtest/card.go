package eidtest

// card.go: Card, the simulated card, and its command processing.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"certkiosk/drivers/eid"
)

// ErrRemoved is what Transmit returns once the card has been pulled out.
var ErrRemoved = errors.New("eidtest: card removed")

// Options shape the simulated card.
type Options struct {
	// Layout is the card generation; LayoutUnknown means LayoutIDEMIA.
	Layout eid.Layout
	// AuthCert is the DER of the authentication certificate; nil means one made
	// by AuthCertificate for the holder.
	AuthCert []byte
	// PIN1 is the authentication PIN; empty means "1234".
	PIN1 string
	// PINTries is how many wrong PINs block PIN1; 0 means 3.
	PINTries int
	// Chunk, when not 0, makes the card answer with at most Chunk data bytes at a
	// time, the rest announced with 61xx and fetched with GET RESPONSE.
	Chunk int
	// WrongLe makes the card answer a READ BINARY past the end of the file with
	// 6Cxx (the bytes left) instead of those bytes and 6282.
	WrongLe bool
	// Fields replaces the bytes of personal data fields, keyed by field number:
	// n is EF 5000+n, or record n of EstEID 3.x. For cards with faults. A nil
	// value leaves the EF out, or ends the record file before record n.
	Fields map[int][]byte
}

// Card is a simulated Estonian ID card in a reader. It is safe for concurrent
// use.
type Card struct {
	mu sync.Mutex

	mf      *node
	pin1Ref byte
	pin1    []byte // as VERIFY must carry it, padded
	chunk   int
	wrongLe bool

	cur      *node // the current DF
	ef       *node // the current EF, nil if none
	pending  []byte
	tries    int
	maxTries int
	verified bool

	removed   bool
	failAfter int // APDUs to answer before the card is pulled out; -1: never
	count     int
}

var _ eid.Card = (*Card)(nil)

// New makes a card for holder.
func New(holder eid.PersonalData, o Options) (*Card, error) {
	if o.Layout == eid.LayoutUnknown {
		o.Layout = eid.LayoutIDEMIA
	}
	if o.PIN1 == "" {
		o.PIN1 = "1234"
	}
	if o.PINTries == 0 {
		o.PINTries = 3
	}
	if o.AuthCert == nil {
		cert, err := AuthCertificate(holder)
		if err != nil {
			return nil, err
		}
		o.AuthCert = cert
	}
	mf, err := buildFiles(o.Layout, holder, o.AuthCert, o.Fields)
	if err != nil {
		return nil, err
	}
	c := &Card{
		mf:       mf,
		pin1Ref:  0x01,
		pin1:     []byte(o.PIN1),
		chunk:    o.Chunk,
		wrongLe:  o.WrongLe,
		tries:    o.PINTries,
		maxTries: o.PINTries,
	}
	if f, ok := o.Layout.PIN1(); ok {
		c.pin1Ref = f.Ref
		for len(c.pin1) < f.PadTo {
			c.pin1 = append(c.pin1, f.PadByte)
		}
	}
	c.reset()
	return c, nil
}

// reset is the card powered up: the MF selected, nothing pending, no PIN
// verified.
func (c *Card) reset() {
	c.cur, c.ef, c.pending, c.verified = c.mf, nil, nil, false
	c.failAfter = -1
}

// Remove pulls the card out: Transmit fails with ErrRemoved until Insert.
func (c *Card) Remove() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removed = true
}

// RemoveAfter pulls the card out after it has answered n more APDUs.
func (c *Card) RemoveAfter(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failAfter = n
}

// Insert puts the card back, powered up afresh. The PIN try counter is kept, as
// the card keeps it.
func (c *Card) Insert() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removed = false
	c.reset()
}

// Transmits returns how many APDUs the card has answered.
func (c *Card) Transmits() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count
}

// PINTriesLeft returns how many tries PIN1 has left.
func (c *Card) PINTriesLeft() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tries
}

// Transmit answers one command APDU.
func (c *Card) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failAfter == 0 {
		c.removed, c.failAfter = true, -1
	}
	if c.removed {
		return nil, ErrRemoved
	}
	if c.failAfter > 0 {
		c.failAfter--
	}
	c.count++
	cmd, err := eid.ParseCommand(apdu)
	if err != nil {
		return sw(eid.SWWrongLength), nil
	}
	defer clear(cmd.Data) // a copy of a PIN, perhaps
	if cmd.INS == 0xC0 {
		return c.getResponse(cmd), nil
	}
	c.pending = nil
	if cmd.CLA&0xFC != 0 {
		return sw(eid.SWCLANotSupported), nil
	}
	var data []byte
	var status eid.SW
	switch cmd.INS {
	case 0xA4:
		data, status = c.selectFile(cmd)
	case 0xB0:
		data, status = c.readBinary(cmd)
	case 0xB2:
		data, status = c.readRecord(cmd)
	case 0x20:
		status = c.verify(cmd)
	default:
		status = eid.SWINSNotSupported
	}
	return c.answer(cmd, data, status), nil
}

// answer sends data as the command's Ne and the card's chunk size allow: no
// Le with data to give is 61xx (as under T=0); more data than the chunk size
// goes out in pieces through GET RESPONSE.
func (c *Card) answer(cmd eid.Command, data []byte, status eid.SW) []byte {
	if len(data) == 0 || !status.OK() {
		return append(data, status.SW1(), status.SW2())
	}
	if cmd.Ne == 0 {
		c.pending = data
		return sw(more(len(data)))
	}
	if cmd.Ne < len(data) {
		return sw(eid.SW(0x6C00 | len(data)&0xFF))
	}
	if c.chunk > 0 && len(data) > c.chunk {
		c.pending = data[c.chunk:]
		return append(append([]byte(nil), data[:c.chunk]...), 0x61, byte(min(len(c.pending), 256)))
	}
	return append(data, status.SW1(), status.SW2())
}

// getResponse gives the next piece of a pending answer.
func (c *Card) getResponse(cmd eid.Command) []byte {
	switch {
	case len(c.pending) == 0 || cmd.P1 != 0 || cmd.P2 != 0:
		return sw(eid.SWConditionsNotMet)
	case cmd.Ne == 0:
		return sw(eid.SWWrongLength)
	}
	n := min(cmd.Ne, len(c.pending))
	if c.chunk > 0 {
		n = min(n, c.chunk)
	}
	out := append([]byte(nil), c.pending[:n]...)
	c.pending = c.pending[n:]
	if len(c.pending) > 0 {
		s := more(len(c.pending))
		return append(out, s.SW1(), s.SW2())
	}
	c.pending = nil
	return append(out, 0x90, 0x00)
}

// more is 61xx for n bytes to come.
func more(n int) eid.SW { return eid.SW(0x6100 | min(n, 256)&0xFF) }

func sw(s eid.SW) []byte { return []byte{s.SW1(), s.SW2()} }

// selectFile carries out SELECT (ISO/IEC 7816-4 §11.2.2).
func (c *Card) selectFile(cmd eid.Command) ([]byte, eid.SW) {
	var n *node
	switch eid.SelectBy(cmd.P1) {
	case eid.ByFID:
		switch {
		case len(cmd.Data) == 0:
			n = c.mf
		case len(cmd.Data) == 2:
			n = c.byFID(fidOf(cmd.Data))
		default:
			return nil, eid.SWWrongData
		}
	case eid.ChildDF, eid.ChildEF:
		if len(cmd.Data) != 2 {
			return nil, eid.SWWrongData
		}
		n = c.cur.child(fidOf(cmd.Data))
		if n != nil && n.df != (cmd.P1 == byte(eid.ChildDF)) {
			n = nil
		}
	case eid.ParentDF:
		n = c.cur.parent
	case eid.ByDFName:
		n = c.mf.byName(cmd.Data)
	case eid.PathFromMF, eid.PathFromCurrent:
		if len(cmd.Data) == 0 || len(cmd.Data)%2 != 0 {
			return nil, eid.SWWrongData
		}
		from := c.cur
		path := cmd.Data
		if cmd.P1 == byte(eid.PathFromMF) || fidOf(path) == 0x3F00 {
			// A path from the current DF that starts with the MF is taken from
			// the MF, as IDEMIA cards do.
			from = c.mf
			if fidOf(path) == 0x3F00 {
				path = path[2:]
			}
		}
		n = from
		for ; len(path) > 0 && n != nil; path = path[2:] {
			n = n.child(fidOf(path))
		}
	default:
		return nil, eid.SWWrongP1P2
	}
	if n == nil {
		return nil, eid.SWFileNotFound
	}
	var answer []byte
	switch eid.Answer(cmd.P2) {
	case eid.NoAnswer:
	case eid.WithFCP:
		answer = eid.AppendTLV(nil, eid.TagFCP, n.fcp())
	case eid.WithFCI:
		answer = eid.AppendTLV(nil, eid.TagFCI, n.fcp())
	case eid.WithFMD:
		var v []byte
		if n.aid != nil {
			v = eid.AppendTLV(nil, eid.TagDFName, n.aid)
		}
		answer = eid.AppendTLV(nil, eid.TagFMD, v)
	default:
		return nil, eid.SWWrongP1P2
	}
	if n.df {
		c.cur, c.ef = n, nil
	} else {
		c.cur, c.ef = n.parent, n
	}
	return answer, eid.SWOK
}

// byFID finds a file by identifier as P1 = 00 does: the MF, a child of the
// current DF, the current DF itself or its parent.
func (c *Card) byFID(fid uint16) *node {
	switch {
	case fid == c.mf.fid:
		return c.mf
	case c.cur.child(fid) != nil:
		return c.cur.child(fid)
	case fid == c.cur.fid:
		return c.cur
	case c.cur.parent != nil && c.cur.parent.fid == fid:
		return c.cur.parent
	}
	return nil
}

// readBinary carries out READ BINARY (ISO/IEC 7816-4 §11.3.3), offsets in P1-P2.
func (c *Card) readBinary(cmd eid.Command) ([]byte, eid.SW) {
	switch {
	case cmd.P1&0x80 != 0:
		return nil, eid.SWFunctionNotSupported // short EF identifiers: not on this card
	case c.ef == nil:
		return nil, eid.SWNoCurrentEF
	case c.ef.records != nil:
		return nil, 0x6981
	case cmd.Ne == 0:
		return nil, eid.SWWrongLength
	}
	off := int(cmd.P1)<<8 | int(cmd.P2)
	data := c.ef.data
	if off >= len(data) {
		return nil, eid.SWOffsetOutside
	}
	left := len(data) - off
	if cmd.Ne <= left {
		return bytes.Clone(data[off : off+cmd.Ne]), eid.SWOK
	}
	if c.wrongLe {
		return nil, eid.SW(0x6C00 | left&0xFF)
	}
	// Data with a warning: answer sends it with 6282.
	return bytes.Clone(data[off:]), eid.SWEndOfFile
}

// readRecord carries out READ RECORD with P2 = 04 (ISO/IEC 7816-4 §11.4.3).
func (c *Card) readRecord(cmd eid.Command) ([]byte, eid.SW) {
	switch {
	case c.ef == nil:
		return nil, eid.SWNoCurrentEF
	case c.ef.records == nil:
		return nil, 0x6981
	case cmd.P2 != 0x04:
		return nil, eid.SWWrongP1P2
	case cmd.P1 == 0 || int(cmd.P1) > len(c.ef.records):
		return nil, eid.SWRecordNotFound
	}
	r := c.ef.records[cmd.P1-1]
	if cmd.Ne < len(r) {
		return nil, eid.SW(0x6C00 | len(r)&0xFF)
	}
	return bytes.Clone(r), eid.SWOK
}

// verify carries out VERIFY for PIN1 (ISO/IEC 7816-4 §11.5.6).
func (c *Card) verify(cmd eid.Command) eid.SW {
	if cmd.P1 != 0 {
		return eid.SWWrongP1P2
	}
	if cmd.P2 != c.pin1Ref {
		return eid.SWDataNotFound
	}
	if c.tries == 0 {
		return eid.SWPINBlocked
	}
	if len(cmd.Data) == 0 {
		if c.verified {
			return eid.SWOK
		}
		return eid.SW(0x63C0 | c.tries)
	}
	if bytes.Equal(cmd.Data, c.pin1) {
		c.tries, c.verified = c.maxTries, true
		return eid.SWOK
	}
	c.tries--
	c.verified = false
	return eid.SW(0x63C0 | c.tries)
}

func fidOf(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

// String describes the card for test failures.
func (c *Card) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprintf("eidtest card (%d APDUs answered, removed %t)", c.count, c.removed)
}
