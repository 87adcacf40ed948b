package ccidtest

// reader.go: Reader, the simulated reader: the device side of the bulk and
// interrupt pipes of CCID rev 1.1 (§6), written apart from package ccid's host
// side.

import (
	"context"
	"encoding/binary"
	"slices"
	"sync"
	"time"

	"certkiosk/drivers/ccid"
	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
)

// Reader is the simulated reader. It embeds its usbtest.Device, for plugging
// into a bus, fault injection on its endpoints and the transfer log. Its methods
// are safe for concurrent use, including from a Card's Answer.
type Reader struct {
	*usbtest.Device
	cfg  Config
	desc ccid.Descriptor

	mu       sync.Mutex
	slots    []*slot
	pending  []byte   // bulk-OUT bytes of a message not yet complete
	answers  [][]byte // bulk-IN transfers queued
	held     []heldAnswer
	hold     bool
	notify   []bool   // per slot: a change not yet reported on the interrupt pipe
	hwErrors [][]byte // HardwareError messages not yet sent
	timeExt  int
	tamper   func([]byte) [][]byte
	aborting map[[2]byte]bool // (slot, seq) of ABORT requests received
	commands []ccid.Frame
	wake     chan struct{} // closed when answers or notifications are queued
}

type heldAnswer struct {
	slot, seq byte
	typ       byte
	frames    [][]byte
}

// slot is one slot of the reader.
type slot struct {
	card   *Card
	gen    int // insertion number, to notice a removal during an Answer
	active bool
	t1     *cardT1
	params []byte // protocol data structure last set
	proto  byte
	cmd    []byte // extended APDU level: command received so far
	resp   []byte // extended APDU level: response still to send
}

// New returns a simulated reader, empty, not yet plugged into a bus.
func New(cfg Config) *Reader {
	r := &Reader{
		Device:   usbtest.NewDevice(Descriptors(cfg)),
		cfg:      cfg,
		desc:     Descriptor(cfg),
		wake:     make(chan struct{}),
		aborting: map[[2]byte]bool{},
	}
	for range cfg.slots() {
		r.slots = append(r.slots, &slot{})
	}
	r.notify = make([]bool, cfg.slots())
	r.HandleControl(r.control)
	r.Endpoint(BulkOut).Handle(r.bulkOut)
	r.Endpoint(BulkIn).Handle(r.bulkIn)
	if !cfg.NoInterrupt {
		r.Endpoint(InterruptIn).Handle(r.interruptIn)
	}
	return r
}

// Insert puts c into slot 0.
func (r *Reader) Insert(c *Card) { r.InsertSlot(0, c) }

// Remove takes the card out of slot 0.
func (r *Reader) Remove() { r.RemoveSlot(0) }

// InsertSlot puts c into slot i, replacing any card there (as a person swapping
// cards faster than the reader notices would).
func (r *Reader) InsertSlot(i int, c *Card) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.slots[i]
	s.card, s.active, s.t1, s.cmd, s.resp = c, false, nil, nil, nil
	s.gen++
	r.changed(i)
}

// RemoveSlot takes the card out of slot i.
func (r *Reader) RemoveSlot(i int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.slots[i]
	if s.card == nil {
		return
	}
	s.card, s.active, s.t1, s.cmd, s.resp = nil, false, nil, nil, nil
	s.gen++
	r.changed(i)
}

// changed notes a change of slot i for the interrupt pipe. Called with r.mu held.
func (r *Reader) changed(i int) {
	r.notify[i] = true
	r.poke()
}

// poke wakes transfers waiting for data. Called with r.mu held.
func (r *Reader) poke() {
	close(r.wake)
	r.wake = make(chan struct{})
}

// Unplug unplugs the reader from its bus. Its cards lose power, what it had to
// send is lost, and when it is plugged in again its first interrupt message
// reports the cards it holds.
func (r *Reader) Unplug() {
	r.Device.Unplug()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.answers, r.held, r.pending, r.hold, r.hwErrors = nil, nil, nil, false, nil
	for i, s := range r.slots {
		s.active, s.t1, s.cmd, s.resp = false, nil, nil, nil
		r.notify[i] = s.card != nil
	}
	r.poke()
}

