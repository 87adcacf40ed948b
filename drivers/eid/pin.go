package eid

// pin.go: VERIFY (ISO/IEC 7816-4:2020 §11.5.6): a PIN presented to the card, and
// the tries left read without presenting one.

import (
	"context"
	"fmt"
)

// PINFormat is how a card wants one of its PINs in VERIFY.
type PINFormat struct {
	// Name is how the holder knows the PIN ("PIN1"), for errors.
	Name string
	// Ref is P2 of VERIFY: the reference of the PIN on the card.
	Ref byte
	// MinLen and MaxLen bound the number of digits.
	MinLen, MaxLen int
	// PadTo, when not 0, is the length of the data field: the digits then
	// PadByte up to it.
	PadTo   int
	PadByte byte
}

// Verify presents pin to the card: its ASCII digits, padded as f says. The pin
// bytes are zeroed before Verify returns, whatever happens, and so is every copy
// made of them; nothing of the PIN is ever logged or put in an error. A PIN of the
// wrong length or with anything but digits fails with ErrPINFormat without being
// sent. A wrong PIN is a *StatusError 63Cx matching ErrWrongPIN, whose
// RetriesLeft says how many tries are left; a blocked PIN is a *StatusError 6983
// matching ErrPINBlocked.
func Verify(ctx context.Context, card Card, f PINFormat, pin []byte) error {
	defer clear(pin)
	if len(pin) < f.MinLen || len(pin) > f.MaxLen {
		return fmt.Errorf("eid: %s: %w: %d digits, want %d to %d", f.Name, ErrPINFormat, len(pin), f.MinLen, f.MaxLen)
	}
	for _, c := range pin {
		if c < '0' || c > '9' {
			return fmt.Errorf("eid: %s: %w: not all digits", f.Name, ErrPINFormat)
		}
	}
	data := make([]byte, max(len(pin), f.PadTo))
	defer clear(data)
	copy(data, pin)
	for i := len(pin); i < len(data); i++ {
		data[i] = f.PadByte
	}
	resp, err := transmit(ctx, card, Command{INS: insVerify, P2: f.Ref, Data: data, Secret: true})
	if err != nil {
		return fmt.Errorf("eid: %s: %w", f.Name, err)
	}
	if err := resp.Err(); err != nil {
		return fmt.Errorf("eid: %s: VERIFY: %w", f.Name, err)
	}
	return nil
}

// PINRetries asks the card how many tries the PIN has left: VERIFY with no data,
// which a card answers with 63Cx (or 9000 when the PIN is already verified in
// this session, reported as -1), and with 6983 when the PIN is blocked (0).
func PINRetries(ctx context.Context, card Card, f PINFormat) (int, error) {
	resp, err := transmit(ctx, card, Command{INS: insVerify, P2: f.Ref})
	if err != nil {
		return 0, fmt.Errorf("eid: %s: %w", f.Name, err)
	}
	if n, ok := resp.SW.RetriesLeft(); ok {
		return n, nil
	}
	switch resp.SW {
	case SWOK:
		return -1, nil
	case SWPINBlocked:
		return 0, nil
	}
	return 0, fmt.Errorf("eid: %s: VERIFY: %w", f.Name, resp.Err())
}
