package ccid

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseBlock(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		kind BlockKind
		desc string
		err  string
	}{
		// LRCs worked out by hand: 00^C1^01^FE = 3E.
		{name: "S(IFS request)", in: "00 C1 01 FE 3E", kind: SBlock, desc: "S(IFS request fe)"},
		{name: "S(IFS response)", in: "00 E1 01 FE 1E", kind: SBlock, desc: "S(IFS response fe)"},
		{name: "I-block", in: "00 00 05 00 B0 00 00 00 B5", kind: IBlock, desc: "I(0) 5 bytes"},
		{name: "I-block chained", in: "00 60 02 90 00 F2", kind: IBlock, desc: "I(1,M) 2 bytes"},
		{name: "R-block ack", in: "00 90 00 90", kind: RBlock, desc: "R(1)"},
		{name: "R-block EDC error", in: "00 81 00 81", kind: RBlock, desc: "R(0) EDC error"},
		{name: "S(WTX request)", in: "00 C3 01 02 C0", kind: SBlock, desc: "S(WTX request 02)"},
		{name: "S(RESYNCH response)", in: "00 E0 00 E0", kind: SBlock, desc: "S(RESYNCH response )"},
		{name: "S(VPP error)", in: "00 E4 00 E4", kind: SBlock, desc: "S(VPP error response )"},
		{name: "too short", in: "00 00 00", err: "3 bytes"},
		{name: "LEN FF", in: "00 00 FF FF", err: "LEN FF is reserved"},
		{name: "LEN too big", in: "00 00 02 01 03", err: "LEN 2 but the block has 1"},
		{name: "LEN too small", in: "00 00 00 01 01", err: "LEN 0 but the block has 1"},
		{name: "bad LRC", in: "00 C1 01 FE 3F", err: "LRC mismatch"},
		{name: "I reserved bits", in: "00 01 00 01", err: "reserved bits"},
		{name: "R with bit 6", in: "00 A0 00 A0", err: "not defined"},
		{name: "R error 3", in: "00 83 00 83", err: "not defined"},
		{name: "R with data", in: "00 80 01 00 81", err: "R-block with 1 bytes"},
		{name: "S type 5", in: "00 C5 00 C5", err: "not defined"},
		{name: "S VPP request", in: "00 C4 00 C4", err: "not defined"},
		{name: "S(IFS) 00", in: "00 C1 01 00 C0", err: "from 01 to FE"},
		{name: "S(IFS) FF", in: "00 C1 01 FF 3F", err: "from 01 to FE"},
		{name: "S(IFS) two bytes", in: "00 C1 02 10 10 C3", err: "from 01 to FE"},
		{name: "S(WTX) empty", in: "00 C3 00 C3", err: "one byte"},
		{name: "S(RESYNCH) with data", in: "00 C0 01 00 C1", err: "1 bytes of information"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := unhex(t, tc.in)
			b, err := ParseBlock(in)
			if tc.err != "" {
				if !errors.Is(err, ErrT1) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseBlock(%s) = %v, %v, want an ErrT1 with %q", tc.in, b, err, tc.err)
				}
				return
			}
			if err != nil || b.Kind() != tc.kind || b.String() != tc.desc {
				t.Fatalf("ParseBlock(%s) = %v (%v), %v, want %v %q", tc.in, b, b.Kind(), err, tc.kind, tc.desc)
			}
			if enc := b.Encode(); !bytes.Equal(enc, in) {
				t.Errorf("Encode() = % X, want % X", enc, in)
			}
		})
	}
}

func TestBlockConstructors(t *testing.T) {
	for _, tc := range []struct {
		b    Block
		want string
	}{
		{NewIBlock(1, true, []byte{1, 2}), "00 60 02 01 02 61"},
		{NewIBlock(0, false, nil), "00 00 00 00"},
		{NewRBlock(1, RNoError), "00 90 00 90"},
		{NewRBlock(0, ROther), "00 82 00 82"},
		{NewSBlock(SWTX, true, []byte{3}), "00 E3 01 03 E1"},
		{NewSBlock(SResynch, false, nil), "00 C0 00 C0"},
		{NewSBlock(SAbort, false, nil), "00 C2 00 C2"},
	} {
		if got := fmt.Sprintf("% X", tc.b.Encode()); got != tc.want {
			t.Errorf("%v.Encode() = %s, want %s", tc.b, got, tc.want)
		}
	}
}

// step is one block the link must send and what the card answers.
type step struct {
	send  string // the block without its LRC
	reply string // the card's block without its LRC; "" when err is set
	bwi   byte   // bBWI the link must ask for
	err   error  // returned instead of a reply
	raw   bool   // reply is sent as written, LRC included (to send a bad one)
}

// withLRC appends the LRC to hex bytes.
func withLRC(t testing.TB, h string) []byte {
	b := unhex(t, h)
	return append(b, LRC(b))
}

