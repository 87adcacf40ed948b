package eid

// status.go: the status words SW1-SW2 that end every response APDU, after
// ISO/IEC 7816-4:2020 §5.6 (Table 6 and the tables of each command).

import "fmt"

// SW is a status word: SW1 in the high byte, SW2 in the low byte.
type SW uint16

// Status words the package acts on or names.
const (
	SWOK                   SW = 0x9000
	SWEndOfFile            SW = 0x6282 // fewer than Ne bytes: end of file or record reached
	SWVerifyFailed         SW = 0x6300 // verification failed, no counter given
	SWWrongLength          SW = 0x6700
	SWSecurityStatus       SW = 0x6982
	SWPINBlocked           SW = 0x6983 // authentication method blocked
	SWConditionsNotMet     SW = 0x6985
	SWNoCurrentEF          SW = 0x6986
	SWWrongData            SW = 0x6A80
	SWFunctionNotSupported SW = 0x6A81
	SWFileNotFound         SW = 0x6A82
	SWRecordNotFound       SW = 0x6A83
	SWWrongP1P2            SW = 0x6A86
	SWDataNotFound         SW = 0x6A88
	SWOffsetOutside        SW = 0x6B00 // READ BINARY: offset beyond the end of the file
	SWINSNotSupported      SW = 0x6D00
	SWCLANotSupported      SW = 0x6E00
)

// SW1 returns the first byte.
func (sw SW) SW1() byte { return byte(sw >> 8) }

// SW2 returns the second byte.
func (sw SW) SW2() byte { return byte(sw) }

// OK reports whether the status word is 9000, normal processing.
func (sw SW) OK() bool { return sw == SWOK }

// RetriesLeft returns x of 63Cx: a verification failed, or the counter was read,
// and x tries are left.
func (sw SW) RetriesLeft() (int, bool) {
	if sw&0xFFF0 == 0x63C0 {
		return int(sw & 0x0F), true
	}
	return 0, false
}

// String gives the status word in hex and, for the common ones, its meaning.
func (sw SW) String() string {
	if m := sw.meaning(); m != "" {
		return fmt.Sprintf("%04X (%s)", uint16(sw), m)
	}
	return fmt.Sprintf("%04X", uint16(sw))
}

func (sw SW) meaning() string {
	if n, ok := sw.RetriesLeft(); ok {
		switch n {
		case 0:
			return "verification failed, no tries left"
		case 1:
			return "verification failed, 1 try left"
		}
		return fmt.Sprintf("verification failed, %d tries left", n)
	}
	switch sw.SW1() {
	case 0x61:
		return fmt.Sprintf("%d more bytes to get", lengthByte(sw.SW2()))
	case 0x6C:
		return fmt.Sprintf("wrong Le, %d bytes available", lengthByte(sw.SW2()))
	}
	switch sw {
	case SWOK:
		return "success"
	case 0x6281:
		return "part of the data may be corrupted"
	case SWEndOfFile:
		return "end of file or record reached before Ne bytes"
	case 0x6283:
		return "selected file deactivated"
	case 0x6284:
		return "file control information not formatted"
	case SWVerifyFailed:
		return "verification failed"
	case 0x6400:
		return "execution error"
	case 0x6581:
		return "memory failure"
	case SWWrongLength:
		return "wrong length"
	case 0x6881:
		return "logical channel not supported"
	case 0x6882:
		return "secure messaging not supported"
	case 0x6981:
		return "command incompatible with file structure"
	case SWSecurityStatus:
		return "security status not satisfied"
	case SWPINBlocked:
		return "PIN blocked"
	case 0x6984:
		return "reference data not usable"
	case SWConditionsNotMet:
		return "conditions of use not satisfied"
	case SWNoCurrentEF:
		return "command not allowed, no current EF"
	case SWWrongData:
		return "incorrect parameters in the data field"
	case SWFunctionNotSupported:
		return "function not supported"
	case SWFileNotFound:
		return "file or application not found"
	case SWRecordNotFound:
		return "record not found"
	case 0x6A84:
		return "not enough memory space in the file"
	case SWWrongP1P2:
		return "incorrect parameters P1-P2"
	case SWDataNotFound:
		return "referenced data not found"
	case SWOffsetOutside:
		return "wrong parameters P1-P2, offset outside the file"
	case SWINSNotSupported:
		return "instruction not supported"
	case SWCLANotSupported:
		return "class not supported"
	case 0x6F00:
		return "no precise diagnosis"
	}
	return ""
}

// StatusError is a response whose status word is not 9000.
type StatusError struct {
	SW SW
}

func (e *StatusError) Error() string { return "card status " + e.SW.String() }

// Unwrap gives the sentinel for status words of a known kind: ErrWrongPIN,
// ErrPINBlocked, ErrSecurityStatus or ErrFileNotFound; nil for the others.
func (e *StatusError) Unwrap() error {
	if _, ok := e.SW.RetriesLeft(); ok || e.SW == SWVerifyFailed {
		return ErrWrongPIN
	}
	switch e.SW {
	case SWPINBlocked:
		return ErrPINBlocked
	case SWSecurityStatus:
		return ErrSecurityStatus
	case SWFileNotFound, SWRecordNotFound:
		return ErrFileNotFound
	}
	return nil
}

// lengthByte reads a one-byte length where 00 means 256 (SW2 of 61xx and 6Cxx,
// a short Le).
func lengthByte(b byte) int {
	if b == 0 {
		return 256
	}
	return int(b)
}
