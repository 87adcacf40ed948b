package queue

// waitlimit.go: the limit on how long personal data waits for a person who does not
// come back (Options.WaitLimit), applied by the purge.

import (
	"context"
	"database/sql"
	"time"
)

// waitExpired is the last error of a job the wait limit cancelled.
const waitExpired = "cancelled: waited longer than the wait limit"

// expireWaiting cancels, in tx, the jobs that waited for a person longer than
// WaitLimit: held and parked jobs not changed since, and requests accepted offline
// (with a claim code) still pending since they were added. The rest of the purge
// then deletes them like any cancelled job.
func (q *Queue) expireWaiting(ctx context.Context, tx *sql.Tx, now time.Time) error {
	if q.opts.WaitLimit == 0 {
		return nil
	}
	cut := nanos(now.Add(-q.opts.WaitLimit))
	_, err := tx.ExecContext(ctx, `UPDATE job SET state = 'cancelled', finished_at = ?1, updated_at = ?1, next_at = ?1,
		last_error = ?3, lease_owner = '', lease_until = 0
		WHERE kind != 'report' AND (
			state IN ('held', 'parked') AND updated_at <= ?2
			OR state = 'pending' AND kind = 'issue' AND claim IS NOT NULL AND created_at <= ?2)`,
		nanos(now), cut, waitExpired)
	return err
}
