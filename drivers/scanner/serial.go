package scanner

// serial.go: Serial, a scanner on a USB CDC ACM virtual serial port (CDC 1.2,
// PSTN 1.2): the read arrives as text on the data interface's bulk IN endpoint,
// each line ended by CR, LF or CR LF, or by a configured suffix.

import (
	"context"
	"fmt"

	"certkiosk/drivers/usb"
)

// serialBuffer is the size of a bulk IN read: a multiple of every bulk packet
// size (64 at full speed, 512 at high speed).
const serialBuffer = 4096

// Serial is a serial-mode scanner. Its methods may be called from several
// goroutines; Next calls are served one at a time.
type Serial struct {
	*conn
	fr  *framer
	buf []byte
}

var _ Scanner = (*Serial)(nil)

// newSerial raises DTR and RTS on the control interface: many CDC devices,
// scanners among them, send nothing until the host says a terminal is there.
func newSerial(ctx context.Context, c *conn) (*Serial, error) {
	if comm := c.choice.Comm; comm != nil {
		s := usb.Setup{
			RequestType: usb.RequestOut | usb.RequestClass | usb.RecipientInterface,
			Request:     requestSetControlLineState,
			Value:       controlLineDTR | controlLineRTS,
			Index:       uint16(comm.Number),
		}
		if _, err := c.dev.Control(ctx, s, nil); optional(err) != nil {
			return nil, fmt.Errorf("scanner: %s: SET_CONTROL_LINE_STATE: %w", c.info, err)
		}
	}
	return &Serial{conn: c, buf: make([]byte, serialBuffer)}, nil
}

// Next waits for the next scan: the text up to a line end after which the port
// stays quiet for the gap, or up to the suffix.
func (s *Serial) Next(ctx context.Context) ([]byte, error) {
	return s.nextFromStream(ctx, s.fr, s.buf, func(dst, p []byte) ([]byte, error) {
		return append(dst, p...), nil
	})
}
