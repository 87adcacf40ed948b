package pcsc

// errors.go: what the PC/SC return codes mean for the kiosk. The failures a
// card reader has whatever drives it (card removed, reader gone, timeout, no
// card) match the CCID driver's sentinels, so code above both asks
// errors.Is(err, ccid.ErrCardRemoved) once, whichever reader stack is in use.

import (
	"errors"
	"fmt"
	"slices"

	"certkiosk/drivers/ccid"
)

// Sentinel errors of this package; match them with errors.Is. The shared
// reader failures are ccid.ErrCardRemoved, ccid.ErrReaderGone, ccid.ErrTimeout
// and ccid.ErrNoCard.
var (
	// ErrNoService: no PC/SC service answers (pcscd is not running, or on
	// Windows the Smart Card service is stopped). An error that ends a
	// connection already made matches ccid.ErrReaderGone too.
	ErrNoService = errors.New("pcsc: no PC/SC service (is pcscd running?)")
	// ErrBusy: another program holds the reader or the card exclusively.
	ErrBusy = errors.New("pcsc: reader in use by another program")
	// ErrProtocol: the card and the reader agree on neither T=0 nor T=1.
	ErrProtocol = errors.New("pcsc: no protocol in common with the card")
	// ErrCardUnusable: the card is there but does not answer a reset, is not
	// powered or is not supported by the reader.
	ErrCardUnusable = errors.New("pcsc: the card does not answer")
	// ErrAPDU: a command APDU this package will not send (shorter than a
	// header, longer than an extended APDU can be), or a response without a
	// status word.
	ErrAPDU = errors.New("pcsc: malformed APDU")
	// ErrClosed: the Card or Context has been closed.
	ErrClosed = errors.New("pcsc: closed")
)

// Code is a PC/SC return code (SCARD_S_SUCCESS, SCARD_E_…, SCARD_W_…, SCARD_F_…),
// the same numbers on pcsc-lite, Windows and macOS.
type Code uint32

// codeInfo is what a return code is called and what it means here.
type codeInfo struct {
	name string
	err  error // the sentinel it matches, nil for none
}

// codes names the return codes of winscard.h (PC/SC Workgroup specification
// part 5, and pcsc-lite's pcsclite.h). Those that mean a reader failure the
// CCID driver knows too point at its sentinel.
var codes = map[Code]codeInfo{
	0x00000000: {"SCARD_S_SUCCESS", nil},
	0x80100001: {"SCARD_F_INTERNAL_ERROR", nil},
	0x80100002: {"SCARD_E_CANCELLED", nil},
	0x80100003: {"SCARD_E_INVALID_HANDLE", ErrClosed},
	0x80100004: {"SCARD_E_INVALID_PARAMETER", nil},
	0x80100005: {"SCARD_E_INVALID_TARGET", nil},
	0x80100006: {"SCARD_E_NO_MEMORY", nil},
	0x80100007: {"SCARD_F_WAITED_TOO_LONG", ccid.ErrTimeout},
	0x80100008: {"SCARD_E_INSUFFICIENT_BUFFER", nil},
	0x80100009: {"SCARD_E_UNKNOWN_READER", ccid.ErrReaderGone},
	0x8010000A: {"SCARD_E_TIMEOUT", ccid.ErrTimeout},
	0x8010000B: {"SCARD_E_SHARING_VIOLATION", ErrBusy},
	0x8010000C: {"SCARD_E_NO_SMARTCARD", ccid.ErrNoCard},
	0x8010000D: {"SCARD_E_UNKNOWN_CARD", nil},
	0x8010000E: {"SCARD_E_CANT_DISPOSE", nil},
	0x8010000F: {"SCARD_E_PROTO_MISMATCH", ErrProtocol},
	0x80100010: {"SCARD_E_NOT_READY", nil},
	0x80100011: {"SCARD_E_INVALID_VALUE", nil},
	0x80100012: {"SCARD_E_SYSTEM_CANCELLED", nil},
	0x80100013: {"SCARD_F_COMM_ERROR", ccid.ErrReaderGone},
	0x80100014: {"SCARD_F_UNKNOWN_ERROR", nil},
	0x80100015: {"SCARD_E_INVALID_ATR", ErrCardUnusable},
	0x80100016: {"SCARD_E_NOT_TRANSACTED", nil},
	0x80100017: {"SCARD_E_READER_UNAVAILABLE", ccid.ErrReaderGone},
	0x80100018: {"SCARD_P_SHUTDOWN", nil},
	0x80100019: {"SCARD_E_PCI_TOO_SMALL", nil},
	0x8010001A: {"SCARD_E_READER_UNSUPPORTED", nil},
	0x8010001B: {"SCARD_E_DUPLICATE_READER", nil},
	0x8010001C: {"SCARD_E_CARD_UNSUPPORTED", ErrCardUnusable},
	0x8010001D: {"SCARD_E_NO_SERVICE", ErrNoService},
	0x8010001E: {"SCARD_E_SERVICE_STOPPED", ErrNoService},
	0x8010001F: {"SCARD_E_UNEXPECTED", nil},
	0x8010002E: {"SCARD_E_NO_READERS_AVAILABLE", nil},
	0x8010002F: {"SCARD_E_COMM_DATA_LOST", nil},
	0x80100065: {"SCARD_W_UNSUPPORTED_CARD", ErrCardUnusable},
	0x80100066: {"SCARD_W_UNRESPONSIVE_CARD", ErrCardUnusable},
	0x80100067: {"SCARD_W_UNPOWERED_CARD", ErrCardUnusable},
	0x80100068: {"SCARD_W_RESET_CARD", ccid.ErrCardRemoved},
	0x80100069: {"SCARD_W_REMOVED_CARD", ccid.ErrCardRemoved},
}

