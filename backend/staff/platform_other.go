//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package staff

// platform_other.go: where there is no flock and no Unix permission bits, the lock
// between processes and the permission check are left to the folder's access control.

import (
	"io/fs"
	"os"
)

func lockFile(f *os.File) error { return nil }

func checkPrivate(fi fs.FileInfo) error { return nil }
