package dcc

// The HC1 container: COSE_Sign1 bytes, zlib-compressed, Base45-encoded, prefixed "HC1:".

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
)

// HC1Prefix is the context identifier of an EU DCC in a QR code, version 1 (eHealth
// Network, Electronic Health Certificate Specification, "QR 2D Barcode").
const HC1Prefix = "HC1:"

// MaxCOSESize caps the COSE_Sign1 message that EncodeHC1 writes and DecodeHC1
// inflates. A version 40 QR code carries under 3 KiB, so 64 KiB leaves room for any
// real certificate while refusing zlib bombs.
const MaxCOSESize = 64 << 10

// EncodeHC1 compresses a COSE_Sign1 message with zlib (RFC 1950) at the best
// compression level, encodes it with Base45 (RFC 9285) and prepends HC1Prefix. The same
// input always yields the same string.
func EncodeHC1(coseSign1 []byte) (string, error) {
	if len(coseSign1) > MaxCOSESize {
		return "", fmt.Errorf("%w: COSE_Sign1 of %d bytes exceeds %d", ErrTooLarge, len(coseSign1), MaxCOSESize)
	}
	var buf bytes.Buffer
	zw, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	if err != nil {
		return "", fmt.Errorf("dcc: encode HC1: %w", err)
	}
	if _, err := zw.Write(coseSign1); err != nil {
		return "", fmt.Errorf("dcc: encode HC1: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("dcc: encode HC1: %w", err)
	}
	return HC1Prefix + EncodeBase45(buf.Bytes()), nil
}

// DecodeHC1 reverses EncodeHC1: it trims surrounding white space, requires
// HC1Prefix, decodes Base45 and inflates the result when it starts with a zlib header
// (RFC 1950 §2.2). Uncompressed COSE_Sign1 bytes are returned as they are, a lenient
// reading of a format that asks for zlib; data that is neither is refused, as is
// inflated data larger than MaxCOSESize.
//
// Errors match ErrPrefix, ErrBase45 or ErrZlib.
func DecodeHC1(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	body, ok := strings.CutPrefix(s, HC1Prefix)
	if !ok {
		return nil, fmt.Errorf("%w: starts %q", ErrPrefix, s[:min(len(s), len(HC1Prefix))])
	}
	data, err := DecodeBase45(body)
	if err != nil {
		return nil, err
	}
	if !hasZlibHeader(data) {
		if !looksLikeCOSE(data) {
			return nil, fmt.Errorf("%w: data is neither zlib (RFC 1950) nor COSE_Sign1, starts % x",
				ErrZlib, data[:min(len(data), 2)])
		}
		return data, nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrZlib, err)
	}
	defer zr.Close()
	// Read one byte past the cap so that an oversized stream is told apart from
	// one that ends exactly at it.
	out, err := io.ReadAll(io.LimitReader(zr, MaxCOSESize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrZlib, err)
	}
	if len(out) > MaxCOSESize {
		return nil, fmt.Errorf("%w: %w: inflated data exceeds %d bytes", ErrZlib, ErrTooLarge, MaxCOSESize)
	}
	return out, nil
}

// looksLikeCOSE reports whether data starts the way a COSE_Sign1 message does: with
// tag 18 (0xD2), a four-item array (0x84) or tag 61 (0xD8 0x3D), RFC 9052 §4.2 and
// RFC 8392 §6.
func looksLikeCOSE(data []byte) bool {
	switch {
	case len(data) == 0:
		return false
	case data[0] == 0xd2, data[0] == 0x84:
		return true
	}
	return len(data) > 1 && data[0] == 0xd8 && data[1] == tagCWT
}

// hasZlibHeader reports whether data starts with a zlib header: compression method 8
// (deflate), a window of at most 32 KiB and a valid check value (RFC 1950 §2.2).
// None of the first bytes that looksLikeCOSE accepts passes.
func hasZlibHeader(data []byte) bool {
	if len(data) < 2 {
		return false
	}
	cmf, flg := data[0], data[1]
	return cmf&0x0f == 8 && cmf>>4 <= 7 && (uint16(cmf)<<8|uint16(flg))%31 == 0
}
