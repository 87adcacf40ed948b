package audit

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzVerify feeds arbitrary bytes to Verify. It must never panic; every error it
// returns for bytes in memory is a Fault whose line follows a prefix that verifies on
// its own; and a log it accepts is exactly the lines of its entries, and verifies again.
func FuzzVerify(f *testing.F) {
	good, err := os.ReadFile(filepath.Join("testdata", "v1.log"))
	if err != nil {
		f.Fatal(err)
	}
	lines := splitLines(good)
	f.Add(good)
	f.Add([]byte{})
	f.Add([]byte("\n"))
	f.Add(good[:len(good)-1])                                         // torn: no final newline
	f.Add(good[:len(good)/2])                                         // torn mid-line
	f.Add(bytes.Join(append(lines[1:2:2], lines[0]), nil))            // swapped
	f.Add(bytes.Join(append(lines[:3:3], lines[4:]...), nil))         // deleted
	f.Add(bytes.Replace(good, []byte("s-0000"), []byte("s-0001"), 1)) // edited
	f.Add([]byte(`{"seq":1,"time":"2026-11-22T10:00:00.000000000Z","actor":{"kind":"system","id":"x"},"action":"printed","prev":"` +
		string(bytes.Repeat([]byte("0"), 64)) + `","hash":"` + string(bytes.Repeat([]byte("0"), 64)) + "\"}\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		var entries []Entry
		rep, err := walk(bytes.NewReader(data), nil, func(e Entry) { entries = append(entries, e) })
		if err != nil {
			var fault *Fault
			if !errors.As(err, &fault) || !errors.Is(err, ErrBroken) {
				t.Fatalf("Verify = %v, want a *Fault", err)
			}
			if fault.Line < 1 || fault.Offset < 0 || fault.Offset > int64(len(data)) {
				t.Fatalf("Verify fault at line %d offset %d of %d bytes", fault.Line, fault.Offset, len(data))
			}
			prefix, err := Verify(bytes.NewReader(data[:fault.Offset]))
			if err != nil || prefix != rep || prefix.Entries != fault.Line-1 {
				t.Fatalf("Verify(bytes before the fault's line) = %+v, %v, want %+v and %d entries", prefix, err, rep, fault.Line-1)
			}
			return
		}
		if rep.Entries != len(entries) {
			t.Fatalf("Verify counts %d entries, visited %d", rep.Entries, len(entries))
		}
		var again []byte
		for _, e := range entries {
			again = append(again, line(t, e)...)
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("accepted log is not the lines of its entries:\n%q\n%q", data, again)
		}
		if rep2, err := Verify(bytes.NewReader(again), rep.Head); err != nil || rep2 != rep {
			t.Fatalf("Verify(accepted log, its head) = %+v, %v, want %+v", rep2, err, rep)
		}
	})
}
