package eid

// tlv.go: BER-TLV data objects as ISO/IEC 7816-4:2020 §6.3 uses them (the basic
// encoding rules of ISO/IEC 8825-1 with ISO/IEC 7816-4's limits), parsed
// strictly and within fixed bounds: the control information of SELECT answers
// comes from the card, and a card can send anything.

import (
	"fmt"
)

// Bounds of the parser.
const (
	// MaxTLVInput is the most bytes ParseTLV reads: the longest response APDU.
	MaxTLVInput = MaxExtendedNe
	// MaxTLVDepth is the deepest level a data object may be at, the input's own
	// objects being at level 1: the objects in an FCP template are at level 2,
	// an X.509 certificate's deepest at about 7.
	MaxTLVDepth = 8
	// maxTagBytes: ISO/IEC 7816-4 §6.3 allows tags of one, two or three bytes.
	maxTagBytes = 3
	// maxLengthBytes: a length field 81 to 84 and that many bytes after it.
	maxLengthBytes = 4
)

// Tag is a BER-TLV tag, its bytes read as a big-endian number: 0x6F, 0x5F20,
// 0xBF8101.
type Tag uint32

// Constructed reports whether the tag marks a constructed data object, one whose
// value is itself a series of data objects (bit 6 of the first byte).
func (t Tag) Constructed() bool { return t.firstByte()&0x20 != 0 }

func (t Tag) firstByte() byte {
	switch {
	case t > 0xFFFF:
		return byte(t >> 16)
	case t > 0xFF:
		return byte(t >> 8)
	}
	return byte(t)
}

// String gives the tag's bytes in hex.
func (t Tag) String() string {
	switch {
	case t > 0xFFFF:
		return fmt.Sprintf("%06X", uint32(t))
	case t > 0xFF:
		return fmt.Sprintf("%04X", uint32(t))
	}
	return fmt.Sprintf("%02X", uint32(t))
}

// appendTo appends the tag's bytes.
func (t Tag) appendTo(dst []byte) []byte {
	switch {
	case t > 0xFFFF:
		return append(dst, byte(t>>16), byte(t>>8), byte(t))
	case t > 0xFF:
		return append(dst, byte(t>>8), byte(t))
	}
	return append(dst, byte(t))
}

// TLV is one data object.
type TLV struct {
	Tag Tag
	// Value is the value field. It shares memory with the parsed input.
	Value []byte
	// Children are the data objects in the value field of a constructed object,
	// in order; nil for a primitive one.
	Children []TLV
}

// Find returns the first child with the tag.
func (t TLV) Find(tag Tag) (TLV, bool) {
	for _, c := range t.Children {
		if c.Tag == tag {
			return c, true
		}
	}
	return TLV{}, false
}

// ParseTLV parses b as a series of BER-TLV data objects, and the value of each
// constructed one as a series in turn. It is strict: every byte of b must belong
// to an object, and it fails with ErrTLV on
//   - a tag whose first byte is 00 or FF (ISO/IEC 7816-4 §6.3: no padding
//     between objects is accepted here), a tag longer than three bytes, or a
//     multi-byte tag with leading zero bits;
//   - the indefinite length form (80), a length field longer than 84 xx xx xx xx,
//     or a length that runs beyond the value's enclosing object or b;
//   - data objects at a level deeper than MaxTLVDepth;
//   - input longer than MaxTLVInput.
//
// Lengths in a longer form than needed (81 05) are accepted, as BER allows them.
func ParseTLV(b []byte) ([]TLV, error) {
	objs, err := parseTLV(b)
	return objs, prefixed(err)
}

func parseTLV(b []byte) ([]TLV, error) {
	if len(b) > MaxTLVInput {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrTLV, len(b), MaxTLVInput)
	}
	return parseSeries(b, 0, 1)
}

// ParseOneTLV parses the first data object of b and returns it with the bytes
// after it, which are not looked at. The object itself is parsed as strictly as
// by ParseTLV.
func ParseOneTLV(b []byte) (TLV, []byte, error) {
	t, n, err := parseObject(b, 0, 1)
	if err != nil {
		return TLV{}, nil, prefixed(err)
	}
	return t, b[n:], nil
}

// parseSeries parses b, which starts at offset base of the whole input, as
// objects at nesting level depth.
func parseSeries(b []byte, base, depth int) ([]TLV, error) {
	var out []TLV
	for off := 0; off < len(b); {
		t, n, err := parseObject(b[off:], base+off, depth)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
		off += n
	}
	return out, nil
}

