package ccid

// reader.go: Open and Reader: finding the CCID interface and its class
// descriptor, claiming it, and the command/answer round trip on the bulk pipes
// (CCID rev 1.1 §5.2, §6.1, §6.2) with bSeq matching, time extensions and the
// abort sequence of §5.3.1 after a command that was given up on.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"certkiosk/drivers/usb"
)

// DefaultResponseTimeout bounds each wait for a message from the reader. A
// time extension request from the reader starts the wait again, so a card that
// computes for a long time (and says so) is waited for.
const DefaultResponseTimeout = 10 * time.Second

// DefaultPollInterval is how often Watch asks a reader that has no interrupt
// endpoint for its slots' state.
const DefaultPollInterval = 500 * time.Millisecond

// DefaultIFSD is the information field size the host offers T=1 cards: the
// largest ISO/IEC 7816-3 allows, less when the reader cannot carry it.
const DefaultIFSD = 254

// Options adjust Open. The zero Options are the defaults.
type Options struct {
	// ResponseTimeout bounds each wait for a reader message; 0 means
	// DefaultResponseTimeout. The caller's context bounds the whole command.
	ResponseTimeout time.Duration
	// PollInterval is Watch's polling period for readers without an interrupt
	// endpoint; 0 means DefaultPollInterval.
	PollInterval time.Duration
	// PowerSelect, when not 0, is the bPowerSelect every IccPowerOn uses
	// (PowerSelect5V, PowerSelect3V, PowerSelect18V). By default the reader
	// chooses when it can (dwFeatures auto-voltage); otherwise the voltages it
	// supports are tried from the lowest up, so that a card is never given more
	// than its class is made for (ISO/IEC 7816-3 class selection).
	PowerSelect byte
	// IFSD is the information field size offered to T=1 cards at TPDU level,
	// 1 to 254; 0 means DefaultIFSD. It is lowered to what the reader can carry.
	IFSD int
}

// Class-specific requests (CCID rev 1.1 §5.3).
const (
	RequestAbort             = 0x01
	RequestGetClockFrequency = 0x02
	RequestGetDataRates      = 0x03
)

// Reader is an open CCID reader with its interface claimed. Its methods may be
// called from several goroutines: commands are sent one at a time, and Watch
// runs beside them on the interrupt pipe.
type Reader struct {
	dev     usb.Device
	intf    usb.Interface
	info    usb.DeviceInfo
	setting usb.InterfaceInfo
	desc    Descriptor
	out     usb.Out
	in      usb.In
	intr    usb.In // nil when the reader has none
	opts    Options
	slots   []*Slot

	mu      sync.Mutex // held for a whole command and its answer
	buf     []byte     // bulk-IN buffer, a whole number of packets
	seq     byte
	stale   []owed        // answers still owed for commands given up on
	aborted map[byte]bool // slots whose command was given up on: abort first

	state    sync.Mutex // guards what follows and every Slot's session state
	gone     error      // the error that showed the reader went away
	closed   bool
	watching bool
	stopW    context.CancelFunc
}

// owed is a command given up on whose answer may still arrive.
type owed struct{ slot, seq byte }

// Open opens the reader m selects on bus (the zero Match selects the one
// smart-card reader attached), reads its CCID class descriptor, and claims its
// CCID interface. It fails with usb.ErrNotFound when no device matches and
// ErrNotReader when the device is not a CCID reader. The caller closes the
// Reader.
func Open(ctx context.Context, bus usb.Bus, m usb.Match, opts Options) (*Reader, error) {
	if m == (usb.Match{}) {
		m.Class = usb.ClassSmartCard
	}
	dev, err := bus.Open(ctx, m)
	if err != nil {
		if errors.Is(err, usb.ErrNotFound) || errors.Is(err, usb.ErrAmbiguous) {
			return nil, errorf("open %s: %w", m, err)
		}
		return nil, ioError("open "+m.String(), err)
	}
	r, err := setUp(ctx, dev, opts)
	if err != nil {
		dev.Close()
		return nil, err
	}
	return r, nil
}

