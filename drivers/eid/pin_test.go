package eid

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// keepingCard keeps the command buffers it was given, to see what happens to
// them afterwards, and answers each with resp.
type keepingCard struct {
	got  [][]byte
	seen [][]byte // copies, as sent
	resp []byte
}

func (c *keepingCard) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	c.got = append(c.got, apdu)
	c.seen = append(c.seen, bytes.Clone(apdu))
	return c.resp, nil
}

func idemiaPIN1() PINFormat {
	f, _ := LayoutIDEMIA.PIN1()
	return f
}

func TestVerifyWipesThePIN(t *testing.T) {
	for _, resp := range []string{"90 00", "63 C2", "69 83"} {
		card := &keepingCard{resp: h(resp)}
		pin := []byte("4321")
		err := Verify(context.Background(), card, idemiaPIN1(), pin)
		if len(card.got) != 1 {
			t.Fatalf("%s: %d commands sent, want 1", resp, len(card.got))
		}
		if want := h("00 20 00 01 0C 34 33 32 31 FF FF FF FF FF FF FF FF"); !bytes.Equal(card.seen[0], want) {
			t.Errorf("%s: VERIFY sent as %X, want %X", resp, card.seen[0], want)
		}
		if !bytes.Equal(pin, make([]byte, 4)) {
			t.Errorf("%s: the PIN is %q after Verify, want zeroes", resp, pin)
		}
		if !bytes.Equal(card.got[0], make([]byte, len(card.got[0]))) {
			t.Errorf("%s: the command buffer is %X after Verify, want zeroes", resp, card.got[0])
		}
		if err != nil && strings.Contains(err.Error(), "4321") {
			t.Errorf("%s: the error %q shows the PIN", resp, err)
		}
	}
}

func TestVerifyErrors(t *testing.T) {
	ctx := context.Background()
	card := &keepingCard{resp: h("63 C1")}
	err := Verify(ctx, card, idemiaPIN1(), []byte("0000"))
	var se *StatusError
	if !errors.Is(err, ErrWrongPIN) || !errors.As(err, &se) {
		t.Fatalf("Verify(wrong) = %v, want ErrWrongPIN", err)
	}
	if n, ok := se.SW.RetriesLeft(); !ok || n != 1 {
		t.Errorf("RetriesLeft() = %d, %t, want 1", n, ok)
	}
	card = &keepingCard{resp: h("69 83")}
	if err := Verify(ctx, card, idemiaPIN1(), []byte("0000")); !errors.Is(err, ErrPINBlocked) {
		t.Errorf("Verify(blocked) = %v, want ErrPINBlocked", err)
	}
	// PINs the card would refuse are not sent, and still wiped.
	for _, pin := range []string{"123", "1234567890123", "12a4", ""} {
		card := &keepingCard{resp: h("90 00")}
		b := []byte(pin)
		if err := Verify(ctx, card, idemiaPIN1(), b); !errors.Is(err, ErrPINFormat) || len(card.got) != 0 {
			t.Errorf("Verify(%q) = %v after %d commands, want ErrPINFormat and none", pin, err, len(card.got))
		}
		if !bytes.Equal(b, make([]byte, len(b))) {
			t.Errorf("Verify(%q) left the PIN as %q", pin, b)
		}
	}
	// EstEID 3.x: no padding.
	f, _ := LayoutEstEID3.PIN1()
	card = &keepingCard{resp: h("90 00")}
	if err := Verify(ctx, card, f, []byte("12345")); err != nil || !bytes.Equal(card.seen[0], h("00 20 00 01 05 31 32 33 34 35")) {
		t.Errorf("Verify(EstEID 3.x) sent %X, %v", card.seen, err)
	}
	if _, ok := LayoutThales.PIN1(); ok {
		t.Error("LayoutThales.PIN1() is known; doc.go says it is not")
	}
}

func TestPINRetries(t *testing.T) {
	for resp, want := range map[string]int{"63 C3": 3, "63 C0": 0, "69 83": 0, "90 00": -1} {
		card := &keepingCard{resp: h(resp)}
		n, err := PINRetries(context.Background(), card, idemiaPIN1())
		if err != nil || n != want || !bytes.Equal(card.seen[0], h("00 20 00 01")) {
			t.Errorf("PINRetries after %s = %d, %v (sent %X), want %d", resp, n, err, card.seen[0], want)
		}
	}
	if _, err := PINRetries(context.Background(), &keepingCard{resp: h("6A 88")}, idemiaPIN1()); err == nil {
		t.Error("PINRetries after 6A88 = no error")
	}
}

func TestLoggedShowsNoData(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	card := Logged(&keepingCard{resp: append([]byte("JÕEORG"), 0x90, 0x00)}, log)
	ctx := context.Background()
	if err := Verify(ctx, card, idemiaPIN1(), []byte("9876")); err != nil {
		t.Fatal(err)
	}
	if _, err := Select(ctx, card, ChildEF, FID(0x5001), NoAnswer); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadBinary(ctx, card, 0, 8); err != nil && err.Error() != "EOF" {
		t.Fatal(err)
	}
	out := logs.String()
	for _, secret := range []string{"9876", "39383736", "JÕEORG", "4AC395454F5247"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log shows %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"command=VERIFY", "sw=\"9000 (success)\"", "file=5001", "command=\"READ BINARY\"", "data=7"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log does not say %s:\n%s", want, out)
		}
	}
}
