package commission

// seal.go: personal data at rest. The applicant's name, identifier and date of
// birth, the lab result and the signed certificate are sealed with AES-256-GCM under
// a key derived from the register's key, a fresh random nonce each, with the case
// and the column as associated data, so that a sealed value copied onto another
// case or into another column does not open. The identifier is looked up by an
// HMAC-SHA256 under a second derived key.

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"path/filepath"

	"certkiosk/backend/audit"
)

// KeyFileName is the register's key file in the data folder: 32 random bytes,
// mode 0600, never in the database.
const KeyFileName = "commission.key"

// KeyStore holds the register's key. audit.FileKeyStore is one: a key file created
// atomically on first use and refused when others may read it.
type KeyStore interface {
	// SubjectKey returns the 32-byte key, creating it on first use.
	SubjectKey(ctx context.Context) ([]byte, error)
}

var _ KeyStore = audit.FileKeyStore{}

// fileKeys is the default key store: KeyFileName in the data folder.
func fileKeys(dataDir string) KeyStore {
	return audit.FileKeyStore{Path: filepath.Join(dataDir, KeyFileName)}
}

// sealVersion is the first byte of a sealed value: the layout, so that the
// algorithm can change without guessing.
const sealVersion = 1

// Key derivation labels (HKDF info, RFC 5869 §3.2): one key for each use.
const (
	infoSeal = "certkiosk commission seal v1"
	infoHash = "certkiosk commission lookup v1"
)

// sealer seals and opens values, and hashes the identifiers looked up.
type sealer struct {
	aead    cipher.AEAD
	hashKey []byte
	rand    io.Reader
}

func newSealer(master []byte, random io.Reader) (*sealer, error) {
	if len(master) != 32 {
		return nil, fmt.Errorf("commission: key is %d bytes, want 32", len(master))
	}
	sealKey, err := hkdf.Key(sha256.New, master, nil, infoSeal, 32)
	if err != nil {
		return nil, fmt.Errorf("commission: %w", err)
	}
	hashKey, err := hkdf.Key(sha256.New, master, nil, infoHash, 32)
	if err != nil {
		return nil, fmt.Errorf("commission: %w", err)
	}
	block, err := aes.NewCipher(sealKey)
	if err != nil {
		return nil, fmt.Errorf("commission: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("commission: %w", err)
	}
	if random == nil {
		random = rand.Reader
	}
	return &sealer{aead: aead, hashKey: hashKey, rand: random}, nil
}

// associated binds a sealed value to its case and column.
func associated(caseRow int64, column string) []byte {
	return fmt.Appendf(nil, "certkiosk-commission\x00%d\x00%s", caseRow, column)
}

// seal returns version ‖ nonce ‖ ciphertext.
func (s *sealer) seal(caseRow int64, column string, plain []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	out := make([]byte, 1+n, 1+n+len(plain)+s.aead.Overhead())
	out[0] = sealVersion
	if _, err := io.ReadFull(s.rand, out[1:]); err != nil {
		return nil, fmt.Errorf("commission: nonce: %w", err)
	}
	return s.aead.Seal(out, out[1:], plain, associated(caseRow, column)), nil
}

// open reverses seal; a value sealed for another case or column, under another
// key, or damaged is ErrSealed.
func (s *sealer) open(caseRow int64, column string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < 1+n+s.aead.Overhead() || sealed[0] != sealVersion {
		return nil, ErrSealed
	}
	plain, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], associated(caseRow, column))
	if err != nil {
		return nil, ErrSealed
	}
	return plain, nil
}

// subject is the keyed hash an applicant's identifier is looked up by.
func (s *sealer) subject(system, value string) []byte {
	m := hmac.New(sha256.New, s.hashKey)
	m.Write([]byte("subject\x00" + system + "\x00" + value))
	return m.Sum(nil)
}
