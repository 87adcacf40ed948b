package commission

// store.go: the register's sqlite file — opening it (WAL, synchronous=FULL), its
// schema, and the one-transaction-per-change rule.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	_ "github.com/mattn/go-sqlite3" // the sqlite driver
)

// FileName is the register's database in the data folder.
const FileName = "commission.sqlite"

// schema is the register. Columns named for personal data hold sealed values only
// (seal.go); subject is the identifier's keyed hash. Times are Unix nanoseconds.
const schema = `
CREATE TABLE IF NOT EXISTS cases (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	stage        TEXT    NOT NULL,
	subject      BLOB    NOT NULL,
	person       BLOB    NOT NULL,
	applied_by   TEXT    NOT NULL,
	applied_at   INTEGER NOT NULL,
	receipt      TEXT,
	amount_minor INTEGER,
	currency     TEXT,
	paid_by      TEXT,
	paid_at      INTEGER,
	result       BLOB,
	result_by    TEXT,
	result_at    INTEGER,
	decision     TEXT,
	decided_by   TEXT,
	decided_at   INTEGER,
	approved_at  INTEGER,
	uvci         TEXT UNIQUE,
	certificate  BLOB,
	issued_by    TEXT,
	issued_at    INTEGER
);
CREATE INDEX IF NOT EXISTS cases_subject ON cases (subject);
CREATE INDEX IF NOT EXISTS cases_issued ON cases (issued_at);
CREATE TABLE IF NOT EXISTS approvals (
	case_id INTEGER NOT NULL REFERENCES cases (id),
	member  TEXT    NOT NULL,
	at      INTEGER NOT NULL,
	PRIMARY KEY (case_id, member)
);
`

// store is the register's database.
type store struct {
	db *sql.DB
	mu sync.Mutex // one write transaction at a time in this process
}

// openStore opens the file at path, creating it (mode 0600) and its folder when
// absent. It runs in WAL mode with synchronous=FULL: a transaction that returned is
// on disk.
func openStore(ctx context.Context, path string) (*store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("commission: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("commission: %w", err)
	}
	// Created before sqlite opens it: sqlite gives the WAL and shared-memory files
	// the database file's mode.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("commission: %w", err)
	}
	f.Close()
	// _txlock=immediate takes the write lock at BEGIN, so that two processes on the
	// same file queue on the busy timeout instead of failing on a lock upgrade;
	// _secure_delete overwrites what an update frees.
	q := "_journal_mode=WAL&_synchronous=FULL&_busy_timeout=10000&_foreign_keys=1&_secure_delete=FAST&_txlock=immediate"
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q}
	db, err := sql.Open("sqlite3", u.String())
	if err != nil {
		return nil, fmt.Errorf("commission: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s := &store{db: db}
	if err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, schema)
		return err
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("commission: schema of %s: %w", path, err)
	}
	return s, nil
}

// write runs f in one write transaction and commits it; the change is durable
// when write returns nil, and none of it is made when f fails.
func (s *store) write(ctx context.Context, f func(tx *sql.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

func (s *store) close() error { return s.db.Close() }
