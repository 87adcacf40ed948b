package printing

// folder.go: the folder printer, which "prints" each document as <key>.pdf into a
// folder: the demo's printer, and the default when no printer is configured. What it
// printed stays there for its retention (WithRetention), then it is deleted.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"certkiosk/backend/atomicfile"
)

// Folder is a printer that writes each document into a folder as <key>.pdf, whole or
// not at all. The folder is its spool and its job history at once: a document is
// printed (JobCompleted) exactly when its file is there, and printing the same key
// again replaces the file with the same name, so the folder never holds a document
// twice. It is safe for concurrent use.
//
// The files hold personal data (names, dates of birth, the HC1 codes). Without a
// retention they stay until someone takes them away; with one (WithRetention), each
// file is deleted once it is that old: the folder is then a hand-over point — a
// spooler or a person takes the document within the retention — not an archive.
type Folder struct {
	dir  string
	now  func() time.Time
	keep time.Duration // 0: keep every file
}

var _ Printer = (*Folder)(nil)

// folderPerm is the mode of the files printed: they hold personal data, for the
// kiosk's user alone.
const folderPerm = 0o600

// NewFolder returns the printer writing into dir, an absolute path, creating the
// folder (mode 0700) when it does not exist.
func NewFolder(dir string, o Options) (*Folder, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(dir) {
		return nil, fmt.Errorf("%w: folder %q is not an absolute path", ErrBadURI, dir)
	}
	dir = filepath.Clean(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("printing: folder printer: %w", err)
	}
	return &Folder{dir: dir, now: o.Now}, nil
}

// WithRetention makes the printer delete what it printed once it is keep old
// (measured from when it was printed, on the printer's clock), and returns it. The
// files are swept on each Print and Status — the queue's worker polls Status while
// idle — and by Sweep; 0 keeps every file. Call it before the printer is used.
// After the retention, FindJob no longer finds a document, so it must be longer
// than the queue takes to hear that a job printed (minutes, not seconds).
func (f *Folder) WithRetention(keep time.Duration) *Folder {
	f.keep = max(keep, 0)
	return f
}

// Retention returns how long printed files are kept; 0: forever.
func (f *Folder) Retention() time.Duration { return f.keep }

// Sweep deletes the documents printed more than the retention ago, and temporary
// files of an interrupted print that old, and returns how many it deleted. Other
// files in the folder are left alone. Without a retention it deletes nothing.
func (f *Folder) Sweep(ctx context.Context) (int, error) {
	if f.keep == 0 {
		return 0, nil
	}
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		return 0, fmt.Errorf("printing: folder printer: %w", err)
	}
	cutoff := f.now().Add(-f.keep)
	removed := 0
	var errs []error
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return removed, err
		}
		if !e.Type().IsRegular() || !f.printed(e.Name()) {
			continue
		}
		fi, err := e.Info()
		if err != nil || !fi.ModTime().Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(f.dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	if len(errs) > 0 {
		return removed, fmt.Errorf("printing: folder printer: %w", errors.Join(errs...))
	}
	return removed, nil
}

// printed reports whether name is a file this printer writes: <key>.pdf, or the
// temporary .<key>.pdf.* of atomicfile.
func (f *Folder) printed(name string) bool {
	if tmp, ok := strings.CutPrefix(name, "."); ok {
		key, _, found := strings.Cut(tmp, ".pdf.")
		return found && checkKey(key) == nil
	}
	key, ok := strings.CutSuffix(name, ".pdf")
	return ok && checkKey(key) == nil
}

// URI returns folder:// and the folder's path.
func (f *Folder) URI() string { return (&url.URL{Scheme: "folder", Path: f.dir}).String() }

// Dir returns the folder printed into.
func (f *Folder) Dir() string { return f.dir }

