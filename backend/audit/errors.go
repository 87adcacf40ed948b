package audit

// errors.go: the sentinel errors, and Fault, the error that names the first entry at
// which a log fails verification.

import (
	"errors"
	"fmt"
)

// Errors from Append and Open.
var (
	// ErrInvalid reports an event that cannot be recorded: an unknown actor kind or
	// action, an actor id or detail that is not a short token, a missing detail the
	// action needs, or an identifier without a system or a value.
	ErrInvalid = errors.New("audit: invalid event")
	// ErrPersonalData reports an event that carries the person's identifier outside the
	// subject hash (in the actor id or a detail), which would put it in the log.
	ErrPersonalData = errors.New("audit: personal data in an event")
	// ErrClosed reports a call on a closed Log.
	ErrClosed = errors.New("audit: log closed")
	// ErrUnusable reports a Log that refuses appends because an earlier write or sync
	// failed: the file may end in a torn line. Reopen it to find out.
	ErrUnusable = errors.New("audit: log unusable after a failed write")
	// ErrLocked reports a log that another Log (in this process or another) holds open.
	ErrLocked = errors.New("audit: log in use by another process")
	// ErrKey reports a key file that is not KeySize bytes or is readable by others.
	ErrKey = errors.New("audit: bad key file")
)

// ErrBroken matches every Fault: the log fails verification.
var ErrBroken = errors.New("audit: log fails verification")

// What a Fault found; a Fault matches exactly one of these with errors.Is.
var (
	// ErrTorn: the last line has no newline, a write cut short by a crash. Repair
	// removes it.
	ErrTorn = errors.New("audit: torn last line")
	// ErrMalformed: a line is not an entry in the log's exact form.
	ErrMalformed = errors.New("audit: malformed entry")
	// ErrEdited: an entry's hash does not match its content.
	ErrEdited = errors.New("audit: entry edited")
	// ErrMissing: an entry is absent (deleted), in the middle or at the end.
	ErrMissing = errors.New("audit: entry missing")
	// ErrOrder: entries are out of sequence (moved, swapped or duplicated).
	ErrOrder = errors.New("audit: entries out of order")
	// ErrChain: an entry's prev hash is not the hash of the entry before it.
	ErrChain = errors.New("audit: chain broken")
	// ErrAnchor: the log disagrees with its anchored head (the head file, or a head
	// exported earlier), or the head file is missing or unreadable.
	ErrAnchor = errors.New("audit: head does not match")
)

// Fault is the first place where a log fails verification. It matches ErrBroken and
// its Err with errors.Is.
type Fault struct {
	// Line is the 1-based line of the entry at fault. For entries missing from the
	// end it is the line where the first of them belongs; 0 when the fault is the
	// head file's, not an entry's.
	Line int
	// Offset is the byte offset at which Line starts.
	Offset int64
	// Seq is the sequence number the entry on Line carries, or, when the line is
	// unreadable or absent, the one expected there.
	Seq uint64
	// Err is one of ErrTorn, ErrMalformed, ErrEdited, ErrMissing, ErrOrder, ErrChain,
	// ErrAnchor.
	Err error
	// Detail says what is wrong, in words.
	Detail string
}

func (f *Fault) Error() string {
	if f.Line == 0 {
		return "audit: " + f.Detail
	}
	return fmt.Sprintf("audit: line %d (entry %d): %s", f.Line, f.Seq, f.Detail)
}

// Unwrap returns the fault's kind.
func (f *Fault) Unwrap() error { return f.Err }

// Is makes every Fault match ErrBroken.
func (f *Fault) Is(target error) bool { return target == ErrBroken }
