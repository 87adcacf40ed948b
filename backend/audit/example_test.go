package audit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"certkiosk/backend/audit"
)

func Example() {
	dir, err := os.MkdirTemp("", "audit-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	clock := func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }

	l, err := audit.Open(context.Background(), dir, audit.Options{Now: clock})
	if err != nil {
		log.Fatal(err)
	}
	session := audit.Actor{Kind: audit.ActorResidentSession, ID: "s-7f3a"}
	person := audit.Identifier{System: "urn:ee:personal-code", Value: "48801014221"}
	for _, ev := range []audit.Event{
		{Actor: session, Action: audit.ActionIdentified, Person: person},
		{Actor: session, Action: audit.ActionIssued, Person: person,
			Details: map[string]string{audit.DetailUVCI: "URN:UVCI:01:EE:8F2K1#M", audit.DetailKind: "vaccination"}},
		{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "printing"}, Action: audit.ActionPrinted,
			Details: map[string]string{audit.DetailPrinter: "lobby", audit.DetailJob: "j-19"}},
	} {
		if _, err := l.Append(ev); err != nil {
			log.Fatal(err)
		}
	}
	head := l.Head() // ship it with the entries, to anchor the log
	l.Close()

	rep, err := audit.VerifyDir(dir)
	fmt.Println(rep.Entries, "entries,", err, rep.Head == head)

	// Someone removes the entry of the printed certificate.
	data, _ := os.ReadFile(filepath.Join(dir, audit.LogName))
	lines := bytes.SplitAfter(data, []byte("\n"))
	os.WriteFile(filepath.Join(dir, audit.LogName), bytes.Join(lines[:2], nil), 0o600)

	_, err = audit.VerifyDir(dir)
	var fault *audit.Fault
	if errors.As(err, &fault) && errors.Is(err, audit.ErrMissing) {
		fmt.Println("line", fault.Line, "entry", fault.Seq, "missing")
	}
	// Output:
	// 3 entries, <nil> true
	// line 3 entry 3 missing
}