// Overcurrent imitates a short circuit in slot i's card: the reader cuts its
// power and reports RDR_to_PC_HardwareError on the interrupt pipe.
func (r *Reader) Overcurrent(i int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.slots[i]
	s.active, s.t1, s.cmd, s.resp = false, nil, nil, nil
	m := ccid.Notification{Type: ccid.RDRtoPCHardwareError, Slot: byte(i), Code: ccid.HardwareOvercurrent}
	r.hwErrors = append(r.hwErrors, m.Encode())
	r.poke()
}

// SetTimeExtensions makes the reader send n time extension requests before
// each answer to XfrBlock, as it does while a card computes.
func (r *Reader) SetTimeExtensions(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.timeExt = n
}

// TamperNext passes the next answer through f, which returns the transfers to
// send in its place: none (a lost answer), a changed one, several.
func (r *Reader) TamperNext(f func(answer []byte) [][]byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tamper = f
}

// Hold, while on, keeps the reader's answers back, as a reader whose card is
// still working does. The ABORT sequence answers the held command with
// CMD_ABORTED; Hold(false) sends what was held.
func (r *Reader) Hold(on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hold = on
	if !on {
		for _, h := range r.held {
			r.answers = append(r.answers, h.frames...)
		}
		r.held = nil
		r.poke()
	}
}

// Commands returns the messages the host sent, in order.
func (r *Reader) Commands() []ccid.Frame {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]ccid.Frame, len(r.commands))
	for i, f := range r.commands {
		f.Data = slices.Clone(f.Data)
		out[i] = f
	}
	return out
}

// Powered reports whether the card in slot i is powered.
func (r *Reader) Powered(i int) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.slots[i].active
}

// Parameters returns bProtocolNum and the protocol data structure last set
// with SetParameters in slot i.
func (r *Reader) Parameters(i int) (byte, []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.slots[i].proto, slices.Clone(r.slots[i].params)
}

// control answers GET_DESCRIPTOR for the configuration and the ABORT class
// request, and stalls everything else.
func (r *Reader) control(_ context.Context, s usb.Setup, data []byte) (int, error) {
	switch {
	case s.RequestType == 0x80 && s.Request == 0x06 && s.Value == 0x0200:
		return copy(data, ConfigDescriptor(r.cfg)), nil
	case s.RequestType == 0x21 && s.Request == ccid.RequestAbort && s.Index == 0 && len(data) == 0:
		r.mu.Lock()
		r.aborting[[2]byte{byte(s.Value), byte(s.Value >> 8)}] = true
		r.mu.Unlock()
		return 0, nil
	}
	return 0, usb.ErrStall
}

// wait blocks until the reader has something for the host, or the transfer
// must end. Called with r.mu held; returns with it held unless it fails.
func (r *Reader) wait(ctx context.Context, ready func() bool) error {
	for {
		if !r.Attached() {
			r.mu.Unlock()
			return usb.ErrDisconnected
		}
		if ready() {
			return nil
		}
		wake := r.wake
		r.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		case <-time.After(5 * time.Millisecond):
			// An unplug through the bus rather than Reader.Unplug wakes no one.
		}
		r.mu.Lock()
	}
}

func (r *Reader) bulkIn(ctx context.Context, p []byte) (int, error) {
	r.mu.Lock()
	if err := r.wait(ctx, func() bool { return len(r.answers) > 0 }); err != nil {
		return 0, err
	}
	defer r.mu.Unlock()
	a := r.answers[0]
	n := copy(p, a)
	if n < len(a) {
		r.answers[0] = a[n:]
	} else {
		r.answers = r.answers[1:]
	}
	return n, nil
}

