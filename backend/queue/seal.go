package queue

// seal.go: personal data at rest. Values are sealed with AES-256-GCM under a key
// derived from the key store's, a fresh random nonce each, and the job's key as
// associated data, so that a sealed value copied onto another job's row does not open.
// Identifiers and claim codes are looked up by an HMAC-SHA256 under a second derived
// key; the hash tells nothing without the key.

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
)

// sealVersion is the first byte of a sealed value: the layout version, so that the
// algorithm can change without guessing.
const sealVersion = 1

// Key derivation labels (HKDF info, RFC 5869 §3.2): one key for each use.
const (
	infoSeal = "certkiosk queue seal v1"
	infoHash = "certkiosk queue lookup v1"
)

// sealer seals and opens values, and hashes the values looked up.
type sealer struct {
	aead    cipher.AEAD
	hashKey []byte
}

func newSealer(master []byte) (*sealer, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("queue: key is %d bytes, want %d", len(master), KeySize)
	}
	sealKey, err := hkdf.Key(sha256.New, master, nil, infoSeal, 32)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	hashKey, err := hkdf.Key(sha256.New, master, nil, infoHash, 32)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	block, err := aes.NewCipher(sealKey)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return &sealer{aead: aead, hashKey: hashKey}, nil
}

// associated is the data bound to a job's sealed value: its idempotency key.
func associated(jobKey string) []byte { return []byte("certkiosk-queue\x00" + jobKey) }

// seal returns version ‖ nonce ‖ ciphertext.
func (s *sealer) seal(jobKey string, plain []byte) []byte {
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	out[0] = sealVersion
	rand.Read(out[1:]) // never fails (crypto/rand)
	return s.aead.Seal(out, out[1:], plain, associated(jobKey))
}

// open reverses seal; a value sealed for another job, under another key, or damaged
// is ErrSealed.
func (s *sealer) open(jobKey string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < 1+n+s.aead.Overhead() || sealed[0] != sealVersion {
		return nil, ErrSealed
	}
	plain, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], associated(jobKey))
	if err != nil {
		return nil, ErrSealed
	}
	return plain, nil
}

// hash is the keyed hash a value is looked up by; what names the kind of value
// (subject, claim) so that equal strings of different kinds hash apart.
func (s *sealer) hash(what string, parts ...string) []byte {
	m := hmac.New(sha256.New, s.hashKey)
	m.Write([]byte(what))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}