func setUp(ctx context.Context, dev usb.Device, opts Options) (*Reader, error) {
	info := dev.Info()
	setting, desc, err := chooseInterface(ctx, dev, info)
	if err != nil {
		return nil, err
	}
	if desc.Level() == LevelCharacter {
		return nil, fmt.Errorf("%w: %s works at character level (dwFeatures %s)", ErrUnsupported, info, desc.Features)
	}
	bulkOut, ok1 := setting.Endpoint(false, usb.Bulk)
	bulkIn, ok2 := setting.Endpoint(true, usb.Bulk)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%w: %s of %s lacks a bulk-IN or bulk-OUT endpoint", ErrNotReader, setting, info)
	}
	intf, err := dev.Claim(ctx, setting)
	if err != nil {
		return nil, ioError(fmt.Sprintf("claim %s of %s", setting, info), err)
	}
	r := &Reader{
		dev: dev, intf: intf, info: info, setting: setting, desc: desc, opts: opts,
		aborted: map[byte]bool{},
	}
	if r.opts.ResponseTimeout <= 0 {
		r.opts.ResponseTimeout = DefaultResponseTimeout
	}
	if r.opts.PollInterval <= 0 {
		r.opts.PollInterval = DefaultPollInterval
	}
	if r.out, err = intf.Out(bulkOut.Address); err == nil {
		r.in, err = intf.In(bulkIn.Address)
	}
	if err == nil {
		if ep, ok := setting.Endpoint(true, usb.Interrupt); ok {
			r.intr, err = intf.In(ep.Address)
		}
	}
	if err != nil {
		intf.Release()
		return nil, ioError(info.String(), err)
	}
	r.buf = make([]byte, roundUp(int(desc.MaxMessageLength), bulkIn.MaxPacketSize))
	for i := range desc.Slots() {
		r.slots = append(r.slots, &Slot{r: r, index: byte(i)})
	}
	return r, nil
}

// roundUp returns n rounded up to a whole number of packets, so that a
// transfer never overflows the buffer.
func roundUp(n, packet int) int {
	if packet <= 0 {
		packet = 64
	}
	return (n + packet - 1) / packet * packet
}

// chooseInterface picks the CCID interface setting: class 0x0B with protocol 0
// (bulk transfers; 1 and 2 are ICCD, which uses control transfers), or failing
// that a vendor-specific (0xFF) setting that carries a CCID class descriptor,
// as some readers made before the class was settled do.
func chooseInterface(ctx context.Context, dev usb.Device, info usb.DeviceInfo) (usb.InterfaceInfo, Descriptor, error) {
	var candidates []usb.InterfaceInfo
	iccd := false
	for _, s := range info.Interfaces {
		if s.Class == usb.ClassSmartCard {
			if s.Protocol != 0 {
				iccd = true
				continue
			}
			candidates = append(candidates, s)
		}
	}
	for _, s := range info.Interfaces {
		if s.Class == usb.ClassVendor {
			candidates = append(candidates, s)
		}
	}
	configs := map[int][]byte{}
	var firstErr error
	for _, s := range candidates {
		cfg, ok := configs[s.Config]
		if !ok {
			var err error
			cfg, err = readConfigDescriptor(ctx, dev, info, s.Config)
			if err != nil {
				if errors.Is(err, usb.ErrDisconnected) || ctx.Err() != nil {
					return usb.InterfaceInfo{}, Descriptor{}, ioError("GET_DESCRIPTOR(configuration) of "+info.String(), err)
				}
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			configs[s.Config] = cfg
		}
		d, err := FindDescriptor(cfg, s)
		if err != nil {
			if firstErr == nil && s.Class == usb.ClassSmartCard {
				firstErr = err
			}
			continue
		}
		return s, d, nil
	}
	switch {
	case firstErr != nil:
		return usb.InterfaceInfo{}, Descriptor{}, errorf("%s: %w", info, firstErr)
	case iccd:
		return usb.InterfaceInfo{}, Descriptor{}, fmt.Errorf("%w: %s is an ICCD device (control transfers)", ErrUnsupported, info)
	}
	return usb.InterfaceInfo{}, Descriptor{}, fmt.Errorf("%w: %s has no smart-card interface", ErrNotReader, info)
}

// readConfigDescriptor reads configuration config's whole descriptor with
// GET_DESCRIPTOR (USB 2.0 §9.4.3): its first 9 bytes for wTotalLength, then
// all of it, as an operating system does.
func readConfigDescriptor(ctx context.Context, dev usb.Device, info usb.DeviceInfo, config int) ([]byte, error) {
	var values []int
	for _, s := range info.Interfaces {
		if !slices.Contains(values, s.Config) {
			values = append(values, s.Config)
		}
	}
	slices.Sort(values)
	index := max(0, slices.Index(values, config))
	setup := usb.Setup{
		RequestType: usb.RequestIn | usb.RequestStandard | usb.RecipientDevice,
		Request:     0x06, // GET_DESCRIPTOR
		Value:       uint16(descConfiguration)<<8 | uint16(index),
	}
	head := make([]byte, 9)
	n, err := dev.Control(ctx, setup, head)
	if err != nil {
		return nil, err
	}
	if n < 9 || head[1] != descConfiguration {
		return nil, fmt.Errorf("%w: configuration descriptor header of %d bytes", ErrDescriptor, n)
	}
	total := int(head[2]) | int(head[3])<<8
	if total < 9 {
		return nil, fmt.Errorf("%w: wTotalLength %d", ErrDescriptor, total)
	}
	full := make([]byte, total)
	if n, err = dev.Control(ctx, setup, full); err != nil {
		return nil, err
	}
	if n != total {
		return nil, fmt.Errorf("%w: configuration descriptor of %d bytes, wTotalLength %d", ErrDescriptor, n, total)
	}
	return full, nil
}

// Info describes the device.
func (r *Reader) Info() usb.DeviceInfo { return r.info }

// Interface returns the claimed CCID interface setting.
func (r *Reader) Interface() usb.InterfaceInfo { return r.setting }

// Descriptor returns the reader's CCID class descriptor.
func (r *Reader) Descriptor() Descriptor { return r.desc }

// Level returns the reader's level of exchange.
func (r *Reader) Level() Level { return r.desc.Level() }

// Slots returns the reader's slots, in order.
func (r *Reader) Slots() []*Slot { return slices.Clone(r.slots) }

// Slot returns slot i, or nil when the reader has no such slot.
func (r *Reader) Slot(i int) *Slot {
	if i < 0 || i >= len(r.slots) {
		return nil
	}
	return r.slots[i]
}

// PowerOn powers on the card in slot 0, as Slot.PowerOn does. Most readers
// have one slot.
func (r *Reader) PowerOn(ctx context.Context) (ATR, error) { return r.slots[0].PowerOn(ctx) }

// Transmit exchanges an APDU with the card in slot 0, as Slot.Transmit does.
func (r *Reader) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	return r.slots[0].Transmit(ctx, apdu)
}

