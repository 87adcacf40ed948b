// Package seal keeps personal data at rest unreadable without a store's key, and
// findable again without storing it in clear. A Sealer is made from a store's 32-byte
// master key and a domain naming the store ("queue", "commission"); from them it
// derives two keys with HKDF-SHA256 (RFC 5869):
//
//   - a sealing key: Seal encrypts a value with AES-256-GCM (NIST SP 800-38D) under a
//     fresh random nonce, bound by the associated data to what the caller names
//     (a job, a row and a column), so that a sealed value copied to another place
//     does not open there;
//   - a lookup key: Hash is an HMAC-SHA256 (RFC 2104) of a value, so that a store can
//     find a person's rows by an identifier it keeps only as a hash, which tells
//     nothing without the key.
//
// In a store:
//
//	s, err := seal.New(master, "queue", nil) // nil: nonces from crypto/rand
//	clear(master)                            // s keeps only the derived keys
//	sealed, err := s.Seal(plain, jobKey)
//	plain, err = s.Open(sealed, jobKey)      // ErrOpen under another key or binding
//	lookup := s.Hash("subject", system, value)
//
// # Format
//
// A sealed value is version ‖ nonce ‖ ciphertext ‖ tag: one byte 0x01, a 12-byte
// nonce, then AES-256-GCM's output with its 16-byte tag. For domain D the derived
// keys are HKDF-SHA256(master, salt none, info "certkiosk D seal v1") and
// (… info "certkiosk D lookup v1"), 32 bytes each. The associated data of a value
// bound to b1, …, bn is "certkiosk-D" ‖ 0x00 ‖ b1 ‖ 0x00 ‖ … ‖ 0x00 ‖ bn; the hash of
// kind k and parts p1, …, pn is HMAC-SHA256(lookup key, k ‖ 0x00 ‖ p1 ‖ … ‖ 0x00 ‖ pn).
// This is the layout the queue and the commission wrote before this package existed,
// and their files depend on it: their tests open values sealed then
// (testdata/sealed-v1.json in each).
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strings"
)

// KeySize is the size of a master key: AES-256.
const KeySize = 32

// version is the first byte of a sealed value: the layout, so that the algorithm
// can change without guessing.
const version = 1

var (
	// ErrOpen: a sealed value does not open: another key, another binding, another
	// domain, or damaged bytes. Which one is not told, by design.
	ErrOpen = errors.New("seal: sealed value does not open")
	// ErrKeySize: the master key is not KeySize bytes.
	ErrKeySize = errors.New("seal: wrong key size")
	// ErrBinding: a domain or a binding that cannot be encoded without ambiguity (empty
	// domain, or a NUL byte, which separates the parts).
	ErrBinding = errors.New("seal: invalid binding")
)

// Sealer seals and opens values, and hashes the values looked up, under keys derived
// from one master key. It is safe for concurrent use when its random source is.
type Sealer struct {
	domain  string
	aead    cipher.AEAD
	hashKey []byte
	rand    io.Reader
}

// New derives a Sealer's keys from master for domain. New keeps no reference to
// master, which the caller may clear. random gives the nonces; nil: crypto/rand.
func New(master []byte, domain string, random io.Reader) (*Sealer, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("%w: key is %d bytes, want %d", ErrKeySize, len(master), KeySize)
	}
	if domain == "" || strings.IndexByte(domain, 0) >= 0 {
		return nil, fmt.Errorf("%w: domain %q", ErrBinding, domain)
	}
	// RFC 5869 §3.2: one info label for each use, so that the two keys are independent.
	sealKey, err := hkdf.Key(sha256.New, master, nil, "certkiosk "+domain+" seal v1", KeySize)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	defer clear(sealKey) // the cipher keeps its own expanded copy
	hashKey, err := hkdf.Key(sha256.New, master, nil, "certkiosk "+domain+" lookup v1", KeySize)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	block, err := aes.NewCipher(sealKey)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	if random == nil {
		random = rand.Reader
	}
	return &Sealer{domain: domain, aead: aead, hashKey: hashKey, rand: random}, nil
}

// associated is the associated data that binds a value to binding.
func (s *Sealer) associated(binding []string) ([]byte, error) {
	ad := []byte("certkiosk-" + s.domain)
	for _, b := range binding {
		if strings.IndexByte(b, 0) >= 0 {
			return nil, fmt.Errorf("%w: binding %q holds NUL", ErrBinding, b)
		}
		ad = append(ad, 0)
		ad = append(ad, b...)
	}
	return ad, nil
}

// Seal encrypts plain, bound to binding (for example a job's key, or a row's id
// and a column name): it opens only with the same binding. Every call takes a fresh
// nonce, so equal values seal to different bytes.
func (s *Sealer) Seal(plain []byte, binding ...string) ([]byte, error) {
	ad, err := s.associated(binding)
	if err != nil {
		return nil, err
	}
	n := s.aead.NonceSize()
	out := make([]byte, 1+n, 1+n+len(plain)+s.aead.Overhead())
	out[0] = version
	if _, err := io.ReadFull(s.rand, out[1:]); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	return s.aead.Seal(out, out[1:], plain, ad), nil
}

// Open reverses Seal. A value sealed under another key, domain or binding, or
// damaged, is ErrOpen.
func (s *Sealer) Open(sealed []byte, binding ...string) ([]byte, error) {
	ad, err := s.associated(binding)
	if err != nil {
		return nil, ErrOpen
	}
	n := s.aead.NonceSize()
	if len(sealed) < 1+n+s.aead.Overhead() || sealed[0] != version {
		return nil, ErrOpen
	}
	plain, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// Hash is the keyed hash a value is looked up by: the same for the same key, kind
// and parts, and unrelated under another key. kind names what is hashed ("subject",
// "claim"), so that equal strings of different kinds hash apart. The parts are
// separated by a NUL byte, so they must hold none: identifiers and codes, checked
// before they are hashed, do not.
func (s *Sealer) Hash(kind string, parts ...string) []byte {
	m := hmac.New(sha256.New, s.hashKey)
	m.Write([]byte(kind))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}
