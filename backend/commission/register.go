package commission

// register.go: reading cases back — one case, and the search over the register
// (by name after unsealing, by UVCI, by the identifier's keyed hash, by stage and by
// the date of issue).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"certkiosk/backend/identity"
)

// caseColumns are the columns scanCase reads, in its order.
const caseColumns = `id, stage, person, applied_at, receipt, amount_minor, currency, result,
	decision, decided_by, uvci, issued_at`

// queryer is a transaction or the database.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type scanner interface{ Scan(dest ...any) error }

// stored is a case row as read, its sealed columns opened.
type stored struct {
	row    int64
	person person
	result *LabResult
	view   Case
}

func (s *Service) scanCase(r scanner) (stored, error) {
	var (
		c                               stored
		sealedPerson, sealedResult      []byte
		receipt, currency, decision, by sql.NullString
		uvci                            sql.NullString
		amount, issued                  sql.NullInt64
		applied                         int64
	)
	err := r.Scan(&c.row, &c.view.Stage, &sealedPerson, &applied, &receipt, &amount, &currency, &sealedResult,
		&decision, &by, &uvci, &issued)
	if err != nil {
		return c, err
	}
	plain, err := s.openColumn(c.row, "person", sealedPerson)
	if err != nil {
		return c, fmt.Errorf("%w: case %s", err, caseID(c.row))
	}
	err = json.Unmarshal(plain, &c.person)
	clear(plain)
	if err != nil {
		return c, fmt.Errorf("commission: case %s: %w", caseID(c.row), err)
	}
	if sealedResult != nil {
		plain, err := s.openColumn(c.row, "result", sealedResult)
		if err != nil {
			return c, fmt.Errorf("%w: case %s", err, caseID(c.row))
		}
		c.result = new(LabResult)
		if err := json.Unmarshal(plain, c.result); err != nil {
			return c, fmt.Errorf("commission: case %s: %w", caseID(c.row), err)
		}
	}
	v := &c.view
	v.ID, v.Name, v.BirthDate = caseID(c.row), c.person.Name, c.person.BirthDate
	v.System, v.Identifier = shortSystem(c.person.System), mask(c.person.Identifier)
	v.AppliedAt = time.Unix(0, applied).UTC()
	if receipt.Valid {
		v.Payment = &Payment{ReceiptNumber: receipt.String, AmountMinor: amount.Int64, Currency: currency.String}
	}
	v.Result = c.result
	v.Decision, v.DecidedBy, v.UVCI = Decision(decision.String), by.String, uvci.String
	if issued.Valid {
		v.IssuedAt = time.Unix(0, issued.Int64).UTC()
	}
	v.ApprovedBy = []string{}
	return c, nil
}

// approvers fills in who approved each case, in order.
func approvers(ctx context.Context, q queryer, cases []stored) error {
	for i := range cases {
		rows, err := q.QueryContext(ctx, `SELECT member FROM approvals WHERE case_id = ? ORDER BY at, member`, cases[i].row)
		if err != nil {
			return err
		}
		for rows.Next() {
			var m string
			if err := rows.Scan(&m); err != nil {
				rows.Close()
				return err
			}
			cases[i].view.ApprovedBy = append(cases[i].view.ApprovedBy, m)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		cases[i].view.Approvals = len(cases[i].view.ApprovedBy)
	}
	return nil
}

// load reads the case in row, approvals included.
func (s *Service) load(ctx context.Context, q queryer, row int64) (stored, error) {
	c, err := s.scanCase(q.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = ?`, row))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("%w: %s", ErrNotFound, caseID(row))
	}
	if err != nil {
		return c, err
	}
	one := []stored{c}
	if err := approvers(ctx, q, one); err != nil {
		return c, err
	}
	return one[0], nil
}

func (s *Service) caseByRow(ctx context.Context, row int64) (Case, error) {
	c, err := s.load(ctx, s.st.db, row)
	if err != nil {
		return Case{}, wrap("read", err)
	}
	return c.view, nil
}

// Case returns one case (clerk or commission member).
func (s *Service) Case(ctx context.Context, actor Actor, id string) (Case, error) {
	if err := actor.may(StepRead); err != nil {
		return Case{}, err
	}
	row, ok := parseCaseID(id)
	if !ok {
		return Case{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	return s.caseByRow(ctx, row)
}

// Search returns the cases q selects, oldest first (clerk or commission member).
// With Stage issued it reads the register of certificates issued. The name is
// matched after unsealing, so a search by name opens every case the other fields
// let through.
func (s *Service) Search(ctx context.Context, actor Actor, q Query) ([]Case, error) {
	if err := actor.may(StepRead); err != nil {
		return nil, err
	}
	where, args, err := s.filter(q)
	if err != nil {
		return nil, err
	}
	rows, err := s.st.db.QueryContext(ctx, `SELECT `+caseColumns+` FROM cases`+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, wrap("search", err)
	}
	typed := strings.TrimSpace(q.Text)
	text := fold(clean(typed))
	var found []stored
	for rows.Next() {
		c, err := s.scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, wrap("search", err)
		}
		if text == "" || strings.Contains(fold(c.person.Name), text) || strings.EqualFold(c.view.UVCI, typed) ||
			strings.EqualFold(c.view.ID, typed) {
			found = append(found, c)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, wrap("search", err)
	}
	if err := approvers(ctx, s.st.db, found); err != nil {
		return nil, wrap("search", err)
	}
	out := make([]Case, len(found))
	for i, c := range found {
		out[i] = c.view
	}
	return out, nil
}

// filter turns the fields of q that the database can match into a WHERE clause.
func (s *Service) filter(q Query) (string, []any, error) {
	var conds []string
	var args []any
	if q.Stage != "" {
		if !q.Stage.Known() {
			return "", nil, invalid("stage %q", q.Stage)
		}
		conds, args = append(conds, "stage = ?"), append(args, q.Stage)
	}
	if q.System != "" || q.Identifier != "" {
		urn, ok := systemURN(q.System)
		if !ok {
			return "", nil, fmt.Errorf("commission: %w: system %q", identity.ErrInvalidIdentifier, q.System)
		}
		v, err := identity.Normalize(urn, q.Identifier)
		if err != nil {
			return "", nil, fmt.Errorf("commission: %w", err)
		}
		conds, args = append(conds, "subject = ?"), append(args, s.subject(urn, v))
	}
	for _, bound := range []struct {
		date, cond string
		days       int
	}{{q.IssuedFrom, "issued_at >= ?", 0}, {q.IssuedTo, "issued_at < ?", 1}} {
		if bound.date == "" {
			continue
		}
		d, err := time.ParseInLocation(time.DateOnly, bound.date, s.location())
		if err != nil {
			return "", nil, invalid("date %q is not YYYY-MM-DD", bound.date)
		}
		conds, args = append(conds, bound.cond), append(args, d.AddDate(0, 0, bound.days).UnixNano())
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// fold makes names compare as people read them: letter case ignored, ё read as е.
func fold(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "ё", "е")
}
