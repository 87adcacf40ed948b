package queue

// issuejob.go: running an issue job: look the person up, decide, sign and render,
// then, in one transaction, mark the request done and add its print jobs and its
// report. When the registry cannot be reached, the request waits and a claim
// receipt is printed.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/certpdf"
	"certkiosk/backend/issuance"
	"certkiosk/backend/registry"
)

// errClaimTaken: the claim code drawn is already in use; another is drawn.
var errClaimTaken = errors.New("queue: claim code already in use")

func (w *Worker) runIssue(ctx context.Context, l *lease) error {
	q := w.Queue
	plain, err := q.getSealed(ctx, l.ID, l.Key)
	if errors.Is(err, ErrSealed) {
		return q.park(ctx, l, "the request's data cannot be opened: "+err.Error())
	}
	if err != nil {
		return err
	}
	var rd requestData
	if err := json.Unmarshal(plain, &rd); err != nil {
		return q.park(ctx, l, "the request's data cannot be read: "+err.Error())
	}
	id := registry.Identifier{System: rd.System, Value: rd.Value}
	svc, err := w.Services.Service(l.Profile)
	if err != nil {
		_, err = q.fail(ctx, l, "profile "+l.Profile+": "+err.Error())
		return err
	}
	now := q.now()
	step, cancel := w.step(ctx)
	rec, err := w.Records.Find(step, svc.Profile, id)
	cancel()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, registry.ErrUnreachable) {
		return w.offline(ctx, l, svc, rd, "registry unreachable: "+redact(err.Error(), id.Value), now)
	}
	if err != nil {
		_, err = q.fail(ctx, l, "looking the person up: "+redact(err.Error(), id.Value))
		return err
	}
	out, err := svc.Issue(rec, now)
	if err != nil {
		_, err = q.fail(ctx, l, "issuing: "+redact(err.Error(), personal(id, rec)...))
		return err
	}
	var certs [][]byte
	var slip []byte
	if !q.opts.NoReprint {
		if certs, slip, err = copySources(svc, rec, out, now); err != nil {
			_, err = q.fail(ctx, l, "keeping the documents for reprints: "+redact(err.Error(), personal(id, rec)...))
			return err
		}
	}
	return q.completeIssue(ctx, l, rec, out, certs, slip)
}

// personal lists what an error about the person must not repeat.
func personal(id registry.Identifier, rec *registry.Record) []string {
	out := []string{id.Value}
	if rec != nil {
		out = append(out, rec.Patient.FamilyName, rec.Patient.BirthDate)
		out = append(out, rec.Patient.GivenNames...)
	}
	return out
}

// offline handles a request whose registry cannot be reached: the first time, a
// claim code is drawn and a receipt printed; always, the request waits for a backoff
// that grows with its attempts. None of it counts toward parking: the resident was
// told the request is accepted.
func (w *Worker) offline(ctx context.Context, l *lease, svc *issuance.Service, rd requestData, msg string, now time.Time) error {
	q := w.Queue
	wait := q.delay(l.Attempts - 1)
	if l.Claimed {
		return q.later(ctx, l, wait, msg, "")
	}
	for range 5 {
		rd.Claim = newClaimCode()
		receipt, err := svc.Renderer.RenderReceipt(certpdf.Receipt{
			ClaimCode: rd.Claim,
			Languages: svc.Profile.Languages,
			IssuedAt:  now,
			Location:  svc.Profile.Location(),
			Specimen:  svc.Issuer.Test,
		})
		if err != nil {
			_, err = q.fail(ctx, l, "claim receipt: "+err.Error())
			return err
		}
		err = q.acceptOffline(ctx, l, rd, receipt, wait, msg)
		if !errors.Is(err, errClaimTaken) {
			return err
		}
	}
	return q.later(ctx, l, wait, msg, "")
}

// acceptOffline gives l's request its claim code and adds the receipt's print job,
// in one transaction with the request's wait.
func (q *Queue) acceptOffline(ctx context.Context, l *lease, rd requestData, receipt []byte, wait time.Duration, msg string) error {
	plain, err := json.Marshal(rd)
	if err != nil {
		return err
	}
	hash := q.claimHash(rd.Claim)
	return q.fenced(ctx, l, func(tx *sql.Tx, now int64) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM job WHERE claim = ?", hash).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errClaimTaken
		}
		if _, err := tx.ExecContext(ctx, `UPDATE job SET state = 'pending', next_at = ?, last_error = ?, claim = ?,
			lease_owner = '', lease_until = 0 WHERE id = ?`, now+int64(wait), msg, hash, l.ID); err != nil {
			return err
		}
		if err := q.putSealed(ctx, tx, l.ID, l.Key, plain); err != nil {
			return err
		}
		_, err := q.addChild(ctx, tx, l, child{key: l.Key + "-receipt", kind: KindPrint, state: StatePending, doc: DocReceipt, data: receipt}, now)
		return err
	})
}

