package eid

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestSelect(t *testing.T) {
	ctx := context.Background()
	card := &scriptedCard{t: t, steps: []exchangeStep{
		{cmd: "00 A4 04 0C 10 A0 00 00 00 77 01 08 00 07 00 00 FE 00 00 01 00", resp: "90 00"},
		{cmd: "00 A4 01 0C 02 50 00", resp: "90 00"},
		{cmd: "00 A4 02 04 02 50 01 00", resp: "62 0A 80 02 00 0E 82 01 01 83 01 50 90 00"},
		{cmd: "00 A4 09 04 04 AD F1 34 01 00", resp: "62 04 80 02 06 00 90 00"},
		{cmd: "00 A4 08 0C 02 DF DD", resp: "6A 82"},
		{cmd: "00 A4 00 0C", resp: "90 00"},
		{cmd: "00 A4 00 00 02 3F 00 00", resp: "6F 03 82 01 38 90 00"},
	}}
	if _, err := Select(ctx, card, ByDFName, []byte(aidIDEMIA), NoAnswer); err != nil {
		t.Fatal(err)
	}
	if _, err := Select(ctx, card, ChildDF, FID(0x5000), NoAnswer); err != nil {
		t.Fatal(err)
	}
	_, err := Select(ctx, card, ChildEF, FID(0x5001), WithFCP)
	if !errors.Is(err, ErrFCI) || !strings.Contains(err.Error(), "select EF 5001") {
		t.Errorf("Select with a bad FCP = %v, want ErrFCI naming EF 5001", err)
	}
	fi, err := Select(ctx, card, PathFromCurrent, Path(0xADF1, 0x3401), WithFCP)
	if err != nil || fi.Size != 0x600 {
		t.Errorf("Select(path) = %+v, %v, want size 1536", fi, err)
	}
	_, err = Select(ctx, card, PathFromMF, Path(0xDFDD), NoAnswer)
	if !errors.Is(err, ErrFileNotFound) || err.Error() != "eid: select path 3F00/DFDD: SELECT: card status 6A82 (file or application not found)" {
		t.Errorf("Select(missing) = %v", err)
	}
	if _, err := Select(ctx, card, ByFID, nil, NoAnswer); err != nil {
		t.Errorf("Select(MF) = %v", err)
	}
	if fi, err := Select(ctx, card, ByFID, FID(0x3F00), WithFCI); err != nil || !fi.IsDF() || fi.Template != TagFCI {
		t.Errorf("Select(3F00, FCI) = %+v, %v", fi, err)
	}
	card.done()
}

func TestReadBinary(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		steps []exchangeStep
		off   int
		n     int
		want  []byte
		eof   bool
	}{
		{"whole", []exchangeStep{{cmd: "00 B0 00 00 03", resp: "01 02 03 90 00"}}, 0, 3, h("01 02 03"), false},
		{"offset", []exchangeStep{{cmd: "00 B0 01 2C 02", resp: "01 02 90 00"}}, 300, 2, h("01 02"), false},
		{"6282", []exchangeStep{{cmd: "00 B0 00 00 E7", resp: "01 62 82"}}, 0, 0xE7, h("01"), true},
		{"6B00", []exchangeStep{{cmd: "00 B0 00 10 E7", resp: "6B 00"}}, 16, 0xE7, nil, true},
		{"short 9000", []exchangeStep{{cmd: "00 B0 00 00 E7", resp: "01 02 90 00"}}, 0, 0xE7, h("01 02"), true},
		{"6Cxx", []exchangeStep{{cmd: "00 B0 00 00 E7", resp: "6C 02"}, {cmd: "00 B0 00 00 02", resp: "01 02 90 00"}}, 0, 0xE7, h("01 02"), true},
		{"256 is Le 00", []exchangeStep{{cmd: "00 B0 7F FF 00", resp: "01 90 00"}}, 0x7FFF, 256, h("01"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			card := &scriptedCard{t: t, steps: tt.steps}
			got, err := ReadBinary(ctx, card, tt.off, tt.n)
			if !bytes.Equal(got, tt.want) || (err == io.EOF) != tt.eof || err != nil && err != io.EOF {
				t.Errorf("ReadBinary(%d, %d) = %X, %v, want %X (end of file %t)", tt.off, tt.n, got, err, tt.want, tt.eof)
			}
			card.done()
		})
	}
	for _, c := range []struct{ off, n int }{{-1, 1}, {0x8000, 1}, {0, 0}, {0, 257}} {
		if _, err := ReadBinary(ctx, &answerCard{}, c.off, c.n); !errors.Is(err, ErrCommand) {
			t.Errorf("ReadBinary(%d, %d) = %v, want ErrCommand", c.off, c.n, err)
		}
	}
	card := &scriptedCard{t: t, steps: []exchangeStep{{cmd: "00 B0 00 00 01", resp: "69 82"}}}
	if _, err := ReadBinary(ctx, card, 0, 1); !errors.Is(err, ErrSecurityStatus) {
		t.Errorf("ReadBinary of a protected file = %v, want ErrSecurityStatus", err)
	}
	card = &scriptedCard{t: t, steps: []exchangeStep{{cmd: "00 B0 00 00 01", resp: "01 02 90 00"}}}
	if _, err := ReadBinary(ctx, card, 0, 1); !errors.Is(err, ErrResponse) {
		t.Errorf("ReadBinary answered with too much = %v, want ErrResponse", err)
	}
}

