package staff

// phc.go: PIN hashes — argon2id (RFC 9106) with a random salt, kept as a PHC string
// (the Password Hashing Competition's string format, as libargon2 writes it), and
// checked in constant time.

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters (RFC 9106 §3.1) and the sizes of the salt and
// of the tag kept.
type Params struct {
	Time    uint32 // t: passes over the memory
	Memory  uint32 // m: memory in KiB
	Threads uint8  // p: lanes, computed in parallel
	SaltLen uint32 // bytes of random salt
	KeyLen  uint32 // bytes of tag kept
}

// DefaultParams returns the parameters new PINs are hashed with: RFC 9106 §4, the
// second recommended option (for when 2 GiB per hash is too much): t=3, m=64 MiB,
// p=4, a 128-bit salt and a 256-bit tag. Above OWASP's argon2id minimum (m=19 MiB,
// t=2, p=1), and about 0.1 to 0.3 s on a two-core kiosk: a guess costs an attacker
// who holds the store file as much.
func DefaultParams() Params {
	return Params{Time: 3, Memory: 64 * 1024, Threads: 4, SaltLen: 16, KeyLen: 32}
}

// Bounds on the parameters a PHC string may carry, so that a damaged or doctored
// store cannot make one login take minutes or gigabytes. The minimums are
// libargon2's (ARGON2_MIN_SALT_LENGTH, a tag of at least 128 bits).
const (
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 64
	maxTime    = 32
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxThreads = 64
	maxPHCLen  = 256
)

// phcVersion is the argon2 version the strings carry: 0x13 (RFC 9106 §3.1, v=19).
const phcVersion = argon2.Version

// check refuses parameters outside the bounds.
func (p Params) check() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("%w: t=%d, want 1 to %d", ErrPHC, p.Time, maxTime)
	case p.Threads < 1 || p.Threads > maxThreads:
		return fmt.Errorf("%w: p=%d, want 1 to %d", ErrPHC, p.Threads, maxThreads)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		// RFC 9106 §3.1: m is at least 8p KiB.
		return fmt.Errorf("%w: m=%d, want %d to %d KiB", ErrPHC, p.Memory, 8*uint32(p.Threads), maxMemory)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("%w: salt of %d bytes, want %d to %d", ErrPHC, p.SaltLen, minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("%w: tag of %d bytes, want %d to %d", ErrPHC, p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// Hash is a PIN's argon2id hash: the parameters, the salt and the tag.
type Hash struct {
	Params Params
	Salt   []byte
	Key    []byte
}

// b64 is the PHC string format's Base64: the standard alphabet without padding, and
// only the one spelling of each value (unused bits zero).
func b64() *base64.Encoding { return base64.RawStdEncoding.Strict() }

// String returns the hash as a PHC string:
//
//	$argon2id$v=19$m=65536,t=3,p=4$<salt>$<tag>
//
// the form libargon2's argon2_encodedlen/encode_string write.
func (h Hash) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", phcVersion,
		h.Params.Memory, h.Params.Time, h.Params.Threads, b64().EncodeToString(h.Salt), b64().EncodeToString(h.Key))
}

// ParsePHC reads an argon2id hash in the PHC string format. It accepts exactly the
// strings String writes: algorithm argon2id, version 19, the parameters m, t and p in
// that order as decimal numbers without leading zeros, and the salt and the tag in
// unpadded Base64, within the bounds on the parameters (t 1 to 32, m 8p KiB to 1 GiB,
// p 1 to 64, a salt of 8 to 64 bytes, a tag of 16 to 64 bytes). Anything else is
// ErrPHC, so that each hash has one spelling and no string can demand an
// unreasonable computation.
func ParsePHC(s string) (Hash, error) {
	if len(s) > maxPHCLen {
		return Hash{}, fmt.Errorf("%w: %d characters, at most %d", ErrPHC, len(s), maxPHCLen)
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return Hash{}, fmt.Errorf("%w: want $argon2id$v=19$m=…,t=…,p=…$salt$tag", ErrPHC)
	}
	if parts[1] != "argon2id" {
		return Hash{}, fmt.Errorf("%w: algorithm %q, want argon2id", ErrPHC, parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(phcVersion) {
		return Hash{}, fmt.Errorf("%w: version %q, want v=%d", ErrPHC, parts[2], phcVersion)
	}
	var p Params
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return Hash{}, fmt.Errorf("%w: parameters %q, want m=…,t=…,p=…", ErrPHC, parts[3])
	}
	for i, name := range []string{"m", "t", "p"} {
		value, ok := strings.CutPrefix(fields[i], name+"=")
		if !ok {
			return Hash{}, fmt.Errorf("%w: parameter %d is %q, want %s=…", ErrPHC, i+1, fields[i], name)
		}
		n, err := parseDecimal(value)
		if err != nil {
			return Hash{}, fmt.Errorf("%w: %s=%q: %v", ErrPHC, name, value, err)
		}
		switch name {
		case "m":
			p.Memory = n
		case "t":
			p.Time = n
		case "p":
			if n > 255 {
				return Hash{}, fmt.Errorf("%w: p=%d, want 1 to %d", ErrPHC, n, maxThreads)
			}
			p.Threads = uint8(n)
		}
	}
	salt, err := decodeB64(parts[4])
	if err != nil {
		return Hash{}, fmt.Errorf("%w: salt: %v", ErrPHC, err)
	}
	key, err := decodeB64(parts[5])
	if err != nil {
		return Hash{}, fmt.Errorf("%w: tag: %v", ErrPHC, err)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.check(); err != nil {
		return Hash{}, err
	}
	return Hash{Params: p, Salt: salt, Key: key}, nil
}

// decodeB64 decodes the PHC string format's Base64, refusing every character outside
// its alphabet first: Go's decoder skips line breaks, which would give one hash a
// second spelling.
func decodeB64(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			return nil, fmt.Errorf("character %q at %d is not Base64", c, i)
		}
	}
	return b64().DecodeString(s)
}

// parseDecimal reads a decimal uint32 written without sign, spaces or leading zeros.
func parseDecimal(s string) (uint32, error) {
	if s == "" || len(s) > 10 || (s[0] == '0' && len(s) > 1) {
		return 0, fmt.Errorf("not a decimal number without leading zeros")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("not a decimal number")
		}
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("out of range")
	}
	return uint32(n), nil
}

// HashPIN hashes pin with argon2id under p and a fresh salt from random (nil:
// crypto/rand).
func HashPIN(pin []byte, p Params, random io.Reader) (Hash, error) {
	if err := p.check(); err != nil {
		return Hash{}, err
	}
	if random == nil {
		random = rand.Reader
	}
	salt := make([]byte, p.SaltLen)
	if _, err := io.ReadFull(random, salt); err != nil {
		return Hash{}, fmt.Errorf("staff: salt: %w", err)
	}
	return Hash{Params: p, Salt: salt, Key: derive(pin, salt, p)}, nil
}

// derive is argon2id over pin and salt under p.
func derive(pin, salt []byte, p Params) []byte {
	return argon2.IDKey(pin, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

// Verify reports whether pin is the PIN h was made from. The tags are compared with
// crypto/subtle.ConstantTimeCompare, so the time taken does not depend on how many
// leading bytes agree.
func (h Hash) Verify(pin []byte) bool {
	if h.Params.check() != nil || uint32(len(h.Salt)) != h.Params.SaltLen || uint32(len(h.Key)) != h.Params.KeyLen {
		return false
	}
	key := derive(pin, h.Salt, h.Params)
	defer clear(key)
	return subtle.ConstantTimeCompare(key, h.Key) == 1
}
