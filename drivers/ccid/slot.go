package ccid

// slot.go: Slot, one card slot of a reader: power on (with the protocol set-up
// a TPDU-level reader needs), APDU exchange at each level of exchange, power
// off and status.

import (
	"context"
	"encoding/binary"
	"fmt"
)

// Slot is one slot of a reader. Its methods may be called from several
// goroutines; the reader sends one command at a time.
type Slot struct {
	r     *Reader
	index byte

	// Session state, guarded by r.state.
	powered bool // powered on by PowerOn, and not known to be lost since
	lost    bool // the card was removed (or swapped) after PowerOn
	atr     ATR
	link    *t1Link // TPDU level only
}

// Index returns the slot's number, bSlot.
func (s *Slot) Index() int { return int(s.index) }

// SlotStatus is what GetSlotStatus reports of a slot.
type SlotStatus struct {
	Card ICCState
	// Clock is bClockStatus: 0 running, 1 stopped in state L, 2 stopped in
	// state H, 3 stopped in an unknown state.
	Clock byte
}

// String reads like "card present, active".
func (st SlotStatus) String() string { return st.Card.String() }

// endSession forgets the powered card; lost records whether it went away
// rather than being powered off. Called with r.state held.
func (s *Slot) endSession(lost bool) {
	if s.powered || s.lost {
		s.lost = s.lost || lost
	}
	s.powered = false
	s.link = nil
}

// markLost ends the session because the card was seen to leave.
func (s *Slot) markLost() {
	s.r.state.Lock()
	defer s.r.state.Unlock()
	s.endSession(true)
}

// ready reports why an APDU cannot be sent now, if it cannot.
func (s *Slot) ready() error {
	if err := s.r.usable(); err != nil {
		return err
	}
	s.r.state.Lock()
	defer s.r.state.Unlock()
	switch {
	case s.lost:
		return errorf("slot %d: %w", s.index, ErrCardRemoved)
	case !s.powered:
		return errorf("slot %d: %w", s.index, ErrNotPowered)
	}
	return nil
}

// failure turns a failed command's answer into a *SlotError. A card that is
// absent is ErrNoCard, or ErrCardRemoved when a session was under way; a card
// found inactive during a session was removed and put back (or reset), which
// ends the session just the same.
func (s *Slot) failure(op string, a Frame) error {
	e := &SlotError{Op: op, Slot: int(s.index), Status: a.Status(), Code: a.Error()}
	s.r.state.Lock()
	defer s.r.state.Unlock()
	inSession := s.powered || s.lost
	switch a.Status().ICC() {
	case CardAbsent:
		e.Err = ErrNoCard
		if inSession {
			e.Err = ErrCardRemoved
		}
		s.endSession(true)
	case CardInactive:
		if s.powered {
			e.Err = ErrCardRemoved
			s.endSession(true)
		}
	}
	return e
}

// powerSelects returns the bPowerSelect values IccPowerOn tries, in order.
func (s *Slot) powerSelects() []byte {
	d := s.r.desc
	switch {
	case s.r.opts.PowerSelect != 0:
		return []byte{s.r.opts.PowerSelect}
	case d.Features&FeatureAutoVoltage != 0 || d.VoltageSupport == 0:
		return []byte{PowerSelectAuto}
	}
	var v []byte
	if d.VoltageSupport&Voltage18V != 0 {
		v = append(v, PowerSelect18V)
	}
	if d.VoltageSupport&Voltage3V != 0 {
		v = append(v, PowerSelect3V)
	}
	if d.VoltageSupport&Voltage5V != 0 {
		v = append(v, PowerSelect5V)
	}
	return v
}

