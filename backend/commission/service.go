package commission

// service.go: the Service — opening the register, and each step of the workflow as
// one transaction: checked role, checked stage, the change, then its audit entry.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/certpdf"
	"certkiosk/backend/rules"
	"certkiosk/backend/seal"
	"certkiosk/backend/signer"
	"certkiosk/backend/staff"
)

// Recorder records steps in the audit log; *audit.Log is one.
type Recorder interface {
	Append(ev audit.Event) (audit.Entry, error)
}

var _ Recorder = (*audit.Log)(nil)

// Profile is the jurisdiction profile whose service the commission is.
const Profile = "RU-KAM"

// DefaultValidMonths is how long a certificate is valid, counted from the day of
// the sample, when Options leave it zero.
const DefaultValidMonths = 6

// Options configure a Service. Zero fields take their defaults.
type Options struct {
	// Profile gives the country, the issuer as printed and in the certificate, the
	// UVCI's issuer part, the verification address and the time zone; nil loads the
	// shipped RU-KAM profile. A profile with another code is refused.
	Profile *rules.Profile
	// Issuer signs the certificates. Without one, Issue fails and every other step
	// works.
	Issuer *signer.Issuer
	// Renderer sets the statement and the certificate. Without one, PrintStatement
	// and Issue fail and every other step works.
	Renderer *certpdf.Renderer
	// Recorder receives the audit entries; nil records nothing.
	Recorder Recorder
	// Keys holds the register's key; nil: the file commission.key in the data
	// folder.
	Keys KeyStore
	// Commission names the commission on the statement ("To the antibody
	// commission: …"); empty names none.
	Commission string
	// ValidMonths is how long a certificate is valid from the day of the sample;
	// zero: DefaultValidMonths.
	ValidMonths int
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// Rand gives nonces and the UVCIs' random part; nil: crypto/rand.
	Rand io.Reader
}

// Service runs the antibody commission's cases and keeps their register. It is
// safe for concurrent use.
type Service struct {
	st     *store
	sealer *seal.Sealer
	opts   Options
}

// Open opens the register in the data folder dataDir (commission.sqlite, and the key
// file commission.key unless Options name another key store), creating both on
// first use.
func Open(ctx context.Context, dataDir string, o Options) (*Service, error) {
	if o.Profile == nil {
		p, err := rules.Load(Profile)
		if err != nil {
			return nil, fmt.Errorf("commission: %w", err)
		}
		o.Profile = p
	}
	if o.Profile.Code != Profile {
		// The forms and the national-only marking speak of Kamchatka Krai.
		return nil, fmt.Errorf("%w: the antibody commission is a service of profile %s, not %s", ErrInvalid, Profile, o.Profile.Code)
	}
	if o.Keys == nil {
		o.Keys = fileKeys(dataDir)
	}
	if o.ValidMonths == 0 {
		o.ValidMonths = DefaultValidMonths
	}
	if o.ValidMonths < 0 {
		return nil, fmt.Errorf("%w: ValidMonths %d", ErrInvalid, o.ValidMonths)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	master, err := o.Keys.SubjectKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("commission: key: %w", err)
	}
	sealer, err := newSealer(master, o.Rand)
	clear(master)
	if err != nil {
		return nil, err
	}
	st, err := openStore(ctx, filepath.Join(dataDir, FileName))
	if err != nil {
		return nil, err
	}
	return &Service{st: st, sealer: sealer, opts: o}, nil
}

// Close closes the register.
func (s *Service) Close() error { return s.st.close() }

func (s *Service) now() time.Time { return s.opts.Now() }

// person is what the person column seals.
type person struct {
	System     string `json:"system"` // the registry's system (urn:ru:snils, urn:ru:oms)
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
	BirthDate  string `json:"birthDate"`
}

