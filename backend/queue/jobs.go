package queue

// jobs.go: adding requests, and what staff see and do: list, retry, cancel; and the
// purge that deletes finished jobs once their retention has passed.

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"certkiosk/backend/identity"
	"certkiosk/backend/registry"
)

// maxKeyLen bounds a request's key: the keys of its print and report jobs add a
// suffix, and a printer's job-name takes 64 characters at most.
const maxKeyLen = 48

// Request is a resident's request for their certificates.
type Request struct {
	// Key is the request's idempotency key: adding the same key again returns the job
	// already added. A–Z, a–z, 0–9, '-' and '_', at most 48 characters; empty: a
	// random key is made.
	Key string
	// Profile is the jurisdiction profile the request is decided under.
	Profile string
	// Subject is the person's identifier; it is checked (check digits included)
	// and normalised before anything is stored.
	Subject registry.Identifier
	// Printer is the URI the request's documents print on; empty: the worker's printer.
	Printer string
}

// requestData is an issue job's sealed data.
type requestData struct {
	System    string `json:"system,omitempty"`
	Value     string `json:"value,omitempty"`
	Claim     string `json:"claim,omitempty"` // the claim code, once one was given
	BirthDate string `json:"birth,omitempty"` // from the record, once issued, for ReleaseClaim
}

// NewKey returns a random idempotency key.
func NewKey() string {
	var b [10]byte
	rand.Read(b[:])
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
}

func checkKey(key string) error {
	if key == "" || len(key) > maxKeyLen {
		return fmt.Errorf("%w: %q is not 1 to %d characters", ErrBadKey, key, maxKeyLen)
	}
	for _, c := range key {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return fmt.Errorf("%w: %q holds %q, want A–Z, a–z, 0–9, '-' and '_'", ErrBadKey, key, c)
		}
	}
	return nil
}

// subjectHash is the keyed hash a person is found again by.
func (q *Queue) subjectHash(id registry.Identifier) []byte {
	return q.sealer.Hash("subject", id.System, id.Value)
}

// normalise checks an identifier and returns it as the registries store it.
func normalise(id registry.Identifier) (registry.Identifier, error) {
	v, err := identity.Normalize(id.System, id.Value)
	if err != nil {
		return registry.Identifier{}, fmt.Errorf("queue: %w", err)
	}
	return registry.Identifier{System: id.System, Value: v}, nil
}

// Add records a request as an issue job, due now, and returns it once the
// transaction is on disk: from then on the request is not lost. created is false when
// a job with the key was added before (that job is returned; Purged is set when it
// has finished and been deleted). A key added before for another person is ErrBadKey.
func (q *Queue) Add(ctx context.Context, r Request) (job Job, created bool, err error) {
	if r.Key == "" {
		r.Key = NewKey()
	}
	if err := checkKey(r.Key); err != nil {
		return Job{}, false, err
	}
	if r.Profile == "" {
		return Job{}, false, errors.New("queue: request has no profile")
	}
	id, err := normalise(r.Subject)
	if err != nil {
		return Job{}, false, err
	}
	subject := q.subjectHash(id)
	plain, err := json.Marshal(requestData{System: id.System, Value: id.Value})
	if err != nil {
		return Job{}, false, err
	}
	err = q.write(ctx, func(tx *sql.Tx) error {
		job, created, err = q.addTx(ctx, tx, r, subject, plain, nanos(q.now()))
		return err
	})
	if err != nil {
		return Job{}, false, fmt.Errorf("queue: add: %w", err)
	}
	return job, created, nil
}

