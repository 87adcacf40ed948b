package kiosk

import (
	"errors"
	"testing"
	"time"

	"certkiosk/backend/commission"
)

func TestCommissionPassThrough(t *testing.T) {
	app, _ := openDemo(t, "RU-KAM")
	unlock := func(id, pin string) {
		t.Helper()
		if err := app.StaffUnlock(id, pin); err != nil {
			t.Fatalf("StaffUnlock(%s): %v", id, err)
		}
	}
	application := commission.Application{System: "snils", Identifier: "112-233-445 95", Name: "Петрова Анна Сергеевна", BirthDate: "1957-09-02"}
	if _, err := app.CommissionApply(application); !errors.Is(err, ErrNoSession) {
		t.Fatalf("CommissionApply without staff = %v, want %v", err, ErrNoSession)
	}
	unlock("librarian", "481516")
	if _, err := app.CommissionApply(application); !errors.Is(err, Error("forbidden")) {
		t.Fatalf("CommissionApply as a librarian = %v, want forbidden", err)
	}
	unlock("clerk", "271828")
	c, err := app.CommissionApply(application)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.CommissionPrintStatement(c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := app.CommissionRecordPayment(c.ID, commission.Payment{ReceiptNumber: "000123", AmountMinor: 150000, Currency: "RUB"}); err != nil {
		t.Fatal(err)
	}
	sample := app.clock.Now().Add(-48 * time.Hour).Format(time.DateOnly)
	if _, err := app.CommissionEnterResult(c.ID, commission.LabResult{Test: "94504-8", Value: "74.2", Unit: "BAU/mL",
		ReferenceHigh: "7.1", Laboratory: "КДЛ Елизово", Date: sample}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.CommissionDecide(c.ID, "present"); !errors.Is(err, Error("forbidden")) {
		t.Fatalf("CommissionDecide as the clerk = %v, want forbidden", err)
	}
	unlock("member1", "314159")
	if _, err := app.CommissionDecide(c.ID, "present"); err != nil {
		t.Fatal(err)
	}
	if _, err := app.CommissionApprove(c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := app.CommissionApprove(c.ID); !errors.Is(err, Error("same-member")) {
		t.Fatalf("a second approval by the same member = %v, want same-member", err)
	}
	unlock("member2", "161803")
	if _, err := app.CommissionApprove(c.ID); err != nil {
		t.Fatal(err)
	}
	unlock("clerk", "271828")
	issued, err := app.CommissionIssue(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if issued.Stage != commission.StageIssued || issued.UVCI == "" {
		t.Fatalf("CommissionIssue = %+v, want issued with a UVCI", issued)
	}
	found, err := app.CommissionSearch(commission.Query{Text: "петрова"})
	if err != nil || len(found) != 1 {
		t.Fatalf("CommissionSearch = %v %v, want the case", found, err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(printedFiles(t, app)) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("printed %v, want the statement and the certificate", printedFiles(t, app))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestNoCommissionOutsideRUKAM(t *testing.T) {
	app, _ := openDemo(t, "EE")
	if _, err := app.CommissionSearch(commission.Query{}); !errors.Is(err, ErrNoCommission) {
		t.Errorf("CommissionSearch under EE = %v, want %v", err, ErrNoCommission)
	}
}
