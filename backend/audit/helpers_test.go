package audit

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// t0 is when the test clock starts.
var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// testClock advances one second and 1,234 nanoseconds per reading, so that times
// with a fraction are exercised.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *testClock { return &testClock{t: t0} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second + 1234)
	return c.t.In(time.FixedZone("EET", 2*60*60)) // Append must store UTC
}

// staticKey is a KeyStore with a fixed key.
type staticKey []byte

func (k staticKey) SubjectKey(context.Context) ([]byte, error) { return k, nil }

var testKey = staticKey(bytes.Repeat([]byte{0x5a}, KeySize))

// person is a test person: what must never reach the log is their identifier and name.
type person struct {
	given, family string
	id            Identifier
}

var people = []person{
	{"Mari", "Tamm", Identifier{"urn:ee:personal-code", "48801014221"}},
	{"Oleg", "Kuznetsov", Identifier{"urn:ru:snils", "11223344595"}},
	{"Aysel", "Mammadova", Identifier{"urn:az:fin", "5ZXK3T1"}},
	{"Ivan", "Petrov", Identifier{"urn:ru:oms", "7755330844000217"}},
}

// openTest opens a log in dir with the test clock and key.
func openTest(t testing.TB, dir string, clock *testClock) *Log {
	t.Helper()
	l, err := Open(context.Background(), dir, Options{Now: clock.Now, Keys: testKey})
	if err != nil {
		t.Fatalf("Open(%s) = %v", dir, err)
	}
	return l
}

// event returns the i-th of a varied stream of events, cycling through the actors,
// the actions and the test people.
func event(i int) Event {
	p := people[i%len(people)]
	session := Actor{ActorResidentSession, fmt.Sprintf("s-%04x", i/5)}
	switch i % 10 {
	case 0:
		return Event{Actor: session, Action: ActionIdentified, Person: p.id}
	case 1:
		return Event{Actor: session, Action: ActionFetched, Person: p.id, Details: map[string]string{DetailSource: "local"}}
	case 2:
		return Event{Actor: session, Action: ActionIssued, Person: p.id, Details: map[string]string{
			DetailUVCI: fmt.Sprintf("URN:UVCI:01:EE:%08X#%c", i*7919, 'A'+i%26), DetailKind: "vaccination"}}
	case 3:
		return Event{Actor: Actor{ActorSystem, "printing"}, Action: ActionPrinted, Details: map[string]string{
			DetailPrinter: "lobby-ipp", DetailJob: fmt.Sprintf("job-%d", i)}}
	case 4:
		return Event{Actor: session, Action: ActionRefused, Person: p.id, Details: map[string]string{DetailReason: "first-component-only"}}
	case 5:
		return Event{Actor: Actor{ActorLibrarian, "L-0042"}, Action: ActionStaffLogin}
	case 6:
		return Event{Actor: Actor{ActorLibrarian, "L-0042"}, Action: ActionReprinted, Person: p.id, Details: map[string]string{
			DetailUVCI: "URN:UVCI:01:EE:ABC<&>123#Q", DetailJob: fmt.Sprintf("job-%d", i)}}
	case 7:
		return Event{Actor: Actor{ActorClerk, "C-7"}, Action: ActionReleased, Person: p.id}
	case 8:
		return Event{Actor: Actor{ActorCommissionMember, "K-3"}, Action: ActionStaffLoginFailed}
	default:
		return Event{Actor: Actor{ActorSystem, "config"}, Action: ActionConfigurationChanged, Details: map[string]string{DetailSetting: "printer.default"}}
	}
}

// writeLog appends n events to a new log and returns its folder and the entries.
func writeLog(t testing.TB, n int) (string, []Entry) {
	t.Helper()
	dir := t.TempDir()
	l := openTest(t, dir, newClock())
	defer l.Close()
	entries := make([]Entry, 0, n)
	for i := range n {
		e, err := l.Append(event(i))
		if err != nil {
			t.Fatalf("Append(event %d) = %v", i, err)
		}
		entries = append(entries, e)
	}
	return dir, entries
}

func readLog(t testing.TB, dir string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, LogName))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// splitLines splits a log into its lines, each with its newline.
func splitLines(data []byte) [][]byte {
	ls := bytes.SplitAfter(data, []byte("\n"))
	if len(ls) > 0 && len(ls[len(ls)-1]) == 0 {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// line returns the line of e, as Append writes it.
func line(t testing.TB, e Entry) []byte {
	t.Helper()
	b, err := e.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}
