package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestCanonicalEncoding builds the encoding of the package documentation by hand and
// checks ComputeHash against it.
func TestCanonicalEncoding(t *testing.T) {
	e := Entry{
		Seq:     258,
		Time:    time.Date(2026, 11, 22, 10, 0, 0, 5, time.UTC),
		Actor:   Actor{ActorResidentSession, "s-1"},
		Action:  ActionIssued,
		Subject: strings.Repeat("ab", 32),
		Details: map[string]string{"uvci": "U", "kind": "vaccination"},
		Prev:    Hash{0: 0xff, 31: 0x01},
	}
	var enc []byte
	enc = append(enc, "\x00\x00\x00\x12certkiosk-audit-v1"...)
	enc = append(enc, "\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x01\x02"...)
	enc = append(enc, "\x00\x00\x00\x1e2026-11-22T10:00:00.000000005Z"...)
	enc = append(enc, "\x00\x00\x00\x10resident-session"...)
	enc = append(enc, "\x00\x00\x00\x03s-1"...)
	enc = append(enc, "\x00\x00\x00\x06issued"...)
	enc = append(enc, "\x00\x00\x00\x40"+strings.Repeat("ab", 32)...)
	enc = append(enc, "\x00\x00\x00\x04\x00\x00\x00\x02"...)
	enc = append(enc, "\x00\x00\x00\x04kind\x00\x00\x00\x0bvaccination"...)
	enc = append(enc, "\x00\x00\x00\x04uvci\x00\x00\x00\x01U"...)
	enc = append(enc, "\x00\x00\x00\x20"...)
	enc = append(enc, e.Prev[:]...)
	if got, want := e.ComputeHash(), Hash(sha256.Sum256(enc)); got != want {
		t.Errorf("ComputeHash() = %v, want %v", got, want)
	}
	// The same instant in another zone is the same entry.
	e2 := e
	e2.Time = e.Time.In(time.FixedZone("AZT", 4*60*60))
	if e2.ComputeHash() != e.ComputeHash() {
		t.Errorf("ComputeHash depends on the time zone")
	}
	// No details and empty details are the same entry, and so is the line.
	e.Details, e2.Details = nil, map[string]string{}
	if e.ComputeHash() != e2.ComputeHash() || !bytes.Equal(line(t, e), line(t, e2)) {
		t.Errorf("nil and empty details encode differently")
	}
}

func TestEntryJSON(t *testing.T) {
	e := Entry{
		Seq:     1,
		Time:    time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
		Actor:   Actor{ActorSystem, "printing"},
		Action:  ActionPrinted,
		Details: map[string]string{"printer": "a<b", "job": "j&1"},
	}
	e.Hash = e.ComputeHash()
	got, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"seq":1,"time":"2026-11-22T10:00:00.000000000Z","actor":{"kind":"system","id":"printing"},"action":"printed",` +
		`"details":{"job":"j\u00261","printer":"a\u003cb"},"prev":"` + strings.Repeat("0", 64) + `","hash":"` + e.Hash.String() + `"}`
	if string(got) != want {
		t.Errorf("json.Marshal(entry) =\n%s\nwant\n%s", got, want)
	}
	var back Entry
	if err := json.Unmarshal(got, &back); err != nil || !bytes.Equal(line(t, back), line(t, e)) {
		t.Errorf("json.Unmarshal = %+v, %v, want %+v", back, err, e)
	}
	if err := json.Unmarshal([]byte(`{"seq":0}`), &back); !errors.Is(err, ErrMalformed) {
		t.Errorf("json.Unmarshal(seq 0) = %v, want ErrMalformed", err)
	}
}

// TestGoldenLog keeps the format from drifting: the log written from fixed inputs
// matches testdata/v1.log byte for byte, and that file verifies. -update rewrites it.
func TestGoldenLog(t *testing.T) {
	dir, _ := writeLog(t, 12)
	got := readLog(t, dir)
	golden := filepath.Join("testdata", "v1.log")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("log written from fixed inputs differs from %s (run with -update if the format changed on purpose):\n%s", golden, got)
	}
	if rep, err := Verify(bytes.NewReader(want)); err != nil || rep.Entries != 12 {
		t.Errorf("Verify(%s) = %+v, %v, want 12 entries", golden, rep, err)
	}
}
