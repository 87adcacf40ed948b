package eid

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzParseTLV checks that any input parses or fails with ErrTLV without
// panicking, that what parses stays within the input and the bounds, and that
// it encodes to something that parses to the same objects. Seeds: the tables of
// tlv_test.go and testdata/fuzz/FuzzParseTLV (answers of the simulated cards
// and broken ones).
func FuzzParseTLV(f *testing.F) {
	for _, s := range []string{
		"62 10 80 02 00 0E 82 01 01 83 02 50 01 8A 01 05 A1 00",
		"6F 08 A5 06 BF 0C 03 5F 2D 00",
		"04 82 00 01 FF",
		"62 80 80 01 00 00 00",
		"5F 81 81 01 00",
	} {
		f.Add(h(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		objs, err := ParseTLV(b)
		if err != nil {
			if !errors.Is(err, ErrTLV) {
				t.Fatalf("ParseTLV(%X) = %v, not ErrTLV", b, err)
			}
			return
		}
		checkTLV(t, b, objs, 1)
		enc := EncodeTLV(objs...)
		if len(enc) > len(b) {
			t.Fatalf("EncodeTLV(ParseTLV(%X)) = %X is longer than the input", b, enc)
		}
		again, err := ParseTLV(enc)
		if err != nil {
			t.Fatalf("ParseTLV(EncodeTLV(ParseTLV(%X))) = %v", b, err)
		}
		if !sameTLV(objs, again) {
			t.Fatalf("ParseTLV(%X) = %+v; encoded again %X parses to %+v", b, objs, enc, again)
		}
		if enc2 := EncodeTLV(again...); !bytes.Equal(enc, enc2) {
			t.Fatalf("EncodeTLV is not stable: %X then %X", enc, enc2)
		}
	})
}

func checkTLV(t *testing.T, in []byte, objs []TLV, depth int) {
	t.Helper()
	if len(objs) > 0 && depth > MaxTLVDepth {
		t.Fatalf("ParseTLV(%X) nests %d deep", in, depth)
	}
	for _, o := range objs {
		if len(o.Value) > len(in) {
			t.Fatalf("ParseTLV(%X): a value of %d bytes", in, len(o.Value))
		}
		if o.Tag.Constructed() != (o.Children != nil) {
			t.Fatalf("ParseTLV(%X): tag %s with children %v", in, o.Tag, o.Children)
		}
		checkTLV(t, in, o.Children, depth+1)
	}
}

// sameTLV compares objects by tag, primitive value and children.
func sameTLV(a, b []TLV) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Tag != b[i].Tag || !a[i].Tag.Constructed() && !bytes.Equal(a[i].Value, b[i].Value) || !sameTLV(a[i].Children, b[i].Children) {
			return false
		}
	}
	return true
}

// FuzzParseResponse checks that any answer parses to its data and status word
// or fails with ErrResponse, and that Transmit, given a card that answers it to
// every command, comes back (GET RESPONSE and corrected Le within their bounds)
// with at most 65536 bytes. Seeds: testdata/fuzz/FuzzParseResponse.
func FuzzParseResponse(f *testing.F) {
	for _, s := range []string{"90 00", "01 02 62 82", "61 10", "6C 05", "6A 82", "90"} {
		f.Add(h(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseResponse(b)
		switch {
		case err != nil && !errors.Is(err, ErrResponse):
			t.Fatalf("ParseResponse(%X) = %v, not ErrResponse", b, err)
		case err != nil && len(b) >= 2 && len(b) <= maxResponse:
			t.Fatalf("ParseResponse(%X) = %v", b, err)
		case err == nil && !bytes.Equal(r.Bytes(), b):
			t.Fatalf("ParseResponse(%X).Bytes() = %X", b, r.Bytes())
		}
		card := &answerCard{resp: b}
		resp, err := Transmit(context.Background(), card, Command{INS: 0xB0, Ne: 256})
		if card.n > 1+maxWrongLe+maxGetResponse*(1+maxWrongLe) {
			t.Fatalf("Transmit sent %d commands to a card answering %X", card.n, b)
		}
		if err == nil && (len(resp.Data) > MaxExtendedNe || resp.SW.SW1() == 0x61 || resp.SW.SW1() == 0x6C) {
			t.Fatalf("Transmit to a card answering %X = %d bytes %s", b, len(resp.Data), resp.SW)
		}
	})
}

// FuzzParseFCI checks that any SELECT answer gives a FileInfo or ErrFCI, with
// a size that four bytes can hold. Seeds: testdata/fuzz/FuzzParseFCI.
func FuzzParseFCI(f *testing.F) {
	for _, s := range []string{
		"62 10 80 02 00 0E 82 01 01 83 02 50 01 8A 01 05 A1 00",
		"62 0B 82 05 04 21 00 32 10 83 02 50 44",
		"6F 0E 82 01 38 84 09 A0 00 00 00 63 50 4B 43 53",
	} {
		f.Add(h(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fi, err := ParseFCI(b)
		if err != nil {
			if !errors.Is(err, ErrFCI) {
				t.Fatalf("ParseFCI(%X) = %v, not ErrFCI", b, err)
			}
			return
		}
		if fi.Size < -1 || fi.Size > 0xFFFFFFFF || len(fi.DFName) > 16 || fi.Records > 0xFFFF {
			t.Fatalf("ParseFCI(%X) = %+v", b, fi)
		}
	})
}

// FuzzDecodePersonalData feeds arbitrary fields, separated by '|', to the
// decoding of both kinds of layout: a PersonalData whose dates are dates, or
// ErrPersonalData. Seeds: testdata/fuzz/FuzzDecodePersonalData.
func FuzzDecodePersonalData(f *testing.F) {
	f.Add("TAMM|MARI|N|EST|15 03 1960 EST|46003150224|AB1234567|01 05 2030|02 05 2025|||||", false)
	f.Add("TAMM|MARI||N|EST|15.03.1960|46003150224|AB1234567|01.05.2030|EST|02.05.2025|||||", true)
	f.Fuzz(func(t *testing.T, s string, records bool) {
		fields := strings.Split(s, "|")
		l, n := LayoutIDEMIA, transparentCount
		if records {
			l, n = LayoutEstEID3, recordCount
		}
		raw := make([]string, n)
		copy(raw, fields)
		pd, err := decodePersonalData(l, raw, records)
		if err != nil {
			if !errors.Is(err, ErrPersonalData) {
				t.Fatalf("decodePersonalData(%q) = %v, not ErrPersonalData", s, err)
			}
			if !reflect.DeepEqual(pd, PersonalData{}) {
				t.Fatalf("decodePersonalData(%q) = %+v with the error %v", s, pd, err)
			}
			return
		}
		for _, d := range []string{pd.BirthDate, pd.Expiry, pd.Issued} {
			if d != "" && (len(d) != 10 || d[4] != '-' || d[7] != '-') {
				t.Fatalf("decodePersonalData(%q): date %q", s, d)
			}
		}
		if pd.PersonalCode == "" {
			t.Fatalf("decodePersonalData(%q) without a personal code", s)
		}
	})
}