// PowerOn activates the card (IccPowerOn) and returns its answer to reset. At
// TPDU level it then sets the card's protocol up: T=1 parameters with
// SetParameters when the reader does not take them from the ATR itself (or
// must switch the card from T=0 with a PPS), and the IFSD with S(IFS). A card
// already powered is reset; a previous session on it ends.
//
// It fails with ErrNoCard when the slot is empty. An ATR that does not parse is
// returned raw (ATR.Raw) with an error wrapping ErrATR; at APDU levels the card
// is powered and usable regardless, since the reader has read the ATR itself.
func (s *Slot) PowerOn(ctx context.Context) (ATR, error) {
	r := s.r
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state.Lock()
	s.powered, s.lost, s.link, s.atr = false, false, nil, ATR{}
	r.state.Unlock()
	var a Frame
	selects := s.powerSelects()
	for i, v := range selects {
		var err error
		a, err = r.roundTrip(ctx, Frame{Type: PCtoRDRIccPowerOn, Slot: s.index, Param: [3]byte{v}})
		if err != nil {
			return ATR{}, err
		}
		if a.Status().Command() == CommandOK {
			break
		}
		err = s.failure("IccPowerOn", a)
		retry := a.Error() == ErrorICCMute || a.Error() == ErrorICCClassNotSupported
		if a.Status().ICC() == CardAbsent || !retry || i == len(selects)-1 {
			return ATR{}, err
		}
	}
	atr, perr := ParseATR(a.Data)
	if perr != nil {
		atr = ATR{Raw: a.Data}
	}
	if perr != nil && r.Level() == LevelTPDU {
		s.powerOffQuietly(ctx)
		return atr, errorf("slot %d: %w", s.index, perr)
	}
	var link *t1Link
	if r.Level() == LevelTPDU {
		var err error
		if link, err = s.setUpTPDU(ctx, atr); err != nil {
			s.powerOffQuietly(ctx)
			return atr, err
		}
	}
	r.state.Lock()
	s.powered, s.atr, s.link = true, atr, link
	r.state.Unlock()
	if perr != nil {
		return atr, errorf("slot %d: %w", s.index, perr)
	}
	return atr, nil
}

// powerOffQuietly deactivates a card that could not be set up; the error that
// stopped the set-up is the one to report.
func (s *Slot) powerOffQuietly(ctx context.Context) {
	_, _ = s.r.roundTrip(ctx, Frame{Type: PCtoRDRIccPowerOff, Slot: s.index})
}

// setUpTPDU chooses the card's protocol and sets T=1 up.
func (s *Slot) setUpTPDU(ctx context.Context, atr ATR) (*t1Link, error) {
	r := s.r
	proto := 1
	if t, _, _, specific := atr.SpecificMode(); specific {
		proto = t
	} else if !atr.Offers(1) {
		proto = atr.DefaultProtocol()
	}
	if proto != 1 {
		return nil, fmt.Errorf("%w: slot %d: the card works with T=%d; at TPDU level only T=1 is implemented", ErrUnsupported, s.index, proto)
	}
	p, err := atr.T1()
	if err != nil {
		return nil, errorf("slot %d: %w", s.index, err)
	}
	if p.EDC == EDCCRC {
		return nil, fmt.Errorf("%w: slot %d: the card's T=1 uses a CRC", ErrUnsupported, s.index)
	}
	if r.desc.Features&FeatureAutoParameters == 0 || atr.DefaultProtocol() != 1 {
		if err := s.setParameters(ctx, atr, p); err != nil {
			return nil, err
		}
	}
	ifsd := r.opts.IFSD
	if ifsd <= 0 || ifsd > maxINF {
		ifsd = DefaultIFSD
	}
	if m := r.desc.MaxIFSD; m > 0 && int(m) < ifsd {
		ifsd = int(m)
	}
	ifsd = min(ifsd, int(r.desc.MaxMessageLength)-HeaderLen-blockPrefix-1)
	link := newT1Link(s.xferBlock, p, ifsd)
	if r.desc.Features&FeatureAutoIFSD != 0 {
		// The reader has already sent S(IFS request) with its own maximum.
		auto := DefaultIFSD
		if m := r.desc.MaxIFSD; m > 0 && m < DefaultIFSD {
			auto = int(m)
		}
		link.ifsd, link.wantIFSD = auto, auto
	} else if ifsd != 32 {
		if err := link.negotiateIFSD(ctx); err != nil {
			return nil, errorf("slot %d: IFSD: %w", s.index, err)
		}
	}
	return link, nil
}

