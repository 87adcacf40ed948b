// commission.go: the antibody commission of the RU-KAM profile, passed through to
// package commission for the clerk and the commission members. The commission
// checks the roles of each step itself; the façade checks that a staff member is
// unlocked and prints what the steps render through the queue.

package kiosk

import (
	"context"
	"errors"

	"certkiosk/backend/commission"
	"certkiosk/backend/queue"
)

// ErrNoCommission: the kiosk's profile has no antibody commission.
const ErrNoCommission Error = "no-commission"

// commissionActor is the unlocked staff member as the commission sees them.
func (a *App) commissionActor() (commission.Actor, error) {
	if a.svc == nil {
		return commission.Actor{}, ErrNotReady
	}
	if a.svc.commission == nil {
		return commission.Actor{}, ErrNoCommission
	}
	a.mu.Lock()
	a.touchLocked()
	sess := a.staffSess
	a.mu.Unlock()
	if sess == nil {
		return commission.Actor{}, ErrNoSession
	}
	s, err := a.svc.auth.Touch(sess.ID)
	if err != nil {
		a.mu.Lock()
		if a.staffSess == sess {
			a.lockStaffLocked()
			a.commitLocked()
		}
		a.mu.Unlock()
		return commission.Actor{}, ErrNoSession
	}
	return commission.ActorOf(s), nil
}

// commissionError is the commission's error as a code for the frontend.
func commissionError(err error) error {
	if err == nil {
		return nil
	}
	var e Error
	if errors.As(err, &e) {
		return e
	}
	return Error(commission.Code(err))
}

// commissionStep runs one step of a case for the unlocked staff member.
func (a *App) commissionStep(step func(ctx context.Context, s *commission.Service, actor commission.Actor) (commission.Case, error)) (commission.Case, error) {
	actor, err := a.commissionActor()
	if err != nil {
		return commission.Case{}, err
	}
	c, err := step(context.Background(), a.svc.commission, actor)
	if err != nil && !errors.Is(err, commission.ErrAudit) {
		return commission.Case{}, commissionError(err)
	}
	return c, commissionError(err)
}

// CommissionApply opens a case for an applicant at the desk (clerk).
func (a *App) CommissionApply(application commission.Application) (commission.Case, error) {
	return a.commissionStep(func(ctx context.Context, s *commission.Service, actor commission.Actor) (commission.Case, error) {
		return s.Apply(ctx, actor, application)
	})
}

// CommissionRecordPayment records the cashier's receipt for a case (clerk).
func (a *App) CommissionRecordPayment(id string, p commission.Payment) (commission.Case, error) {
	return a.commissionStep(func(ctx context.Context, s *commission.Service, actor commission.Actor) (commission.Case, error) {
		return s.RecordPayment(ctx, actor, id, p.ReceiptNumber, p.AmountMinor, p.Currency)
	})
}

// CommissionEnterResult enters the laboratory's result of a case (clerk).
func (a *App) CommissionEnterResult(id string, r commission.LabResult) (commission.Case, error) {
	return a.commissionStep(func(ctx context.Context, s *commission.Service, actor commission.Actor) (commission.Case, error) {
		return s.EnterResult(ctx, actor, id, r)
	})
}

// CommissionDecide records the commission's finding, "present" or "absent"
// (commission member).
func (a *App) CommissionDecide(id, decision string) (commission.Case, error) {
	return a.commissionStep(func(ctx context.Context, s *commission.Service, actor commission.Actor) (commission.Case, error) {
		return s.Decide(ctx, actor, id, commission.Decision(decision))
	})
}

// CommissionApprove approves the decision of a case (commission member; two are
// needed).
func (a *App) CommissionApprove(id string) (commission.Case, error) {
	return a.commissionStep(func(ctx context.Context, s *commission.Service, actor commission.Actor) (commission.Case, error) {
		return s.Approve(ctx, actor, id)
	})
}

// CommissionCase returns one case.
func (a *App) CommissionCase(id string) (commission.Case, error) {
	return a.commissionStep(func(ctx context.Context, s *commission.Service, actor commission.Actor) (commission.Case, error) {
		return s.Case(ctx, actor, id)
	})
}

// CommissionSearch searches the cases and the register.
func (a *App) CommissionSearch(q commission.Query) ([]commission.Case, error) {
	actor, err := a.commissionActor()
	if err != nil {
		return nil, err
	}
	cases, err := a.svc.commission.Search(context.Background(), actor, q)
	if err != nil {
		return nil, commissionError(err)
	}
	if cases == nil {
		cases = []commission.Case{}
	}
	return cases, nil
}

// CommissionPrintStatement prints a case's statement for the applicant to sign
// (clerk); it returns the print job's id.
func (a *App) CommissionPrintStatement(id string) (string, error) {
	actor, err := a.commissionActor()
	if err != nil {
		return "", err
	}
	pdf, err := a.svc.commission.PrintStatement(context.Background(), actor, id)
	if err != nil {
		return "", commissionError(err)
	}
	return a.printDocument(queue.DocStatement, pdf)
}

// CommissionIssue signs the certificate of an approved case and prints it (clerk).
func (a *App) CommissionIssue(id string) (commission.Case, error) {
	actor, err := a.commissionActor()
	if err != nil {
		return commission.Case{}, err
	}
	issued, err := a.svc.commission.Issue(context.Background(), actor, id)
	if err != nil && !errors.Is(err, commission.ErrAudit) {
		return commission.Case{}, commissionError(err)
	}
	if _, perr := a.printDocument(queue.DocCertificate, issued.PDF); perr != nil {
		return issued.Case, perr
	}
	return issued.Case, commissionError(err)
}

// CommissionReprint prints the certificate of an issued case again, marked COPY
// (clerk).
func (a *App) CommissionReprint(id string) (string, error) {
	actor, err := a.commissionActor()
	if err != nil {
		return "", err
	}
	pdf, err := a.svc.commission.Reprint(context.Background(), actor, id)
	if err != nil {
		return "", commissionError(err)
	}
	return a.printDocument(queue.DocCertificate, pdf)
}

// printDocument queues one PDF on the kiosk's printer and returns its job's id.
func (a *App) printDocument(doc queue.Document, pdf []byte) (string, error) {
	j, err := a.svc.queue.AddPrint(context.Background(), queue.NewKey(), a.svc.profile.Code, "", doc, pdf)
	if err != nil {
		a.log.Error("kiosk: queueing a document failed", "err", err)
		return "", ErrInternal
	}
	return jobID(j.ID), nil
}