// parseObject parses the object at the start of b and returns it and its size.
func parseObject(b []byte, base, depth int) (TLV, int, error) {
	bad := func(at int, format string, args ...any) (TLV, int, error) {
		return TLV{}, 0, fmt.Errorf("%w: %s at byte %d", ErrTLV, fmt.Sprintf(format, args...), base+at)
	}
	tag, n, err := readTag(b)
	if err != nil {
		return bad(0, "%v", err)
	}
	length, m, err := readLength(b[n:])
	if err != nil {
		return bad(n, "tag %s: %v", tag, err)
	}
	start := n + m
	if length > len(b)-start {
		return bad(n, "tag %s: length %d, but %d bytes are left", tag, length, len(b)-start)
	}
	t := TLV{Tag: tag, Value: b[start : start+length : start+length]}
	if tag.Constructed() {
		if depth >= MaxTLVDepth {
			return bad(0, "tag %s: data objects nested deeper than %d levels", tag, MaxTLVDepth)
		}
		if t.Children, err = parseSeries(t.Value, base+start, depth+1); err != nil {
			return TLV{}, 0, err
		}
		if t.Children == nil {
			t.Children = []TLV{}
		}
	}
	return t, start + length, nil
}

// readTag reads a tag (ISO/IEC 7816-4 §6.3, ISO/IEC 8825-1 §8.1.2).
func readTag(b []byte) (Tag, int, error) {
	if len(b) == 0 {
		return 0, 0, fmt.Errorf("missing tag")
	}
	first := b[0]
	if first == 0x00 || first == 0xFF {
		return 0, 0, fmt.Errorf("%02X is not a tag's first byte", first)
	}
	tag := Tag(first)
	if first&0x1F != 0x1F {
		return tag, 1, nil
	}
	for i := 1; i < maxTagBytes; i++ {
		if i >= len(b) {
			return 0, 0, fmt.Errorf("tag %X cut short", uint32(tag))
		}
		c := b[i]
		if i == 1 && c == 0x80 {
			// Leading zero bits (ISO/IEC 8825-1 §8.1.2.4.2). Numbers under 31 in
			// two bytes, which ISO/IEC 7816-4 rules out, are accepted: EMV
			// cards use them (9F02, BF0C).
			return 0, 0, fmt.Errorf("tag %X%02X not in its shortest form", uint32(tag), c)
		}
		tag = tag<<8 | Tag(c)
		if c&0x80 == 0 {
			return tag, i + 1, nil
		}
	}
	return 0, 0, fmt.Errorf("tag longer than %d bytes", maxTagBytes)
}

// readLength reads a definite length field (ISO/IEC 8825-1 §8.1.3).
func readLength(b []byte) (int, int, error) {
	if len(b) == 0 {
		return 0, 0, fmt.Errorf("missing length")
	}
	first := b[0]
	switch {
	case first < 0x80:
		return int(first), 1, nil
	case first == 0x80:
		return 0, 0, fmt.Errorf("indefinite length")
	case first > 0x80+maxLengthBytes:
		return 0, 0, fmt.Errorf("length field %02X", first)
	}
	n := int(first & 0x7F)
	if len(b) < 1+n {
		return 0, 0, fmt.Errorf("length field cut short")
	}
	length := 0
	for _, c := range b[1 : 1+n] {
		if length > MaxTLVInput {
			return 0, 0, fmt.Errorf("length beyond %d", MaxTLVInput)
		}
		length = length<<8 | int(c)
	}
	if length > MaxTLVInput {
		return 0, 0, fmt.Errorf("length %d beyond %d", length, MaxTLVInput)
	}
	return length, 1 + n, nil
}

// AppendTLV appends a data object with the tag and value, its length in the
// shortest form.
func AppendTLV(dst []byte, tag Tag, value []byte) []byte {
	dst = tag.appendTo(dst)
	switch n := len(value); {
	case n < 0x80:
		dst = append(dst, byte(n))
	case n <= 0xFF:
		dst = append(dst, 0x81, byte(n))
	case n <= 0xFFFF:
		dst = append(dst, 0x82, byte(n>>8), byte(n))
	default:
		dst = append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	return append(dst, value...)
}

// EncodeTLV encodes data objects, in their shortest form: a constructed object's
// value from its children, a primitive one's from Value.
func EncodeTLV(objs ...TLV) []byte {
	var out []byte
	for _, t := range objs {
		v := t.Value
		if t.Tag.Constructed() {
			v = EncodeTLV(t.Children...)
		}
		out = AppendTLV(out, t.Tag, v)
	}
	return out
}
