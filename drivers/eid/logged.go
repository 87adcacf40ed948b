package eid

// logged.go: a Card that logs each exchange's shape, never its contents.

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Logged returns a Card that passes every APDU to card and logs it at debug
// level on log: the command header, the lengths, the status word and the time
// taken. No data field is logged, neither the command's nor the response's —
// personal data and PINs stay out of logs — except the file identifier or AID a
// SELECT names.
func Logged(card Card, log *slog.Logger) Card { return &loggedCard{card: card, log: log} }

type loggedCard struct {
	card Card
	log  *slog.Logger
}

func (c *loggedCard) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	attrs := make([]slog.Attr, 0, 7)
	if len(apdu) >= 4 {
		attrs = append(attrs, slog.String("command", insName(apdu[1])),
			slog.String("header", fmt.Sprintf("%02X %02X %02X %02X", apdu[0], apdu[1], apdu[2], apdu[3])))
		if f, err := commandFields(apdu); err == nil {
			attrs = append(attrs, slog.Int("nc", f.nc), slog.Int("ne", f.ne))
			if apdu[1] == insSelect {
				attrs = append(attrs, slog.String("file", fmt.Sprintf("%X", apdu[f.data:f.data+f.nc])))
			}
		}
	}
	start := time.Now()
	resp, err := c.card.Transmit(ctx, apdu)
	attrs = append(attrs, slog.Duration("took", time.Since(start)))
	switch {
	case err != nil:
		attrs = append(attrs, slog.String("error", err.Error()))
	case len(resp) >= 2:
		n := len(resp) - 2
		attrs = append(attrs, slog.Int("data", n), slog.String("sw", (SW(resp[n])<<8|SW(resp[n+1])).String()))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "eid: apdu", attrs...)
	return resp, err
}
