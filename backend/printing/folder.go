package printing

// folder.go: the folder printer, which "prints" each document as <key>.pdf into a
// folder: the demo's printer, and the default when no printer is configured.

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
type Folder struct {
	dir string
	now func() time.Time
}

var _ Printer = (*Folder)(nil)

// folderPerm is the mode of the files printed: they hold personal data.
const folderPerm = 0o640

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
