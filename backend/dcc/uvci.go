package dcc

// uvci.go: unique certificate identifiers (UVCI) with their Luhn mod N check character.

import (
	"errors"
	"fmt"
	"strings"
)

// The UVCI follows the eHealth Network guidelines on verifiable vaccination
// certificates, Annex 2 (also Implementing Decision (EU) 2021/1073, Annex III):
// "URN:UVCI:" prefix, version "01", the issuing country's ISO 3166-1 alpha-2 code, an
// opaque part of blocks of A–Z and 0–9 separated by "/", and "#" with a check character.
//
// The check character is Luhn mod N over the whole identifier before "#", prefix
// included, with N = 38 and the code points of UVCIAlphabet: A–Z are 0–25, 0–9 are
// 26–35, "/" is 36 and ":" is 37 ("#" is a delimiter and has none). This is the order
// of the eu-dcc-schema FAQ and its reference example, where
// "URN:UVCI:01:NL:187/37512422923" has the check character "Z".
const (
	// UVCIPrefix starts every UVCI the kiosk writes; the check character covers it.
	UVCIPrefix = "URN:UVCI:"
	// UVCIVersion is the only version of the UVCI structure defined so far.
	UVCIVersion = "01"
	// UVCIAlphabet lists the characters of a UVCI in code-point order for Luhn mod N.
	UVCIAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:"

	// MaxNewUVCILength bounds the UVCIs NewUVCI writes, check character included. The
	// guidelines ask designers to keep identifiers short; 50 characters leave room for
	// a 32-character opaque part and fit one printed line on the certificate.
	MaxNewUVCILength = 50
	// MaxUVCILength bounds the UVCIs CheckUVCI accepts: the payload schema's maxLength
	// for ci (DCC.combined-schema.json, $defs/certificate_id). Other issuers write
	// UVCIs longer than 50 characters (the Hungarian test vectors have 52).
	MaxUVCILength = 80
)

// ErrUVCI reports an identifier that NewUVCI cannot build or CheckUVCI rejects.
var ErrUVCI = errors.New("dcc: invalid UVCI")

// NewUVCI builds the UVCI "URN:UVCI:01:<country>:<issuer>/<id>#<check>". country is an
// ISO 3166-1 alpha-2 code; issuer (the issuing entity) and id (unique within it) hold
// only A–Z and 0–9. The result is at most MaxNewUVCILength characters long.
func NewUVCI(country, issuer, id string) (string, error) {
	if !isCountryCode(country) {
		return "", fmt.Errorf("%w: country %q is not two letters A–Z", ErrUVCI, country)
	}
	for _, part := range []struct{ name, value string }{{"issuer", issuer}, {"id", id}} {
		if part.value == "" {
			return "", fmt.Errorf("%w: %s is empty", ErrUVCI, part.name)
		}
		if i := strings.IndexFunc(part.value, func(r rune) bool { return !isUVCIBlockChar(r) }); i >= 0 {
			return "", fmt.Errorf("%w: %s %q holds %q: only A–Z and 0–9 are allowed", ErrUVCI, part.name, part.value, []rune(part.value[i:])[0])
		}
	}
	body := UVCIPrefix + UVCIVersion + ":" + country + ":" + issuer + "/" + id
	check, _ := luhnModN(body) // every character is in the alphabet
	uvci := body + "#" + string(check)
	if len(uvci) > MaxNewUVCILength {
		return "", fmt.Errorf("%w: %q is %d characters long, more than %d", ErrUVCI, uvci, len(uvci), MaxNewUVCILength)
	}
	return uvci, nil
}

// CheckUVCI reports whether s is a UVCI with the structure NewUVCI writes — prefix,
// version 01, a two-letter country, an opaque part of "/"-separated blocks of A–Z and
// 0–9 — no longer than MaxUVCILength, ending in the right check character.
func CheckUVCI(s string) error {
	if len(s) > MaxUVCILength {
		return fmt.Errorf("%w: %d characters long, more than %d", ErrUVCI, len(s), MaxUVCILength)
	}
	rest, ok := strings.CutPrefix(s, UVCIPrefix)
	if !ok {
		return fmt.Errorf("%w: %q does not start with %s", ErrUVCI, s, UVCIPrefix)
	}
	version, rest, _ := strings.Cut(rest, ":")
	if version != UVCIVersion {
		return fmt.Errorf("%w: %q has version %q, want %s", ErrUVCI, s, version, UVCIVersion)
	}
	country, rest, _ := strings.Cut(rest, ":")
	if !isCountryCode(country) {
		return fmt.Errorf("%w: %q has country %q, not two letters A–Z", ErrUVCI, s, country)
	}
	opaque, check, found := strings.Cut(rest, "#")
	if !found {
		return fmt.Errorf("%w: %q has no check character after #", ErrUVCI, s)
	}
	for _, block := range strings.Split(opaque, "/") {
		if block == "" || strings.IndexFunc(block, func(r rune) bool { return !isUVCIBlockChar(r) }) >= 0 {
			return fmt.Errorf("%w: %q: the part after the country must be blocks of A–Z and 0–9 separated by /", ErrUVCI, s)
		}
	}
	body := s[:len(s)-len(check)-1]
	want, _ := luhnModN(body)
	if len(check) != 1 || check[0] != want {
		return fmt.Errorf("%w: %q: check character %q, want %q", ErrUVCI, s, check, want)
	}
	return nil
}

// luhnModN returns the Luhn mod N check character of s over UVCIAlphabet, and false
// when s holds a character outside it. From the rightmost character leftwards, code
// points are weighted 2, 1, 2, …; each product is reduced to the sum of its base-N
// digits; the check character brings the total to a multiple of N.
func luhnModN(s string) (byte, bool) {
	const n = len(UVCIAlphabet)
	sum, factor := 0, 2
	for i := len(s) - 1; i >= 0; i-- {
		cp := strings.IndexByte(UVCIAlphabet, s[i])
		if cp < 0 {
			return 0, false
		}
		addend := factor * cp
		sum += addend/n + addend%n
		factor = 3 - factor
	}
	return UVCIAlphabet[(n-sum%n)%n], true
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

func isUVCIBlockChar(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
