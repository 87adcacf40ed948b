// Package ccid drives USB smart-card readers of the CCID class (USB Device
// Class: Smart Card, CCID specification rev 1.1, interface class 0x0B): it reads
// a reader's class descriptor, powers cards on and off, exchanges APDUs with
// them and reports cards being inserted and removed. It speaks to the reader
// through package usb only, so everything here runs against the simulated reader
// of package ccidtest as well as against hardware.
//
// What an APDU means (SELECT, READ BINARY, an ID card's files) is for the card
// application packages above; they need only Transmit:
//
//	Transmit(ctx context.Context, apdu []byte) ([]byte, error)
//
// # Levels of exchange and protocols
//
// A reader announces in dwFeatures at which level it exchanges data with the
// host (§5.1). At short and extended APDU level the reader runs the card's
// protocol itself and XfrBlock carries whole APDUs; extended APDUs longer than
// the reader's maximum message are split with wLevelParameter, and long answers
// gathered by bChainParameter (§6.1.4, §6.2.1). At TPDU level the host runs the
// protocol: this package implements T=1 (ISO/IEC 7816-3 §11: I-blocks with
// chaining, R-blocks, S-blocks for IFS, WTX, ABORT and RESYNCH, LRC, error
// recovery), choosing it from the ATR and setting it up with SetParameters and
// S(IFS). T=0 at TPDU level, T=1 with a CRC, and readers at character level are
// not supported and say so (ErrUnsupported).
//
// # A map of the package
//
//   - reader.go: Open and Reader: the interface, the class descriptor, and the
//     command/answer round trip with bSeq matching, time extensions and the
//     abort sequence after a command given up on.
//   - slot.go: Slot: PowerOn, Transmit, PowerOff, Status.
//   - events.go: Watch and Events: insertions and removals from the interrupt
//     pipe (NotifySlotChange), or by polling.
//   - frame.go: the bulk and interrupt messages, a strict decoder.
//   - descriptor.go: the CCID class descriptor and dwFeatures.
//   - atr.go: the answer to reset (ISO/IEC 7816-3 §8).
//   - t1.go: the T=1 block protocol.
//   - apdu.go: the length rules of command APDUs (ISO/IEC 7816-4 §5.1).
//   - errors.go: sentinel errors and SlotError.
//
// Package ccidtest holds the simulated reader.
//
// # Example
//
//	r, err := ccid.Open(ctx, host, usb.Match{}, ccid.Options{}) // the one reader attached
//	if err != nil { ... }
//	defer r.Close()
//	for e := range r.Events(ctx) {
//		if e.Kind != ccid.CardInserted { continue }
//		atr, err := r.PowerOn(ctx)
//		...
//		resp, err := r.Transmit(ctx, selectAPDU)
//		if errors.Is(err, ccid.ErrCardRemoved) { ... } // pulled out: wait for the next insertion
//	}
//
// # Errors
//
// Failures name what went wrong with sentinels (ErrNoCard, ErrCardRemoved,
// ErrReaderGone, ErrTimeout, ErrFrame, ErrSequence, ErrT1…) for errors.Is, and a
// command the reader refused is a *SlotError carrying its bStatus and bError.
// The USB layer's own errors stay wrapped underneath.
package ccid
