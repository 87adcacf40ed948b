package queue

// auditship.go: shipping the audit log to the registry. Each entry becomes a report
// job of its own, keyed by the entry's hash, queued in one transaction with the mark
// of how far the log was queued; the report job sends it as a FHIR AuditEvent created
// on the registry with a conditional create on that hash (fhirReporter), so that an
// entry is stored there once, however often a crash has it sent.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"certkiosk/backend/audit"
)

// AuditKeyPrefix opens the key of the report job that ships an audit entry; the rest
// is the entry's hash.
const AuditKeyPrefix = "audit-"

// ErrAuditDiverged: the audit log no longer continues the entries already queued for
// the registry — it was rewritten, cut short, or replaced by another. Nothing more is
// shipped until a person looks (the registry holds the entries shipped before).
var ErrAuditDiverged = errors.New("queue: the audit log does not continue the entries shipped")

// AuditShipped returns the last audit entry queued for the registry: {0, zero hash}
// before the first.
func (q *Queue) AuditShipped(ctx context.Context) (audit.Head, error) {
	return auditMark(ctx, q.rdb)
}

func auditMark(ctx context.Context, db queryRower) (audit.Head, error) {
	var seq int64
	var hash string
	err := db.QueryRowContext(ctx, "SELECT seq, hash FROM audit_shipped WHERE one = 1").Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return audit.Head{}, nil
	}
	if err != nil {
		return audit.Head{}, fmt.Errorf("queue: audit mark: %w", err)
	}
	h, err := audit.ParseHead(fmt.Sprintf("%d %s", seq, hash))
	if err != nil {
		return audit.Head{}, fmt.Errorf("queue: audit mark: %w", err)
	}
	return h, nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ShipAudit queues for the registry the entries of src after the last one queued
// before: one report job per entry, keyed AuditKeyPrefix + the entry's hash, due now,
// in one transaction with the new mark, so that a crash queues each entry once. It
// returns how many it queued. A log that no longer holds the last entry queued, as
// it was, or whose next entry does not follow it, is ErrAuditDiverged: it was cut
// short, rewritten or replaced; a log that fails verification is the audit
// package's *Fault.
// Workers with an Audit source call it while idle; a kiosk may call it after each
// append, to ship at once.
func (q *Queue) ShipAudit(ctx context.Context, src audit.Source) (int, error) {
	mark, err := q.AuditShipped(ctx)
	if err != nil {
		return 0, err
	}
	// From the last entry queued on, to see that the log still holds it.
	entries, err := src.Since(max(mark.Seq, 1) - 1)
	if err != nil {
		return 0, fmt.Errorf("queue: reading the audit log: %w", err)
	}
	if mark.Seq > 0 {
		if len(entries) == 0 || entries[0].Head() != mark {
			return 0, fmt.Errorf("%w: it no longer holds entry %s, the last shipped", ErrAuditDiverged, mark)
		}
		entries = entries[1:]
	}
	if len(entries) == 0 {
		return 0, nil
	}
	queued := 0
	err = q.write(ctx, func(tx *sql.Tx) error {
		queued = 0
		// Another worker may have queued some meanwhile.
		now, err := auditMark(ctx, tx)
		if err != nil {
			return err
		}
		for len(entries) > 0 && entries[0].Seq <= now.Seq {
			entries = entries[1:]
		}
		if len(entries) == 0 {
			return nil
		}
		if first := entries[0]; first.Seq != now.Seq+1 || first.Prev != now.Hash {
			return fmt.Errorf("%w: entry %d follows %d %s, the last shipped is %s",
				ErrAuditDiverged, first.Seq, first.Seq-1, first.Prev, now)
		}
		at := nanos(q.now())
		for _, e := range entries {
			n, err := q.addAuditJob(ctx, tx, e, at)
			if err != nil {
				return err
			}
			queued += n
		}
		last := entries[len(entries)-1]
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_shipped (one, seq, hash) VALUES (1, ?, ?)
			ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, int64(last.Seq), last.Hash.String())
		return err
	})
	if err != nil {
		if errors.Is(err, ErrAuditDiverged) {
			return 0, err
		}
		return 0, fmt.Errorf("queue: ship audit: %w", err)
	}
	return queued, nil
}

// addAuditJob adds the report job of entry e in tx, unless its key was added before;
// it returns how many it added.
func (q *Queue) addAuditJob(ctx context.Context, tx *sql.Tx, e audit.Entry, now int64) (int, error) {
	key := AuditKeyPrefix + e.Hash.String()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM job WHERE key = ?) + (SELECT count(*) FROM spent WHERE key = ?)`,
		key, key).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, nil
	}
	plain, err := json.Marshal(Report{Entry: &e, IssuedAt: e.Time})
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO job (key, kind, state, profile, next_at, created_at, updated_at)
		VALUES (?, 'report', 'pending', '', ?, ?, ?)`, key, now, now, now)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	return 1, q.putSealed(ctx, tx, id, key, plain)
}

// AuditSystem is the identifier system under which an audit entry is shipped: the
// value is the entry's hash. The AuditEvent names the entry as an entity with this
// identifier, and the conditional create searches entity:identifier.
const AuditSystem = "urn:certkiosk:audit-entry"