// addTx adds the request in tx, or finds the job its key names.
func (q *Queue) addTx(ctx context.Context, tx *sql.Tx, r Request, subject, plain []byte, now int64) (Job, bool, error) {
	var oldID int64
	var oldSubject []byte
	err := tx.QueryRowContext(ctx, "SELECT id, subject FROM job WHERE key = ?", r.Key).Scan(&oldID, &oldSubject)
	switch {
	case err == nil:
		if !bytes.Equal(oldSubject, subject) {
			return Job{}, false, fmt.Errorf("%w: %q was used for another request", ErrBadKey, r.Key)
		}
		j, err := q.getJob(ctx, tx, oldID)
		return j, false, err
	case !errors.Is(err, sql.ErrNoRows):
		return Job{}, false, err
	}
	var kind Kind
	var finished int64
	err = tx.QueryRowContext(ctx, "SELECT job, kind, finished_at FROM spent WHERE key = ?", r.Key).Scan(&oldID, &kind, &finished)
	switch {
	case err == nil:
		return Job{ID: oldID, Key: r.Key, Kind: kind, State: StateDone, Finished: fromNanos(finished), Purged: true}, false, nil
	case !errors.Is(err, sql.ErrNoRows):
		return Job{}, false, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO job (key, kind, state, profile, printer, next_at, subject, created_at, updated_at)
		VALUES (?, 'issue', 'pending', ?, ?, ?, ?, ?, ?)`, r.Key, r.Profile, r.Printer, now, subject, now, now)
	if err != nil {
		return Job{}, false, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return Job{}, false, err
	}
	if err := q.putSealed(ctx, tx, id, r.Key, plain); err != nil {
		return Job{}, false, err
	}
	j, err := q.getJob(ctx, tx, id)
	return j, true, err
}

// Get returns the job with the id.
func (q *Queue) Get(ctx context.Context, id int64) (Job, error) {
	return q.getJob(ctx, nil, id)
}

// List returns every job in the queue, oldest first.
func (q *Queue) List(ctx context.Context) ([]Job, error) {
	rows, err := q.rdb.QueryContext(ctx, "SELECT "+jobColumns+" FROM job ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("queue: list: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("queue: list: %w", err)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// Counts returns how many jobs are in each state.
func (q *Queue) Counts(ctx context.Context) (map[State]int, error) {
	rows, err := q.rdb.QueryContext(ctx, "SELECT state, count(*) FROM job GROUP BY state")
	if err != nil {
		return nil, fmt.Errorf("queue: counts: %w", err)
	}
	defer rows.Close()
	out := map[State]int{}
	for rows.Next() {
		var s State
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// Retry makes a parked job pending again, due now, with its failures forgotten; a
// pending job (waiting out a backoff or a printer) is made due now. A print job that
// was parked because the printer cannot tell whether it printed is sent again: staff
// retrying it have checked that it did not print.
func (q *Queue) Retry(ctx context.Context, id int64) error {
	now := nanos(q.now())
	return q.write(ctx, func(tx *sql.Tx) error {
		j, err := q.getJob(ctx, tx, id)
		if err != nil {
			return err
		}
		switch j.State {
		case StateParked:
			_, err = tx.ExecContext(ctx, `UPDATE job SET state = 'pending', failures = 0, next_at = ?, updated_at = ?
				WHERE id = ?`, now, now, id)
		case StatePending:
			_, err = tx.ExecContext(ctx, "UPDATE job SET next_at = ?, updated_at = ? WHERE id = ?", now, now, id)
		default:
			return fmt.Errorf("%w: job %d is %s; retry takes a parked or pending job", ErrState, id, j.State)
		}
		return err
	})
}

// Cancel cancels a job that is pending, held or parked, and the jobs it started that
// are; cancelling an issue job that is done cancels its certificates still held. A
// running job cannot be cancelled (it may be on the printer now): try when it stops.
func (q *Queue) Cancel(ctx context.Context, id int64) (int, error) {
	now := nanos(q.now())
	var n int64
	err := q.write(ctx, func(tx *sql.Tx) error {
		j, err := q.getJob(ctx, tx, id)
		if err != nil {
			return err
		}
		if j.State == StateRunning {
			return fmt.Errorf("%w: job %d is running; cancel it when it stops", ErrState, id)
		}
		res, err := tx.ExecContext(ctx, `UPDATE job SET state = 'cancelled', finished_at = ?, updated_at = ?, next_at = ?
			WHERE (id = ? OR parent = ?) AND state IN ('pending', 'held', 'parked')`, now, now, now, id, id)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: job %d is %s and has nothing left to cancel", ErrState, id, j.State)
		}
		return nil
	})
	return int(n), err
}

// Move sends a print job that has not been sent yet (pending, held or parked) to
// another printer; for an issue job, all of its print jobs not sent yet.
func (q *Queue) Move(ctx context.Context, id int64, printer string) (int, error) {
	now := nanos(q.now())
	var n int64
	err := q.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE job SET printer = ?, printer_state = '', updated_at = ?
			WHERE ((id = ?3 OR parent = ?3) AND kind = 'print' AND state IN ('pending', 'held', 'parked') AND phase = '')
			OR (id = ?3 AND kind = 'issue' AND state IN ('pending', 'parked'))`, printer, now, id)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: job %d has no document that is not sent yet", ErrState, id)
		}
		return nil
	})
	return int(n), err
}