// Apply opens a case for an applicant (clerk). The identifier is checked and
// normalised, the name must be printable in a certificate, and an applicant with a
// case not yet issued gets ErrOpenCase. The case comes back at stage applied; its
// statement is then printed with PrintStatement.
func (s *Service) Apply(ctx context.Context, actor Actor, a Application) (Case, error) {
	if err := actor.may(StepApply); err != nil {
		return Case{}, err
	}
	p, err := s.checkApplication(a)
	if err != nil {
		return Case{}, err
	}
	subject := s.subject(p.System, p.Identifier)
	plain, err := json.Marshal(p)
	if err != nil {
		return Case{}, fmt.Errorf("commission: %w", err)
	}
	now := s.now()
	var row int64
	err = s.st.write(ctx, func(tx *sql.Tx) error {
		var open int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM cases WHERE subject = ? AND stage != ?`, subject, StageIssued).Scan(&open)
		if err == nil {
			return fmt.Errorf("%w: %s", ErrOpenCase, caseID(open))
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// The row's id is part of what its sealed values are bound to, so the row
		// is made first and sealed into in the same transaction.
		res, err := tx.ExecContext(ctx, `INSERT INTO cases (stage, subject, person, applied_by, applied_at)
			VALUES (?, ?, x'', ?, ?)`, StageApplied, subject, actor.StaffID, now.UnixNano())
		if err != nil {
			return err
		}
		if row, err = res.LastInsertId(); err != nil {
			return err
		}
		sealed, err := s.sealColumn(row, "person", plain)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE cases SET person = ? WHERE id = ?`, sealed, row)
		return err
	})
	clear(plain)
	if err != nil {
		return Case{}, wrap("apply", err)
	}
	c, err := s.caseByRow(ctx, row)
	if err != nil {
		return Case{}, err
	}
	// The case stands even when its audit entry fails: it comes back with the error.
	return c, s.record(actor, StepApply, audit.ActionIdentified, p, nil)
}

// RecordPayment records the payment for a case at stage applied (clerk): the
// receipt's number, the amount in minor units, and the currency, RUB.
func (s *Service) RecordPayment(ctx context.Context, actor Actor, id, receiptNumber string, amountMinor int64, currency string) (Case, error) {
	if err := actor.may(StepPayment); err != nil {
		return Case{}, err
	}
	pay, err := checkPayment(Payment{ReceiptNumber: receiptNumber, AmountMinor: amountMinor, Currency: currency})
	if err != nil {
		return Case{}, err
	}
	return s.step(ctx, actor, id, StepPayment, func(tx *sql.Tx, row int64, now time.Time) error {
		_, err := tx.ExecContext(ctx, `UPDATE cases SET stage = ?, receipt = ?, amount_minor = ?, currency = ?,
			paid_by = ?, paid_at = ? WHERE id = ?`, StagePaid, pay.ReceiptNumber, pay.AmountMinor, pay.Currency,
			actor.StaffID, now.UnixNano(), row)
		return err
	})
}

// EnterResult enters the laboratory's result for a paid case (clerk). A result
// already too old to give a valid certificate is refused (ErrResultTooOld).
func (s *Service) EnterResult(ctx context.Context, actor Actor, id string, r LabResult) (Case, error) {
	if err := actor.may(StepResult); err != nil {
		return Case{}, err
	}
	r, err := s.checkResult(r)
	if err != nil {
		return Case{}, err
	}
	plain, err := json.Marshal(r)
	if err != nil {
		return Case{}, fmt.Errorf("commission: %w", err)
	}
	return s.step(ctx, actor, id, StepResult, func(tx *sql.Tx, row int64, now time.Time) error {
		sealed, err := s.sealColumn(row, "result", plain)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE cases SET stage = ?, result = ?, result_by = ?, result_at = ? WHERE id = ?`,
			StageResult, sealed, actor.StaffID, now.UnixNano(), row)
		return err
	})
}

// Decide records the commission's decision on a case with a lab result
// (commission member): antibodies present or absent. The decision then needs the
// approval of two different members, who may include the one who decided.
func (s *Service) Decide(ctx context.Context, actor Actor, id string, d Decision) (Case, error) {
	if err := actor.may(StepDecide); err != nil {
		return Case{}, err
	}
	if d != DecisionPresent && d != DecisionAbsent {
		return Case{}, fmt.Errorf("%w: decision %q, want %s or %s", ErrInvalid, d, DecisionPresent, DecisionAbsent)
	}
	return s.step(ctx, actor, id, StepDecide, func(tx *sql.Tx, row int64, now time.Time) error {
		_, err := tx.ExecContext(ctx, `UPDATE cases SET stage = ?, decision = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
			StageDecided, d, actor.StaffID, now.UnixNano(), row)
		return err
	})
}

