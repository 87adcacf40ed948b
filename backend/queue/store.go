package queue

// store.go: the sqlite file, its schema and the Queue that owns it. The sqlite driver
// (cgo) is imported here and nowhere else in the package.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"certkiosk/backend/seal"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// FileName is the queue's file in the kiosk's data folder.
const FileName = "queue.sqlite"

// Path returns the queue's file in the data folder dataDir.
func Path(dataDir string) string { return filepath.Join(dataDir, FileName) }

// schema: one row per job; its personal data sealed in a row of sealed; the keys of
// jobs already deleted in spent, so that a key is not carried out twice; what renders
// a printed document again, sealed, in reprint (reprint.go); each printer's last state
// polled in printer (printers.go); how far the audit log was queued for the registry
// in audit_shipped (auditship.go). Times are Unix nanoseconds. subject, claim and uvci
// are keyed hashes (seal.go), never the values.
const schema = `
CREATE TABLE IF NOT EXISTS job (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	key             TEXT    NOT NULL UNIQUE,
	kind            TEXT    NOT NULL CHECK (kind IN ('issue', 'print', 'report')),
	state           TEXT    NOT NULL CHECK (state IN ('pending', 'running', 'held', 'done', 'parked', 'cancelled')),
	phase           TEXT    NOT NULL DEFAULT '' CHECK (phase IN ('', 'submitting', 'submitted')),
	parent          INTEGER REFERENCES job (id),
	profile         TEXT    NOT NULL,
	printer         TEXT    NOT NULL DEFAULT '',
	document        TEXT    NOT NULL DEFAULT '',
	attempts        INTEGER NOT NULL DEFAULT 0,
	failures        INTEGER NOT NULL DEFAULT 0,
	next_at         INTEGER NOT NULL,
	last_error      TEXT    NOT NULL DEFAULT '',
	lease_owner     TEXT    NOT NULL DEFAULT '',
	lease_until     INTEGER NOT NULL DEFAULT 0,
	printer_job     INTEGER NOT NULL DEFAULT 0,
	printer_job_uri TEXT    NOT NULL DEFAULT '',
	printer_state   TEXT    NOT NULL DEFAULT '',
	subject         BLOB,
	claim           BLOB UNIQUE,
	claim_misses    INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	finished_at     INTEGER NOT NULL DEFAULT 0,
	copy_of         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS job_due     ON job (state, kind, next_at);
CREATE INDEX IF NOT EXISTS job_lease   ON job (state, lease_until);
CREATE INDEX IF NOT EXISTS job_parent  ON job (parent);
CREATE INDEX IF NOT EXISTS job_subject ON job (subject) WHERE subject IS NOT NULL;
CREATE TABLE IF NOT EXISTS sealed (
	job  INTEGER PRIMARY KEY REFERENCES job (id),
	data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS spent (
	key         TEXT    PRIMARY KEY,
	job         INTEGER NOT NULL,
	kind        TEXT    NOT NULL,
	finished_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reprint (
	job        INTEGER PRIMARY KEY, -- the print job of the original; no reference: the row outlives it
	request    INTEGER NOT NULL,    -- its issue job
	key        TEXT    NOT NULL,    -- its key; copies are <key>-copy-N
	document   TEXT    NOT NULL,
	profile    TEXT    NOT NULL,
	printer    TEXT    NOT NULL DEFAULT '',
	uvci       BLOB,
	copies     INTEGER NOT NULL DEFAULT 0,
	expires_at INTEGER NOT NULL DEFAULT 0, -- 0 until the original printed
	data       BLOB                        -- NULL once the window passed
);
CREATE INDEX IF NOT EXISTS reprint_request ON reprint (request);
CREATE INDEX IF NOT EXISTS reprint_uvci    ON reprint (uvci) WHERE uvci IS NOT NULL;
CREATE TABLE IF NOT EXISTS audit_shipped (
	one  INTEGER PRIMARY KEY CHECK (one = 1), -- a single row: how far the audit log was queued
	seq  INTEGER NOT NULL,
	hash TEXT    NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS printer (
	uri     TEXT    PRIMARY KEY,
	main    INTEGER NOT NULL DEFAULT 0, -- the worker's printer, for jobs that name none
	state   TEXT    NOT NULL,
	reasons TEXT    NOT NULL DEFAULT '',
	error   TEXT    NOT NULL DEFAULT '',
	since   INTEGER NOT NULL
) WITHOUT ROWID;
`

// schemaVersion is the layout schema creates, kept in the file's user_version.
const schemaVersion = 3

// migration returns what brings a file of version v to v+1: the columns added to
// tables that exist, or "" when the version only adds tables and indexes, which
// schema itself makes (version 3: audit_shipped).
func migration(v int) string {
	switch v {
	case 1:
		return "ALTER TABLE job ADD COLUMN copy_of INTEGER NOT NULL DEFAULT 0"
	}
	return ""
}

