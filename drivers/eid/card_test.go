package eid

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestTransmitGetResponse(t *testing.T) {
	// A T=0 card: a case 4 SELECT answered 61xx, the data fetched with GET
	// RESPONSE, once in two pieces.
	card := &scriptedCard{t: t, steps: []exchangeStep{
		{cmd: "00 A4 02 04 02 50 01 00", resp: "61 0F"},
		{cmd: "00 C0 00 00 0F", resp: "62 0D 80 02 00 0E 82 01 01 83 02 61 10"},
		{cmd: "00 C0 00 00 10", resp: "50 01 8A 01 05 00 00 00 00 00 00 00 00 00 00 00 90 00"},
	}}
	resp, err := Transmit(context.Background(), card, Command{INS: 0xA4, P1: 0x02, P2: 0x04, Data: h("50 01"), Ne: 256})
	card.done()
	want := h("62 0D 80 02 00 0E 82 01 01 83 02 50 01 8A 01 05 00 00 00 00 00 00 00 00 00 00 00")
	if err != nil || resp.SW != SWOK || !bytes.Equal(resp.Data, want) {
		t.Fatalf("Transmit = %X %s, %v, want %X 9000", resp.Data, resp.SW, err, want)
	}
}

func TestTransmitWrongLe(t *testing.T) {
	card := &scriptedCard{t: t, steps: []exchangeStep{
		{cmd: "00 B0 00 10 E7", resp: "6C 05"},
		{cmd: "00 B0 00 10 05", resp: "01 02 03 04 05 62 82"},
	}}
	resp, err := Transmit(context.Background(), card, Command{INS: 0xB0, P2: 0x10, Ne: 0xE7})
	card.done()
	if err != nil || resp.SW != SWEndOfFile || !bytes.Equal(resp.Data, h("01 02 03 04 05")) {
		t.Fatalf("Transmit = %X %s, %v", resp.Data, resp.SW, err)
	}

	// 6C00 means 256; then 61xx on top of it.
	card = &scriptedCard{t: t, steps: []exchangeStep{
		{cmd: "01 CA 01 02 10", resp: "6C 00"},
		{cmd: "01 CA 01 02 00", resp: "AA 61 01"},
		{cmd: "01 C0 00 00 01", resp: "6C 01"}, // even GET RESPONSE may be corrected
		{cmd: "01 C0 00 00 01", resp: "BB 90 00"},
	}}
	resp, err = Transmit(context.Background(), card, Command{CLA: 0x01, INS: 0xCA, P1: 1, P2: 2, Ne: 16})
	card.done()
	if err != nil || !resp.SW.OK() || !bytes.Equal(resp.Data, h("AA BB")) {
		t.Fatalf("Transmit = %X %s, %v", resp.Data, resp.SW, err)
	}
}

func TestTransmitBounds(t *testing.T) {
	ctx := context.Background()
	// A card that always has one more byte.
	endless := &answerCard{resp: h("00 61 01")}
	if _, err := Transmit(ctx, endless, Command{INS: 0xB0, Ne: 1}); !errors.Is(err, ErrResponse) {
		t.Errorf("Transmit to an endless 61xx card: %v, want ErrResponse", err)
	}
	if endless.n != maxGetResponse+1 {
		t.Errorf("endless 61xx card got %d commands, want %d", endless.n, maxGetResponse+1)
	}
	// A card that is never satisfied with Le.
	fussy := &answerCard{resp: h("6C 10")}
	if _, err := Transmit(ctx, fussy, Command{INS: 0xB0, Ne: 1}); !errors.Is(err, ErrResponse) {
		t.Errorf("Transmit to an endless 6Cxx card: %v, want ErrResponse", err)
	}
	if fussy.n != maxWrongLe+1 {
		t.Errorf("endless 6Cxx card got %d commands, want %d", fussy.n, maxWrongLe+1)
	}
	// More than 65536 bytes gathered.
	big := &answerCard{resp: append(make([]byte, 256), 0x61, 0x00)}
	if _, err := Transmit(ctx, big, Command{INS: 0xB0, Ne: 256}); !errors.Is(err, ErrResponse) {
		t.Errorf("Transmit gathering too much: %v, want ErrResponse", err)
	}
	// An answer without a status word.
	if _, err := Transmit(ctx, &answerCard{resp: h("90")}, Command{INS: 0xB0, Ne: 1}); !errors.Is(err, ErrResponse) {
		t.Errorf("Transmit of a one-byte answer: %v, want ErrResponse", err)
	}
	// A cancelled context stops before the card is spoken to.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	quiet := &answerCard{resp: h("90 00")}
	if _, err := Transmit(cctx, quiet, Command{INS: 0xB0, Ne: 1}); !errors.Is(err, context.Canceled) || quiet.n != 0 {
		t.Errorf("Transmit with a cancelled context: %v after %d commands", err, quiet.n)
	}
}

func TestTransmitCardError(t *testing.T) {
	card := &scriptedCard{t: t, steps: []exchangeStep{{cmd: "00 B0 00 00 E7", err: errUnplugged}}}
	_, err := Transmit(context.Background(), card, Command{INS: 0xB0, Ne: 0xE7})
	if !errors.Is(err, errUnplugged) || !strings.HasPrefix(err.Error(), "eid: READ BINARY: ") {
		t.Errorf("Transmit = %v, want the card's error after eid: READ BINARY:", err)
	}
}

func TestDo(t *testing.T) {
	card := &scriptedCard{t: t, steps: []exchangeStep{
		{cmd: "00 A4 04 0C 02 A0 00", resp: "6A 82"},
		{cmd: "00 B0 00 00 02", resp: "01 02 90 00"},
	}}
	_, err := Do(context.Background(), card, Command{INS: 0xA4, P1: 4, P2: 0x0C, Data: h("A0 00")})
	var se *StatusError
	if !errors.As(err, &se) || se.SW != SWFileNotFound || !errors.Is(err, ErrFileNotFound) {
		t.Errorf("Do = %v, want *StatusError 6A82", err)
	}
	data, err := Do(context.Background(), card, Command{INS: 0xB0, Ne: 2})
	if err != nil || !bytes.Equal(data, h("01 02")) {
		t.Errorf("Do = %X, %v", data, err)
	}
	card.done()
}

func TestGetResponseCLA(t *testing.T) {
	for cla, want := range map[byte]byte{0x00: 0x00, 0x03: 0x03, 0x10: 0x00, 0x0C: 0x00, 0x80: 0x00, 0x41: 0x41, 0x51: 0x41, 0x8C: 0x00} {
		if got := getResponseCLA(cla); got != want {
			t.Errorf("getResponseCLA(%02X) = %02X, want %02X", cla, got, want)
		}
	}
}
