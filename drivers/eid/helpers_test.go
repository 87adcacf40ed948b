package eid

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// h reads hex with spaces between the bytes, for readable tables.
func h(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// exchangeStep is one command a scripted card expects and its answer; an answer
// of "" with err set fails the transmission instead.
type exchangeStep struct {
	cmd, resp string
	err       error
}

// scriptedCard answers a fixed script of exchanges, in order, and fails the test
// on any command it does not expect.
type scriptedCard struct {
	t     *testing.T
	steps []exchangeStep
	n     int
}

func (c *scriptedCard) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	c.t.Helper()
	if c.n >= len(c.steps) {
		c.t.Fatalf("unexpected command %X after the script's %d", apdu, len(c.steps))
	}
	s := c.steps[c.n]
	c.n++
	if want := h(s.cmd); string(apdu) != string(want) {
		c.t.Fatalf("command %d = %X, want %X", c.n, apdu, want)
	}
	if s.err != nil {
		return nil, s.err
	}
	return h(s.resp), nil
}

func (c *scriptedCard) done() {
	c.t.Helper()
	if c.n != len(c.steps) {
		c.t.Errorf("%d of the script's %d commands sent", c.n, len(c.steps))
	}
}

// answerCard answers every command with the same response.
type answerCard struct {
	resp []byte
	n    int
}

func (c *answerCard) Transmit(context.Context, []byte) ([]byte, error) {
	c.n++
	return c.resp, nil
}

var errUnplugged = errors.New("reader unplugged")