func (r *Reader) interruptIn(ctx context.Context, p []byte) (int, error) {
	r.mu.Lock()
	if err := r.wait(ctx, func() bool { return len(r.hwErrors) > 0 || slices.Contains(r.notify, true) }); err != nil {
		return 0, err
	}
	defer r.mu.Unlock()
	if len(r.hwErrors) > 0 {
		m := r.hwErrors[0]
		r.hwErrors = r.hwErrors[1:]
		return copy(p, m), nil
	}
	n := ccid.Notification{Type: ccid.RDRtoPCNotifySlotChange, Present: make([]bool, len(r.slots)), Changed: slices.Clone(r.notify)}
	for i, s := range r.slots {
		n.Present[i] = s.card != nil
		r.notify[i] = false
	}
	return copy(p, n.Encode()), nil
}

// bulkOut takes the host's bytes; each complete message is answered.
func (r *Reader) bulkOut(_ context.Context, p []byte) (int, error) {
	r.mu.Lock()
	r.pending = append(r.pending, p...)
	for len(r.pending) >= 10 {
		n := 10 + int(binary.LittleEndian.Uint32(r.pending[1:5]))
		if len(r.pending) < n {
			break
		}
		msg := slices.Clone(r.pending[:n])
		r.pending = r.pending[n:]
		f := ccid.Frame{Type: ccid.MessageType(msg[0]), Slot: msg[5], Seq: msg[6], Data: msg[10:]}
		copy(f.Param[:], msg[7:10])
		r.commands = append(r.commands, f)
		frames := r.handle(f) // may unlock r.mu while the card computes
		r.queue(f, frames)
	}
	r.mu.Unlock()
	return len(p), nil
}

// queue sends the answer to f, or holds it. Called with r.mu held.
func (r *Reader) queue(f ccid.Frame, frames [][]byte) {
	if len(frames) == 0 || !r.Attached() {
		return // an answer made while the reader was unplugged is lost
	}
	if t := r.tamper; t != nil {
		r.tamper = nil
		last := len(frames) - 1
		frames = append(frames[:last:last], t(frames[last])...)
	}
	if r.hold {
		r.held = append(r.held, heldAnswer{slot: f.Slot, seq: f.Seq, typ: frames[len(frames)-1][0], frames: frames})
		return
	}
	r.answers = append(r.answers, frames...)
	r.poke()
}

// answer encodes an answer message.
func answer(typ ccid.MessageType, f ccid.Frame, status, errCode, third byte, data []byte) []byte {
	b := make([]byte, 10+len(data))
	b[0] = byte(typ)
	binary.LittleEndian.PutUint32(b[1:5], uint32(len(data)))
	b[5], b[6], b[7], b[8], b[9] = f.Slot, f.Seq, status, errCode, third
	copy(b[10:], data)
	return b
}

// iccState returns bmICCStatus of slot s.
func iccState(s *slot) byte {
	switch {
	case s.card == nil:
		return 2
	case !s.active:
		return 1
	}
	return 0
}

const (
	failed  = 0x40
	timeExt = 0x80
)

// handle plays the reader's part for one command and returns its answer
// messages. Called with r.mu held.
func (r *Reader) handle(f ccid.Frame) [][]byte {
	resp, ok := f.Type.Response()
	if !ok {
		return nil // a reader cannot answer what it does not recognise
	}
	if int(f.Slot) >= len(r.slots) {
		return [][]byte{answer(resp, f, failed|2, ccid.ErrorBadSlot, 0, nil)}
	}
	s := r.slots[f.Slot]
	switch f.Type {
	case ccid.PCtoRDRIccPowerOn:
		return [][]byte{r.powerOn(s, f)}
	case ccid.PCtoRDRIccPowerOff:
		s.active, s.t1, s.cmd, s.resp = false, nil, nil, nil
		return [][]byte{answer(resp, f, iccState(s), 0, 0, nil)}
	case ccid.PCtoRDRGetSlotStatus:
		return [][]byte{answer(resp, f, iccState(s), 0, 0, nil)}
	case ccid.PCtoRDRSetParameters, ccid.PCtoRDRGetParameters:
		return [][]byte{r.parameters(s, f)}
	case ccid.PCtoRDRXfrBlock:
		return r.xfrBlock(s, f)
	case ccid.PCtoRDRAbort:
		return r.abort(s, f)
	}
	return [][]byte{answer(resp, f, failed|iccState(s), ccid.ErrorCommandNotSupported, 0, nil)}
}

