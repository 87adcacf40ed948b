package queue

// claim.go: claim codes, and the three ways certificates held for a resident are
// released: the same person identifies again, the claim code with the date of birth,
// or staff.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"certkiosk/backend/registry"
)

// claimAlphabet is what claim codes are made of: digits and capitals without the
// look-alikes 0/O, 1/I/L; Z, S and B are read as 2, 5 and 8 when typed.
const claimAlphabet = "23456789ACDEFGHJKMNPQRTUVWXY"

// claimLen is the length of a claim code, without its separator: 28⁸ ≈ 3.8·10¹¹ codes.
const claimLen = 8

// maxClaimMisses is how many wrong dates of birth lock a claim code.
const maxClaimMisses = 5

// newClaimCode returns a random claim code, grouped as K7Q4-M2XP.
func newClaimCode() string {
	var b strings.Builder
	var buf [1]byte
	for b.Len() < claimLen+1 {
		if b.Len() == claimLen/2 {
			b.WriteByte('-')
			continue
		}
		rand.Read(buf[:])
		// Rejection keeps every character equally likely: 252 = 9·28.
		if buf[0] < 252 {
			b.WriteByte(claimAlphabet[buf[0]%byte(len(claimAlphabet))])
		}
	}
	return b.String()
}

// NormaliseClaimCode reads a claim code as a person types it: any case, with or
// without the hyphen and spaces, Z, S and B for 2, 5 and 8. It returns the code as
// printed (K7Q4-M2XP), or ErrBadClaimCode.
func NormaliseClaimCode(s string) (string, error) {
	var b strings.Builder
	for _, c := range strings.ToUpper(s) {
		switch {
		case c == '-' || c == ' ':
			continue
		case c == 'Z':
			c = '2'
		case c == 'S':
			c = '5'
		case c == 'B':
			c = '8'
		}
		if !strings.ContainsRune(claimAlphabet, c) {
			return "", fmt.Errorf("%w: %q is not a claim code character", ErrBadClaimCode, c)
		}
		b.WriteRune(c)
	}
	code := b.String()
	if len(code) != claimLen {
		return "", fmt.Errorf("%w: %d characters, want %d", ErrBadClaimCode, len(code), claimLen)
	}
	return code[:claimLen/2] + "-" + code[claimLen/2:], nil
}

func (q *Queue) claimHash(code string) []byte { return q.sealer.Hash("claim", code) }

// ReleaseSubject releases the certificates held for the person with the identifier:
// they identified again at the kiosk. It returns how many documents were released;
// ErrNotReady when the person's request is still waiting for the registry; 0 and nil
// when nothing is held for them.
func (q *Queue) ReleaseSubject(ctx context.Context, id registry.Identifier) (int, error) {
	id, err := normalise(id)
	if err != nil {
		return 0, err
	}
	subject := q.subjectHash(id)
	return q.release(ctx, func(tx *sql.Tx) ([]int64, bool, error) {
		return q.issueJobs(ctx, tx, "subject = ?", subject)
	})
}