// script returns a block transfer that checks every block the link sends
// against steps and answers as they say, and a function reporting the steps
// left.
func script(t *testing.T, steps []step) (blockXfer, func() int) {
	i := 0
	xfer := func(_ context.Context, block []byte, bwi byte) ([]byte, error) {
		t.Helper()
		if i >= len(steps) {
			t.Fatalf("link sent % X after the end of the script", block)
		}
		s := steps[i]
		i++
		if want := withLRC(t, s.send); !bytes.Equal(block, want) || bwi != s.bwi {
			t.Fatalf("step %d: link sent % X bwi %d, want % X bwi %d", i, block, bwi, want, s.bwi)
		}
		if s.err != nil {
			return nil, s.err
		}
		if s.raw {
			return unhex(t, s.reply), nil
		}
		return withLRC(t, s.reply), nil
	}
	return xfer, func() int { return len(steps) - i }
}

func newTestLink(xfer blockXfer, ifsc int) *t1Link {
	p := DefaultT1()
	p.IFSC = ifsc
	return newT1Link(xfer, p, 254)
}

func TestT1Exchanges(t *testing.T) {
	ctx := context.Background()
	mute := &blockError{code: ROther, err: errors.New("ICC_MUTE")}
	for _, tc := range []struct {
		name  string
		ifsc  int
		apdus []string
		steps []step
		want  []string // responses, hex
		err   string   // error of the last APDU
	}{
		{
			name:  "two exchanges alternate N(S)",
			ifsc:  254,
			apdus: []string{"00 A4 04 0C 02 50 00", "00 B0 00 00 02"},
			steps: []step{
				{send: "00 00 07 00 A4 04 0C 02 50 00", reply: "00 00 02 90 00"},
				{send: "00 40 05 00 B0 00 00 02", reply: "00 40 04 41 42 90 00"},
			},
			want: []string{"90 00", "41 42 90 00"},
		},
		{
			// The interface device chains, the card
			// acknowledges each part with an R-block.
			name:  "command chaining",
			ifsc:  4,
			apdus: []string{"00 D6 00 00 05 01 02 03 04 05"},
			steps: []step{
				{send: "00 20 04 00 D6 00 00", reply: "00 90 00"},
				{send: "00 60 04 05 01 02 03", reply: "00 80 00"},
				{send: "00 00 02 04 05", reply: "00 00 02 90 00"},
			},
			want: []string{"90 00"},
		},
		{
			name:  "response chaining",
			ifsc:  254,
			apdus: []string{"00 B0 00 00 04"},
			steps: []step{
				{send: "00 00 05 00 B0 00 00 04", reply: "00 20 03 01 02 03"},
				{send: "00 90 00", reply: "00 40 03 04 90 00"},
			},
			want: []string{"01 02 03 04 90 00"},
		},
		{
			name:  "waiting time extension",
			ifsc:  254,
			apdus: []string{"00 88 00 00 00"},
			steps: []step{
				{send: "00 00 05 00 88 00 00 00", reply: "00 C3 01 05"},
				{send: "00 E3 01 05", bwi: 5, reply: "00 C3 01 02"},
				{send: "00 E3 01 02", bwi: 2, reply: "00 00 02 90 00"},
			},
			want: []string{"90 00"},
		},
		{
			name:  "card changes its IFSC during chaining",
			ifsc:  2,
			apdus: []string{"00 D6 00 00 01 AA"},
			steps: []step{
				{send: "00 20 02 00 D6", reply: "00 C1 01 10"},
				{send: "00 E1 01 10", reply: "00 90 00"},
				{send: "00 40 04 00 00 01 AA", reply: "00 00 02 90 00"},
			},
			want: []string{"90 00"},
		},
		{
			name:  "bad LRC asked for again",
			ifsc:  254,
			apdus: []string{"00 B0 00 00 01"},
			steps: []step{
				{send: "00 00 05 00 B0 00 00 01", reply: "00 00 03 41 90 00 00", raw: true},
				{send: "00 81 00", reply: "00 00 03 41 90 00"},
			},
			want: []string{"41 90 00"},
		},
		{
			name:  "mute card asked for again",
			ifsc:  254,
			apdus: []string{"00 B0 00 00 01"},
			steps: []step{
				{send: "00 00 05 00 B0 00 00 01", err: mute},
				{send: "00 82 00", reply: "00 00 03 41 90 00"},
			},
			want: []string{"41 90 00"},
		},
		{
			name:  "card asks for the I-block again",
			ifsc:  254,
			apdus: []string{"00 B0 00 00 01"},
			steps: []step{
				{send: "00 00 05 00 B0 00 00 01", reply: "00 81 00"},
				{send: "00 00 05 00 B0 00 00 01", reply: "00 00 03 41 90 00"},
			},
			want: []string{"41 90 00"},
		},
		{
			name:  "lost acknowledgement during response chaining",
			ifsc:  254,
			apdus: []string{"00 B0 00 00 02"},
			steps: []step{
				{send: "00 00 05 00 B0 00 00 02", reply: "00 20 01 01"},
				{send: "00 90 00", reply: "00 82 00"}, // the card did not get the R-block
				{send: "00 90 00", reply: "00 40 03 02 90 00"},
			},
			want: []string{"01 02 90 00"},
		},
		{
			name:  "too many errors: resynchronised",
			ifsc:  254,
			apdus: []string{"00 B0 00 00 01"},
			steps: []step{
				{send: "00 00 05 00 B0 00 00 01", err: mute},
				{send: "00 82 00", err: mute},
				{send: "00 82 00", err: mute},
				{send: "00 C0 00", reply: "00 E0 00"},
				{send: "00 C1 01 FE", reply: "00 E1 01 FE"},
			},
			err: "3 bad blocks in a row",
		},
		{
			name:  "card aborts",
			ifsc:  254,
			apdus: []string{"00 B0 00 00 01"},
			steps: []step{
				{send: "00 00 05 00 B0 00 00 01", reply: "00 C2 00"},
				{send: "00 E2 00", reply: "00 90 00"},
			},
			err: "aborted the chain",
		},
		{
			name:  "I-block longer than IFSD",
			ifsc:  254,
			apdus: []string{"00 B0 00 00 00"},
			steps: []step{
				{send: "00 00 05 00 B0 00 00 00", reply: "00 00 21" + strings.Repeat(" 00", 33)},
				{send: "00 82 00", reply: "00 00 02 6B 00"},
			},
			want: []string{"6B 00"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			xfer, left := script(t, tc.steps)
			l := newTestLink(xfer, tc.ifsc)
			for i, a := range tc.apdus {
				got, err := l.transceive(ctx, unhex(t, a))
				if i == len(tc.apdus)-1 && tc.err != "" {
					if !errors.Is(err, ErrT1) || !strings.Contains(err.Error(), tc.err) {
						t.Fatalf("transceive(%s) = % X, %v, want an ErrT1 with %q", a, got, err, tc.err)
					}
					continue
				}
				if err != nil || !bytes.Equal(got, unhex(t, tc.want[i])) {
					t.Fatalf("transceive(%s) = % X, %v, want %s", a, got, err, tc.want[i])
				}
			}
			if n := left(); n != 0 {
				t.Errorf("%d steps of the script not played", n)
			}
		})
	}
}

