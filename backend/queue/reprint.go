package queue

// reprint.go: printing a document again, stamped COPY. When a request is issued,
// what renders each of its certificates and its refusal slip (the renderer's inputs:
// the signed HC1, the payload, the printed texts) is sealed in a reprint row beside
// the document's print job. Once the document has printed, the row's window opens
// (Options.ReprintWindow): within it, staff can have the document rendered again with
// the COPY mark and printed; after it, the sealed inputs are deleted and a reprint is
// refused with ErrReprintExpired. The row, without its data, is kept as long as the
// keys of deleted jobs (Options.KeyMemory), so that the refusal can say why.
//
// A copy is rendered from the stored inputs with Copy set, in one place
// (renderCopy), and never taken from the original's PDF: a reprint cannot come out
// without the mark.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"certkiosk/backend/certpdf"
	"certkiosk/backend/issuance"
	"certkiosk/backend/registry"
	"certkiosk/backend/rules"
)

// maxDocumentKey is the longest key a printer takes as a job-name (package printing).
const maxDocumentKey = 64

// copySource is what renders a document again: exactly one field is set. The time
// zone is not kept (it is the profile's); Copy is set when it is rendered.
type copySource struct {
	Certificate *certpdf.Certificate `json:"certificate,omitempty"`
	Slip        *certpdf.Refusal     `json:"slip,omitempty"`
}

// reprintSealKey is what a reprint row's data is sealed under: not a job key (':' is
// not allowed in one), so that the data opens for this row only.
func reprintSealKey(jobKey string) string { return "reprint:" + jobKey }

// uvciHash is the keyed hash a certificate is found again by.
func (q *Queue) uvciHash(uvci string) []byte {
	return q.sealer.Hash("uvci", strings.ToUpper(strings.TrimSpace(uvci)))
}

// copySources returns what renders each certificate of out again, in order, and the
// refusal slip (nil when there is none): the inputs svc gave the renderer when it
// issued them at the time at.
func copySources(svc *issuance.Service, rec *registry.Record, out issuance.Outcome, at time.Time) ([][]byte, []byte, error) {
	// issuance.Service.Issue renders at whole seconds (CWT times are whole seconds).
	at = at.Truncate(time.Second)
	var certs [][]byte
	for _, c := range out.Certificates {
		notes, err := svc.NoteLines(rules.Entitlement{
			Kind: c.Kind, ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil, Expires: c.Expires, Notes: c.Notes,
		})
		if err != nil {
			return nil, nil, err
		}
		src, err := json.Marshal(copySource{Certificate: &certpdf.Certificate{
			Payload:   c.Payload,
			HC1:       c.HC1,
			Issuer:    svc.Profile.Issuer,
			IssuedAt:  at,
			Languages: svc.Profile.Languages,
			VerifyURL: svc.Profile.VerifyURLFor(c.Payload.CertificateID()),
			Specimen:  svc.Issuer.Test,
			Notes:     notes,
		}})
		if err != nil {
			return nil, nil, err
		}
		certs = append(certs, src)
	}
	if out.Slip == nil {
		return certs, nil, nil
	}
	slip := certpdf.Refusal{Languages: svc.Profile.Languages, IssuedAt: at, Specimen: svc.Issuer.Test}
	if rec != nil {
		slip.FamilyName = rec.Patient.FamilyName
		slip.GivenName = strings.Join(rec.Patient.GivenNames, " ")
	}
	for _, r := range out.Refusals {
		slip.Items = append(slip.Items, certpdf.RefusalItem{Kind: r.Kind, Reason: r.Reason, NextStep: r.NextStep})
	}
	src, err := json.Marshal(copySource{Slip: &slip})
	return certs, src, err
}

// addReprint keeps, in tx, what renders the document of the print job (id, key) again.
func (q *Queue) addReprint(ctx context.Context, tx *sql.Tx, parent *lease, id int64, c child) error {
	var uvci []byte
	if c.uvci != "" {
		uvci = q.uvciHash(c.uvci)
	}
	sealed, err := q.sealFor(reprintSealKey(c.key), c.source)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO reprint (job, request, key, document, profile, printer, uvci, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, parent.ID, c.key, c.doc, parent.Profile, parent.Printer, uvci, sealed)
	return err
}

