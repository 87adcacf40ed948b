package audit

// verify.go: reading a log back and checking its chain, entry by entry, against the
// heads that anchor it.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// Report is what verified: the entries read before the end or before the fault.
type Report struct {
	// Entries is the number of entries that verified.
	Entries int
	// Head is the last entry that verified; the zero Head when none did.
	Head Head
}

// Verify reads a log and recomputes its chain. It returns a *Fault for the first entry
// that fails: a line that is torn or malformed, an entry whose hash does not match its
// content (edited), a gap in the sequence (deleted), a sequence out of order (moved or
// swapped), a prev hash that is not the hash of the entry before (re-hashed or
// renumbered), or an entry that disagrees with one of the anchors. An anchor further than
// the log reaches reports the entries missing from the end; without an anchor,
// removing the last entries cannot be told from a shorter log. Other errors are the
// reader's. The Report counts the entries that verified before the fault.
func Verify(r io.Reader, anchors ...Head) (Report, error) {
	return walk(r, anchors, nil)
}

// VerifyDir verifies the log in dir against its head file — the file Open keeps,
// rewritten after every append — and against anchors, heads exported earlier. A log
// with entries and no head file is a Fault (ErrAnchor): the head is what shows entries
// removed from the end.
func VerifyDir(dir string, anchors ...Head) (Report, error) {
	// The head first: a Log appending meanwhile only moves the log ahead of it.
	head, headErr := readHeadFile(filepath.Join(dir, HeadName))
	if headErr != nil && !errors.Is(headErr, fs.ErrNotExist) {
		return Report{}, headErr
	}
	f, err := os.Open(filepath.Join(dir, LogName))
	if errors.Is(err, fs.ErrNotExist) && headErr != nil {
		return Report{}, fmt.Errorf("audit: no log in %s: %w", dir, err)
	}
	var r io.Reader = bytes.NewReader(nil) // a log deleted under its head file
	if err == nil {
		defer f.Close()
		r = f
	} else if !errors.Is(err, fs.ErrNotExist) {
		return Report{}, fmt.Errorf("audit: %w", err)
	}
	return verifyWithHead(r, head, headErr == nil, anchors...)
}

// verifyWithHead verifies r against the head file's head and anchors; haveHead is
// false when there is no head file.
func verifyWithHead(r io.Reader, head Head, haveHead bool, anchors ...Head) (Report, error) {
	if haveHead {
		anchors = append([]Head{head}, anchors...)
	}
	rep, err := walk(r, anchors, nil)
	if err == nil && !haveHead && rep.Entries > 0 {
		err = &Fault{Err: ErrAnchor, Detail: HeadName + " is missing: without it, entries removed from the end of the log go unnoticed"}
	}
	return rep, err
}

