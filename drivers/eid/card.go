package eid

// card.go: the Card a reader gives, and Transmit, which sends one command and
// gathers the whole answer: GET RESPONSE while the card says 61xx, the command
// again with the corrected Le when it says 6Cxx (ISO/IEC 7816-4 §5.3.4 and the
// T=0 rules of ISO/IEC 7816-3 §12.2.5).

import (
	"context"
	"fmt"
)

// Card is a card in a reader, spoken to one APDU at a time. The USB CCID reader
// (drivers/ccid), a PC/SC reader (drivers/pcsc) and the simulated card (eidtest)
// all give one.
//
// Transmit sends a command APDU and returns the response APDU, SW1 SW2 included.
// It must not keep apdu after it returns: Transmit zeroes a command that carries
// a PIN. A card pulled out, a reader gone or ctx done is an error.
type Card interface {
	Transmit(ctx context.Context, apdu []byte) ([]byte, error)
}

// Bounds on one exchange, so that a card answering nonsense cannot keep the
// kiosk waiting or make it gather memory without end.
const (
	// maxGetResponse is how many GET RESPONSE commands one command may need: 256
	// answers of 256 bytes already hold the longest response there is.
	maxGetResponse = 256
	// maxWrongLe is how often a card may answer 6Cxx to one command.
	maxWrongLe = 2
)

// insGetResponse is GET RESPONSE (ISO/IEC 7816-4 §11.7.1).
const insGetResponse = 0xC0

// Transmit sends cmd to card and returns the complete response:
//   - 6Cxx (wrong Le, xx available): the command is sent again with Ne = xx, at
//     most twice;
//   - 61xx (xx more bytes): GET RESPONSE with Ne = xx, again while the card says
//     61xx, the data gathered in order, at most 256 times and 65536 bytes.
//
// Any other status word is returned in the Response, not as an error: use
// Response.Err or Do. Errors are the Card's (wrapped), ErrCommand for a command
// that cannot be encoded and ErrResponse for an answer that is not one.
func Transmit(ctx context.Context, card Card, cmd Command) (Response, error) {
	resp, err := transmit(ctx, card, cmd)
	return resp, prefixed(err)
}

// transmit is Transmit with errors not yet prefixed.
func transmit(ctx context.Context, card Card, cmd Command) (Response, error) {
	resp, err := exchange(ctx, card, cmd)
	if err != nil {
		return Response{}, err
	}
	if resp.SW.SW1() != 0x61 {
		return resp, nil
	}
	data := resp.Data
	for rounds := 0; resp.SW.SW1() == 0x61; rounds++ {
		if rounds == maxGetResponse {
			return Response{}, fmt.Errorf("%w: still 61xx after %d GET RESPONSE commands", ErrResponse, rounds)
		}
		get := Command{CLA: getResponseCLA(cmd.CLA), INS: insGetResponse, Ne: lengthByte(resp.SW.SW2())}
		if resp, err = exchange(ctx, card, get); err != nil {
			return Response{}, err
		}
		if len(data)+len(resp.Data) > MaxExtendedNe {
			return Response{}, fmt.Errorf("%w: more than %d bytes through GET RESPONSE", ErrResponse, MaxExtendedNe)
		}
		data = append(data, resp.Data...)
	}
	resp.Data = data
	return resp, nil
}

// exchange sends cmd, and again with the Le the card asks for while it answers
// 6Cxx.
func exchange(ctx context.Context, card Card, cmd Command) (Response, error) {
	for tries := 0; ; tries++ {
		if err := ctx.Err(); err != nil {
			return Response{}, err
		}
		resp, err := send(ctx, card, cmd)
		if err != nil || resp.SW.SW1() != 0x6C {
			return resp, err
		}
		if tries == maxWrongLe {
			return Response{}, fmt.Errorf("%w: %s again after correcting Le %d times", ErrResponse, resp.SW, tries)
		}
		cmd.Ne = lengthByte(resp.SW.SW2())
	}
}

// send is one Card.Transmit, the encoded command zeroed afterwards when it is
// secret.
func send(ctx context.Context, card Card, cmd Command) (Response, error) {
	apdu, err := cmd.appendEncode(nil)
	if err != nil {
		return Response{}, err
	}
	raw, err := card.Transmit(ctx, apdu)
	if cmd.Secret {
		clear(apdu)
	}
	if err != nil {
		return Response{}, fmt.Errorf("%s: %w", insName(cmd.INS), err)
	}
	resp, err := parseResponse(raw)
	if err != nil {
		return Response{}, fmt.Errorf("%s: %w", insName(cmd.INS), err)
	}
	return resp, nil
}

// getResponseCLA keeps the logical channel of an interindustry class byte
// (ISO/IEC 7816-4 §5.4.1) and drops command chaining and secure messaging; a
// proprietary class gets GET RESPONSE in class 00.
func getResponseCLA(cla byte) byte {
	switch {
	case cla&0x80 != 0:
		return 0x00
	case cla&0x40 != 0: // further interindustry class: channels 4 to 19
		return cla & 0x4F
	}
	return cla & 0x03
}

// Do is Transmit for commands that must succeed: it returns the data of a 9000
// answer, and a *StatusError for any other status word.
func Do(ctx context.Context, card Card, cmd Command) ([]byte, error) {
	data, err := do(ctx, card, cmd)
	return data, prefixed(err)
}

// do is Do with errors not yet prefixed.
func do(ctx context.Context, card Card, cmd Command) ([]byte, error) {
	resp, err := transmit(ctx, card, cmd)
	if err != nil {
		return nil, err
	}
	if err := resp.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", insName(cmd.INS), err)
	}
	return resp.Data, nil
}

// prefixed puts the package name before an error that leaves the package.
func prefixed(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("eid: %w", err)
}

// insName names an instruction for errors and logs.
func insName(ins byte) string {
	switch ins {
	case insSelect:
		return "SELECT"
	case insReadBinary:
		return "READ BINARY"
	case insReadRecord:
		return "READ RECORD"
	case insVerify:
		return "VERIFY"
	case insGetResponse:
		return "GET RESPONSE"
	case 0x24:
		return "CHANGE REFERENCE DATA"
	case 0x2C:
		return "RESET RETRY COUNTER"
	}
	return fmt.Sprintf("INS %02X", ins)
}
