package audit

// subject.go: the subject of an entry — a keyed hash of the person's identifier — and
// where its key comes from.

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// KeySize is the size of the subject key: HMAC-SHA256 with a key as long as its output.
const KeySize = 32

// KeyName is the key file in the log's folder.
const KeyName = "audit.key"

// Identifier is a person's identifier as the identity package reads it: the system it
// belongs to (urn:ee:personal-code, urn:ru:snils, urn:ru:oms, urn:az:fin) and its value,
// normalised. It goes into the log only as the Subject hash.
type Identifier struct {
	System string
	Value  string
}

// IsZero reports whether id is empty: the event concerns no person.
func (id Identifier) IsZero() bool { return id == Identifier{} }

// SubjectOf returns the subject for id under key: HMAC-SHA256(key, M) as 64 lower-case
// hex digits, where M = uint32be(len(System)) || System || uint32be(len(Value)) || Value.
// The same person identified the same way gets the same subject, so the entries about
// one person can be found with the key, and without the key the subject says nothing.
func SubjectOf(key []byte, id Identifier) (string, error) {
	if len(key) != KeySize {
		return "", fmt.Errorf("%w: subject key is %d bytes, want %d", ErrKey, len(key), KeySize)
	}
	if id.System == "" || id.Value == "" {
		return "", fmt.Errorf("%w: identifier without a system or a value", ErrInvalid)
	}
	mac := hmac.New(sha256.New, key)
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(id.System)))
	mac.Write(n[:])
	io.WriteString(mac, id.System)
	binary.BigEndian.PutUint32(n[:], uint32(len(id.Value)))
	mac.Write(n[:])
	io.WriteString(mac, id.Value)
	return hex.EncodeToString(mac.Sum(nil)), nil
}

// KeyStore holds the key subjects are hashed with. The key never goes into the log.
type KeyStore interface {
	// SubjectKey returns the KeySize-byte key, creating it on first use.
	SubjectKey(ctx context.Context) ([]byte, error)
}

// FileKeyStore keeps the key in a file of its own: KeySize random bytes, mode 0600.
type FileKeyStore struct {
	Path string
	// Rand is where a new key comes from; nil means crypto/rand.
	Rand io.Reader
}

var _ KeyStore = FileKeyStore{}

// SubjectKey reads the key file, or creates it when there is none. Creation is atomic
// and exclusive: the key is written to a temporary file, synced, and linked into
// place, which fails when another process got there first; then that process's key is
// read instead, so two processes starting at once never hash under different keys.
// (A rename, as atomicfile does, would replace a key that is already in use.)
func (s FileKeyStore) SubjectKey(ctx context.Context) ([]byte, error) {
	if s.Path == "" {
		return nil, errors.New("audit: key store has no file")
	}
	key, err := readKey(s.Path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := createKey(s.Path, s.Rand); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	return readKey(s.Path)
}

func readKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("audit: key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("audit: key file: %w", err)
	}
	if err := checkPrivate(fi); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrKey, path, err)
	}
	key, err := io.ReadAll(io.LimitReader(f, KeySize+1))
	if err != nil {
		return nil, fmt.Errorf("audit: key file: %w", err)
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("%w: %s holds %d bytes, want %d", ErrKey, path, len(key), KeySize)
	}
	return key, nil
}

func createKey(path string, random io.Reader) error {
	if random == nil {
		random = rand.Reader
	}
	key := make([]byte, KeySize)
	if _, err := io.ReadFull(random, key); err != nil {
		return fmt.Errorf("audit: key file: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("audit: key file: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("audit: key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(key)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("audit: key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		return fmt.Errorf("audit: key file: %w", err)
	}
	return syncDir(dir)
}

// syncDir makes a new name in dir survive a power loss.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("audit: sync %s: %w", dir, err)
	}
	return nil
}
