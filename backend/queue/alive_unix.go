//go:build unix

package queue

// alive_unix.go: whether a process still runs, for taking over a dead worker's jobs.

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with the pid exists (signal 0 checks
// without sending anything); only "no such process" counts as gone.
func processAlive(pid int) bool {
	return !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
