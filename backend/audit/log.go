package audit

// log.go: the log file — opened and checked, appended to with one writer, read back.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"certkiosk/backend/atomicfile"
)

// The files of a log, in its folder (the kiosk's data folder).
const (
	// LogName is the log: one JSON line per entry.
	LogName = "audit.log"
	// HeadName is the head file: "SEQ HASH\n", the last entry appended, rewritten
	// after each append.
	HeadName = "audit.head"
)

// Options are the Log's collaborators.
type Options struct {
	// Now is the clock entries are stamped with; nil means time.Now.
	Now func() time.Time
	// Keys holds the subject key; nil means a FileKeyStore at KeyName in the log's
	// folder, created on first use.
	Keys KeyStore
}

// Log is an open audit log. Its methods are safe for concurrent use; entries get their
// sequence numbers in the order Append is called.
type Log struct {
	dir string
	now func() time.Time
	key []byte

	mu   sync.Mutex
	f    *os.File // nil once closed
	size int64    // bytes of whole entries in f
	head Head
	err  error // set when a write or sync failed; Append refuses from then on
}

// Open opens the log in dir, creating the folder, the log, its head file and (with
// the default Options.Keys) its key on first use. It verifies the whole log against
// the head file first and refuses a log that fails with the *Fault: a torn last line
// (ErrTorn) can be removed with Repair; any other fault needs a person to look. A log
// held open by another Log is refused with ErrLocked.
func Open(ctx context.Context, dir string, opts Options) (*Log, error) {
	if dir == "" {
		return nil, errors.New("audit: no folder for the log")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	keys := opts.Keys
	if keys == nil {
		keys = FileKeyStore{Path: filepath.Join(dir, KeyName)}
	}
	key, err := keys.SubjectKey(ctx)
	if err != nil {
		return nil, err
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("%w: subject key is %d bytes, want %d", ErrKey, len(key), KeySize)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	f, err := os.OpenFile(filepath.Join(dir, LogName), os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	l, err := open(f, dir)
	if err != nil {
		f.Close()
		return nil, err
	}
	l.now = now
	l.key = slices.Clone(key) // Close wipes it; the KeyStore's copy is its own
	return l, nil
}

func open(f *os.File, dir string) (*Log, error) {
	if err := lockFile(f); err != nil {
		return nil, err
	}
	if err := syncDir(dir); err != nil { // the log's name, when it was just created
		return nil, err
	}
	head, headErr := readHeadFile(filepath.Join(dir, HeadName))
	if headErr != nil && !errors.Is(headErr, fs.ErrNotExist) {
		return nil, headErr
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	rep, err := verifyWithHead(io.NewSectionReader(f, 0, fi.Size()), head, headErr == nil)
	if err != nil {
		return nil, err
	}
	// The head file lags by one entry after a crash between the log's sync and the
	// head's rename; it never runs ahead (that is a Fault above).
	if headErr != nil || rep.Head != head {
		if err := writeHeadFile(dir, rep.Head); err != nil {
			return nil, err
		}
	}
	return &Log{dir: dir, f: f, size: fi.Size(), head: rep.Head}, nil
}

// Append records ev as the next entry and returns it once the line is on disk: written
// with O_APPEND in one write, synced, and the head file replaced. The subject is the
// keyed hash of ev.Person. An invalid event is refused with ErrInvalid or
// ErrPersonalData and changes nothing. After a failed write or sync the entry may or
// may not be in the file, and the Log refuses further appends (ErrUnusable): reopen it
// to find out, and to have a torn line reported.
func (l *Log) Append(ev Event) (Entry, error) {
	if err := ev.check(); err != nil {
		return Entry{}, err
	}
	var subject string
	if !ev.Person.IsZero() {
		var err error
		if subject, err = SubjectOf(l.key, ev.Person); err != nil {
			return Entry{}, err
		}
	}
	var details map[string]string
	if len(ev.Details) > 0 {
		details = maps.Clone(ev.Details)
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return Entry{}, ErrClosed
	}
	if l.err != nil {
		return Entry{}, l.err
	}
	e := Entry{
		Seq:     l.head.Seq + 1,
		Time:    l.now().UTC(),
		Actor:   ev.Actor,
		Action:  ev.Action,
		Subject: subject,
		Details: details,
		Prev:    l.head.Hash,
	}
	if y := e.Time.Year(); y < 1 || y > 9999 {
		return Entry{}, fmt.Errorf("%w: the clock reads %v, outside years 1 to 9999", ErrInvalid, e.Time)
	}
	e.Hash = e.ComputeHash()
	line, err := e.MarshalJSON()
	if err != nil {
		return Entry{}, fmt.Errorf("audit: encode entry %d: %w", e.Seq, err)
	}
	line = append(line, '\n')
	if _, err := l.f.Write(line); err != nil {
		l.err = fmt.Errorf("%w: write entry %d: %v", ErrUnusable, e.Seq, err)
		return Entry{}, l.err
	}
	// A failed fsync may have dropped the data it was to make durable, so nothing
	// written after it can be trusted to follow it on disk.
	if err := l.f.Sync(); err != nil {
		l.err = fmt.Errorf("%w: sync entry %d: %v", ErrUnusable, e.Seq, err)
		return Entry{}, l.err
	}
	l.size += int64(len(line))
	l.head = e.Head()
	if err := writeHeadFile(l.dir, l.head); err != nil {
		l.err = fmt.Errorf("%w: entry %d written, head file not: %v", ErrUnusable, e.Seq, err)
		return Entry{}, l.err
	}
	return e, nil
}

// Head returns the last entry appended: export it (to the registry, with the entries
// shipped) to anchor the log, so that a log later cut short or rewritten fails Verify
// against it.
func (l *Log) Head() Head {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.head
}

// Since returns the entries after seq, in order, for shipping: the caller keeps the
// sequence number of the last entry shipped and passes it next time. The whole log is
// verified on the way, so a tampered log is never shipped: its *Fault is returned.
func (l *Log) Since(seq uint64) ([]Entry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil, ErrClosed
	}
	var out []Entry
	_, err := walk(io.NewSectionReader(l.f, 0, l.size), []Head{l.head}, func(e Entry) {
		if e.Seq > seq {
			out = append(out, e)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Verify verifies the log's file as it is now against the head this Log appended last.
func (l *Log) Verify() (Report, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return Report{}, ErrClosed
	}
	return walk(io.NewSectionReader(l.f, 0, l.size), []Head{l.head}, nil)
}

// SubjectOf returns the subject that entries about id carry, to find them.
func (l *Log) SubjectOf(id Identifier) (string, error) {
	return SubjectOf(l.key, id)
}

// Close closes the log and releases its lock.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return ErrClosed
	}
	err := l.f.Close()
	l.f = nil
	clear(l.key)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// readHeadFile reads a head file. A missing file is an error matching fs.ErrNotExist;
// an unreadable one is a *Fault (ErrAnchor).
func readHeadFile(path string) (Head, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Head{}, err
		}
		return Head{}, fmt.Errorf("audit: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 256))
	if err != nil {
		return Head{}, fmt.Errorf("audit: %w", err)
	}
	h, err := ParseHead(string(data))
	if err != nil {
		return Head{}, &Fault{Err: ErrAnchor, Detail: HeadName + " is unreadable: " + err.Error()}
	}
	return h, nil
}

func writeHeadFile(dir string, h Head) error {
	return atomicfile.Write(filepath.Join(dir, HeadName), []byte(h.String()+"\n"), 0o600)
}