func TestT1ResyncAfterTransportError(t *testing.T) {
	ctx := context.Background()
	gone := errors.New("reader gone")
	xfer, left := script(t, []step{
		{send: "00 00 04 00 CA 00 00", err: gone},
		// The next exchange starts by putting the link back in order.
		{send: "00 C0 00", reply: "00 E0 00"},
		{send: "00 C1 01 FE", reply: "00 E1 01 FE"},
		{send: "00 00 04 00 CA 00 00", reply: "00 00 02 90 00"},
	})
	l := newTestLink(xfer, 32)
	if _, err := l.transceive(ctx, unhex(t, "00 CA 00 00")); !errors.Is(err, gone) {
		t.Fatalf("transceive = %v, want the transport's error", err)
	}
	if got, err := l.transceive(ctx, unhex(t, "00 CA 00 00")); err != nil || !bytes.Equal(got, []byte{0x90, 0}) {
		t.Fatalf("transceive after resync = % X, %v", got, err)
	}
	if left() != 0 {
		t.Error("script not played to the end")
	}
}

func TestT1NegotiateIFSD(t *testing.T) {
	ctx := context.Background()
	xfer, _ := script(t, []step{
		{send: "00 C1 01 FE", reply: "00 81 00"}, // an R-block instead
		{send: "00 C1 01 FE", reply: "00 E1 01 FE"},
	})
	l := newTestLink(xfer, 32)
	if err := l.negotiateIFSD(ctx); err != nil || l.ifsd != 254 {
		t.Fatalf("negotiateIFSD() = %v, IFSD %d", err, l.ifsd)
	}

	xfer, _ = script(t, []step{
		{send: "00 C1 01 FE", reply: "00 81 00"},
		{send: "00 C1 01 FE", reply: "00 E1 01 20"},
		{send: "00 C1 01 FE", reply: "00 E1 01 FE 00", raw: true},
	})
	l = newTestLink(xfer, 32)
	if err := l.negotiateIFSD(ctx); !errors.Is(err, ErrT1) {
		t.Fatalf("negotiateIFSD() = %v, want ErrT1", err)
	}
	if l.ifsd != 32 {
		t.Errorf("IFSD after a failed negotiation = %d, want 32", l.ifsd)
	}
}
