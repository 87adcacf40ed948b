package audit

// source.go: where a shipper reads the entries not yet shipped — the open Log, or the
// folder of a log another process holds.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Source hands out the entries after seq, in order, verified: *Log in the process
// that appends, Dir in any other (the queue's worker ships them to the registry).
type Source interface {
	Since(seq uint64) ([]Entry, error)
}

var (
	_ Source = (*Log)(nil)
	_ Source = Dir("")
)

// Dir is the folder of a log, read without taking it from the Log that holds it.
type Dir string

// Since returns the entries after seq of the log in the folder, verified against its
// head file like VerifyDir; a tampered log is a *Fault and nothing of it is handed
// out. A line being appended while the file is read is left for the next call. A
// folder with no log yet has no entries.
func (d Dir) Since(seq uint64) ([]Entry, error) {
	dir := string(d)
	// The head first: a Log appending meanwhile only moves the log ahead of it.
	head, headErr := readHeadFile(filepath.Join(dir, HeadName))
	if headErr != nil && !errors.Is(headErr, fs.ErrNotExist) {
		return nil, headErr
	}
	f, err := os.Open(filepath.Join(dir, LogName))
	if errors.Is(err, fs.ErrNotExist) && headErr != nil {
		return nil, nil
	}
	var data []byte
	if err == nil {
		data, err = io.ReadAll(f)
		f.Close()
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("audit: %w", err)
	}
	// Only whole lines: the last may be half written by the Log appending now.
	data = data[:bytes.LastIndexByte(data, '\n')+1]
	var anchors []Head
	if headErr == nil {
		anchors = append(anchors, head)
	}
	var out []Entry
	rep, err := walk(bytes.NewReader(data), anchors, func(e Entry) {
		if e.Seq > seq {
			out = append(out, e)
		}
	})
	if err != nil {
		return nil, err
	}
	if headErr != nil && rep.Entries > 0 {
		return nil, &Fault{Err: ErrAnchor, Detail: HeadName + " is missing: without it, entries removed from the end of the log go unnoticed"}
	}
	return out, nil
}