func (r *Reader) powerOn(s *slot, f ccid.Frame) []byte {
	sel := f.Param[0]
	switch {
	case s.card == nil:
		return answer(ccid.RDRtoPCDataBlock, f, failed|2, ccid.ErrorICCMute, 0, nil)
	case sel > 3 || sel == 0 && r.desc.Features&ccid.FeatureAutoVoltage == 0:
		return answer(ccid.RDRtoPCDataBlock, f, failed|1, ccid.ErrorBadPowerSelect, 0, nil)
	case s.card.Mute:
		s.active = false
		return answer(ccid.RDRtoPCDataBlock, f, failed|1, ccid.ErrorICCMute, 0, nil)
	}
	s.active, s.cmd, s.resp = true, nil, nil
	s.t1 = newCardT1(s.card.ATR)
	return answer(ccid.RDRtoPCDataBlock, f, 0, 0, 0, s.card.ATR)
}

func (r *Reader) parameters(s *slot, f ccid.Frame) []byte {
	if s.card == nil {
		return answer(ccid.RDRtoPCParameters, f, failed|2, ccid.ErrorICCMute, 0, nil)
	}
	if f.Type == ccid.PCtoRDRSetParameters {
		switch {
		case f.Param[0] == 0 && len(f.Data) == 5, f.Param[0] == 1 && len(f.Data) == 7:
			s.proto, s.params = f.Param[0], slices.Clone(f.Data)
		case f.Param[0] > 1:
			return answer(ccid.RDRtoPCParameters, f, failed|iccState(s), 7, 0, nil)
		default:
			return answer(ccid.RDRtoPCParameters, f, failed|iccState(s), ccid.ErrorBadLength, 0, nil)
		}
	}
	return answer(ccid.RDRtoPCParameters, f, iccState(s), 0, s.proto, s.params)
}