// The other systems of a shipped AuditEvent.
const (
	auditSubjectSystem = "urn:certkiosk:audit-subject" // the keyed hash of the person's identifier
	auditActionSystem  = "urn:certkiosk:audit-action"
	auditActorSystem   = "urn:certkiosk:actor"
	auditActorKinds    = "urn:certkiosk:actor-kind"
)

// fhirAuditEvent is the subset of a FHIR R4 AuditEvent the kiosk sends.
type fhirAuditEvent struct {
	ResourceType string            `json:"resourceType"`
	Type         fhirCoding        `json:"type"`
	Action       string            `json:"action"`
	Recorded     string            `json:"recorded"`
	Outcome      string            `json:"outcome"`
	Agent        []fhirAuditAgent  `json:"agent"`
	Source       fhirAuditSource   `json:"source"`
	Entity       []fhirAuditEntity `json:"entity"`
}

type fhirAuditAgent struct {
	Type      fhirConcept   `json:"type"`
	Who       fhirReference `json:"who"`
	Requestor bool          `json:"requestor"`
}

type fhirAuditSource struct {
	Site     string        `json:"site,omitempty"`
	Observer fhirReference `json:"observer"`
}

type fhirAuditEntity struct {
	What   fhirReference     `json:"what"`
	Type   *fhirCoding       `json:"type,omitempty"`
	Detail []fhirAuditDetail `json:"detail,omitempty"`
}

type fhirAuditDetail struct {
	Type              string `json:"type"`
	ValueString       string `json:"valueString,omitempty"`
	ValueBase64Binary []byte `json:"valueBase64Binary,omitempty"`
}

// auditEvent is e as an AuditEvent (FHIR R4 auditevent.html): the action as its
// type, the actor as its agent, the kiosk as its source, and the entry itself as an
// entity identified by its hash, with the entry's line (from which the registry can
// recompute the hash and the chain), its sequence number, the previous hash and its
// details. The person appears only as the entry's subject, the keyed hash.
func auditEvent(e audit.Entry, site string) (fhirAuditEvent, error) {
	line, err := e.MarshalJSON()
	if err != nil {
		return fhirAuditEvent{}, err
	}
	entry := fhirAuditEntity{
		What: fhirReference{Identifier: &fhirIdent{System: AuditSystem, Value: e.Hash.String()}},
		Type: &fhirCoding{System: "urn:certkiosk:entity-type", Code: "audit-entry"},
		Detail: []fhirAuditDetail{
			{Type: "seq", ValueString: fmt.Sprint(e.Seq)},
			{Type: "prev", ValueString: e.Prev.String()},
			{Type: "line", ValueBase64Binary: line},
		},
	}
	for _, k := range slices.Sorted(maps.Keys(e.Details)) {
		entry.Detail = append(entry.Detail, fhirAuditDetail{Type: k, ValueString: e.Details[k]})
	}
	ev := fhirAuditEvent{
		ResourceType: "AuditEvent",
		Type:         fhirCoding{System: auditActionSystem, Code: string(e.Action)},
		Action:       "E",
		Recorded:     e.Time.UTC().Format(time.RFC3339Nano),
		Outcome:      auditOutcome(e.Action),
		Agent: []fhirAuditAgent{{
			Type:      fhirConcept{Coding: []fhirCoding{{System: auditActorKinds, Code: string(e.Actor.Kind)}}},
			Who:       fhirReference{Identifier: &fhirIdent{System: auditActorSystem, Value: e.Actor.ID}},
			Requestor: e.Actor.Kind != audit.ActorSystem,
		}},
		Source: fhirAuditSource{Site: site, Observer: fhirReference{Display: "CertKiosk"}},
		Entity: []fhirAuditEntity{entry},
	}
	if strings.TrimSpace(e.Subject) != "" {
		ev.Entity = append(ev.Entity, fhirAuditEntity{
			What: fhirReference{Identifier: &fhirIdent{System: auditSubjectSystem, Value: e.Subject}},
		})
	}
	return ev, nil
}

// shipAudit queues the audit log's new entries when AuditEvery has passed since the
// last look; a failure is logged and tried again at the next look.
func (w *Worker) shipAudit(ctx context.Context) {
	if w.Audit == nil {
		return
	}
	every := w.AuditEvery
	if every <= 0 {
		every = DefaultAuditEvery
	}
	now := w.Queue.now()
	w.mu.Lock()
	due := w.shipped.IsZero() || now.Sub(w.shipped) >= every
	if due {
		w.shipped = now
	}
	w.mu.Unlock()
	if !due {
		return
	}
	n, err := w.Queue.ShipAudit(ctx, w.Audit)
	switch {
	case err != nil && ctx.Err() == nil:
		w.log().Error("queue: shipping the audit log", "err", err)
	case n > 0:
		w.log().Info("queue: audit entries queued for the registry", "entries", n)
	}
}

// auditOutcome is AuditEvent.outcome for an action (FHIR R4 valueset
// audit-event-outcome): 4, a minor failure, for what failed; 0, success, else.
func auditOutcome(a audit.Action) string {
	switch a {
	case audit.ActionPrintFailed, audit.ActionStaffLoginFailed, audit.ActionStaffLockedOut:
		return "4"
	}
	return "0"
}
