package staff_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"certkiosk/backend/audit"
	"certkiosk/backend/staff"
)

// A librarian logs in, reprints, and is refused a configuration change; every login is
// in the audit log.
func Example() {
	ctx := context.Background()
	dataDir, err := os.MkdirTemp("", "staff-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dataDir)

	store, err := staff.OpenStore(dataDir, staff.StoreOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = store.Add(staff.Account{ID: "anna.k", Name: "Anna Kask", Roles: []staff.Role{staff.RoleLibrarian}}, []byte("482916"))
	if err != nil {
		fmt.Println(err)
		return
	}
	log, err := audit.Open(ctx, dataDir, audit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer log.Close()
	auth, err := staff.NewAuthenticator(store, staff.AuthOptions{Recorder: log, Kiosk: "library-3"})
	if err != nil {
		fmt.Println(err)
		return
	}

	pin := []byte("482916") // as typed on the PIN pad
	s, err := auth.Login(ctx, "anna.k", pin)
	clear(pin)
	if err != nil {
		fmt.Println(err)
		return
	}
	actor, err := auth.Authorize(s.ID, staff.ActionReprint)
	fmt.Println("reprint:", actor.Kind, actor.ID, err)
	_, err = auth.Authorize(s.ID, staff.ActionConfigure)
	fmt.Println("configure refused:", errors.Is(err, staff.ErrForbidden))

	_, err = auth.Login(ctx, "anna.k", []byte("000000"))
	fmt.Println(err)
	fmt.Println(auth.Logout(s.ID))
	// Output:
	// reprint: librarian anna.k <nil>
	// configure refused: true
	// staff: wrong staff id or PIN
	// <nil>
}