// fileCard is a card with one transparent file, answering READ BINARY past its
// end in the way end says: "6282", "6B00" (nothing at the end), "short" (9000
// with fewer bytes) or "6C" (wrong Le).
type fileCard struct {
	data  []byte
	end   string
	reads int
}

func (c *fileCard) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	cmd, err := ParseCommand(apdu)
	if err != nil || cmd.INS != insReadBinary {
		return h("6D 00"), nil
	}
	c.reads++
	off := int(cmd.P1)<<8 | int(cmd.P2)
	if off >= len(c.data) {
		if c.end == "6282" {
			return h("62 82"), nil
		}
		return h("6B 00"), nil
	}
	rest := c.data[off:]
	if cmd.Ne <= len(rest) {
		return append(bytes.Clone(rest[:cmd.Ne]), 0x90, 0x00), nil
	}
	switch c.end {
	case "6C":
		return []byte{0x6C, byte(len(rest))}, nil
	case "short", "6B00":
		return append(bytes.Clone(rest), 0x90, 0x00), nil
	}
	return append(bytes.Clone(rest), 0x62, 0x82), nil
}

func TestReadFile(t *testing.T) {
	ctx := context.Background()
	file := make([]byte, 1000)
	for i := range file {
		file[i] = byte(i * 7)
	}
	for _, end := range []string{"6282", "6B00", "short", "6C"} {
		for _, n := range []int{0, 1, 230, 231, 232, 462, 1000} {
			// Size known: exactly n bytes in ceil(n/231) reads.
			c := &fileCard{data: file[:n], end: end}
			got, err := ReadFile(ctx, c, n, 4096)
			if err != nil || !bytes.Equal(got, file[:n]) || c.reads != (n+DefaultChunk-1)/DefaultChunk {
				t.Errorf("%s: ReadFile(%d bytes, size given) = %d bytes in %d reads, %v", end, n, len(got), c.reads, err)
			}
			// Size unknown: read to the end.
			c = &fileCard{data: file[:n], end: end}
			got, err = ReadFile(ctx, c, -1, 4096)
			if err != nil || !bytes.Equal(got, file[:n]) {
				t.Errorf("%s: ReadFile(%d bytes, size unknown) = %d bytes, %v", end, n, len(got), err)
			}
			// Limit: a file of exactly the limit is read, one byte longer is not.
			c = &fileCard{data: file[:n], end: end}
			if got, err = ReadFile(ctx, c, -1, n); err != nil || !bytes.Equal(got, file[:n]) {
				t.Errorf("%s: ReadFile(%d bytes, limit %d) = %d bytes, %v", end, n, n, len(got), err)
			}
			if n > 0 {
				c = &fileCard{data: file[:n], end: end}
				if got, err = ReadFile(ctx, c, -1, n-1); !errors.Is(err, ErrFileSize) {
					t.Errorf("%s: ReadFile(%d bytes, limit %d) = %d bytes, %v, want ErrFileSize", end, n, n-1, len(got), err)
				}
			}
		}
	}
	// Shorter than the control information says.
	c := &fileCard{data: file[:300], end: "6282"}
	if _, err := ReadFile(ctx, c, 400, 4096); !errors.Is(err, ErrFileSize) || !strings.Contains(err.Error(), "ended at 300 of the 400 bytes") {
		t.Errorf("ReadFile(short file) = %v, want ErrFileSize", err)
	}
	if _, err := ReadFile(ctx, c, 5000, 4096); !errors.Is(err, ErrFileSize) {
		t.Errorf("ReadFile(size over the limit) = %v, want ErrFileSize", err)
	}
	// The card failing part way: the error, no data.
	card := &scriptedCard{t: t, steps: []exchangeStep{
		{cmd: "00 B0 00 00 E7", resp: strings.Repeat("00 ", 231) + "90 00"},
		{cmd: "00 B0 00 E7 19", err: errUnplugged},
	}}
	got, err := ReadFile(ctx, card, 256, 4096)
	if got != nil || !errors.Is(err, errUnplugged) || !strings.Contains(err.Error(), "reading from byte 231") {
		t.Errorf("ReadFile with the reader gone = %d bytes, %v", len(got), err)
	}
}

func TestReadRecord(t *testing.T) {
	ctx := context.Background()
	card := &scriptedCard{t: t, steps: []exchangeStep{
		{cmd: "00 B2 01 04 00", resp: "54 41 4D 4D 90 00"},
		{cmd: "00 B2 11 04 00", resp: "6A 83"},
	}}
	if got, err := ReadRecord(ctx, card, 1); err != nil || string(got) != "TAMM" {
		t.Errorf("ReadRecord(1) = %q, %v", got, err)
	}
	if _, err := ReadRecord(ctx, card, 17); !errors.Is(err, ErrFileNotFound) {
		t.Errorf("ReadRecord(17) = %v, want ErrFileNotFound", err)
	}
	card.done()
	for _, n := range []int{0, 255} {
		if _, err := ReadRecord(ctx, card, n); !errors.Is(err, ErrCommand) {
			t.Errorf("ReadRecord(%d) = %v, want ErrCommand", n, err)
		}
	}
}