// openReprints opens, in tx, the reprint window of the document the print job id has
// just printed (at now): it ends ReprintWindow later, and the copies print where the
// original did.
func (q *Queue) openReprints(ctx context.Context, tx *sql.Tx, id, now int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE reprint SET expires_at = ?1, printer = (SELECT printer FROM job WHERE id = ?2)
		WHERE job = ?2 AND expires_at = 0`, now+int64(q.opts.ReprintWindow), id)
	return err
}

// purgeReprints deletes, in tx, the data of reprint rows whose window ended by now (of
// every row with NoReprint), and the rows of documents cancelled before they printed;
// the rows whose window ended before forget are forgotten.
func (q *Queue) purgeReprints(ctx context.Context, tx *sql.Tx, now, forget int64) error {
	if q.opts.NoReprint {
		if _, err := tx.ExecContext(ctx, `UPDATE reprint SET data = NULL,
			expires_at = CASE WHEN expires_at = 0 OR expires_at > ?1 THEN ?1 ELSE expires_at END
			WHERE data IS NOT NULL`, now); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE reprint SET data = NULL
		WHERE data IS NOT NULL AND expires_at != 0 AND expires_at <= ?`, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM reprint WHERE expires_at = 0
		AND NOT EXISTS (SELECT 1 FROM job WHERE job.id = reprint.job AND job.state != 'cancelled')`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM reprint WHERE expires_at != 0 AND expires_at < ?", forget)
	return err
}

// reprintRow is one document that may be printed again.
type reprintRow struct {
	job, request int64
	key          string
	doc          Document
	profile      string
	printer      string
	expires      int64  // 0 until the original printed
	data         []byte // sealed; nil once the window passed
}

const reprintColumns = "job, request, key, document, profile, printer, expires_at, data"

func (q *Queue) reprintRows(ctx context.Context, where string, args ...any) ([]reprintRow, error) {
	rows, err := q.rdb.QueryContext(ctx, "SELECT "+reprintColumns+" FROM reprint WHERE "+where+" ORDER BY job", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []reprintRow
	for rows.Next() {
		var r reprintRow
		if err := rows.Scan(&r.job, &r.request, &r.key, &r.doc, &r.profile, &r.printer, &r.expires, &r.data); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Reprint has documents the kiosk printed printed again, each rendered afresh with
// the COPY mark, as new print jobs due now, which it returns. id names the print job
// of a certificate or a refusal slip (or a copy of one: the original is printed
// again), or a request (its issue job): then each of its certificates and its slip.
// printer is where the copies print; empty: where the originals printed.
//
// A document is printed again only after it printed and within Options.ReprintWindow
// after that: later, what renders it is deleted and the result is ErrReprintExpired;
// before it printed (pending, held for its resident, parked) the result is ErrState.
// For a request, every document must qualify, or none is printed. s renders the copies
// (the profile's renderer and time zone); the signing key is not used.
//
// Each copy's key is the original's with -copy-N, N counting the copies made.
func (q *Queue) Reprint(ctx context.Context, s Services, id int64, printer string) ([]Job, error) {
	rows, err := q.reprintsOf(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("queue: reprint: %w", err)
	}
	return q.reprint(ctx, s, rows, printer)
}

// ReprintUVCI is Reprint for the certificate whose identifier is uvci (as printed,
// any case).
func (q *Queue) ReprintUVCI(ctx context.Context, s Services, uvci, printer string) (Job, error) {
	rows, err := q.reprintRows(ctx, "uvci = ?", q.uvciHash(uvci))
	if err != nil {
		return Job{}, fmt.Errorf("queue: reprint: %w", err)
	}
	if len(rows) == 0 {
		return Job{}, fmt.Errorf("queue: reprint: %w: no certificate with that UVCI was printed here "+
			"(or it was so long ago that it is forgotten)", ErrNotFound)
	}
	// The same UVCI issued twice (the same request at the same second) prints the
	// latest.
	jobs, err := q.reprint(ctx, s, rows[len(rows)-1:], printer)
	if err != nil {
		return Job{}, err
	}
	return jobs[0], nil
}

// reprintsOf finds the documents id names, or says why there are none.
// The rows outlive the jobs' rows (Retention may be shorter than the window), so
// they are looked for first.
func (q *Queue) reprintsOf(ctx context.Context, id int64) ([]reprintRow, error) {
	// Job ids are never reused: id is a print job's or a request's, not both.
	rows, err := q.reprintRows(ctx, "job = ?1 OR request = ?1", id)
	if err != nil || len(rows) > 0 {
		return rows, err
	}
	j, err := q.getJob(ctx, nil, id)
	if errors.Is(err, ErrNotFound) {
		var n int
		if err := q.rdb.QueryRowContext(ctx, "SELECT count(*) FROM spent WHERE job = ?", id).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, fmt.Errorf("%w: job %d finished and was deleted, and nothing is kept under its id "+
				"(a copy is printed again by its original's id or UVCI)", ErrReprintExpired, id)
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	switch {
	case j.Kind == KindIssue && !j.Terminal():
		return nil, fmt.Errorf("%w: request %d is %s: it has issued nothing yet", ErrState, id, j.State)
	case j.Kind == KindIssue:
		return nil, fmt.Errorf("%w: nothing of request %d is kept to print again", ErrReprintExpired, id)
	case j.CopyOf != 0:
		rows, err := q.reprintRows(ctx, "job = ?", j.CopyOf)
		if err != nil || len(rows) > 0 {
			return rows, err
		}
		return nil, fmt.Errorf("%w: nothing is kept to print job %d again", ErrReprintExpired, j.CopyOf)
	case j.Kind != KindPrint:
		return nil, fmt.Errorf("%w: job %d is a %s job; certificates and refusal slips are reprinted", ErrState, id, j.Kind)
	case j.Document == DocReceipt:
		return nil, fmt.Errorf("%w: job %d is a claim receipt, which is not reprinted", ErrState, id)
	case j.State != StateDone:
		return nil, fmt.Errorf("%w: job %d is %s and has not printed", ErrState, id, j.State)
	}
	return nil, fmt.Errorf("%w: nothing is kept to print job %d again", ErrReprintExpired, id)
}

// reprintable says why r cannot be printed again at now, or returns nil.
func (q *Queue) reprintable(ctx context.Context, r reprintRow, now int64) error {
	if r.expires != 0 {
		if r.expires <= now || r.data == nil {
			return fmt.Errorf("%w: job %d could be printed again until %s", ErrReprintExpired, r.job,
				fromNanos(r.expires).UTC().Format(time.RFC3339))
		}
		return nil
	}
	j, err := q.getJob(ctx, nil, r.job)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%w: job %d is gone", ErrReprintExpired, r.job)
	}
	if err != nil {
		return err
	}
	switch j.State {
	case StateHeld:
		return fmt.Errorf("%w: job %d is held for its resident and has not printed; release it instead", ErrState, r.job)
	case StateCancelled:
		return fmt.Errorf("%w: job %d was cancelled before it printed", ErrState, r.job)
	}
	return fmt.Errorf("%w: job %d is %s and has not printed yet; a copy follows the original", ErrState, r.job, j.State)
}

// reprint renders a copy of each of rows and adds their print jobs in one
// transaction.
func (q *Queue) reprint(ctx context.Context, s Services, rows []reprintRow, printer string) ([]Job, error) {
	if s == nil {
		return nil, errors.New("queue: reprint: no renderer")
	}
	now := nanos(q.now())
	for _, r := range rows {
		if err := q.reprintable(ctx, r, now); err != nil {
			return nil, fmt.Errorf("queue: reprint: %w", err)
		}
	}
	pdfs := make([][]byte, len(rows))
	defer func() {
		for _, pdf := range pdfs {
			clear(pdf)
		}
	}()
	for i, r := range rows {
		pdf, err := q.renderCopy(s, r)
		if err != nil {
			return nil, fmt.Errorf("queue: reprint job %d: %w", r.job, err)
		}
		pdfs[i] = pdf
	}
	var jobs []Job
	err := q.write(ctx, func(tx *sql.Tx) error {
		jobs = nil
		for i, r := range rows {
			var copies int
			var expires int64
			var kept bool
			err := tx.QueryRowContext(ctx, "SELECT copies, expires_at, data IS NOT NULL FROM reprint WHERE job = ?", r.job).
				Scan(&copies, &expires, &kept)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("%w: nothing is kept to print job %d again", ErrReprintExpired, r.job)
			case err != nil:
				return err
			case !kept || expires <= now: // purged since it was read
				return fmt.Errorf("%w: job %d could be printed again until %s", ErrReprintExpired, r.job,
					fromNanos(expires).UTC().Format(time.RFC3339))
			}
			key := r.key + "-copy-" + strconv.Itoa(copies+1)
			if len(key) > maxDocumentKey {
				return fmt.Errorf("%w: job %d has been copied too often (%s)", ErrState, r.job, key)
			}
			if _, err := tx.ExecContext(ctx, "UPDATE reprint SET copies = ? WHERE job = ?", copies+1, r.job); err != nil {
				return err
			}
			to := printer
			if to == "" {
				to = r.printer
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO job (key, kind, state, profile, printer, document, copy_of,
				next_at, created_at, updated_at) VALUES (?, 'print', 'pending', ?, ?, ?, ?, ?, ?, ?)`,
				key, r.profile, to, r.doc, r.job, now, now, now)
			if err != nil {
				return fmt.Errorf("adding %s: %w", key, err)
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			if err := q.putSealed(ctx, tx, id, key, pdfs[i]); err != nil {
				return err
			}
			j, err := q.getJob(ctx, tx, id)
			if err != nil {
				return err
			}
			jobs = append(jobs, j)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("queue: reprint: %w", err)
	}
	return jobs, nil
}

// renderCopy renders r's document again with the COPY mark. It is the only way a
// reprint's PDF is made.
func (q *Queue) renderCopy(s Services, r reprintRow) ([]byte, error) {
	plain, err := q.openFor(reprintSealKey(r.key), r.data)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	var src copySource
	if err := json.Unmarshal(plain, &src); err != nil {
		return nil, fmt.Errorf("%w: reprint data of job %d: %v", ErrSealed, r.job, err)
	}
	svc, err := s.Service(r.profile)
	if err != nil {
		return nil, err
	}
	switch {
	case src.Certificate != nil:
		c := *src.Certificate
		c.Location, c.Copy = svc.Profile.Location(), true
		return svc.Renderer.Render(c)
	case src.Slip != nil:
		slip := *src.Slip
		slip.Location, slip.Copy = svc.Profile.Location(), true
		return svc.Renderer.RenderRefusal(slip)
	}
	return nil, fmt.Errorf("%w: reprint data of job %d holds no document", ErrSealed, r.job)
}
