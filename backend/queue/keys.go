package queue

// keys.go: where the queue's key comes from. For now a key file in the data folder;
// a hardware token will hold it later, behind the same KeyStore.

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// KeySize is the size of the queue's key: AES-256.
const KeySize = 32

// KeyFileName is the key file in the kiosk's data folder.
const KeyFileName = "queue.key"

// KeyPath returns the key file in the data folder dataDir.
func KeyPath(dataDir string) string { return filepath.Join(dataDir, KeyFileName) }

// KeyStore holds the key the queue seals personal data under. The key never goes into
// the queue's database.
type KeyStore interface {
	// QueueKey returns the KeySize-byte key, creating it on first use.
	QueueKey(ctx context.Context) ([]byte, error)
}

// FileKeyStore keeps the key in a file of its own (mode 0600): KeySize random bytes.
type FileKeyStore struct {
	Path string
}

// QueueKey reads the key file, or creates it when there is none. Creation is atomic:
// the key is written to a temporary file, synced, and linked into place, which fails
// when another process got there first; then that process's key is read instead, so
// two processes starting at once never seal under different keys.
func (s FileKeyStore) QueueKey(ctx context.Context) ([]byte, error) {
	if s.Path == "" {
		return nil, errors.New("queue: key store has no file")
	}
	key, err := readKey(s.Path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := createKey(s.Path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	return readKey(s.Path)
}

func readKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("queue: key file: %w", err)
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("queue: key file %s holds %d bytes, want %d", path, len(key), KeySize)
	}
	return key, nil
}

func createKey(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("queue: key file: %w", err)
	}
	key := make([]byte, KeySize)
	rand.Read(key) // never fails (crypto/rand)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("queue: key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("queue: key file: %w", err)
	}
	if _, err := tmp.Write(key); err != nil {
		tmp.Close()
		return fmt.Errorf("queue: key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("queue: key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("queue: key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		return err // fs.ErrExist when another process created it first
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("queue: key file: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("queue: key file: sync %s: %w", dir, err)
	}
	return nil
}