// walk verifies the log in r, calling visit (when not nil) with each entry that
// verified, in order.
func walk(r io.Reader, anchors []Head, visit func(Entry)) (Report, error) {
	lr := &lineReader{br: bufio.NewReaderSize(r, maxLine+1)}
	var rep Report
	for {
		l, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rep, fmt.Errorf("audit: read line %d: %w", lr.line+1, err)
		}
		want, lineNo := rep.Head.Seq+1, lr.line
		fault := func(seq uint64, kind error, format string, args ...any) (Report, error) {
			return rep, &Fault{Line: lineNo, Offset: l.start, Seq: seq, Err: kind, Detail: fmt.Sprintf(format, args...)}
		}
		if !l.complete {
			seq := want
			if e, err := decodeEntry(l.text); err == nil {
				seq = e.Seq
			}
			return fault(seq, ErrTorn, "torn last line: %d bytes without a newline at the end of the file, a write cut short; Repair removes it", l.size)
		}
		if l.tooLong {
			return fault(want, ErrMalformed, "malformed: the line is longer than %d bytes", maxLine)
		}
		e, err := decodeEntry(l.text)
		if err != nil {
			return fault(want, ErrMalformed, "malformed: %v", err)
		}
		if canonical, _ := e.MarshalJSON(); !bytes.Equal(canonical, l.text) {
			return fault(e.Seq, ErrMalformed, "malformed: not in the log's exact form (spacing, field order, escaping or an empty field changed)")
		}
		if h := e.ComputeHash(); h != e.Hash {
			return fault(e.Seq, ErrEdited, "edited: its content hashes to %.16s…, not to the %.16s… it carries", h, e.Hash)
		}
		if e.Seq != want {
			if e.Seq < want {
				return fault(e.Seq, ErrOrder, "out of order: entry %d follows entry %d (moved or duplicated)", e.Seq, want-1)
			}
			if at := lr.find(want); at > 0 {
				return fault(e.Seq, ErrOrder, "out of order: entry %d belongs here and is at line %d (entries moved or swapped)", want, at)
			}
			return fault(e.Seq, ErrMissing, "%s: this line holds entry %d where entry %d belongs", missing(want, e.Seq-1), e.Seq, want)
		}
		if e.Prev != rep.Head.Hash {
			if want == 1 {
				return fault(e.Seq, ErrChain, "chain broken: the first entry's prev is %.16s…, not 32 zero bytes (entries removed from the start and the rest renumbered)", e.Prev)
			}
			return fault(e.Seq, ErrChain, "chain broken: prev %.16s… is not the hash %.16s… of entry %d on line %d (that entry was rewritten, or entries were removed and the rest renumbered)", e.Prev, rep.Head.Hash, want-1, lineNo-1)
		}
		for _, a := range anchors {
			if a.Seq == e.Seq && a.Hash != e.Hash {
				return fault(e.Seq, ErrAnchor, "rewritten: its hash %.16s… differs from the anchored head %d %.16s… (the log was rewritten at or before this entry)", e.Hash, a.Seq, a.Hash)
			}
		}
		if visit != nil {
			visit(e)
		}
		rep.Entries++
		rep.Head = e.Head()
	}
	var far Head
	for _, a := range anchors {
		if a.Seq > far.Seq {
			far = a
		}
	}
	if far.Seq > rep.Head.Seq {
		return rep, &Fault{Line: lr.line + 1, Offset: lr.offset, Seq: rep.Head.Seq + 1, Err: ErrMissing,
			Detail: fmt.Sprintf("%s: the log ends at entry %d, but its head was anchored at %d %.16s… (entries removed from the end)", missing(rep.Head.Seq+1, far.Seq), rep.Head.Seq, far.Seq, far.Hash)}
	}
	return rep, nil
}

// missing names the entries from to to (inclusive) as missing.
func missing(from, to uint64) string {
	if from == to {
		return "entry " + strconv.FormatUint(from, 10) + " is missing"
	}
	return fmt.Sprintf("entries %d to %d are missing", from, to)
}

// lineReader splits a log into lines and keeps count of where they start.
type lineReader struct {
	br     *bufio.Reader
	line   int   // the number of the line last returned
	offset int64 // where the next line starts
}

type rawLine struct {
	text     []byte // without the newline; valid until the next call; nil when tooLong
	start    int64  // offset of the line's first byte
	size     int64  // bytes, with the newline
	complete bool   // the line ends with a newline
	tooLong  bool   // longer than maxLine
}

// next returns the next line, or io.EOF after the last.
func (lr *lineReader) next() (rawLine, error) {
	l := rawLine{start: lr.offset}
	b, err := lr.br.ReadSlice('\n')
	l.size = int64(len(b))
	for errors.Is(err, bufio.ErrBufferFull) {
		l.tooLong = true
		b, err = lr.br.ReadSlice('\n')
		l.size += int64(len(b))
	}
	switch {
	case err == nil:
		l.complete = true
		l.text = b[:len(b)-1]
	case errors.Is(err, io.EOF):
		if l.size == 0 {
			return l, io.EOF
		}
		l.text = b
	default:
		return l, err
	}
	if l.tooLong {
		l.text = nil
	}
	lr.offset += l.size
	lr.line++
	return l, nil
}

// find reads on to the line that holds entry seq and returns its number, or 0 when no
// later line does. It reads only the sequence numbers: it serves to tell a moved entry
// from a deleted one once the chain has already failed.
func (lr *lineReader) find(seq uint64) int {
	for {
		l, err := lr.next()
		if err != nil {
			return 0
		}
		var s struct {
			Seq uint64 `json:"seq"`
		}
		if l.complete && !l.tooLong && json.Unmarshal(l.text, &s) == nil && s.Seq == seq {
			return lr.line
		}
	}
}