// Return codes this package acts on.
const (
	codeSuccess        Code = 0x00000000
	codeCancelled      Code = 0x80100002
	codeInvalidHandle  Code = 0x80100003
	codeInvalidParam   Code = 0x80100004
	codeUnknownReader  Code = 0x80100009
	codeTimeout        Code = 0x8010000A
	codeNoSmartcard    Code = 0x8010000C
	codeProtoMismatch  Code = 0x8010000F
	codeNotTransacted  Code = 0x80100016
	codeNoService      Code = 0x8010001D
	codeServiceStopped Code = 0x8010001E
	codeNoReaders      Code = 0x8010002E
	codeRemovedCard    Code = 0x80100069
	codeResetCard      Code = 0x80100068
)

// String is the code's name in winscard.h, or its number.
func (c Code) String() string {
	if i, ok := codes[c]; ok {
		return i.name
	}
	return fmt.Sprintf("0x%08X", uint32(c))
}

// Error is a PC/SC call that failed: which call, on which reader, the return
// code, and the sentinel it means. errors.Is finds the sentinel (and
// ccid.ErrReaderGone for a service lost after it was reached, and context
// errors for a call given up on); errors.As finds the *Error for its Code.
type Error struct {
	Op     string // "SCardTransmit", "SCardConnect", …
	Reader string // empty for calls not on one reader
	Code   Code
	// Err is what the failure means (a sentinel of this package or of ccid),
	// nil when it has no meaning beyond its code.
	Err error
	// also holds further errors the failure matches: ccid.ErrReaderGone for a
	// service lost mid-session, ctx.Err() for a wait given up.
	also []error
}

// Error reads like `pcsc: SCardTransmit "Virtual PCD 00 00": card removed
// (SCARD_W_REMOVED_CARD)`.
func (e *Error) Error() string {
	s := "pcsc: " + e.Op
	if e.Reader != "" {
		s += fmt.Sprintf(" %q", e.Reader)
	}
	if slices.Contains(e.also, ccid.ErrReaderGone) {
		s += ": reader gone" // the service lost mid-session
	}
	switch {
	case e.Err != nil && e.Code == codeSuccess: // the call succeeded, its result did not
		return s + ": " + trimPrefix(e.Err.Error())
	case e.Err != nil:
		return s + ": " + trimPrefix(e.Err.Error()) + " (" + e.Code.String() + ")"
	}
	return s + ": " + e.Code.String()
}

// Unwrap returns what the failure means.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 1+len(e.also))
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return append(errs, e.also...)
}

// trimPrefix drops a driver's package prefix from a sentinel's text, which
// Error already begins with its own.
func trimPrefix(s string) string {
	for _, p := range []string{"pcsc: ", "ccid: "} {
		if len(s) > len(p) && s[:len(p)] == p {
			return s[len(p):]
		}
	}
	return s
}

// codeError makes the error of a failed call, nil for SCARD_S_SUCCESS.
// connected says a service connection existed before the call, so that losing
// the service means the reader is gone.
func codeError(op, reader string, code Code, connected bool) error {
	if code == codeSuccess {
		return nil
	}
	e := &Error{Op: op, Reader: reader, Code: code, Err: codes[code].err}
	if connected && (code == codeNoService || code == codeServiceStopped) {
		e.also = append(e.also, ccid.ErrReaderGone)
	}
	return e
}

// removedError says the card of a session on reader was pulled out, with the
// call that found it out.
func removedError(op, reader string, code Code) error {
	return &Error{Op: op, Reader: reader, Code: code, Err: ccid.ErrCardRemoved}
}
