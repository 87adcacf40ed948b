package ccid

// errors.go: the sentinel errors and SlotError, the reader's own report of a
// failed command.

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors; match them with errors.Is. Failures of the USB layer are
// wrapped as they come (usb.ErrStall, usb.ErrDisconnected…) next to the
// sentinel that says what they mean for a card reader.
var (
	// ErrNotReader: the device has no usable CCID interface, or its CCID class
	// descriptor cannot be read.
	ErrNotReader = errors.New("ccid: not a CCID smart-card reader")
	// ErrUnsupported: the reader or the card needs something this package does
	// not do (character-level exchange, T=0 at TPDU level, CRC in T=1, an
	// extended APDU on a short-APDU reader).
	ErrUnsupported = errors.New("ccid: not supported")
	// ErrNoCard: there is no card in the slot.
	ErrNoCard = errors.New("ccid: no card in the reader")
	// ErrCardRemoved: the card that was powered on has been removed (or removed
	// and put back, which ends its session just the same). PowerOn starts again.
	ErrCardRemoved = errors.New("ccid: card removed")
	// ErrNotPowered: the card has not been powered on (PowerOn first).
	ErrNotPowered = errors.New("ccid: card not powered on")
	// ErrReaderGone: the reader was unplugged or reset; open it again.
	ErrReaderGone = errors.New("ccid: reader gone")
	// ErrTimeout: the reader did not answer in time.
	ErrTimeout = errors.New("ccid: reader did not answer in time")
	// ErrFrame: a CCID message that breaks the specification's framing (a
	// truncated header, a dwLength that disagrees with the bytes received, a
	// message longer than the reader's maximum, an unknown or unexpected type).
	ErrFrame = errors.New("ccid: malformed message")
	// ErrSequence: the reader answered with a bSeq or bSlot that belongs to no
	// command in flight.
	ErrSequence = errors.New("ccid: answer out of sequence")
	// ErrATR: an answer to reset that does not follow ISO/IEC 7816-3.
	ErrATR = errors.New("ccid: malformed ATR")
	// ErrT1: the T=1 block protocol failed (ISO/IEC 7816-3 §11): a malformed
	// block, errors that retransmission did not cure, or a chain the card aborted.
	ErrT1 = errors.New("ccid: T=1 protocol error")
	// ErrAPDU: a command APDU whose length fields do not match its length
	// (ISO/IEC 7816-4 §5.1), or a response without a status word.
	ErrAPDU = errors.New("ccid: malformed APDU")
	// ErrDescriptor: a configuration or CCID class descriptor that cannot be
	// parsed.
	ErrDescriptor = errors.New("ccid: malformed descriptor")
	// ErrWatching: Watch was called while another Watch runs on the reader.
	ErrWatching = errors.New("ccid: the reader is already being watched")
)

// Slot error codes (bError) of a failed command, CCID rev 1.1 §6.2. Values
// 0x01 to 0x7f name the offset of the message field the reader refused.
const (
	ErrorCommandNotSupported     byte = 0x00
	ErrorBadLength               byte = 0x01 // dwLength refused
	ErrorBadSlot                 byte = 0x05 // bSlot refused
	ErrorBadPowerSelect          byte = 0x07 // bPowerSelect refused
	ErrorBadLevelParameter       byte = 0x08 // wLevelParameter refused
	ErrorBadProtocolParameter    byte = 0x0a // first byte of abProtocolData refused
	ErrorCmdSlotBusy             byte = 0xe0
	ErrorPINCancelled            byte = 0xef
	ErrorPINTimeout              byte = 0xf0
	ErrorBusyWithAutoSequence    byte = 0xf2
	ErrorDeactivatedProtocol     byte = 0xf3
	ErrorProcedureByteConflict   byte = 0xf4
	ErrorICCClassNotSupported    byte = 0xf5
	ErrorICCProtocolNotSupported byte = 0xf6
	ErrorBadATRTCK               byte = 0xf7
	ErrorBadATRTS                byte = 0xf8
	ErrorHardware                byte = 0xfb
	ErrorXfrOverrun              byte = 0xfc
	ErrorXfrParity               byte = 0xfd
	ErrorICCMute                 byte = 0xfe
	ErrorCmdAborted              byte = 0xff
)

// ErrorName names a slot error code as the specification does.
func ErrorName(code byte) string {
	switch code {
	case ErrorCommandNotSupported:
		return "command not supported"
	case ErrorCmdSlotBusy:
		return "CMD_SLOT_BUSY"
	case ErrorPINCancelled:
		return "PIN_CANCELLED"
	case ErrorPINTimeout:
		return "PIN_TIMEOUT"
	case ErrorBusyWithAutoSequence:
		return "BUSY_WITH_AUTO_SEQUENCE"
	case ErrorDeactivatedProtocol:
		return "DEACTIVATED_PROTOCOL"
	case ErrorProcedureByteConflict:
		return "PROCEDURE_BYTE_CONFLICT"
	case ErrorICCClassNotSupported:
		return "ICC_CLASS_NOT_SUPPORTED"
	case ErrorICCProtocolNotSupported:
		return "ICC_PROTOCOL_NOT_SUPPORTED"
	case ErrorBadATRTCK:
		return "BAD_ATR_TCK"
	case ErrorBadATRTS:
		return "BAD_ATR_TS"
	case ErrorHardware:
		return "HW_ERROR"
	case ErrorXfrOverrun:
		return "XFR_OVERRUN"
	case ErrorXfrParity:
		return "XFR_PARITY_ERROR"
	case ErrorICCMute:
		return "ICC_MUTE"
	case ErrorCmdAborted:
		return "CMD_ABORTED"
	}
	if code >= 0x01 && code <= 0x7f {
		return fmt.Sprintf("bad parameter at offset %d", code)
	}
	return fmt.Sprintf("error 0x%02x", code)
}

// SlotError is a command the reader answered with bmCommandStatus "failed"
// (CCID rev 1.1 §6.2): the reader's slot status and error registers as sent.
// When the failure means the card is not there, Err is ErrNoCard or
// ErrCardRemoved, so errors.Is finds those too.
type SlotError struct {
	Op     string // "IccPowerOn", "XfrBlock", …
	Slot   int
	Status Status // bStatus
	Code   byte   // bError
	Err    error  // ErrNoCard, ErrCardRemoved or nil
}

// Error reads like "ccid: XfrBlock slot 0: ICC_MUTE (card present, inactive)".
func (e *SlotError) Error() string {
	s := fmt.Sprintf("ccid: %s slot %d: %s (%s)", e.Op, e.Slot, ErrorName(e.Code), e.Status.ICC())
	if e.Err != nil {
		s += ": " + trimPrefix(e.Err.Error())
	}
	return s
}

// Unwrap returns Err.
func (e *SlotError) Unwrap() error { return e.Err }

func trimPrefix(s string) string {
	const p = "ccid: "
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// errorf formats an error prefixed "ccid: " that wraps what %w names, without
// repeating the prefix of a wrapped error of this package: "ccid: slot 0: card
// removed" rather than "ccid: slot 0: ccid: card removed".
func errorf(format string, args ...any) error {
	return &contextError{err: fmt.Errorf("ccid: "+format, args...)}
}

type contextError struct{ err error }

func (e *contextError) Error() string {
	return "ccid: " + strings.ReplaceAll(strings.TrimPrefix(e.err.Error(), "ccid: "), "ccid: ", "")
}
func (e *contextError) Unwrap() error { return e.err }