// PowerOff powers off the card in slot 0, as Slot.PowerOff does.
func (r *Reader) PowerOff(ctx context.Context) error { return r.slots[0].PowerOff(ctx) }

// Status reports the state of slot 0, as Slot.Status does.
func (r *Reader) Status(ctx context.Context) (SlotStatus, error) { return r.slots[0].Status(ctx) }

// Close stops Watch, releases the interface and closes the device. Commands
// after Close fail.
func (r *Reader) Close() error {
	r.state.Lock()
	if r.closed {
		r.state.Unlock()
		return nil
	}
	r.closed = true
	stop := r.stopW
	r.state.Unlock()
	if stop != nil {
		stop()
	}
	err := r.intf.Release()
	if cerr := r.dev.Close(); err == nil {
		err = cerr
	}
	return err
}

// usable reports why commands cannot be sent, if they cannot.
func (r *Reader) usable() error {
	r.state.Lock()
	defer r.state.Unlock()
	if r.gone != nil {
		return errorf("%w: %s: %w", ErrReaderGone, r.info, r.gone)
	}
	if r.closed {
		return errorf("%s: %w", r.info, usb.ErrClosed)
	}
	return nil
}

// markGone records that the reader went away.
func (r *Reader) markGone(err error) {
	r.state.Lock()
	defer r.state.Unlock()
	if r.gone == nil {
		r.gone = err
	}
	for _, s := range r.slots {
		s.endSession(true)
	}
}