// setParameters sends SetParameters with the protocol data structure for T=1
// (CCID rev 1.1 §6.1.7) built from the ATR. A card in negotiable mode
// starting with T=0 is switched by the PPS the reader then makes; a reader that
// makes no PPS cannot switch it.
func (s *Slot) setParameters(ctx context.Context, atr ATR, p T1Params) error {
	r := s.r
	negotiates := r.desc.Features&(FeatureAutoPPS|FeatureAutoNegotiation) != 0
	_, _, implicit, specific := atr.SpecificMode()
	if !specific && atr.DefaultProtocol() != 1 && !negotiates {
		return fmt.Errorf("%w: slot %d: the card starts with T=%d and this reader makes no PPS to switch it to T=1", ErrUnsupported, s.index, atr.DefaultProtocol())
	}
	// The card's own Fi/Di apply when it is in specific mode with explicit
	// parameters, or when the reader negotiates them with a PPS; otherwise the
	// card stays at the default rate. A rate beyond the reader's maximum is not
	// asked for.
	fidi := byte(0x11)
	if (specific && !implicit) || (!specific && negotiates) {
		fidi = atr.FiDi()
	}
	if fi, di, ok := Factors(fidi); !ok {
		fidi = 0x11
	} else if d := r.desc; d.MaxDataRate > 0 && d.DefaultClock > 0 && uint64(d.DefaultClock)*1000*uint64(di)/uint64(fi) > uint64(d.MaxDataRate) && !specific {
		fidi = 0x11
	}
	tcck := byte(0x10)
	if atr.Convention == Inverse {
		tcck |= 0x02
	}
	data := []byte{fidi, tcck, atr.GuardTime(), byte(p.BWI<<4 | p.CWI&0x0f), 0x00, byte(p.IFSC), 0x00}
	a, err := r.roundTrip(ctx, Frame{Type: PCtoRDRSetParameters, Slot: s.index, Param: [3]byte{1}, Data: data})
	if err != nil {
		return err
	}
	if a.Status().Command() != CommandOK {
		return s.failure("SetParameters", a)
	}
	if a.Param[2] != 1 {
		return fmt.Errorf("%w: slot %d: SetParameters for T=1 answered with bProtocolNum %d", ErrFrame, s.index, a.Param[2])
	}
	return nil
}

// xferBlock carries one T=1 block in an XfrBlock, r.mu held. A card that
// stayed mute, or a parity or overrun error, is reported to the link as a block
// error so that it asks for the block again.
func (s *Slot) xferBlock(ctx context.Context, block []byte, bwi byte) ([]byte, error) {
	a, err := s.r.roundTrip(ctx, Frame{Type: PCtoRDRXfrBlock, Slot: s.index, Param: [3]byte{bwi}, Data: block})
	if err != nil {
		return nil, err
	}
	if a.Status().Command() == CommandOK {
		return a.Data, nil
	}
	if a.Status().ICC() == CardActive {
		switch a.Error() {
		case ErrorXfrParity, ErrorXfrOverrun:
			return nil, &blockError{code: REDCError, err: s.failure("XfrBlock", a)}
		case ErrorICCMute:
			return nil, &blockError{code: ROther, err: s.failure("XfrBlock", a)}
		}
	}
	return nil, s.failure("XfrBlock", a)
}

// Level parameters of XfrBlock at extended APDU level (wLevelParameter) and of
// its DataBlock answer (bChainParameter), CCID rev 1.1 §6.1.4 and §6.2.1.
const (
	chainWhole    = 0x00 // begins and ends here
	chainBegin    = 0x01 // begins here, continues
	chainEnd      = 0x02 // continues, ends here
	chainMiddle   = 0x03 // continues, more follows
	chainContinue = 0x10 // empty: send (or expect) the continuation
)

// Transmit sends a command APDU to the powered card and returns its response
// APDU, status word included. This is the contract the card application
// packages program against. The response is the card's, unchanged: 61XX and
// 6CXX are for the caller to act on.
//
// It fails with ErrNotPowered before PowerOn, ErrCardRemoved once the card has
// been seen to leave (until the next PowerOn), ErrReaderGone when the reader
// was unplugged, ErrTimeout when it stopped answering, and ErrAPDU for an APDU
// whose lengths do not add up.
func (s *Slot) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	c, err := ClassifyAPDU(apdu)
	if err != nil {
		return nil, err
	}
	r := s.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := s.ready(); err != nil {
		return nil, err
	}
	var resp []byte
	switch r.Level() {
	case LevelTPDU:
		r.state.Lock()
		link := s.link
		r.state.Unlock()
		resp, err = link.transceive(ctx, apdu)
	case LevelShortAPDU:
		if c.Extended {
			return nil, fmt.Errorf("%w: an extended APDU on a reader at short APDU level", ErrUnsupported)
		}
		resp, err = s.xferAPDU(ctx, apdu)
	case LevelExtendedAPDU:
		resp, err = s.xferAPDU(ctx, apdu)
	default:
		err = fmt.Errorf("%w: %s level of exchange", ErrUnsupported, r.Level())
	}
	if err != nil {
		return nil, err
	}
	if len(resp) < 2 {
		return nil, fmt.Errorf("%w: response of %d bytes has no status word", ErrAPDU, len(resp))
	}
	return resp, nil
}

