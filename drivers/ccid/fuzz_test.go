package ccid

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// FuzzDecodeFrame checks that any bytes decode without panicking, that a
// decoded frame is exactly as long as its header says and encodes back to the
// same bytes, and that the limit of a reader's maximum message holds. Seeds:
// testdata/fuzz/FuzzDecodeFrame, answers taken from the recordings and broken
// on purpose.
func FuzzDecodeFrame(f *testing.F) {
	f.Add([]byte{0x80, 0x02, 0, 0, 0, 0, 0x01, 0, 0, 0, 0x90, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, maxLen := range []int{0, 271} {
			fr, err := DecodeFrame(b, maxLen)
			if err != nil {
				if !errors.Is(err, ErrFrame) {
					t.Fatalf("DecodeFrame(% x) = %v, not an ErrFrame", b, err)
				}
				continue
			}
			if HeaderLen+len(fr.Data) != len(b) || (maxLen > 0 && len(b) > maxLen) {
				t.Fatalf("DecodeFrame(% x, %d) accepted %d bytes of data", b, maxLen, len(fr.Data))
			}
			if enc := fr.Encode(); !bytes.Equal(enc, b) {
				t.Fatalf("DecodeFrame(% x).Encode() = % x", b, enc)
			}
			_ = fr.String()
			_ = fr.Status().String()
		}
	})
}

// FuzzParseATR checks that any bytes parse without panicking, that a parsed
// ATR accounts for every byte (TS, T0, the interface bytes, the historical
// bytes, TCK) and that what is derived from it is consistent. Seeds:
// testdata/fuzz/FuzzParseATR.
func FuzzParseATR(f *testing.F) {
	f.Add([]byte{0x3b, 0x02, 0x14, 0x50})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseATR(b)
		if err != nil {
			if !errors.Is(err, ErrATR) {
				t.Fatalf("ParseATR(% x) = %v, not an ErrATR", b, err)
			}
			return
		}
		n := 2 + len(a.Historical)
		if a.HasTCK {
			n++
		}
		for _, g := range a.Groups {
			for _, has := range []bool{g.HasTA, g.HasTB, g.HasTC, g.HasTD} {
				if has {
					n++
				}
			}
		}
		if n != len(b) || len(b) > MaxATRLen || !bytes.Equal(a.Raw, b) {
			t.Fatalf("ParseATR(% x) accounts for %d bytes", b, n)
		}
		ps := a.Protocols()
		if len(ps) == 0 {
			t.Fatalf("ParseATR(% x): no protocol", b)
		}
		if _, _, _, specific := a.SpecificMode(); !specific && a.DefaultProtocol() != ps[0] {
			t.Fatalf("ParseATR(% x): default protocol %d, first offered %d", b, a.DefaultProtocol(), ps[0])
		}
		if p, err := a.T1(); err == nil && (p.IFSC < 1 || p.IFSC > 254) {
			t.Fatalf("ParseATR(% x): IFSC %d", b, p.IFSC)
		}
		_, _, _ = Factors(a.FiDi())
	})
}

// FuzzParseBlock checks that any bytes parse as a T=1 block or fail with
// ErrT1, and that a parsed block encodes back to the same bytes. Seeds:
// testdata/fuzz/FuzzParseBlock, the blocks of the recordings.
func FuzzParseBlock(f *testing.F) {
	f.Add([]byte{0x00, 0xc1, 0x01, 0xfe, 0x3e})
	f.Fuzz(func(t *testing.T, b []byte) {
		blk, err := ParseBlock(b)
		if err != nil {
			if !errors.Is(err, ErrT1) {
				t.Fatalf("ParseBlock(% x) = %v, not an ErrT1", b, err)
			}
			return
		}
		if enc := blk.Encode(); !bytes.Equal(enc, b) {
			t.Fatalf("ParseBlock(% x).Encode() = % x", b, enc)
		}
		_ = blk.String()
	})
}

// FuzzT1Link plays a card that answers with arbitrary blocks (each prefixed
// with its length in the input) and checks that the link neither panics nor
// loops: every exchange ends, with a response or an error, once the card's
// answers run out. Seeds: testdata/fuzz/FuzzT1Link.
func FuzzT1Link(f *testing.F) {
	f.Add([]byte{5, 0x00, 0x00, 0x02, 0x90, 0x00, 0x92}, uint8(32))
	f.Fuzz(func(t *testing.T, script []byte, ifsc uint8) {
		replies := script
		sent := 0
		xfer := func(_ context.Context, block []byte, _ byte) ([]byte, error) {
			if _, err := ParseBlock(block); err != nil {
				t.Fatalf("the link sent a malformed block % x: %v", block, err)
			}
			sent++
			if len(replies) == 0 {
				return nil, errors.New("the card has nothing more to say")
			}
			n := min(int(replies[0]), len(replies)-1)
			r := replies[1 : 1+n]
			replies = replies[1+n:]
			if n == 0 {
				return nil, &blockError{code: ROther, err: errors.New("mute")}
			}
			return r, nil
		}
		p := DefaultT1()
		p.IFSC = max(1, min(254, int(ifsc)))
		l := newT1Link(xfer, p, 254)
		apdu := append([]byte{0x00, 0xd6, 0x00, 0x00, 80}, make([]byte, 80)...)
		for range 3 {
			resp, err := l.transceive(context.Background(), apdu)
			if err == nil && len(resp) > maxResponseLen {
				t.Fatalf("response of %d bytes", len(resp))
			}
			if sent > len(script)+8 {
				t.Fatalf("%d blocks sent for a script of %d bytes", sent, len(script))
			}
		}
	})
}