// migrate brings the file in tx to schemaVersion. A new file (version 0) gets the
// schema as it is; a file of a later version than this code knows is refused.
func migrate(ctx context.Context, tx *sql.Tx) error {
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v > schemaVersion {
		return fmt.Errorf("the file is of version %d, this program knows up to %d", v, schemaVersion)
	}
	if v > 0 {
		for ; v < schemaVersion; v++ {
			m := migration(v)
			if m == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, m); err != nil {
				return fmt.Errorf("from version %d: %w", v, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, schema); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(schemaVersion))
	return err
}

// Defaults for the zero fields of Options.
const (
	DefaultMaxFailures = 8
	DefaultLeaseTTL    = time.Minute
	DefaultKeyMemory   = 30 * 24 * time.Hour
	DefaultBackoffBase = 2 * time.Second
	DefaultBackoffCap  = 5 * time.Minute
	// DefaultReprintWindow is how long after a document printed staff can have it
	// printed again as a copy.
	DefaultReprintWindow = 24 * time.Hour
)

// Options configure a Queue. The zero value of each field but Keys selects its default.
type Options struct {
	// Keys holds the key personal data is sealed under. Required.
	Keys KeyStore
	// Clock is the time the queue reads; nil: the system clock.
	Clock Clock
	// Rand draws the backoff jitter; nil: a source seeded from crypto/rand. The Queue
	// serialises its use. (Claim codes and keys come from crypto/rand.)
	Rand *mrand.Rand
	// Retention is how long a finished job and its sealed data are kept; 0: deleted
	// at the next purge.
	Retention time.Duration
	// ReprintWindow is how long after a certificate or a refusal slip printed it can
	// be printed again, stamped COPY (Reprint): what renders it is kept, sealed, that
	// long and deleted after, whatever the Retention. 0: DefaultReprintWindow.
	ReprintWindow time.Duration
	// NoReprint keeps nothing for reprints: Reprint refuses every document, and what
	// was kept before is deleted at the next purge.
	NoReprint bool
	// WaitLimit bounds how long personal data waits for a person: a held
	// certificate or slip, a parked job, and a request accepted offline (a claim
	// receipt printed) still pending, each untouched for WaitLimit, are cancelled by
	// the purge, and their sealed data deleted after Retention. 0: no limit, they
	// wait until released or cancelled. Report jobs are never cancelled by it.
	WaitLimit time.Duration
	// KeyMemory is how long the key of a deleted job is remembered, refusing a repeat
	// of the same request; 0: DefaultKeyMemory.
	KeyMemory time.Duration
	// Backoff shapes the waits after a failure and while the registry is unreachable;
	// zero fields: DefaultBackoffBase, DefaultBackoffCap.
	Backoff Backoff
	// MaxFailures is how many failures in a row park a job; 0: DefaultMaxFailures.
	MaxFailures int
	// LeaseTTL is how long a claimed job stays a worker's without a word from it; a
	// job whose lease ran out is taken over by the next claim. 0: DefaultLeaseTTL.
	LeaseTTL time.Duration
	// Owner names this process's worker in leases; empty: host/pid/random, which lets
	// a worker on the same host take over at once the jobs of a process that died.
	Owner string
}

func (o Options) withDefaults() (Options, error) {
	if o.Keys == nil {
		return o, errors.New("queue: no key store")
	}
	if o.Clock == nil {
		o.Clock = SystemClock()
	}
	if o.Rand == nil {
		var seed [16]byte
		rand.Read(seed[:])
		o.Rand = mrand.New(mrand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:])))
	}
	switch {
	case o.Retention < 0 || o.WaitLimit < 0 || o.ReprintWindow < 0 || o.KeyMemory < 0 || o.LeaseTTL < 0 || o.MaxFailures < 0 || o.Backoff.Base < 0 || o.Backoff.Cap < 0:
		return o, errors.New("queue: negative option")
	}
	if o.KeyMemory == 0 {
		o.KeyMemory = DefaultKeyMemory
	}
	if o.ReprintWindow == 0 {
		o.ReprintWindow = DefaultReprintWindow
	}
	if o.LeaseTTL == 0 {
		o.LeaseTTL = DefaultLeaseTTL
	}
	if o.MaxFailures == 0 {
		o.MaxFailures = DefaultMaxFailures
	}
	if o.Backoff.Base == 0 {
		o.Backoff.Base = DefaultBackoffBase
	}
	if o.Backoff.Cap == 0 {
		o.Backoff.Cap = DefaultBackoffCap
	}
	if o.Owner == "" {
		o.Owner = newOwner()
	}
	return o, nil
}

// newOwner names this process in leases: host, process id and a random part, so that
// two handles in one process, or a process that reuses a dead one's pid, differ.
func newOwner() string {
	host, _ := os.Hostname()
	host = strings.NewReplacer("/", "_").Replace(host)
	var r [4]byte
	rand.Read(r[:])
	return host + "/" + strconv.Itoa(os.Getpid()) + "/" + hex.EncodeToString(r[:])
}

// Queue is the outbox on one sqlite file. It is safe for concurrent use; writes are
// serialised (one writer), reads are not.
type Queue struct {
	wdb, rdb *sql.DB
	wmu      sync.Mutex // one write transaction at a time in this process
	sealer   *seal.Sealer
	opts     Options
	clock    Clock

	randMu sync.Mutex
	rand   *mrand.Rand
}

