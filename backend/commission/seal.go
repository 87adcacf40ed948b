package commission

// seal.go: personal data at rest: the register's key, and what each sealed value is
// bound to. The applicant's name, identifier and date of birth, the lab result and
// the signed certificate are sealed by package seal (AES-256-GCM) bound to the case's
// row and the column, so that a sealed value copied onto another case or into
// another column does not open; the identifier is looked up by seal's keyed hash
// (HMAC-SHA256). The domain and the binding are part of commission.sqlite's format:
// testdata/sealed-v1.json holds values sealed before package seal existed, which
// must keep opening.

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"certkiosk/backend/audit"
	"certkiosk/backend/seal"
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

// sealDomain names the register's derived keys and associated data in package
// seal. Another name would leave every sealed value and lookup hash of existing
// registers unreadable.
const sealDomain = "commission"

func newSealer(master []byte, random io.Reader) (*seal.Sealer, error) {
	s, err := seal.New(master, sealDomain, random)
	if err != nil {
		return nil, fmt.Errorf("commission: %w", err)
	}
	return s, nil
}

// sealColumn seals plain for the column of the case in row.
func (s *Service) sealColumn(row int64, column string, plain []byte) ([]byte, error) {
	sealed, err := s.sealer.Seal(plain, strconv.FormatInt(row, 10), column)
	if err != nil {
		return nil, fmt.Errorf("commission: %w", err)
	}
	return sealed, nil
}

// openColumn reverses sealColumn; a value sealed for another case or column, under
// another key, or damaged is ErrSealed.
func (s *Service) openColumn(row int64, column string, sealed []byte) ([]byte, error) {
	plain, err := s.sealer.Open(sealed, strconv.FormatInt(row, 10), column)
	if err != nil {
		return nil, ErrSealed
	}
	return plain, nil
}

// subject is the keyed hash an applicant's identifier is looked up by.
func (s *Service) subject(system, value string) []byte {
	return s.sealer.Hash("subject", system, value)
}
