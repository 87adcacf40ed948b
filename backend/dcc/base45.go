package dcc

// Base45 encoding and decoding, RFC 9285.

import "strings"

// base45Alphabet is the 45-character set of RFC 9285 §4.2, in value order.
const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// EncodeBase45 encodes src per RFC 9285 §4: every two bytes become three
// characters, a final single byte becomes two.
func EncodeBase45(src []byte) string {
	var b strings.Builder
	b.Grow(len(src)/2*3 + len(src)%2*2)
	for i := 0; i+1 < len(src); i += 2 {
		n := int(src[i])<<8 | int(src[i+1])
		b.WriteByte(base45Alphabet[n%45])
		b.WriteByte(base45Alphabet[n/45%45])
		b.WriteByte(base45Alphabet[n/(45*45)])
	}
	if len(src)%2 == 1 {
		n := int(src[len(src)-1])
		b.WriteByte(base45Alphabet[n%45])
		b.WriteByte(base45Alphabet[n/45])
	}
	return b.String()
}

// DecodeBase45 decodes s per RFC 9285 §4. It fails with a *Base45Error on a
// character outside the alphabet of §4.2 (lower case included), on a single
// character left over at the end, and on a group whose value no encoder produces
// because it does not fit its bytes (above 0xFFFF for three characters, above 0xFF for
// a final two).
func DecodeBase45(s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return nil, &Base45Error{Offset: len(s) - 1, Err: ErrBase45Dangling,
			detail: "input length leaves one character over"}
	}
	out := make([]byte, 0, len(s)/3*2+len(s)%3/2)
	for i := 0; i < len(s); i += 3 {
		end := min(i+3, len(s))
		n, weight := 0, 1
		for j := i; j < end; j++ {
			v := base45Value(s[j])
			if v < 0 {
				return nil, &Base45Error{Offset: j, Err: ErrBase45Char,
					detail: "character " + quoteByte(s[j])}
			}
			n += v * weight
			weight *= 45
		}
		if end-i == 3 {
			if n > 0xFFFF {
				return nil, &Base45Error{Offset: i, Err: ErrBase45Overflow,
					detail: "triplet " + s[i:end] + " exceeds 0xFFFF"}
			}
			out = append(out, byte(n>>8), byte(n))
		} else {
			if n > 0xFF {
				return nil, &Base45Error{Offset: i, Err: ErrBase45Overflow,
					detail: "final pair " + s[i:end] + " exceeds 0xFF"}
			}
			out = append(out, byte(n))
		}
	}
	return out, nil
}

// base45Value returns the value of c in the Base45 alphabet, or -1.
func base45Value(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	switch c {
	case ' ':
		return 36
	case '$':
		return 37
	case '%':
		return 38
	case '*':
		return 39
	case '+':
		return 40
	case '-':
		return 41
	case '.':
		return 42
	case '/':
		return 43
	case ':':
		return 44
	}
	return -1
}

// quoteByte renders a byte for an error message, printable or as hex.
func quoteByte(c byte) string {
	const hex = "0123456789abcdef"
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	return "0x" + string([]byte{hex[c>>4], hex[c&0xf]})
}
