package staff

// store.go: the staff file — accounts with their PIN hashes, and the failure counts
// that back-off and lock-out are decided on — kept in the data folder, mode 0600,
// replaced atomically, one writer at a time across processes.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"certkiosk/backend/atomicfile"
)

// The store's files in the data folder.
const (
	// FileName is the store: JSON, mode 0600.
	FileName = "staff.json"
	// LockName is the file locked while the store is read or replaced, so that
	// `certkiosk staff` and the kiosk do not overwrite each other's changes.
	LockName = "staff.lock"
)

// fileVersion is the store's layout version.
const fileVersion = 1

// maxFileSize caps the store file: a kiosk has a few dozen staff.
const maxFileSize = 1 << 20

// fileState is the store file.
type fileState struct {
	Version  int                `json:"version"`
	Accounts []fileAccount      `json:"accounts"`
	Kiosks   map[string]counter `json:"kiosks,omitempty"`
}

// fileAccount is an account in the file; PIN is its hash as a PHC string.
type fileAccount struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Roles    []Role    `json:"roles"`
	PIN      string    `json:"pin"`
	Created  time.Time `json:"created"`
	LockedAt time.Time `json:"locked_at,omitzero"`
	counter
}

func (a fileAccount) public() Account {
	return Account{
		ID: a.ID, Name: a.Name, Roles: slices.Clone(a.Roles), Created: a.Created,
		Failures: a.Failures, LastFailure: a.LastFailure, Locked: !a.LockedAt.IsZero(), LockedAt: a.LockedAt,
	}
}

// find returns the index of the account id, or -1.
func (st *fileState) find(id string) int {
	return slices.IndexFunc(st.Accounts, func(a fileAccount) bool { return a.ID == id })
}

// StoreOptions are a Store's collaborators. Zero fields take their defaults.
type StoreOptions struct {
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// Rand is where salts come from; nil: crypto/rand.
	Rand io.Reader
	// Params are the argon2id parameters new PINs are hashed with; zero:
	// DefaultParams. A login rehashes a PIN hashed under other parameters.
	Params Params
}

// Store is the staff file in a data folder. Each call reads the file afresh under the
// lock, so changes made by another process (`certkiosk staff add` while the kiosk
// runs) count at once. It is safe for concurrent use.
type Store struct {
	dir    string
	now    func() time.Time
	rand   io.Reader
	params Params

	mu sync.Mutex // one call at a time in this process; the file lock between processes
}

