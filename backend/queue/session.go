package queue

// session.go: what a kiosk session puts in the queue and reads back. The session
// looks the person up and decides while the resident waits; the documents the
// resident chose are then recorded here as a finished request with its print jobs
// and its report, exactly as an issue job completes. The claim code of a request the
// worker accepted offline, and the jobs of a claim or a person, are read back for
// the screen.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"certkiosk/backend/issuance"
	"certkiosk/backend/registry"
)

// Issued is what a kiosk session issued and the resident asked to print.
type Issued struct {
	// Key is the idempotency key: recording the same key again records nothing and
	// returns the jobs recorded the first time.
	Key     string
	Profile string
	Subject registry.Identifier
	Printer string // empty: the worker's printer
	// Service issued the outcome, at At; Record is what it was issued from. Both
	// render the documents again for a reprint.
	Service *issuance.Service
	Record  *registry.Record
	At      time.Time
	// Outcome holds the certificates to print and, when it is to print, the slip.
	Outcome issuance.Outcome
}

// AddIssued records what a session issued as a finished request, with a print job
// for each certificate and for the slip (due now) and a report job for the
// certificates, in one transaction. It returns the request and its print jobs.
func (q *Queue) AddIssued(ctx context.Context, is Issued) (Job, []Job, error) {
	if err := checkKey(is.Key); err != nil {
		return Job{}, nil, err
	}
	if is.Profile == "" || is.Service == nil {
		return Job{}, nil, errors.New("queue: issued request has no profile or service")
	}
	id, err := normalise(is.Subject)
	if err != nil {
		return Job{}, nil, err
	}
	var certs [][]byte
	var slip []byte
	if !q.opts.NoReprint {
		if certs, slip, err = copySources(is.Service, is.Record, is.Outcome, is.At); err != nil {
			return Job{}, nil, fmt.Errorf("queue: keeping the documents for reprints: %w", err)
		}
	}
	var children []child
	var uvcis []string
	for i, c := range is.Outcome.Certificates {
		ch := child{key: is.Key + "-c" + strconv.Itoa(i+1), kind: KindPrint, state: StatePending, doc: DocCertificate, data: c.PDF}
		if i < len(certs) {
			ch.source, ch.uvci = certs[i], c.UVCI
		}
		children = append(children, ch)
		uvcis = append(uvcis, c.UVCI)
	}
	if is.Outcome.Slip != nil {
		children = append(children, child{key: is.Key + "-slip", kind: KindPrint, state: StatePending, doc: DocSlip, data: is.Outcome.Slip, source: slip})
	}
	if len(uvcis) > 0 {
		rep, err := json.Marshal(Report{Profile: is.Profile, Subject: id, Certificates: uvcis, IssuedAt: q.now().UTC()})
		if err != nil {
			return Job{}, nil, err
		}
		children = append(children, child{key: is.Key + "-report", kind: KindReport, state: StatePending, data: rep})
	}
	subject := q.subjectHash(id)
	var req Job
	err = q.write(ctx, func(tx *sql.Tx) error {
		var old int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM job WHERE key = ?", is.Key).Scan(&old)
		if err == nil {
			req, err = q.getJob(ctx, tx, old)
			return err
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now := nanos(q.now())
		res, err := tx.ExecContext(ctx, `INSERT INTO job (key, kind, state, profile, printer, next_at, subject, created_at, updated_at, finished_at)
			VALUES (?, 'issue', 'done', ?, ?, ?, ?, ?, ?, ?)`, is.Key, is.Profile, is.Printer, now, subject, now, now, now)
		if err != nil {
			return err
		}
		reqID, err := res.LastInsertId()
		if err != nil {
			return err
		}
		parent := &lease{Job: Job{ID: reqID, Key: is.Key, Profile: is.Profile, Printer: is.Printer}}
		for _, c := range children {
			if _, err := q.addChild(ctx, tx, parent, c, now); err != nil {
				return err
			}
		}
		req, err = q.getJob(ctx, tx, reqID)
		return err
	})
	if err != nil {
		return Job{}, nil, fmt.Errorf("queue: add issued: %w", err)
	}
	prints, err := q.PrintJobsOf(ctx, req.ID)
	return req, prints, err
}

// PrintJobsOf returns the print jobs a request started, oldest first.
func (q *Queue) PrintJobsOf(ctx context.Context, request int64) ([]Job, error) {
	return q.jobsWhere(ctx, "parent = ? AND kind = 'print'", request)
}

// jobsWhere returns the jobs matching where, oldest first.
func (q *Queue) jobsWhere(ctx context.Context, where string, args ...any) ([]Job, error) {
	rows, err := q.rdb.QueryContext(ctx, "SELECT "+jobColumns+" FROM job WHERE "+where+" ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("queue: jobs: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("queue: jobs: %w", err)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// ClaimCode returns the claim code the worker gave a request accepted while the
// registry was unreachable; empty while it has none.
func (q *Queue) ClaimCode(ctx context.Context, request int64) (string, error) {
	j, err := q.Get(ctx, request)
	if err != nil {
		return "", err
	}
	if !j.Claimed || j.Terminal() {
		return "", nil
	}
	plain, err := q.getSealed(ctx, j.ID, j.Key)
	if err != nil {
		return "", err
	}
	var rd requestData
	if err := json.Unmarshal(plain, &rd); err != nil {
		return "", fmt.Errorf("%w: job %d: %v", ErrSealed, j.ID, err)
	}
	return rd.Claim, nil
}

// ClaimRequest returns the request a claim code was given to; ErrNotFound when none
// was. It checks nothing else: call it once ReleaseClaim has released the request.
func (q *Queue) ClaimRequest(ctx context.Context, code string) (Job, error) {
	code, err := NormaliseClaimCode(code)
	if err != nil {
		return Job{}, err
	}
	var id int64
	err = q.rdb.QueryRowContext(ctx, "SELECT id FROM job WHERE claim = ?", q.claimHash(code)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, ErrNotFound
	}
	if err != nil {
		return Job{}, fmt.Errorf("queue: claim: %w", err)
	}
	return q.Get(ctx, id)
}

// SubjectRequests returns the requests recorded for the person with the identifier,
// oldest first.
func (q *Queue) SubjectRequests(ctx context.Context, id registry.Identifier) ([]Job, error) {
	id, err := normalise(id)
	if err != nil {
		return nil, err
	}
	return q.jobsWhere(ctx, "kind = 'issue' AND subject = ?", q.subjectHash(id))
}

// DocStatement is an antibody commission's statement (the written application),
// printed for the applicant to sign.
const DocStatement Document = "statement"

// AddPrint records one document to print that belongs to no request (a commission's
// statement or certificate), due now. Adding the same key again adds nothing and
// returns the job added the first time.
func (q *Queue) AddPrint(ctx context.Context, key, profile, printer string, doc Document, pdf []byte) (Job, error) {
	if err := checkKey(key); err != nil {
		return Job{}, err
	}
	if profile == "" || len(pdf) == 0 {
		return Job{}, errors.New("queue: a document to print needs a profile and a PDF")
	}
	var job Job
	err := q.write(ctx, func(tx *sql.Tx) error {
		var old int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM job WHERE key = ?", key).Scan(&old)
		if err == nil {
			job, err = q.getJob(ctx, tx, old)
			return err
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now := nanos(q.now())
		res, err := tx.ExecContext(ctx, `INSERT INTO job (key, kind, state, profile, printer, document, next_at, created_at, updated_at)
			VALUES (?, 'print', 'pending', ?, ?, ?, ?, ?, ?)`, key, profile, printer, doc, now, now, now)
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		if err := q.putSealed(ctx, tx, id, key, pdf); err != nil {
			return err
		}
		job, err = q.getJob(ctx, tx, id)
		return err
	})
	if err != nil {
		return Job{}, fmt.Errorf("queue: add print: %w", err)
	}
	return job, nil
}