// Open opens the queue file at path, creating it and its folder when absent. The file
// runs in WAL mode with synchronous=FULL: a transaction that returned is on disk.
func Open(ctx context.Context, path string, o Options) (*Queue, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	master, err := o.Keys.QueueKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("queue: key: %w", err)
	}
	sealer, err := newSealer(master)
	clear(master)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	// Created here, mode 0600, before sqlite opens it: sqlite gives the WAL and the
	// shared-memory file the database file's mode.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	f.Close()
	// The driver applies the underscore parameters to every connection it opens;
	// _txlock=immediate takes the write lock at BEGIN, so two writers queue on the busy
	// timeout instead of failing on a lock upgrade.
	params := "_journal_mode=WAL&_synchronous=FULL&_busy_timeout=10000&_foreign_keys=1&_secure_delete=FAST"
	wdb, err := sql.Open("sqlite3", fileURI(abs, params+"&_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("queue: open %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	rdb, err := sql.Open("sqlite3", fileURI(abs, params))
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("queue: open %s: %w", path, err)
	}
	q := &Queue{wdb: wdb, rdb: rdb, sealer: sealer, opts: o, clock: o.Clock, rand: o.Rand}
	if err := q.write(ctx, func(tx *sql.Tx) error { return migrate(ctx, tx) }); err != nil {
		q.Close()
		return nil, fmt.Errorf("queue: schema of %s: %w", path, err)
	}
	return q, nil
}

// fileURI is an sqlite URI for the file at the absolute path abs.
func fileURI(abs, query string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: query}).String()
}

// Close closes the file.
func (q *Queue) Close() error { return errors.Join(q.wdb.Close(), q.rdb.Close()) }

// Owner is the name this queue's worker holds leases under.
func (q *Queue) Owner() string { return q.opts.Owner }

// write runs f in one write transaction (BEGIN IMMEDIATE) and commits it; the commit
// is durable when write returns nil.
func (q *Queue) write(ctx context.Context, f func(tx *sql.Tx) error) error {
	q.wmu.Lock()
	defer q.wmu.Unlock()
	tx, err := q.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (q *Queue) now() time.Time { return q.clock.Now() }

// delay draws the backoff before retry n.
func (q *Queue) delay(n int) time.Duration {
	q.randMu.Lock()
	defer q.randMu.Unlock()
	return q.opts.Backoff.Delay(n, q.rand)
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// jobColumns are the columns scanJob reads, in its order.
const jobColumns = `id, key, kind, state, phase, coalesce(parent, 0), profile, printer, document,
	attempts, failures, next_at, last_error, lease_owner, lease_until, printer_job, printer_job_uri,
	printer_state, claim IS NOT NULL, created_at, updated_at, finished_at, copy_of`

type scanner interface{ Scan(dest ...any) error }

func scanJob(r scanner) (Job, error) {
	var j Job
	var nextAt, leaseUntil, created, updated, finished int64
	err := r.Scan(&j.ID, &j.Key, &j.Kind, &j.State, &j.Phase, &j.Parent, &j.Profile, &j.Printer, &j.Document,
		&j.Attempts, &j.Failures, &nextAt, &j.LastError, &j.LeaseOwner, &leaseUntil, &j.PrinterJob, &j.PrinterJobURI,
		&j.PrinterState, &j.Claimed, &created, &updated, &finished, &j.CopyOf)
	if err != nil {
		return Job{}, err
	}
	j.NextAt, j.LeaseUntil = fromNanos(nextAt), fromNanos(leaseUntil)
	j.Created, j.Updated, j.Finished = fromNanos(created), fromNanos(updated), fromNanos(finished)
	return j, nil
}

// getJob reads one job in tx, or from the read pool when tx is nil.
func (q *Queue) getJob(ctx context.Context, tx *sql.Tx, id int64) (Job, error) {
	query := "SELECT " + jobColumns + " FROM job WHERE id = ?"
	var row *sql.Row
	if tx != nil {
		row = tx.QueryRowContext(ctx, query, id)
	} else {
		row = q.rdb.QueryRowContext(ctx, query, id)
	}
	j, err := scanJob(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, fmt.Errorf("%w: %d", ErrNotFound, id)
	}
	return j, err
}

// putSealed seals plain for job (id, key) and stores it, replacing what was there.
func (q *Queue) putSealed(ctx context.Context, tx *sql.Tx, id int64, key string, plain []byte) error {
	sealed, err := q.sealFor(key, plain)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sealed (job, data) VALUES (?, ?)
		ON CONFLICT (job) DO UPDATE SET data = excluded.data`, id, sealed)
	return err
}

// getSealed reads and opens the sealed data of job (id, key).
func (q *Queue) getSealed(ctx context.Context, id int64, key string) ([]byte, error) {
	var data []byte
	err := q.rdb.QueryRowContext(ctx, "SELECT data FROM sealed WHERE job = ?", id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: job %d has no sealed data", ErrSealed, id)
	}
	if err != nil {
		return nil, err
	}
	return q.openFor(key, data)
}
