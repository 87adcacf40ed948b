package eid

// file.go: choosing and reading files: SELECT (ISO/IEC 7816-4:2020 §11.2.2),
// READ BINARY (§11.3.3) and READ RECORD (§11.4.3).

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Instructions of this file and pin.go.
const (
	insSelect     = 0xA4
	insReadBinary = 0xB0
	insReadRecord = 0xB2
	insVerify     = 0x20
)

// SelectBy is P1 of SELECT: what the identifier in the data field names.
type SelectBy byte

// The selection methods of ISO/IEC 7816-4 §11.2.2 (Table 62).
const (
	ByFID           SelectBy = 0x00 // MF, DF or EF by file identifier; the MF with no data
	ChildDF         SelectBy = 0x01 // a DF under the current DF, by file identifier
	ChildEF         SelectBy = 0x02 // an EF under the current DF, by file identifier
	ParentDF        SelectBy = 0x03 // the parent of the current DF, no data
	ByDFName        SelectBy = 0x04 // a DF by name: an application identifier (AID)
	PathFromMF      SelectBy = 0x08 // a path of file identifiers from the MF, the MF left out
	PathFromCurrent SelectBy = 0x09 // a path of file identifiers from the current DF
)

// Answer is P2 of SELECT (b4-b3): what the card is to answer with.
type Answer byte

// The answers of ISO/IEC 7816-4 §11.2.2 (Table 63), each for the first or only
// occurrence.
const (
	WithFCI  Answer = 0x00 // the FCI template, 6F
	WithFCP  Answer = 0x04 // the FCP template, 62
	WithFMD  Answer = 0x08 // the FMD template, 64
	NoAnswer Answer = 0x0C // no response data
)

// FID returns a file identifier's two bytes, for Select.
func FID(fid uint16) []byte { return []byte{byte(fid >> 8), byte(fid)} }

// Path returns file identifiers one after another, for Select with PathFromMF or
// PathFromCurrent.
func Path(fids ...uint16) []byte {
	p := make([]byte, 0, 2*len(fids))
	for _, f := range fids {
		p = append(p, byte(f>>8), byte(f))
	}
	return p
}

// Select selects a file: by is how id names it (a file identifier, a path or an
// application identifier; nil for the MF or the parent), and ans what the card is
// to answer with. The answer is parsed with ParseFCI; with NoAnswer the FileInfo
// is empty. A status other than 9000 is a *StatusError (6A82: not found).
func Select(ctx context.Context, card Card, by SelectBy, id []byte, ans Answer) (FileInfo, error) {
	fi, err := selectFile(ctx, card, by, id, ans)
	return fi, prefixed(err)
}

// selectFile is Select with errors not yet prefixed.
func selectFile(ctx context.Context, card Card, by SelectBy, id []byte, ans Answer) (FileInfo, error) {
	cmd := Command{INS: insSelect, P1: byte(by), P2: byte(ans), Data: id}
	if ans != NoAnswer {
		cmd.Ne = MaxShortNe
	}
	data, err := do(ctx, card, cmd)
	if err != nil {
		return FileInfo{Size: -1}, fmt.Errorf("select %s: %w", selectName(by, id), err)
	}
	if ans == NoAnswer {
		// Some cards answer with control information all the same; it is not
		// what was asked for, and not looked at.
		return FileInfo{Size: -1}, nil
	}
	fi, err := parseFCI(data)
	if err != nil {
		return FileInfo{Size: -1}, fmt.Errorf("select %s: %w", selectName(by, id), err)
	}
	return fi, nil
}

// selectName describes a selection for errors: "MF", "DF 5000", "EF 5001",
// "AID A000…", "path 3F00/ADF1/3401".
func selectName(by SelectBy, id []byte) string {
	switch {
	case by == ByFID && len(id) == 0:
		return "MF"
	case by == ParentDF:
		return "parent DF"
	case by == ByDFName:
		return fmt.Sprintf("AID %X", id)
	case by == PathFromMF || by == PathFromCurrent:
		s := "path "
		if by == PathFromMF {
			s += "3F00/"
		}
		for i := 0; i+1 < len(id); i += 2 {
			if i > 0 {
				s += "/"
			}
			s += fmt.Sprintf("%02X%02X", id[i], id[i+1])
		}
		return s
	case by == ChildDF:
		return fmt.Sprintf("DF %X", id)
	case by == ChildEF:
		return fmt.Sprintf("EF %X", id)
	}
	return fmt.Sprintf("file %X", id)
}

// MaxBinaryOffset is the largest offset READ BINARY with INS B0 reaches: 15 bits
// of P1-P2 (ISO/IEC 7816-4 §11.3.3, P1 b8 = 0).
const MaxBinaryOffset = 0x7FFF