// Status reports StateReady when a file can be created in the folder, else
// StateOffline (the folder was removed, a removable disk unmounted, permissions
// changed), with the reason and an error wrapping ErrUnavailable.
func (f *Folder) Status(ctx context.Context) (Status, error) {
	st := Status{State: StateReady, CheckedAt: f.now()}
	if err := ctx.Err(); err != nil {
		st.State = StateOffline
		return st, err
	}
	probe, err := os.CreateTemp(f.dir, ".certkiosk-probe-*")
	if err != nil {
		st.State = StateOffline
		st.Reasons = []string{"folder-not-writable"}
		if errors.Is(err, fs.ErrNotExist) {
			st.Reasons = []string{"folder-missing"}
		}
		return st, fmt.Errorf("%w: folder %s: %w", ErrUnavailable, f.dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	// A file the retention could not delete does not stop printing; the reason
	// shows in the printer's state, and the next poll tries again.
	if _, err := f.Sweep(ctx); err != nil && ctx.Err() == nil {
		st.Reasons = []string{"retention-failed"}
	}
	return st, nil
}

// path returns the file a key prints to.
func (f *Folder) path(key string) string { return filepath.Join(f.dir, key+".pdf") }

// ref returns the job reference of a key: no job id, the file's URI.
func (f *Folder) ref(key string) JobRef {
	return JobRef{URI: (&url.URL{Scheme: "file", Path: f.path(key)}).String(), Key: key}
}

// Print writes doc into the folder as <key>.pdf, replacing a file of that name. A
// failure to write (a missing folder, a full disk) wraps ErrUnavailable.
func (f *Folder) Print(ctx context.Context, doc Document) (JobRef, error) {
	if err := checkDocument(doc); err != nil {
		return JobRef{}, err
	}
	if err := ctx.Err(); err != nil {
		return JobRef{}, err
	}
	if err := atomicfile.Write(f.path(doc.Key), doc.PDF, folderPerm); err != nil {
		return JobRef{}, fmt.Errorf("%w: folder %s: %w", ErrUnavailable, f.dir, err)
	}
	if f.keep > 0 {
		// Its age runs on the printer's clock, as Sweep reads it.
		now := f.now()
		if err := os.Chtimes(f.path(doc.Key), now, now); err != nil {
			return JobRef{}, fmt.Errorf("%w: folder %s: %w", ErrUnavailable, f.dir, err)
		}
		f.Sweep(ctx) // a failure shows in Status
	}
	return f.ref(doc.Key), nil
}

// Job reports JobCompleted when the job's file is in the folder, and an error
// wrapping ErrJobNotFound when it is not (it was taken away).
func (f *Folder) Job(ctx context.Context, ref JobRef) (JobStatus, error) {
	key, err := f.keyOf(ref)
	if err != nil {
		return JobStatus{}, err
	}
	_, st, found, err := f.FindJob(ctx, key)
	if err != nil {
		return JobStatus{}, err
	}
	if !found {
		return JobStatus{}, fmt.Errorf("%w: %s is not in %s", ErrJobNotFound, key+".pdf", f.dir)
	}
	return st, nil
}

// keyOf returns the key of a job reference Print returned: the file its URI names,
// or its Key when it has no URI.
func (f *Folder) keyOf(ref JobRef) (string, error) {
	if ref.URI == "" && ref.Key != "" {
		return ref.Key, checkKey(ref.Key)
	}
	u, err := url.Parse(ref.URI)
	if err != nil || u.Scheme != "file" || filepath.Dir(u.Path) != f.dir || !strings.HasSuffix(u.Path, ".pdf") {
		return "", fmt.Errorf("printing: %q is not a job of the folder printer %s", ref.URI, f.dir)
	}
	key := strings.TrimSuffix(filepath.Base(u.Path), ".pdf")
	if err := checkKey(key); err != nil {
		return "", err
	}
	return key, nil
}

// FindJob reports the job printed under key as completed when <key>.pdf is in the
// folder.
func (f *Folder) FindJob(ctx context.Context, key string) (JobRef, JobStatus, bool, error) {
	if err := checkKey(key); err != nil {
		return JobRef{}, JobStatus{}, false, err
	}
	if err := ctx.Err(); err != nil {
		return JobRef{}, JobStatus{}, false, err
	}
	// Without its folder the printer cannot tell: saying "not found" would have
	// the document printed again once the folder is back.
	if _, err := os.Stat(f.dir); err != nil {
		return JobRef{}, JobStatus{}, false, fmt.Errorf("%w: folder %s: %w", ErrUnavailable, f.dir, err)
	}
	fi, err := os.Stat(f.path(key))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return JobRef{}, JobStatus{}, false, nil
	case err != nil:
		return JobRef{}, JobStatus{}, false, fmt.Errorf("%w: folder %s: %w", ErrUnavailable, f.dir, err)
	case !fi.Mode().IsRegular():
		return JobRef{}, JobStatus{}, false, fmt.Errorf("printing: %s in %s is not a file", key+".pdf", f.dir)
	}
	return f.ref(key), JobStatus{State: JobCompleted}, true, nil
}