// Approve records a member's approval of the decision (commission member). The
// second approval by a different member moves the case to approved; a member who
// approved it already gets ErrSameMember.
func (s *Service) Approve(ctx context.Context, actor Actor, id string) (Case, error) {
	if err := actor.may(StepApprove); err != nil {
		return Case{}, err
	}
	return s.step(ctx, actor, id, StepApprove, func(tx *sql.Tx, row int64, now time.Time) error {
		var n, mine int
		err := tx.QueryRowContext(ctx, `SELECT count(*), count(CASE WHEN member = ? THEN 1 END) FROM approvals WHERE case_id = ?`,
			actor.StaffID, row).Scan(&n, &mine)
		if err != nil {
			return err
		}
		if mine > 0 {
			return fmt.Errorf("%w: %s approved case %s", ErrSameMember, actor.StaffID, caseID(row))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO approvals (case_id, member, at) VALUES (?, ?, ?)`,
			row, actor.StaffID, now.UnixNano()); err != nil {
			return err
		}
		if n+1 < requiredApprovals {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE cases SET stage = ?, approved_at = ? WHERE id = ?`, StageApproved, now.UnixNano(), row)
		return err
	})
}

// requiredApprovals is how many different members approve a decision.
const requiredApprovals = 2

// step takes a step on the case id in one transaction: the case must exist and be
// at the stage the step follows; change makes the step's change.
func (s *Service) step(ctx context.Context, actor Actor, id string, step Step, change func(tx *sql.Tx, row int64, now time.Time) error) (Case, error) {
	row, ok := parseCaseID(id)
	if !ok {
		return Case{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	now := s.now()
	err := s.st.write(ctx, func(tx *sql.Tx) error {
		if err := checkStage(ctx, tx, row, step); err != nil {
			return err
		}
		return change(tx, row, now)
	})
	if err != nil {
		return Case{}, wrap(string(step), err)
	}
	return s.caseByRow(ctx, row)
}

// checkStage reports a case that does not exist or is not at the stage step
// follows.
func checkStage(ctx context.Context, tx *sql.Tx, row int64, step Step) error {
	var stage Stage
	err := tx.QueryRowContext(ctx, `SELECT stage FROM cases WHERE id = ?`, row).Scan(&stage)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %s", ErrNotFound, caseID(row))
	}
	if err != nil {
		return err
	}
	if want := step.follows(); want != "" && stage != want {
		return &StageError{Case: caseID(row), Step: step, Stage: stage, Want: want}
	}
	return nil
}

// wrap gives a database failure the package's prefix; the package's own errors
// pass unchanged.
func wrap(what string, err error) error {
	for _, known := range []error{ErrNotFound, ErrOutOfOrder, ErrSameMember, ErrOpenCase, ErrInvalid, ErrResultTooOld, ErrSealed} {
		if errors.Is(err, known) {
			return err
		}
	}
	return fmt.Errorf("commission: %s: %w", what, err)
}

// record appends a step's audit entry, when there is a recorder and the audit log
// has an action for the step (see the package doc).
func (s *Service) record(actor Actor, step Step, action audit.Action, p person, details map[string]string) error {
	if s.opts.Recorder == nil {
		return nil
	}
	kind := audit.ActorClerk
	if actor.role(step) == staff.RoleCommissionMember {
		kind = audit.ActorCommissionMember
	}
	d := map[string]string{audit.DetailKind: "antibody"}
	for k, v := range details {
		d[k] = v
	}
	_, err := s.opts.Recorder.Append(audit.Event{
		Actor:   audit.Actor{Kind: kind, ID: actor.StaffID},
		Action:  action,
		Person:  audit.Identifier{System: p.System, Value: p.Identifier},
		Details: d,
	})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrAudit, err)
	}
	return nil
}
