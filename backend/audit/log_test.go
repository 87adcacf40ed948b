package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAppendStampsEntries(t *testing.T) {
	dir := t.TempDir()
	clock := newClock()
	l := openTest(t, dir, clock)
	defer l.Close()
	details := map[string]string{DetailUVCI: "URN:UVCI:01:EE:1234#A", DetailKind: "vaccination"}
	ev := Event{Actor: Actor{ActorResidentSession, "s-1"}, Action: ActionIssued, Person: people[0].id, Details: details}
	e1, err := l.Append(ev)
	if err != nil {
		t.Fatalf("Append = %v", err)
	}
	details[DetailUVCI] = "changed after the call"
	wantSubject, _ := SubjectOf(testKey, people[0].id)
	if e1.Seq != 1 || e1.Prev != (Hash{}) || e1.Subject != wantSubject || e1.Details[DetailUVCI] != "URN:UVCI:01:EE:1234#A" {
		t.Errorf("first entry = %+v, want seq 1, zero prev, subject %s, the details as given", e1, wantSubject)
	}
	if want := t0.Add(time.Second + 1234); !e1.Time.Equal(want) || e1.Time.Location() != time.UTC {
		t.Errorf("first entry time = %v, want %v in UTC", e1.Time, want)
	}
	if e1.Hash != e1.ComputeHash() {
		t.Errorf("first entry hash = %v, want %v", e1.Hash, e1.ComputeHash())
	}
	e2, err := l.Append(Event{Actor: Actor{ActorLibrarian, "L-1"}, Action: ActionStaffLogin})
	if err != nil {
		t.Fatalf("Append = %v", err)
	}
	if e2.Seq != 2 || e2.Prev != e1.Hash || e2.Subject != "" || e2.Details != nil {
		t.Errorf("second entry = %+v, want seq 2 after %v, no subject, no details", e2, e1.Hash)
	}
	if got := l.Head(); got != e2.Head() {
		t.Errorf("Head() = %v, want %v", got, e2.Head())
	}
	want := append(line(t, e1), line(t, e2)...)
	if got := readLog(t, dir); !bytes.Equal(got, want) {
		t.Errorf("log file = %s, want %s", got, want)
	}
	head, err := os.ReadFile(filepath.Join(dir, HeadName))
	if err != nil || string(head) != e2.Head().String()+"\n" {
		t.Errorf("head file = %q, %v, want %q", head, err, e2.Head().String()+"\n")
	}
}

func TestAppendRefusesEvents(t *testing.T) {
	mari := people[0].id
	session := Actor{ActorResidentSession, "s-1"}
	tests := []struct {
		name string
		ev   Event
		want error
	}{
		{"unknown actor kind", Event{Actor: Actor{"visitor", "v-1"}, Action: ActionIdentified}, ErrInvalid},
		{"no actor id", Event{Actor: Actor{ActorClerk, ""}, Action: ActionStaffLogin}, ErrInvalid},
		{"name as actor id", Event{Actor: Actor{ActorClerk, "Mari Tamm"}, Action: ActionStaffLogin}, ErrInvalid},
		{"non-ASCII actor id", Event{Actor: Actor{ActorClerk, "Мари"}, Action: ActionStaffLogin}, ErrInvalid},
		{"long actor id", Event{Actor: Actor{ActorClerk, strings.Repeat("a", 65)}, Action: ActionStaffLogin}, ErrInvalid},
		{"unknown action", Event{Actor: session, Action: "deleted"}, ErrInvalid},
		{"issued without UVCI", Event{Actor: session, Action: ActionIssued, Person: mari}, ErrInvalid},
		{"refused without reason", Event{Actor: session, Action: ActionRefused, Person: mari}, ErrInvalid},
		{"configuration without setting", Event{Actor: Actor{ActorSystem, "config"}, Action: ActionConfigurationChanged}, ErrInvalid},
		{"unknown detail", Event{Actor: session, Action: ActionPrinted, Details: map[string]string{"name": "Tamm"}}, ErrInvalid},
		{"free text detail", Event{Actor: session, Action: ActionRefused, Details: map[string]string{DetailReason: "Mari Tamm is ill"}}, ErrInvalid},
		{"empty detail", Event{Actor: session, Action: ActionPrinted, Details: map[string]string{DetailJob: ""}}, ErrInvalid},
		{"control character", Event{Actor: session, Action: ActionPrinted, Details: map[string]string{DetailJob: "a\nb"}}, ErrInvalid},
		{"identifier without system", Event{Actor: session, Action: ActionIdentified, Person: Identifier{Value: "48801014221"}}, ErrInvalid},
		{"identifier without value", Event{Actor: session, Action: ActionIdentified, Person: Identifier{System: "urn:ee:personal-code"}}, ErrInvalid},
		{"identifier in detail", Event{Actor: session, Action: ActionPrinted, Person: mari, Details: map[string]string{DetailJob: "job-" + mari.Value}}, ErrPersonalData},
		{"identifier in actor id", Event{Actor: Actor{ActorResidentSession, "s-" + mari.Value}, Action: ActionIdentified, Person: mari}, ErrPersonalData},
		{"identifier in other case", Event{Actor: session, Action: ActionPrinted, Person: people[2].id, Details: map[string]string{DetailJob: strings.ToLower(people[2].id.Value)}}, ErrPersonalData},
	}
	dir := t.TempDir()
	l := openTest(t, dir, newClock())
	defer l.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if e, err := l.Append(tt.ev); !errors.Is(err, tt.want) {
				t.Errorf("Append(%+v) = %+v, %v, want %v", tt.ev, e, err, tt.want)
			}
		})
	}
	if h := l.Head(); h.Seq != 0 {
		t.Errorf("Head() = %v after refused events, want nothing appended", h)
	}
	if data := readLog(t, dir); len(data) != 0 {
		t.Errorf("log = %q after refused events, want empty", data)
	}
}

