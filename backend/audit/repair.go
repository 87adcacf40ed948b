package audit

// repair.go: removing a torn last line, on request only.

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Repaired is what Repair removed.
type Repaired struct {
	// Line is the torn line's number; 0 when there was nothing to repair.
	Line int
	// Offset is where the torn line started: the log's new size.
	Offset int64
	// Size is the number of bytes removed.
	Size int64
}

// Repair removes a torn last line from the log in dir — the part of an entry a crash
// cut short, which Append never returned — by truncating the file where the line
// starts. It repairs nothing else: a log with any other fault, or whose entries before
// the torn line do not verify against the head file, is returned as its *Fault and
// left as it is. A log with no fault is left as it is, with a zero Repaired. The
// caller should record ActionLogRepaired once the log is open again.
func Repair(dir string) (Repaired, error) {
	f, err := os.OpenFile(filepath.Join(dir, LogName), os.O_RDWR, 0)
	if err != nil {
		return Repaired{}, fmt.Errorf("audit: %w", err)
	}
	defer f.Close()
	if err := lockFile(f); err != nil {
		return Repaired{}, err
	}
	head, headErr := readHeadFile(filepath.Join(dir, HeadName))
	if headErr != nil && !errors.Is(headErr, fs.ErrNotExist) {
		return Repaired{}, headErr
	}
	fi, err := f.Stat()
	if err != nil {
		return Repaired{}, fmt.Errorf("audit: %w", err)
	}
	_, err = verifyWithHead(io.NewSectionReader(f, 0, fi.Size()), head, headErr == nil)
	var fault *Fault
	if err == nil || !errors.As(err, &fault) || !errors.Is(fault, ErrTorn) {
		return Repaired{}, err
	}
	if _, err := verifyWithHead(io.NewSectionReader(f, 0, fault.Offset), head, headErr == nil); err != nil {
		return Repaired{}, err
	}
	if err := f.Truncate(fault.Offset); err != nil {
		return Repaired{}, fmt.Errorf("audit: repair: %w", err)
	}
	if err := f.Sync(); err != nil {
		return Repaired{}, fmt.Errorf("audit: repair: %w", err)
	}
	return Repaired{Line: fault.Line, Offset: fault.Offset, Size: fi.Size() - fault.Offset}, nil
}
