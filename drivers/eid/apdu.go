package eid

// apdu.go: command and response APDUs, after ISO/IEC 7816-4:2020 §5.1 (the four
// cases, short and extended length fields) and §5.6 (the response trailer).

import (
	"fmt"
)

// Limits of the length fields (ISO/IEC 7816-4 §5.1).
const (
	MaxShortNc    = 255   // a short Lc field
	MaxShortNe    = 256   // a short Le field, written 00
	MaxExtendedNc = 65535 // an extended Lc field
	MaxExtendedNe = 65536 // an extended Le field, written 0000
)

// Command is a command APDU.
type Command struct {
	CLA, INS, P1, P2 byte
	// Data is the command data field; its length is Nc.
	Data []byte
	// Ne is the most response data bytes expected: 0 for no Le field, 1 to 256
	// for a short one (256 is written 00), up to 65536 for an extended one
	// (65536 is written 0000).
	Ne int
	// Extended forces extended length fields. Without it they are used only when
	// Nc > 255 or Ne > 256.
	Extended bool
	// Secret marks the data field as a secret (a PIN): Transmit zeroes the encoded
	// command after sending it, and Logged never shows it.
	Secret bool
}

// Case returns the ISO/IEC 7816-4 case of the command: 1 (no data, no Le),
// 2 (Le only), 3 (data only) or 4 (data and Le).
func (c Command) Case() int {
	switch {
	case len(c.Data) == 0 && c.Ne == 0:
		return 1
	case len(c.Data) == 0:
		return 2
	case c.Ne == 0:
		return 3
	}
	return 4
}

// IsExtended reports whether the command is encoded with extended length fields.
func (c Command) IsExtended() bool {
	return c.Extended && c.Case() != 1 || len(c.Data) > MaxShortNc || c.Ne > MaxShortNe
}

// Encode returns the command's bytes: the header, then per case the Lc field and
// the data and the Le field (ISO/IEC 7816-4 §5.1, Table 1 and Figure 3). It fails
// with ErrCommand when Nc or Ne is out of range.
func (c Command) Encode() ([]byte, error) {
	return c.AppendEncode(nil)
}

// AppendEncode is Encode, appending to dst.
func (c Command) AppendEncode(dst []byte) ([]byte, error) {
	b, err := c.appendEncode(dst)
	return b, prefixed(err)
}

func (c Command) appendEncode(dst []byte) ([]byte, error) {
	nc := len(c.Data)
	if nc > MaxExtendedNc {
		return dst, fmt.Errorf("%w: %d data bytes, at most %d", ErrCommand, nc, MaxExtendedNc)
	}
	if c.Ne < 0 || c.Ne > MaxExtendedNe {
		return dst, fmt.Errorf("%w: Ne %d, want 0 to %d", ErrCommand, c.Ne, MaxExtendedNe)
	}
	dst = append(dst, c.CLA, c.INS, c.P1, c.P2)
	ext := c.IsExtended()
	if nc > 0 {
		if ext {
			dst = append(dst, 0x00, byte(nc>>8), byte(nc))
		} else {
			dst = append(dst, byte(nc))
		}
		dst = append(dst, c.Data...)
	}
	if c.Ne > 0 {
		switch {
		case !ext:
			dst = append(dst, byte(c.Ne)) // 256 becomes 00
		case nc == 0:
			// Case 2E: the Le field is 00 and two bytes (ISO/IEC 7816-4 §5.1).
			dst = append(dst, 0x00, byte(c.Ne>>8), byte(c.Ne)) // 65536 becomes 0000
		default:
			// Case 4E: the two bytes alone, the Lc field already began with 00.
			dst = append(dst, byte(c.Ne>>8), byte(c.Ne))
		}
	}
	return dst, nil
}

// ParseCommand reads a command APDU back from its bytes, the inverse of Encode.
// The simulated card uses it; it fails with ErrCommand on any length that does
// not add up.
func ParseCommand(b []byte) (Command, error) {
	f, err := commandFields(b)
	if err != nil {
		return Command{}, prefixed(err)
	}
	c := Command{CLA: b[0], INS: b[1], P1: b[2], P2: b[3], Ne: f.ne, Extended: f.extended}
	if f.nc > 0 {
		c.Data = append([]byte(nil), b[f.data:f.data+f.nc]...)
	}
	return c, nil
}

// fields is where a command APDU's parts are.
type fields struct {
	nc, ne   int
	data     int // offset of the data field
	extended bool
}

// commandFields finds the parts of a command APDU without copying any of it.
func commandFields(b []byte) (fields, error) {
	bad := func(why string) (fields, error) {
		return fields{}, fmt.Errorf("%w: %s (%d bytes)", ErrCommand, why, len(b))
	}
	if len(b) < 4 {
		return bad("shorter than a header")
	}
	body := b[4:]
	var f fields
	switch {
	case len(body) == 0: // case 1
	case len(body) == 1: // case 2S
		f.ne = lengthByte(body[0])
	case body[0] != 0: // case 3S or 4S
		f.nc, f.data = int(body[0]), 5
		switch len(body) {
		case 1 + f.nc:
		case 2 + f.nc:
			f.ne = lengthByte(body[1+f.nc])
		default:
			return bad("Lc does not match the body")
		}
	case len(body) == 3: // case 2E
		f.extended = true
		f.ne = extendedNe(body[1], body[2])
	default: // case 3E or 4E
		if len(body) < 3 {
			return bad("truncated extended length")
		}
		f.extended = true
		f.nc, f.data = int(body[1])<<8|int(body[2]), 7
		if f.nc == 0 {
			return bad("extended Lc of 0")
		}
		switch len(body) {
		case 3 + f.nc:
		case 5 + f.nc:
			f.ne = extendedNe(body[3+f.nc], body[4+f.nc])
		default:
			return bad("extended Lc does not match the body")
		}
	}
	return f, nil
}

func extendedNe(hi, lo byte) int {
	if n := int(hi)<<8 | int(lo); n != 0 {
		return n
	}
	return MaxExtendedNe
}

// Response is a response APDU: the data field and the status word.
type Response struct {
	Data []byte
	SW   SW
}

// Err returns nil for 9000 and a *StatusError for any other status word.
func (r Response) Err() error {
	if r.SW.OK() {
		return nil
	}
	return &StatusError{SW: r.SW}
}

// maxResponse is the longest response APDU: 65536 data bytes and the trailer.
const maxResponse = MaxExtendedNe + 2

// ParseResponse splits a response APDU into its data and status word. The data is
// a copy, so b may be reused. It fails with ErrResponse when b is shorter than the
// trailer or longer than any response can be.
func ParseResponse(b []byte) (Response, error) {
	r, err := parseResponse(b)
	return r, prefixed(err)
}

func parseResponse(b []byte) (Response, error) {
	if len(b) < 2 {
		return Response{}, fmt.Errorf("%w: %d bytes, want at least SW1 SW2", ErrResponse, len(b))
	}
	if len(b) > maxResponse {
		return Response{}, fmt.Errorf("%w: %d bytes, more than %d", ErrResponse, len(b), maxResponse)
	}
	n := len(b) - 2
	r := Response{SW: SW(b[n])<<8 | SW(b[n+1])}
	if n > 0 {
		r.Data = append([]byte(nil), b[:n]...)
	}
	return r, nil
}

// Bytes returns the response's bytes, data then SW1 SW2.
func (r Response) Bytes() []byte {
	return append(append(make([]byte, 0, len(r.Data)+2), r.Data...), r.SW.SW1(), r.SW.SW2())
}