// TestNoPersonalDataInFiles looks for the test people's identifiers and names in every
// file of the log's folder but the key.
func TestNoPersonalDataInFiles(t *testing.T) {
	dir, _ := writeLog(t, 200)
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Name() == KeyName {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		lower := strings.ToLower(string(data))
		for _, p := range people {
			for _, s := range []string{p.id.Value, p.given, p.family} {
				if strings.Contains(lower, strings.ToLower(s)) {
					t.Errorf("%s contains %q, personal data of a test person", f.Name(), s)
				}
			}
		}
	}
}

func TestConcurrentAppend(t *testing.T) {
	const writers, each = 8, 40
	dir := t.TempDir()
	l := openTest(t, dir, newClock())
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if _, err := l.Append(event(w*each + i)); err != nil {
					errs <- err
				}
			}
		})
	}
	// Readers at the same time: what they see is always a verified prefix.
	for range 2 {
		wg.Go(func() {
			for range 10 {
				if _, err := l.Verify(); err != nil {
					errs <- err
				}
				if _, err := l.Since(0); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent call = %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := VerifyDir(dir)
	if err != nil || rep.Entries != writers*each {
		t.Errorf("VerifyDir after concurrent appends = %+v, %v, want %d entries", rep, err, writers*each)
	}
}

func TestReopenContinuesChain(t *testing.T) {
	dir, entries := writeLog(t, 5)
	clock := newClock()
	l := openTest(t, dir, clock)
	if got, want := l.Head(), entries[4].Head(); got != want {
		t.Errorf("Head() after reopening = %v, want %v", got, want)
	}
	e, err := l.Append(event(5))
	if err != nil || e.Seq != 6 || e.Prev != entries[4].Hash {
		t.Errorf("Append after reopening = %+v, %v, want entry 6 after %v", e, err, entries[4].Hash)
	}
	l.Close()
	if rep, err := VerifyDir(dir); err != nil || rep.Entries != 6 {
		t.Errorf("VerifyDir = %+v, %v, want 6 entries", rep, err)
	}
}

func TestSince(t *testing.T) {
	dir, entries := writeLog(t, 0)
	l := openTest(t, dir, newClock())
	defer l.Close()
	for i := range 30 {
		e, err := l.Append(event(i))
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	for _, seq := range []uint64{0, 1, 17, 29, 30, 31} {
		got, err := l.Since(seq)
		if err != nil {
			t.Fatalf("Since(%d) = %v", seq, err)
		}
		want := entries[min(int(seq), len(entries)):]
		if len(got) != len(want) {
			t.Fatalf("Since(%d) = %d entries, want %d", seq, len(got), len(want))
		}
		for i := range got {
			if !bytes.Equal(line(t, got[i]), line(t, want[i])) {
				t.Errorf("Since(%d)[%d] = %s, want %s", seq, i, line(t, got[i]), line(t, want[i]))
			}
		}
	}
	// A log tampered with under the open Log is not shipped.
	data := readLog(t, dir)
	tampered := bytes.Replace(data, []byte(`"L-0042"`), []byte(`"L-0043"`), 1)
	if err := os.WriteFile(filepath.Join(dir, LogName), tampered, 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := l.Since(0); !errors.Is(err, ErrEdited) {
		t.Errorf("Since(0) on a tampered log = %d entries, %v, want ErrEdited", len(got), err)
	}
	if _, err := l.Verify(); !errors.Is(err, ErrEdited) {
		t.Errorf("Verify() on a tampered log = %v, want ErrEdited", err)
	}
}

func TestOpenLocked(t *testing.T) {
	dir := t.TempDir()
	l := openTest(t, dir, newClock())
	if _, err := Open(context.Background(), dir, Options{Keys: testKey}); !errors.Is(err, ErrLocked) {
		t.Errorf("second Open = %v, want ErrLocked", err)
	}
	if _, err := Repair(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("Repair of an open log = %v, want ErrLocked", err)
	}
	l.Close()
	l2 := openTest(t, dir, newClock())
	l2.Close()
}

func TestClosed(t *testing.T) {
	l := openTest(t, t.TempDir(), newClock())
	l.Close()
	if _, err := l.Append(event(0)); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Close = %v, want ErrClosed", err)
	}
	if _, err := l.Since(0); !errors.Is(err, ErrClosed) {
		t.Errorf("Since after Close = %v, want ErrClosed", err)
	}
	if err := l.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close = %v, want ErrClosed", err)
	}
}

// TestUnusableAfterFailedWrite: once a write fails, no later entry may follow what
// could be a torn line.
func TestUnusableAfterFailedWrite(t *testing.T) {
	l := openTest(t, t.TempDir(), newClock())
	if _, err := l.Append(event(0)); err != nil {
		t.Fatal(err)
	}
	l.f.Close() // every write fails from now on
	for range 2 {
		if _, err := l.Append(event(1)); !errors.Is(err, ErrUnusable) {
			t.Errorf("Append after a failed write = %v, want ErrUnusable", err)
		}
	}
}

func TestAppendRefusesClockOutOfRange(t *testing.T) {
	l, err := Open(context.Background(), t.TempDir(), Options{Keys: testKey, Now: func() time.Time { return time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Append(event(0)); !errors.Is(err, ErrInvalid) {
		t.Errorf("Append at year 10000 = %v, want ErrInvalid", err)
	}
}

func TestOpenChecksHead(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, dir string, entries []Entry)
		want   error // nil: Open succeeds
	}{
		{"head lags one entry (crash before its rename)", func(t *testing.T, dir string, es []Entry) {
			writeFile(t, dir, HeadName, es[len(es)-2].Head().String()+"\n")
		}, nil},
		{"head file behind by several entries", func(t *testing.T, dir string, es []Entry) {
			writeFile(t, dir, HeadName, Head{}.String()+"\n")
		}, nil},
		{"last entry deleted", func(t *testing.T, dir string, es []Entry) {
			lines := splitLines(readLog(t, dir))
			writeFile(t, dir, LogName, string(bytes.Join(lines[:len(lines)-1], nil)))
		}, ErrMissing},
		{"log deleted", func(t *testing.T, dir string, es []Entry) {
			os.Remove(filepath.Join(dir, LogName))
		}, ErrMissing},
		{"head file deleted", func(t *testing.T, dir string, es []Entry) {
			os.Remove(filepath.Join(dir, HeadName))
		}, ErrAnchor},
		{"head file garbled", func(t *testing.T, dir string, es []Entry) {
			writeFile(t, dir, HeadName, "seven\n")
		}, ErrAnchor},
		{"entry edited", func(t *testing.T, dir string, es []Entry) {
			writeFile(t, dir, LogName, strings.Replace(string(readLog(t, dir)), "s-0000", "s-0001", 1))
		}, ErrEdited},
		{"torn last line", func(t *testing.T, dir string, es []Entry) {
			data := readLog(t, dir)
			writeFile(t, dir, LogName, string(data[:len(data)-7]))
		}, ErrTorn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, entries := writeLog(t, 8)
			tt.tamper(t, dir, entries)
			l, err := Open(context.Background(), dir, Options{Keys: testKey})
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Open = %v, want it to open", err)
				}
				defer l.Close()
				if l.Head() != entries[7].Head() {
					t.Errorf("Head() = %v, want %v", l.Head(), entries[7].Head())
				}
				if rep, err := VerifyDir(dir); err != nil || rep.Head != entries[7].Head() {
					t.Errorf("VerifyDir after Open = %+v, %v, want the head file caught up", rep, err)
				}
				return
			}
			if !errors.Is(err, tt.want) || !errors.Is(err, ErrBroken) {
				t.Errorf("Open = %v, want %v", err, tt.want)
			}
			if _, verr := VerifyDir(dir); !errors.Is(verr, tt.want) {
				t.Errorf("VerifyDir = %v, want %v", verr, tt.want)
			}
			if err == nil {
				l.Close()
			}
		})
	}
}

func TestVerifyDirWithoutLog(t *testing.T) {
	if _, err := VerifyDir(t.TempDir()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("VerifyDir(empty folder) = %v, want fs.ErrNotExist", err)
	}
}

func TestRepair(t *testing.T) {
	dir, entries := writeLog(t, 8)
	data := readLog(t, dir)
	torn := append(bytes.Clone(data), line(t, Entry{Seq: 9, Actor: Actor{ActorSystem, "x"}, Action: ActionPrinted})[:33]...)
	writeFile(t, dir, LogName, string(torn))
	if _, err := Open(context.Background(), dir, Options{Keys: testKey}); !errors.Is(err, ErrTorn) {
		t.Fatalf("Open(torn log) = %v, want ErrTorn", err)
	}
	got, err := Repair(dir)
	if want := (Repaired{Line: 9, Offset: int64(len(data)), Size: 33}); err != nil || got != want {
		t.Fatalf("Repair = %+v, %v, want %+v", got, err, want)
	}
	if after := readLog(t, dir); !bytes.Equal(after, data) {
		t.Errorf("log after Repair differs from the log before the torn write")
	}
	if got, err := Repair(dir); err != nil || got != (Repaired{}) {
		t.Errorf("Repair(intact log) = %+v, %v, want nothing done", got, err)
	}
	l := openTest(t, dir, newClock())
	if _, err := l.Append(Event{Actor: Actor{ActorSystem, "kiosk"}, Action: ActionLogRepaired}); err != nil {
		t.Errorf("Append after Repair = %v", err)
	}
	l.Close()
	if rep, err := VerifyDir(dir); err != nil || rep.Entries != len(entries)+1 {
		t.Errorf("VerifyDir after Repair = %+v, %v, want %d entries", rep, err, len(entries)+1)
	}
}

func TestRepairRefusesOtherFaults(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, dir string)
		want   error
	}{
		{"edited entry and torn line", func(t *testing.T, dir string) {
			data := strings.Replace(string(readLog(t, dir)), "s-0000", "s-0001", 1)
			writeFile(t, dir, LogName, data+`{"seq":9,"ti`)
		}, ErrEdited},
		{"torn line where the head's entry was", func(t *testing.T, dir string) {
			data := readLog(t, dir)
			writeFile(t, dir, LogName, string(data[:len(data)-9]))
		}, ErrMissing},
		{"torn line and no head file", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, HeadName))
			writeFile(t, dir, LogName, string(readLog(t, dir))+`{"seq":9,"ti`)
		}, ErrAnchor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, _ := writeLog(t, 8)
			tt.tamper(t, dir)
			before := readLog(t, dir)
			if got, err := Repair(dir); !errors.Is(err, tt.want) {
				t.Errorf("Repair = %+v, %v, want %v", got, err, tt.want)
			}
			if after := readLog(t, dir); !bytes.Equal(after, before) {
				t.Errorf("Repair changed a log it refused to repair")
			}
		})
	}
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFaultError(t *testing.T) {
	f := &Fault{Line: 3, Seq: 4, Err: ErrMissing, Detail: "entry 3 is missing"}
	if got, want := f.Error(), "audit: line 3 (entry 4): entry 3 is missing"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	f = &Fault{Err: ErrAnchor, Detail: fmt.Sprintf("%s is missing", HeadName)}
	if got, want := f.Error(), "audit: audit.head is missing"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