// xfrBlock passes a block or an APDU to the card.
func (r *Reader) xfrBlock(s *slot, f ccid.Frame) [][]byte {
	if st := iccState(s); st != 0 {
		return [][]byte{answer(ccid.RDRtoPCDataBlock, f, failed|st, ccid.ErrorICCMute, 0, nil)}
	}
	var ext [][]byte
	for range r.timeExt {
		ext = append(ext, answer(ccid.RDRtoPCDataBlock, f, timeExt, 1, 0, nil))
	}
	room := r.cfg.maxMessage() - 10
	level := binary.LittleEndian.Uint16(f.Param[1:])
	switch r.cfg.Level {
	case ccid.LevelTPDU:
		card, gen, t1, wtx := s.card, s.gen, s.t1, s.card.WTX
		var out []byte
		r.unlocked(func() { out = t1.receive(f.Data, card.answer, wtx) })
		if s.gen != gen {
			return [][]byte{answer(ccid.RDRtoPCDataBlock, f, failed|iccState(s), ccid.ErrorICCMute, 0, nil)}
		}
		return append(ext, answer(ccid.RDRtoPCDataBlock, f, 0, 0, 0, out))
	case ccid.LevelShortAPDU:
		if len(f.Data) > 261 || len(f.Data) < 4 {
			return [][]byte{answer(ccid.RDRtoPCDataBlock, f, failed, ccid.ErrorBadLength, 0, nil)}
		}
		out, ok := r.runCard(s, f.Data)
		if !ok {
			return [][]byte{answer(ccid.RDRtoPCDataBlock, f, failed|iccState(s), ccid.ErrorICCMute, 0, nil)}
		}
		return append(ext, answer(ccid.RDRtoPCDataBlock, f, 0, 0, 0, out))
	case ccid.LevelExtendedAPDU:
		switch level {
		case 0x0000, 0x0002:
			if (level == 0x0002) != (s.cmd != nil) {
				s.cmd = nil
				return [][]byte{answer(ccid.RDRtoPCDataBlock, f, failed, ccid.ErrorBadLevelParameter, 0, nil)}
			}
			cmd := append(s.cmd, f.Data...)
			s.cmd, s.resp = nil, nil
			out, ok := r.runCard(s, cmd)
			if !ok {
				return [][]byte{answer(ccid.RDRtoPCDataBlock, f, failed|iccState(s), ccid.ErrorICCMute, 0, nil)}
			}
			if len(out) <= room {
				return append(ext, answer(ccid.RDRtoPCDataBlock, f, 0, 0, 0x00, out))
			}
			s.resp = out[room:]
			return append(ext, answer(ccid.RDRtoPCDataBlock, f, 0, 0, 0x01, out[:room]))
		case 0x0001, 0x0003:
			if (level == 0x0001) != (s.cmd == nil) {
				return [][]byte{answer(ccid.RDRtoPCDataBlock, f, failed, ccid.ErrorBadLevelParameter, 0, nil)}
			}
			s.cmd = append(s.cmd, f.Data...)
			if s.cmd == nil {
				s.cmd = []byte{}
			}
			return [][]byte{answer(ccid.RDRtoPCDataBlock, f, 0, 0, 0x10, nil)}
		case 0x0010:
			if len(s.resp) == 0 {
				return [][]byte{answer(ccid.RDRtoPCDataBlock, f, failed, ccid.ErrorBadLevelParameter, 0, nil)}
			}
			n := min(room, len(s.resp))
			chain := byte(0x03)
			if n == len(s.resp) {
				chain = 0x02
			}
			out := s.resp[:n]
			s.resp = s.resp[n:]
			return [][]byte{answer(ccid.RDRtoPCDataBlock, f, 0, 0, chain, out)}
		}
		return [][]byte{answer(ccid.RDRtoPCDataBlock, f, failed, ccid.ErrorBadLevelParameter, 0, nil)}
	}
	return [][]byte{answer(ccid.RDRtoPCDataBlock, f, failed, ccid.ErrorCommandNotSupported, 0, nil)}
}

// runCard gives a whole APDU to the card and reports false when the card was
// taken out meanwhile. Called with r.mu held.
func (r *Reader) runCard(s *slot, apdu []byte) ([]byte, bool) {
	card, gen := s.card, s.gen
	var out []byte
	r.unlocked(func() { out = card.answer(apdu) })
	return out, s.gen == gen && s.active
}

// unlocked runs f without r.mu, so that f may call the Reader's methods.
func (r *Reader) unlocked(f func()) {
	r.mu.Unlock()
	defer r.mu.Lock()
	f()
}

// abort answers PC_to_RDR_Abort (§5.3.1): the held answer of the aborted
// command becomes CMD_ABORTED, then comes the Abort's SlotStatus. Without the
// ABORT class request first the reader refuses it.
func (r *Reader) abort(s *slot, f ccid.Frame) [][]byte {
	key := [2]byte{f.Slot, f.Seq}
	if !r.aborting[key] {
		return [][]byte{answer(ccid.RDRtoPCSlotStatus, f, failed|iccState(s), ccid.ErrorCmdAborted, 0, nil)}
	}
	delete(r.aborting, key)
	var out [][]byte
	kept := r.held[:0]
	for _, h := range r.held {
		if h.slot != f.Slot {
			kept = append(kept, h)
			continue
		}
		out = append(out, answer(ccid.MessageType(h.typ), ccid.Frame{Slot: h.slot, Seq: h.seq}, failed|iccState(s), ccid.ErrorCmdAborted, 0, nil))
	}
	r.held = kept
	s.cmd, s.resp = nil, nil
	out = append(out, answer(ccid.RDRtoPCSlotStatus, f, iccState(s), 0, 0, nil))
	// The abort's answers go out even while answers are held.
	r.answers = append(r.answers, out...)
	r.poke()
	return nil
}