// xferAPDU exchanges an APDU at APDU level: in one XfrBlock when it fits in the
// reader's maximum message, otherwise (extended level) in a chain of them, and
// gathers a response the reader sends in a chain.
func (s *Slot) xferAPDU(ctx context.Context, apdu []byte) ([]byte, error) {
	r := s.r
	room := int(r.desc.MaxMessageLength) - HeaderLen
	xfer := func(level uint16, data []byte) (Frame, error) {
		f := Frame{Type: PCtoRDRXfrBlock, Slot: s.index, Data: data}
		binary.LittleEndian.PutUint16(f.Param[1:], level)
		a, err := r.roundTrip(ctx, f)
		if err != nil {
			return Frame{}, err
		}
		if a.Status().Command() != CommandOK {
			return Frame{}, s.failure("XfrBlock", a)
		}
		return a, nil
	}
	extended := r.Level() == LevelExtendedAPDU
	if !extended && len(apdu) > room {
		return nil, fmt.Errorf("%w: APDU of %d bytes, the reader takes %d", ErrUnsupported, len(apdu), room)
	}
	var a Frame
	for off := 0; off < len(apdu); {
		n := min(room, len(apdu)-off)
		level := uint16(chainWhole)
		if extended {
			switch first, last := off == 0, off+n == len(apdu); {
			case first && !last:
				level = chainBegin
			case !first && last:
				level = chainEnd
			case !first && !last:
				level = chainMiddle
			}
		}
		var err error
		if a, err = xfer(level, apdu[off:off+n]); err != nil {
			return nil, err
		}
		off += n
		if off < len(apdu) && (a.Chain() != chainContinue || len(a.Data) != 0) {
			return nil, fmt.Errorf("%w: answer to part of a chained command has bChainParameter %02x and %d bytes, want 10 and none", ErrFrame, a.Chain(), len(a.Data))
		}
	}
	if !extended {
		return a.Data, nil
	}
	resp := a.Data
	switch a.Chain() {
	case chainWhole:
		return resp, nil
	case chainBegin:
	default:
		return nil, fmt.Errorf("%w: response begins with bChainParameter %02x", ErrFrame, a.Chain())
	}
	for {
		var err error
		if a, err = xfer(chainContinue, nil); err != nil {
			return nil, err
		}
		resp = append(resp, a.Data...)
		if len(resp) > maxResponseLen {
			return nil, fmt.Errorf("%w: chained response longer than %d bytes", ErrFrame, maxResponseLen)
		}
		switch a.Chain() {
		case chainEnd:
			return resp, nil
		case chainMiddle:
		default:
			return nil, fmt.Errorf("%w: response continues with bChainParameter %02x", ErrFrame, a.Chain())
		}
	}
}

// PowerOff deactivates the card (IccPowerOff) and ends the session. An empty
// slot is not an error.
func (s *Slot) PowerOff(ctx context.Context) error {
	r := s.r
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state.Lock()
	s.endSession(false)
	s.lost = false
	r.state.Unlock()
	a, err := r.roundTrip(ctx, Frame{Type: PCtoRDRIccPowerOff, Slot: s.index})
	if err != nil {
		return err
	}
	if a.Status().Command() != CommandOK && a.Status().ICC() != CardAbsent {
		return s.failure("IccPowerOff", a)
	}
	return nil
}

// Status asks the reader for the slot's state (GetSlotStatus). Readers answer
// for an empty slot with either an ordinary status or a failed one; both are
// "no card" here. A card found absent or inactive during a session ends it:
// Transmit then reports ErrCardRemoved.
func (s *Slot) Status(ctx context.Context) (SlotStatus, error) {
	r := s.r
	r.mu.Lock()
	defer r.mu.Unlock()
	a, err := r.roundTrip(ctx, Frame{Type: PCtoRDRGetSlotStatus, Slot: s.index})
	if err != nil {
		return SlotStatus{}, err
	}
	st := SlotStatus{Card: a.Status().ICC(), Clock: a.Param[2]}
	if a.Status().Command() != CommandOK && st.Card != CardAbsent {
		return st, s.failure("GetSlotStatus", a)
	}
	if st.Card != CardActive {
		r.state.Lock()
		if s.powered {
			s.endSession(true)
		}
		r.state.Unlock()
	}
	return st, nil
}

// ATR returns the answer to reset of the powered card, and false when no card
// is powered.
func (s *Slot) ATR() (ATR, bool) {
	s.r.state.Lock()
	defer s.r.state.Unlock()
	return s.atr, s.powered
}