// ReleaseClaim releases the certificates held under a claim code when birthDate
// (YYYY-MM-DD) is the person's date of birth. A wrong date is ErrClaimMismatch and
// counted; after 5 the code is locked (ErrClaimLocked) and only staff can release the
// request. ErrNotReady: the request is still waiting for the registry, so the date
// cannot be checked yet.
func (q *Queue) ReleaseClaim(ctx context.Context, code, birthDate string) (int, error) {
	code, err := NormaliseClaimCode(code)
	if err != nil {
		return 0, err
	}
	if _, err := time.Parse(time.DateOnly, birthDate); err != nil {
		return 0, fmt.Errorf("%w: date of birth %q is not YYYY-MM-DD", ErrClaimMismatch, birthDate)
	}
	hash := q.claimHash(code)
	var miss error
	n, err := q.release(ctx, func(tx *sql.Tx) ([]int64, bool, error) {
		var id, misses int64
		var key string
		var state State
		err := tx.QueryRowContext(ctx, "SELECT id, key, state, claim_misses FROM job WHERE claim = ?", hash).
			Scan(&id, &key, &state, &misses)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, false, ErrClaimMismatch
		}
		if err != nil {
			return nil, false, err
		}
		if misses >= maxClaimMisses {
			return nil, false, ErrClaimLocked
		}
		switch state {
		case StateCancelled:
			return nil, false, nil
		case StateDone:
		default:
			return nil, true, nil
		}
		var sealed []byte
		if err := tx.QueryRowContext(ctx, "SELECT data FROM sealed WHERE job = ?", id).Scan(&sealed); err != nil {
			return nil, false, fmt.Errorf("%w: job %d", ErrSealed, id)
		}
		plain, err := q.openFor(key, sealed)
		if err != nil {
			return nil, false, err
		}
		var rd requestData
		if err := json.Unmarshal(plain, &rd); err != nil {
			return nil, false, fmt.Errorf("%w: job %d: %v", ErrSealed, id, err)
		}
		if !birthMatches(birthDate, rd.BirthDate) {
			// Counted in this transaction, which commits: the caller sees the miss.
			if _, err := tx.ExecContext(ctx, "UPDATE job SET claim_misses = claim_misses + 1 WHERE id = ?", id); err != nil {
				return nil, false, err
			}
			miss = ErrClaimMismatch
			if misses+1 >= maxClaimMisses {
				miss = ErrClaimLocked
			}
			return nil, false, nil
		}
		return []int64{id}, false, nil
	})
	if err == nil && miss != nil {
		return 0, miss
	}
	return n, err
}

// birthMatches reports whether the date typed (YYYY-MM-DD) is the registry's date of
// birth, which may be partial (YYYY or YYYY-MM): then the part given must agree.
func birthMatches(typed, registered string) bool {
	return registered != "" && strings.HasPrefix(typed, registered)
}

// Release releases for staff the held documents of a request: given its issue job,
// or one of its held print jobs.
func (q *Queue) Release(ctx context.Context, id int64) (int, error) {
	return q.release(ctx, func(tx *sql.Tx) ([]int64, bool, error) {
		j, err := q.getJob(ctx, tx, id)
		if err != nil {
			return nil, false, err
		}
		switch {
		case j.Kind == KindIssue && !j.Terminal():
			return nil, true, nil
		case j.Kind == KindIssue:
			return []int64{id}, false, nil
		case j.State == StateHeld:
			return []int64{j.Parent}, false, nil
		}
		return nil, false, fmt.Errorf("%w: job %d is %s, not held", ErrState, id, j.State)
	})
}

// issueJobs finds the issue jobs matching where; waiting is set when one of them is
// still to be done.
func (q *Queue) issueJobs(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]int64, bool, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, state FROM job WHERE kind = 'issue' AND "+where, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var ids []int64
	waiting := false
	for rows.Next() {
		var id int64
		var s State
		if err := rows.Scan(&id, &s); err != nil {
			return nil, false, err
		}
		switch s {
		case StateDone:
			ids = append(ids, id)
		case StatePending, StateRunning, StateParked:
			waiting = true
		}
	}
	return ids, waiting, rows.Err()
}

// release runs find in a write transaction and makes the held print jobs of the
// issue jobs it returns pending, due now. With nothing released and find reporting a
// request still waiting, the result is ErrNotReady.
func (q *Queue) release(ctx context.Context, find func(tx *sql.Tx) (issueJobs []int64, waiting bool, err error)) (int, error) {
	now := nanos(q.now())
	var n int64
	var waiting bool
	err := q.write(ctx, func(tx *sql.Tx) error {
		var ids []int64
		var err error
		ids, waiting, err = find(tx)
		if err != nil {
			return err
		}
		n = 0
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `UPDATE job SET state = 'pending', next_at = ?, updated_at = ?
				WHERE parent = ? AND state = 'held'`, now, now, id)
			if err != nil {
				return err
			}
			c, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += c
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if n == 0 && waiting {
		return 0, ErrNotReady
	}
	return int(n), nil
}
