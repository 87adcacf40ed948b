//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package audit

// platform_unix.go: the file lock that keeps one writer per log, and the permission
// check on the key file.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on f for as long as f is open. flock locks belong
// to the open file, so a second Open in the same process is refused too.
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return ErrLocked
	}
	if err != nil {
		return fmt.Errorf("audit: lock %s: %w", f.Name(), err)
	}
	return nil
}

// checkPrivate refuses a key file that the group or others may read or write.
func checkPrivate(fi fs.FileInfo) error {
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("mode %04o lets others read it; want 0600", perm)
	}
	return nil
}
