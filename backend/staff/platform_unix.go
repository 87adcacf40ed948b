//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package staff

// platform_unix.go: the lock that keeps one writer of the store across processes, and
// the permission check on the store file.

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on f, waiting for it, for as long as f is open.
// Writers hold it for a read and a rename; the slow part of a login (the PIN hash) is
// computed outside it.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("staff: lock %s: %w", f.Name(), err)
		}
		return nil
	}
}

// checkPrivate refuses a store file that the group or others may read or write.
func checkPrivate(fi fs.FileInfo) error {
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("mode %04o lets others at it; want 0600", perm)
	}
	return nil
}
