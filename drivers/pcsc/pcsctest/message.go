package pcsctest

// message.go: vpcd's framing — a 2-byte big-endian length, then the bytes.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// vpcd's control messages (vsmartcard's vpcd.h, VPCD_CTRL_*).
const (
	CtrlOff   byte = 0x00
	CtrlOn    byte = 0x01
	CtrlReset byte = 0x02
	CtrlATR   byte = 0x04
)

// MaxMessage is the longest message the framing can carry.
const MaxMessage = 0xFFFF

// ErrMessage is a message that breaks the framing.
var ErrMessage = errors.New("pcsctest: malformed vpcd message")

// ReadMessage reads one message. A stream that ends between messages is
// io.EOF; one that ends inside a message is io.ErrUnexpectedEOF.
func ReadMessage(r io.Reader) ([]byte, error) {
	var n [2]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	size := int(binary.BigEndian.Uint16(n[:]))
	if size == 0 {
		return nil, fmt.Errorf("%w: length 0", ErrMessage)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return b, nil
}

// WriteMessage writes p as one message, in one Write.
func WriteMessage(w io.Writer, p []byte) error {
	if len(p) == 0 || len(p) > MaxMessage {
		return fmt.Errorf("%w: %d bytes, want 1 to %d", ErrMessage, len(p), MaxMessage)
	}
	b := make([]byte, 2+len(p))
	binary.BigEndian.PutUint16(b, uint16(len(p)))
	copy(b[2:], p)
	_, err := w.Write(b)
	return err
}