// ReadBinary reads up to n bytes (1 to 256) of the current EF from offset. At the
// end of the file it returns what the card gave with io.EOF: after 6282 (end
// reached before n bytes), after 6B00 (offset beyond the end) with no data, and
// after a 9000 with fewer than n bytes. A 6Cxx answer is asked again with the
// length the card gives (Transmit). Other status words are a *StatusError.
func ReadBinary(ctx context.Context, card Card, offset, n int) ([]byte, error) {
	data, err := readBinary(ctx, card, offset, n)
	if err == io.EOF {
		return data, err
	}
	return data, prefixed(err)
}

// readBinary is ReadBinary with errors not yet prefixed.
func readBinary(ctx context.Context, card Card, offset, n int) ([]byte, error) {
	if offset < 0 || offset > MaxBinaryOffset {
		return nil, fmt.Errorf("%w: READ BINARY offset %d beyond %d", ErrCommand, offset, MaxBinaryOffset)
	}
	if n < 1 || n > MaxShortNe {
		return nil, fmt.Errorf("%w: READ BINARY of %d bytes, want 1 to %d", ErrCommand, n, MaxShortNe)
	}
	resp, err := transmit(ctx, card, Command{INS: insReadBinary, P1: byte(offset >> 8), P2: byte(offset), Ne: n})
	if err != nil {
		return nil, err
	}
	switch {
	case resp.SW == SWOffsetOutside:
		return nil, io.EOF
	case resp.SW == SWEndOfFile:
		return resp.Data, io.EOF
	case !resp.SW.OK():
		return nil, fmt.Errorf("READ BINARY: %w", &StatusError{SW: resp.SW})
	case len(resp.Data) > n:
		return nil, fmt.Errorf("%w: READ BINARY of %d bytes answered with %d", ErrResponse, n, len(resp.Data))
	case len(resp.Data) < n:
		return resp.Data, io.EOF
	}
	return resp.Data, nil
}

// DefaultChunk is how many bytes ReadFile asks for at once: 231 (E7), a size
// that IDEMIA ID cards give through every reader, NFC ones included, as the
// Estonian state's own mobile application reads them.
const DefaultChunk = 0xE7

// ReadFile reads the current transparent EF from its start, in chunks of
// DefaultChunk bytes. With size ≥ 0 (from FileInfo.Size) it reads exactly size
// bytes and fails with ErrFileSize if the file ends sooner; with size < 0 it reads
// until the card says the file has ended. Either way it fails with ErrFileSize
// rather than read more than limit bytes.
func ReadFile(ctx context.Context, card Card, size, limit int) ([]byte, error) {
	data, err := readFile(ctx, card, size, limit)
	return data, prefixed(err)
}

// readFile is ReadFile with errors not yet prefixed.
func readFile(ctx context.Context, card Card, size, limit int) ([]byte, error) {
	if size > limit {
		return nil, fmt.Errorf("%w: %d bytes, more than the %d allowed", ErrFileSize, size, limit)
	}
	var out []byte
	for {
		var n int
		if size >= 0 {
			if len(out) == size {
				return out, nil
			}
			n = min(DefaultChunk, size-len(out))
		} else {
			// Up to one byte beyond the limit, which tells a file of exactly
			// limit bytes from a longer one.
			n = min(DefaultChunk, limit+1-len(out))
		}
		if len(out) > MaxBinaryOffset {
			return nil, fmt.Errorf("%w: file longer than READ BINARY reaches (%d bytes)", ErrFileSize, MaxBinaryOffset+1)
		}
		chunk, err := readBinary(ctx, card, len(out), n)
		out = append(out, chunk...)
		if len(out) > limit {
			return nil, fmt.Errorf("%w: more than the %d bytes allowed", ErrFileSize, limit)
		}
		switch {
		case errors.Is(err, io.EOF) && size < 0:
			return out, nil
		case errors.Is(err, io.EOF):
			return nil, fmt.Errorf("%w: file ended at %d of the %d bytes its control information gives", ErrFileSize, len(out), size)
		case err != nil:
			return nil, fmt.Errorf("reading from byte %d: %w", len(out)-len(chunk), err)
		}
	}
}

// ReadRecord reads record number n (1 to 254) of the current record EF (P2 = 04:
// P1 is a record number, ISO/IEC 7816-4 §11.4.3), up to 256 bytes. A missing
// record is a *StatusError 6A83, which matches ErrFileNotFound.
func ReadRecord(ctx context.Context, card Card, n int) ([]byte, error) {
	data, err := readRecord(ctx, card, n)
	return data, prefixed(err)
}

// readRecord is ReadRecord with errors not yet prefixed.
func readRecord(ctx context.Context, card Card, n int) ([]byte, error) {
	if n < 1 || n > 254 {
		return nil, fmt.Errorf("%w: record number %d, want 1 to 254", ErrCommand, n)
	}
	data, err := do(ctx, card, Command{INS: insReadRecord, P1: byte(n), P2: 0x04, Ne: MaxShortNe})
	if err != nil {
		return nil, fmt.Errorf("record %d: %w", n, err)
	}
	return data, nil
}