// Purge deletes what finished jobs no longer need once the retention has passed:
// the sealed data of every print and report job done or cancelled; the sealed data
// of a finished issue job none of whose documents is still held for a claim; and the
// rows of every request whose jobs are all finished, remembering their keys. It
// deletes what renders a document again once its reprint window has passed (all of
// it with NoReprint), and for documents that will not print. It forgets keys older
// than KeyMemory, and returns how many jobs it deleted.
func (q *Queue) Purge(ctx context.Context) (int, error) {
	now := q.now()
	cut := nanos(now.Add(-q.opts.Retention))
	forget := nanos(now.Add(-q.opts.KeyMemory))
	var n int
	err := q.write(ctx, func(tx *sql.Tx) error {
		n = 0
		if err := q.expireWaiting(ctx, tx, now); err != nil {
			return err
		}
		if err := q.purgeReprints(ctx, tx, nanos(now), forget); err != nil {
			return err
		}
		for _, s := range []string{
			`DELETE FROM sealed WHERE job IN (SELECT id FROM job WHERE kind != 'issue'
				AND state IN ('done', 'cancelled') AND finished_at <= ?1)`,
			`DELETE FROM sealed WHERE job IN (SELECT id FROM job r WHERE kind = 'issue'
				AND state IN ('done', 'cancelled') AND finished_at <= ?1
				AND NOT EXISTS (SELECT 1 FROM job c WHERE c.parent = r.id AND c.state = 'held'))`,
		} {
			if _, err := tx.ExecContext(ctx, s, cut); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM job r WHERE r.parent IS NULL
			AND r.state IN ('done', 'cancelled') AND r.finished_at <= ?1
			AND NOT EXISTS (SELECT 1 FROM job c WHERE c.parent = r.id
				AND (c.state NOT IN ('done', 'cancelled') OR c.finished_at > ?1))`, cut)
		if err != nil {
			return err
		}
		var roots []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			roots = append(roots, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range roots {
			for i, s := range []string{
				`INSERT OR REPLACE INTO spent (key, job, kind, finished_at)
					SELECT key, id, kind, finished_at FROM job WHERE id = ?1 OR parent = ?1`,
				"DELETE FROM sealed WHERE job IN (SELECT id FROM job WHERE id = ?1 OR parent = ?1)",
				"DELETE FROM job WHERE parent = ?1",
				"DELETE FROM job WHERE id = ?1",
			} {
				res, err := tx.ExecContext(ctx, s, id)
				if err != nil {
					return err
				}
				if i >= 2 {
					d, err := res.RowsAffected()
					if err != nil {
						return err
					}
					n += int(d)
				}
			}
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM spent WHERE finished_at < ?", forget)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("queue: purge: %w", err)
	}
	return n, nil
}

// redact replaces each secret in msg by "***": an error kept in the queue or shown to
// staff must not carry the identifier or the name it was about.
func redact(msg string, secrets ...string) string {
	for _, s := range secrets {
		if len(s) >= 3 {
			msg = strings.ReplaceAll(msg, s, "***")
		}
	}
	return msg
}