// ioError turns an error of the USB layer into this package's terms: an
// unplugged device is ErrReaderGone, a transfer that ran out of time
// ErrTimeout; both keep the USB error for errors.Is.
func ioError(op string, err error) error {
	switch {
	case errors.Is(err, usb.ErrDisconnected):
		return errorf("%s: %w: %w", op, ErrReaderGone, err)
	case errors.Is(err, usb.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return errorf("%s: %w: %w", op, ErrTimeout, err)
	}
	return errorf("%s: %w", op, err)
}

// fail converts a transfer's error and notes a vanished reader.
func (r *Reader) fail(op string, err error) error {
	if errors.Is(err, usb.ErrDisconnected) {
		r.markGone(err)
	}
	return ioError(op, err)
}

// roundTrip sends a command and returns the reader's answer to it, with r.mu
// held. Answers to commands given up on earlier are skipped; time extension
// requests restart the wait. A failed command is returned as an answer (its
// status says so): what it means depends on the command.
func (r *Reader) roundTrip(ctx context.Context, f Frame) (Frame, error) {
	if err := r.usable(); err != nil {
		return Frame{}, err
	}
	if r.aborted[f.Slot] {
		if err := r.abort(ctx, f.Slot); err != nil {
			return Frame{}, err
		}
	}
	f.Seq = r.seq
	r.seq++
	want, _ := f.Type.Response()
	if _, err := r.out.Write(ctx, f.Encode()); err != nil {
		r.giveUp(f)
		return Frame{}, r.fail("write "+f.Type.String(), err)
	}
	return r.answer(ctx, f, want)
}

// giveUp records that the answer to f will not be waited for: it is skipped
// when it comes, and the slot is aborted before its next command.
func (r *Reader) giveUp(f Frame) {
	r.stale = append(r.stale, owed{f.Slot, f.Seq})
	if len(r.stale) > 8 {
		r.stale = r.stale[len(r.stale)-8:]
	}
	r.aborted[f.Slot] = true
}

// answer reads until the answer to f arrives.
func (r *Reader) answer(ctx context.Context, f Frame, want MessageType) (Frame, error) {
	for {
		rctx, cancel := context.WithTimeout(ctx, r.opts.ResponseTimeout)
		n, err := r.in.Read(rctx, r.buf)
		cancel()
		if err != nil {
			r.giveUp(f)
			return Frame{}, r.fail(fmt.Sprintf("read answer to %s", f.Type), err)
		}
		a, err := DecodeFrame(r.buf[:n], int(r.desc.MaxMessageLength))
		if err != nil {
			// The framing is lost; whatever the reader still sends for this
			// command is not to be taken for the next one's answer.
			r.giveUp(f)
			return Frame{}, errorf("answer to %s: %w", f.Type, err)
		}
		if a.Slot != f.Slot || a.Seq != f.Seq {
			if i := slices.Index(r.stale, owed{a.Slot, a.Seq}); i >= 0 {
				r.stale = slices.Delete(r.stale, i, i+1)
				continue
			}
			r.giveUp(f)
			return Frame{}, fmt.Errorf("%w: %s answered with slot %d seq %d, sent slot %d seq %d", ErrSequence, a.Type, a.Slot, a.Seq, f.Slot, f.Seq)
		}
		switch a.Status().Command() {
		case CommandTimeExtension:
			continue
		case CommandOK, CommandFailed:
		default:
			return Frame{}, fmt.Errorf("%w: %s with bStatus %02x (command status RFU)", ErrFrame, a.Type, byte(a.Status()))
		}
		if a.Type != want {
			return Frame{}, fmt.Errorf("%w: %s answered with %s, want %s", ErrFrame, f.Type, a.Type, want)
		}
		a.Data = slices.Clone(a.Data)
		return a, nil
	}
}

// abort ends a command given up on (§5.3.1): the ABORT class request, then
// PC_to_RDR_Abort with the same bSlot and bSeq, whose SlotStatus answer comes
// after whatever the reader still had to say about the old command. A reader
// that stalls the class request is sent the Abort message anyway.
func (r *Reader) abort(ctx context.Context, slot byte) error {
	seq := r.seq
	r.seq++
	setup := usb.Setup{
		RequestType: usb.RequestOut | usb.RequestClass | usb.RecipientInterface,
		Request:     RequestAbort,
		Value:       uint16(seq)<<8 | uint16(slot),
		Index:       uint16(r.setting.Number),
	}
	if _, err := r.dev.Control(ctx, setup, nil); err != nil && !errors.Is(err, usb.ErrStall) {
		return r.fail("ABORT request", err)
	}
	f := Frame{Type: PCtoRDRAbort, Slot: slot, Seq: seq}
	if _, err := r.out.Write(ctx, f.Encode()); err != nil {
		return r.fail("write Abort", err)
	}
	if _, err := r.answer(ctx, f, RDRtoPCSlotStatus); err != nil {
		return errorf("aborting the command given up on in slot %d: %w", slot, err)
	}
	delete(r.aborted, slot)
	r.stale = slices.DeleteFunc(r.stale, func(o owed) bool { return o.slot == slot })
	return nil
}
