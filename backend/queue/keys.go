package queue

// keys.go: where the queue's key comes from: a key file, by default in the data
// folder, better elsewhere (config keys.queue: another disk, a systemd credential),
// so that a copy of the data folder does not open the queue. A hardware token can
// hold it later, behind the same KeyStore.

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"certkiosk/backend/seal"
)

// KeySize is the size of the queue's key: AES-256.
const KeySize = seal.KeySize

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

// ErrKeyFile: the key file is not private to the kiosk's user.
var ErrKeyFile = errors.New("queue: key file not private")

// FileKeyStore keeps the key in a file of its own (mode 0600): KeySize random bytes.
// The file is refused when its mode lets the group or others read it. It may lie
// outside the data folder: a systemd credential ($CREDENTIALS_DIRECTORY/queue.key,
// LoadCredential=), which the service manager keeps off the data disk, serves too;
// a file that cannot be created there (a read-only credential folder) must exist.
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

// readKey reads the key file, refusing one that the group or others may read or
// write (a systemd credential, mode 0400 or 0600, passes).
func readKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("queue: key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("queue: key file: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %04o, which lets others read it; want 0600 (or 0400)", ErrKeyFile, path, perm)
	}
	key, err := io.ReadAll(io.LimitReader(f, KeySize+1))
	if err != nil {
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