// OpenStore opens the staff store in the data folder dir, creating the folder (mode
// 0700). The file itself is created by the first change. An existing file is read
// once to refuse a damaged one (ErrCorrupt) or one others may read (ErrPermissions).
func OpenStore(dir string, o StoreOptions) (*Store, error) {
	if dir == "" {
		return nil, errors.New("staff: no data folder")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Params == (Params{}) {
		o.Params = DefaultParams()
	}
	if err := o.Params.check(); err != nil {
		return nil, fmt.Errorf("staff: hash parameters: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	s := &Store{dir: dir, now: o.Now, rand: o.Rand, params: o.Params}
	if err := s.view(func(*fileState) error { return nil }); err != nil {
		return nil, err
	}
	return s, nil
}

// Path returns the store file.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// Add adds an account with pin as its PIN; Created is set to now when zero, the
// failure fields are ignored. The PIN is checked by CheckPIN, hashed with argon2id,
// and only the hash is kept. An id in use is ErrExists.
func (s *Store) Add(a Account, pin []byte) error {
	if err := CheckID(a.ID); err != nil {
		return err
	}
	if err := checkName(a.Name); err != nil {
		return err
	}
	if err := checkRoles(a.Roles); err != nil {
		return err
	}
	if err := CheckPIN(pin); err != nil {
		return err
	}
	if a.Created.IsZero() {
		a.Created = s.now()
	}
	h, err := HashPIN(pin, s.params, s.rand)
	if err != nil {
		return err
	}
	return s.update(func(st *fileState) (bool, error) {
		if st.find(a.ID) >= 0 {
			return false, fmt.Errorf("%w: %s", ErrExists, a.ID)
		}
		st.Accounts = append(st.Accounts, fileAccount{
			ID: a.ID, Name: a.Name, Roles: sortRoles(a.Roles), PIN: h.String(), Created: a.Created.UTC(),
		})
		slices.SortFunc(st.Accounts, func(x, y fileAccount) int { return strings.Compare(x.ID, y.ID) })
		return true, nil
	})
}

// Accounts returns every account, by id.
func (s *Store) Accounts() ([]Account, error) {
	var out []Account
	err := s.view(func(st *fileState) error {
		for _, a := range st.Accounts {
			out = append(out, a.public())
		}
		return nil
	})
	return out, err
}

// Account returns the account id, or ErrNotFound.
func (s *Store) Account(id string) (Account, error) {
	var out Account
	err := s.view(func(st *fileState) error {
		i := st.find(id)
		if i < 0 {
			return fmt.Errorf("%w: %s", ErrNotFound, id)
		}
		out = st.Accounts[i].public()
		return nil
	})
	return out, err
}

// Unlock unlocks the account id and clears its failures, so that it may log in
// again at once. Unlocking an account that is not locked clears its failures.
func (s *Store) Unlock(id string) error {
	return s.update(func(st *fileState) (bool, error) {
		i := st.find(id)
		if i < 0 {
			return false, fmt.Errorf("%w: %s", ErrNotFound, id)
		}
		st.Accounts[i].LockedAt = time.Time{}
		st.Accounts[i].reset()
		return true, nil
	})
}

// Remove deletes the account id, its name and PIN hash with it.
func (s *Store) Remove(id string) error {
	return s.update(func(st *fileState) (bool, error) {
		i := st.find(id)
		if i < 0 {
			return false, fmt.Errorf("%w: %s", ErrNotFound, id)
		}
		st.Accounts = slices.Delete(st.Accounts, i, i+1)
		return true, nil
	})
}

// view runs f on the store as it is on disk.
func (s *Store) view(f func(st *fileState) error) error {
	return s.locked(func() error {
		st, err := s.load()
		if err != nil {
			return err
		}
		return f(st)
	})
}

// update runs f on the store as it is on disk and writes the result back when f
// reports a change; an error from f changes nothing.
func (s *Store) update(f func(st *fileState) (changed bool, err error)) error {
	return s.locked(func() error {
		st, err := s.load()
		if err != nil {
			return err
		}
		changed, err := f(st)
		if err != nil || !changed {
			return err
		}
		return s.save(st)
	})
}

// locked runs f holding the in-process mutex and the lock file.
func (s *Store) locked(f func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	lf, err := os.OpenFile(filepath.Join(s.dir, LockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("staff: %w", err)
	}
	defer lf.Close() // closing releases the lock
	if err := lockFile(lf); err != nil {
		return err
	}
	return f()
}

// load reads the store file; a missing file is an empty store.
func (s *Store) load() (*fileState, error) {
	f, err := os.Open(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return &fileState{Version: fileVersion}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	if err := checkPrivate(fi); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrPermissions, s.Path(), err)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrCorrupt, s.Path(), maxFileSize)
	}
	return decodeState(data)
}

// decodeState reads and checks the store file's content. Its errors name the account
// at fault by position, never by content.
func decodeState(data []byte) (*fileState, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var st fileState
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the store", ErrCorrupt)
	}
	if st.Version != fileVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrCorrupt, st.Version, fileVersion)
	}
	for i, a := range st.Accounts {
		err := errors.Join(CheckID(a.ID), checkName(a.Name), checkRoles(a.Roles))
		if err == nil {
			_, err = ParsePHC(a.PIN)
		}
		if err == nil && (a.Failures < 0 || st.find(a.ID) != i) {
			err = errors.New("negative failures, or an id given twice")
		}
		if err != nil {
			return nil, fmt.Errorf("%w: account %d: %v", ErrCorrupt, i+1, err)
		}
	}
	for k, c := range st.Kiosks {
		if CheckID(k) != nil || c.Failures < 0 {
			return nil, fmt.Errorf("%w: a kiosk's failure count", ErrCorrupt)
		}
	}
	return &st, nil
}

// save replaces the store file with st, mode 0600.
func (s *Store) save(st *fileState) error {
	data, err := json.MarshalIndent(st, "", "\t")
	if err != nil {
		return fmt.Errorf("staff: %w", err)
	}
	if err := atomicfile.Write(s.Path(), append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("staff: %w", err)
	}
	return nil
}
