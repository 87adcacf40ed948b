package audit

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestSubjectOf(t *testing.T) {
	id := Identifier{"urn:ee:personal-code", "48801014221"}
	got, err := SubjectOf(testKey, id)
	if err != nil {
		t.Fatal(err)
	}
	// HMAC-SHA256(key, uint32be(len(system)) || system || uint32be(len(value)) || value)
	mac := hmac.New(sha256.New, testKey)
	mac.Write([]byte("\x00\x00\x00\x14urn:ee:personal-code\x00\x00\x00\x0b48801014221"))
	if want := hex.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("SubjectOf(%v) = %s, want %s", id, got, want)
	}
	// The length prefixes keep the parts apart.
	a, _ := SubjectOf(testKey, Identifier{"urn:x", "12345"})
	b, _ := SubjectOf(testKey, Identifier{"urn:x1", "2345"})
	if a == b {
		t.Errorf("SubjectOf gives %s for two identifiers that differ in where system ends", a)
	}
	other := bytes.Repeat([]byte{1}, KeySize)
	if c, _ := SubjectOf(other, id); c == got {
		t.Errorf("SubjectOf gives %s under two keys", c)
	}
	if _, err := SubjectOf(testKey[:16], id); !errors.Is(err, ErrKey) {
		t.Errorf("SubjectOf(16-byte key) = %v, want ErrKey", err)
	}
}

func TestFileKeyStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", KeyName)
	ks := FileKeyStore{Path: path, Rand: bytes.NewReader(bytes.Repeat([]byte{7}, KeySize))}
	key, err := ks.SubjectKey(context.Background())
	if err != nil || !bytes.Equal(key, bytes.Repeat([]byte{7}, KeySize)) {
		t.Fatalf("SubjectKey = %x, %v, want the %d bytes from Rand", key, err, KeySize)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != KeySize {
		t.Errorf("key file = %v, %v, want %d bytes, mode 0600", fi, err, KeySize)
	}
	again, err := FileKeyStore{Path: path}.SubjectKey(context.Background())
	if err != nil || !bytes.Equal(again, key) {
		t.Errorf("SubjectKey again = %x, %v, want the same key", again, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("key folder holds %d files, want the key alone (no temporary file left)", len(entries))
	}
}

func TestFileKeyStoreConcurrentCreation(t *testing.T) {
	path := filepath.Join(t.TempDir(), KeyName)
	var wg sync.WaitGroup
	keys := make([][]byte, 8)
	errs := make([]error, 8)
	for i := range keys {
		wg.Go(func() { keys[i], errs[i] = FileKeyStore{Path: path}.SubjectKey(context.Background()) })
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil || !bytes.Equal(keys[i], keys[0]) {
			t.Errorf("SubjectKey #%d = %x, %v, want the key all agree on, %x", i, keys[i], errs[i], keys[0])
		}
	}
}

func TestFileKeyStoreRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content []byte
		perm    os.FileMode
	}{
		{"short", make([]byte, 16), 0o600},
		{"long", make([]byte, 33), 0o600},
		{"empty", nil, 0o600},
		{"readable by others", make([]byte, KeySize), 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, tt.content, tt.perm); err != nil {
				t.Fatal(err)
			}
			os.Chmod(path, tt.perm) // past the umask
			if key, err := (FileKeyStore{Path: path}).SubjectKey(context.Background()); !errors.Is(err, ErrKey) {
				t.Errorf("SubjectKey(%s) = %x, %v, want ErrKey", tt.name, key, err)
			}
		})
	}
}

func TestOpenCreatesKey(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	fi, err := os.Stat(filepath.Join(dir, KeyName))
	if err != nil || fi.Size() != KeySize || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file after Open = %v, %v, want %d bytes, mode 0600", fi, err, KeySize)
	}
	for _, name := range []string{LogName, HeadName} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s after Open = %v, %v, want mode 0600", name, fi, err)
		}
	}
}