// child is a job an issue job starts.
type child struct {
	key   string
	kind  Kind
	state State
	doc   Document
	data  []byte // sealed under the child's key
	// source, when set, renders the document again for a reprint (reprint.go); uvci
	// is the certificate's identifier, to find it by.
	source []byte
	uvci   string
}

// addChild adds c in tx and returns its id.
func (q *Queue) addChild(ctx context.Context, tx *sql.Tx, parent *lease, c child, now int64) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO job (key, kind, state, parent, profile, printer, document, next_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.key, c.kind, c.state, parent.ID, parent.Profile, parent.Printer, c.doc, now, now, now)
	if err != nil {
		return 0, fmt.Errorf("adding %s: %w", c.key, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if err := q.putSealed(ctx, tx, id, c.key, c.data); err != nil {
		return 0, err
	}
	if c.source != nil {
		if err := q.addReprint(ctx, tx, parent, id, c); err != nil {
			return 0, fmt.Errorf("keeping %s for reprints: %w", c.key, err)
		}
	}
	return id, nil
}

// Report is what a report job tells the registry: the certificates issued to one
// person. It is sealed while it waits.
type Report struct {
	// Key is the report's idempotency key: the registry records one report per key.
	Key     string              `json:"-"`
	Profile string              `json:"profile"`
	Subject registry.Identifier `json:"subject"`
	// Certificates are the UVCIs issued.
	Certificates []string  `json:"certificates"`
	IssuedAt     time.Time `json:"issuedAt"`
	// Entry, when set, makes this the shipping of one audit log entry (ShipAudit)
	// instead of a report of certificates: Profile, Subject and Certificates are
	// empty, and the registry records it once per entry hash.
	Entry *audit.Entry `json:"entry,omitempty"`
}

// completeIssue marks l's request done and, in the same transaction, adds a print job
// for each certificate and for the refusal slip (held when the request carries a
// claim code, else due now) and a report job for the certificates. The request keeps
// only what a claim needs: the date of birth, sealed, and the keyed hashes. certs and
// slip, when not nil, are what renders each certificate and the slip again for a
// reprint (copySources), kept beside their print jobs.
func (q *Queue) completeIssue(ctx context.Context, l *lease, rec *registry.Record, out issuance.Outcome, certs [][]byte, slip []byte) error {
	state := StatePending
	if l.Claimed {
		state = StateHeld
	}
	var children []child
	var uvcis []string
	for i, c := range out.Certificates {
		ch := child{key: l.Key + "-c" + strconv.Itoa(i+1), kind: KindPrint, state: state, doc: DocCertificate, data: c.PDF}
		if i < len(certs) {
			ch.source, ch.uvci = certs[i], c.UVCI
		}
		children = append(children, ch)
		uvcis = append(uvcis, c.UVCI)
	}
	if out.Slip != nil {
		children = append(children, child{key: l.Key + "-slip", kind: KindPrint, state: state, doc: DocSlip, data: out.Slip, source: slip})
	}
	var keep []byte
	plain, err := q.getSealed(ctx, l.ID, l.Key)
	if err != nil {
		return err
	}
	var rd requestData
	if err := json.Unmarshal(plain, &rd); err != nil {
		return err
	}
	if len(uvcis) > 0 {
		rep, err := json.Marshal(Report{
			Profile:      l.Profile,
			Subject:      registry.Identifier{System: rd.System, Value: rd.Value},
			Certificates: uvcis,
			IssuedAt:     q.now().UTC(),
		})
		if err != nil {
			return err
		}
		children = append(children, child{key: l.Key + "-report", kind: KindReport, state: StatePending, data: rep})
	}
	if l.Claimed {
		// A person no registry knows has no date of birth to check: only staff can
		// release their slip.
		var birth string
		if rec != nil {
			birth = rec.Patient.BirthDate
		}
		if keep, err = json.Marshal(requestData{BirthDate: birth}); err != nil {
			return err
		}
	}
	return q.fenced(ctx, l, func(tx *sql.Tx, now int64) error {
		for _, c := range children {
			if _, err := q.addChild(ctx, tx, l, c, now); err != nil {
				return err
			}
		}
		if keep != nil {
			if err := q.putSealed(ctx, tx, l.ID, l.Key, keep); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, "DELETE FROM sealed WHERE job = ?", l.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE job SET state = 'done', finished_at = ?, failures = 0, last_error = '',
			lease_owner = '', lease_until = 0 WHERE id = ?`, now, l.ID)
		return err
	})
}
