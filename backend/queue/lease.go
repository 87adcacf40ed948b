package queue

// lease.go: claiming due jobs, and the lease that fences every write a worker makes
// about a running job. A job's lease runs out LeaseTTL after the worker last wrote;
// then, or at once when the owner was a process on this host that is gone, the next
// claim takes the job over. Every write of a running job's results checks that the
// writer still holds the lease, so a worker that lost it changes nothing.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// lease is a worker's hold on one running job.
type lease struct {
	Job
	owner string
}

// claimOrder is the order kinds are claimed in: a document first (a resident may be
// standing at the printer), then requests, then reports.
func claimOrder() []Kind { return []Kind{KindPrint, KindIssue, KindReport} }

// claim takes the next job due, of one of the kinds, for this queue's owner: the
// oldest due pending job, else a running job whose lease ran out or whose owner is
// gone. It returns false when no job is due.
func (q *Queue) claim(ctx context.Context, kinds []Kind) (lease, bool, error) {
	now := q.now()
	dead, err := q.deadOwners(ctx)
	if err != nil {
		return lease{}, false, err
	}
	var l lease
	found := false
	err = q.write(ctx, func(tx *sql.Tx) error {
		id, err := q.findDue(ctx, tx, kinds, now, dead)
		if err != nil || id == 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE job SET state = 'running', lease_owner = ?, lease_until = ?,
			attempts = attempts + 1, updated_at = ? WHERE id = ?`,
			q.opts.Owner, nanos(now.Add(q.opts.LeaseTTL)), nanos(now), id)
		if err != nil {
			return err
		}
		j, err := q.getJob(ctx, tx, id)
		if err != nil {
			return err
		}
		l, found = lease{Job: j, owner: q.opts.Owner}, true
		return nil
	})
	if err != nil {
		return lease{}, false, fmt.Errorf("queue: claim: %w", err)
	}
	return l, found, nil
}

// findDue returns the id of the job to claim, 0 when none is due.
func (q *Queue) findDue(ctx context.Context, tx *sql.Tx, kinds []Kind, now time.Time, dead []string) (int64, error) {
	var id int64
	for _, k := range claimOrder() {
		if !slices.Contains(kinds, k) {
			continue
		}
		err := tx.QueryRowContext(ctx, `SELECT id FROM job WHERE state = 'pending' AND kind = ? AND next_at <= ?
			ORDER BY next_at, id LIMIT 1`, k, nanos(now)).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, kind, lease_owner, lease_until FROM job WHERE state = 'running'
		ORDER BY lease_until, id`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var k Kind
		var owner string
		var until int64
		if err := rows.Scan(&id, &k, &owner, &until); err != nil {
			return 0, err
		}
		if slices.Contains(kinds, k) && (until <= nanos(now) || slices.Contains(dead, owner)) {
			return id, nil
		}
	}
	return 0, rows.Err()
}

// deadOwners lists the owners of running jobs that were processes on this host and
// are gone: their jobs need not wait for the lease to run out.
func (q *Queue) deadOwners(ctx context.Context) ([]string, error) {
	rows, err := q.rdb.QueryContext(ctx, "SELECT DISTINCT lease_owner FROM job WHERE state = 'running'")
	if err != nil {
		return nil, fmt.Errorf("queue: claim: %w", err)
	}
	defer rows.Close()
	host, _ := os.Hostname()
	host = strings.NewReplacer("/", "_").Replace(host)
	var dead []string
	for rows.Next() {
		var owner string
		if err := rows.Scan(&owner); err != nil {
			return nil, err
		}
		if owner != q.opts.Owner && ownerGone(owner, host) {
			dead = append(dead, owner)
		}
	}
	return dead, rows.Err()
}

// ownerGone reports whether owner (host/pid/random) names a process of this host that
// no longer runs. An owner it cannot tell about is not gone: its lease runs out.
func ownerGone(owner, host string) bool {
	parts := strings.Split(owner, "/")
	if len(parts) != 3 || parts[0] != host {
		return false
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil || pid <= 0 || pid == os.Getpid() {
		return false
	}
	return !processAlive(pid)
}

// busy reports whether any job of the kinds is pending or running, and when the next
// one is due: the earliest pending next_at, or the earliest lease of another worker
// to run out.
func (q *Queue) busy(ctx context.Context, kinds []Kind) (bool, time.Time, error) {
	var n int
	var next sql.NullInt64
	var until sql.NullInt64
	in, args := kindList(kinds)
	err := q.rdb.QueryRowContext(ctx, `SELECT count(*),
		min(CASE WHEN state = 'pending' THEN next_at END),
		min(CASE WHEN state = 'running' THEN lease_until END)
		FROM job WHERE state IN ('pending', 'running') AND kind IN (`+in+`)`, args...).Scan(&n, &next, &until)
	if err != nil {
		return false, time.Time{}, fmt.Errorf("queue: %w", err)
	}
	var at time.Time
	switch {
	case next.Valid && until.Valid:
		at = fromNanos(min(next.Int64, until.Int64))
	case next.Valid:
		at = fromNanos(next.Int64)
	case until.Valid:
		at = fromNanos(until.Int64)
	}
	return n > 0, at, nil
}

func kindList(kinds []Kind) (string, []any) {
	marks := make([]string, len(kinds))
	args := make([]any, len(kinds))
	for i, k := range kinds {
		marks[i], args[i] = "?", string(k)
	}
	return strings.Join(marks, ", "), args
}

// fenced runs f in a write transaction after checking that l still holds its job,
// and renews the lease. f sees the job's row unchanged by the check but for
// lease_until and updated_at.
func (q *Queue) fenced(ctx context.Context, l *lease, f func(tx *sql.Tx, now int64) error) error {
	now := q.now()
	err := q.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE job SET lease_until = ?, updated_at = ?
			WHERE id = ? AND state = 'running' AND lease_owner = ?`,
			nanos(now.Add(q.opts.LeaseTTL)), nanos(now), l.ID, l.owner)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return fmt.Errorf("%w: job %d", ErrLeaseLost, l.ID)
		}
		return f(tx, nanos(now))
	})
	if err != nil && !errors.Is(err, ErrLeaseLost) {
		return fmt.Errorf("queue: job %d: %w", l.ID, err)
	}
	return err
}

// renew extends l's lease, or reports that it was lost.
func (q *Queue) renew(ctx context.Context, l *lease) error {
	return q.fenced(ctx, l, func(*sql.Tx, int64) error { return nil })
}

// finish marks l's job done; for a document that printed, its reprint window opens.
func (q *Queue) finish(ctx context.Context, l *lease) error {
	return q.fenced(ctx, l, func(tx *sql.Tx, now int64) error {
		_, err := tx.ExecContext(ctx, `UPDATE job SET state = 'done', finished_at = ?, lease_owner = '', lease_until = 0,
			failures = 0, last_error = '', printer_state = '' WHERE id = ?`, now, l.ID)
		if err != nil || l.Kind != KindPrint {
			return err
		}
		return q.openReprints(ctx, tx, l.ID, now)
	})
}

// later puts l's job back to pending, due after wait, with msg as its last error (for a
// wait, the reason; empty clears it). printerState, when not empty, records what the
// printer said.
func (q *Queue) later(ctx context.Context, l *lease, wait time.Duration, msg, printerState string) error {
	return q.fenced(ctx, l, func(tx *sql.Tx, now int64) error {
		_, err := tx.ExecContext(ctx, `UPDATE job SET state = 'pending', next_at = ?, last_error = ?,
			printer_state = CASE WHEN ? = '' THEN printer_state ELSE ? END,
			lease_owner = '', lease_until = 0 WHERE id = ?`,
			now+int64(wait), msg, printerState, printerState, l.ID)
		return err
	})
}

// fail counts a failure of l's job: it is retried after a backoff, or parked once it
// failed MaxFailures times in a row. It reports whether the job was parked.
func (q *Queue) fail(ctx context.Context, l *lease, msg string) (parked bool, err error) {
	failures := l.Failures + 1
	if failures >= q.opts.MaxFailures {
		return true, q.park(ctx, l, fmt.Sprintf("failed %d times; last: %s", failures, msg))
	}
	wait := q.delay(failures - 1)
	return false, q.fenced(ctx, l, func(tx *sql.Tx, now int64) error {
		_, err := tx.ExecContext(ctx, `UPDATE job SET state = 'pending', failures = ?, next_at = ?, last_error = ?,
			lease_owner = '', lease_until = 0 WHERE id = ?`, failures, now+int64(wait), msg, l.ID)
		return err
	})
}

// park stops l's job for staff, with msg saying why.
func (q *Queue) park(ctx context.Context, l *lease, msg string) error {
	return q.fenced(ctx, l, func(tx *sql.Tx, now int64) error {
		_, err := tx.ExecContext(ctx, `UPDATE job SET state = 'parked', last_error = ?, lease_owner = '', lease_until = 0,
			failures = failures + 1 WHERE id = ?`, msg, l.ID)
		return err
	})
}
