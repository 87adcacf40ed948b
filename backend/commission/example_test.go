package commission_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"certkiosk/backend/commission"
	"certkiosk/backend/staff"
)

// Example takes a case to the commission's decision and reads it back from the
// register. Issuing it needs Options.Issuer and Options.Renderer too.
func Example() {
	dir, err := os.MkdirTemp("", "commission")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC) }
	svc, err := commission.Open(ctx, dir, commission.Options{Now: now})
	if err != nil {
		panic(err)
	}
	defer svc.Close()

	clerk := commission.Actor{StaffID: "clerk", Roles: []staff.Role{staff.RoleClerk}}
	member := commission.Actor{StaffID: "member1", Roles: []staff.Role{staff.RoleCommissionMember}}
	c, err := svc.Apply(ctx, clerk, commission.Application{
		System: "snils", Identifier: "112-233-445 95", Name: "Петрова Анна Сергеевна", BirthDate: "1957-09-02"})
	if err != nil {
		panic(err)
	}
	if _, err := svc.RecordPayment(ctx, clerk, c.ID, "000123", 150000, "RUB"); err != nil {
		panic(err)
	}
	if _, err := svc.Decide(ctx, member, c.ID, commission.DecisionPresent); err != nil {
		fmt.Println(commission.Code(err)+":", err)
	}
	if _, err := svc.EnterResult(ctx, clerk, c.ID, commission.LabResult{Test: "94504-8", Value: "74.2", Unit: "BAU/mL",
		ReferenceHigh: "7.1", Laboratory: "КДЛ Елизово", Date: "2026-11-18"}); err != nil {
		panic(err)
	}
	if _, err := svc.Decide(ctx, member, c.ID, commission.DecisionPresent); err != nil {
		panic(err)
	}
	found, err := svc.Search(ctx, member, commission.Query{Text: "петрова"})
	if err != nil {
		panic(err)
	}
	for _, c := range found {
		fmt.Println(c.ID, c.Name, c.Stage, c.Decision, c.Approvals)
	}
	// Output:
	// out-of-order: commission: case AK000001 is at stage paid; the decision comes at stage result
	// AK000001 Петрова Анна Сергеевна decided present 0
}
