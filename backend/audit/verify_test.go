package audit

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// logSize is the length of the log the tampering tests start from.
const logSize = 300

func TestVerifyIntactLog(t *testing.T) {
	dir, entries := writeLog(t, logSize)
	data := readLog(t, dir)
	head := entries[len(entries)-1].Head()
	for _, anchors := range [][]Head{nil, {head}, {entries[0].Head(), entries[149].Head(), head}, {{}}} {
		rep, err := Verify(bytes.NewReader(data), anchors...)
		if err != nil || rep.Entries != logSize || rep.Head != head {
			t.Errorf("Verify(log, %v) = %+v, %v, want %d entries, head %v", anchors, rep, err, logSize, head)
		}
	}
	if rep, err := VerifyDir(dir); err != nil || rep.Head != head {
		t.Errorf("VerifyDir = %+v, %v, want head %v", rep, err, head)
	}
	if got := len(splitLines(data)); got != logSize {
		t.Errorf("log has %d lines, want %d", got, logSize)
	}
}

func TestVerifyEmptyLog(t *testing.T) {
	rep, err := Verify(bytes.NewReader(nil))
	if err != nil || rep != (Report{}) {
		t.Errorf("Verify(empty) = %+v, %v, want zero report", rep, err)
	}
}

// edited is the entry the field edits change: an issued certificate, which has a
// subject and details.
const edited = 153

func TestVerifyEditedField(t *testing.T) {
	dir, entries := writeLog(t, logSize)
	lines := splitLines(readLog(t, dir))
	if entries[edited-1].Action != ActionIssued || entries[edited-1].Subject == "" {
		t.Fatalf("entry %d is %+v, want an issued certificate with a subject", edited, entries[edited-1])
	}
	other, err := SubjectOf(testKey, Identifier{"urn:ee:personal-code", "39912310000"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		field string
		edit  func(e *Entry)
	}{
		{"seq", func(e *Entry) { e.Seq++ }},
		{"time", func(e *Entry) { e.Time = e.Time.Add(1) }},
		{"actor kind", func(e *Entry) { e.Actor.Kind = ActorClerk }},
		{"actor id", func(e *Entry) { e.Actor.ID = "s-ffff" }},
		{"action", func(e *Entry) { e.Action = ActionRefused }},
		{"subject changed", func(e *Entry) { e.Subject = other }},
		{"subject removed", func(e *Entry) { e.Subject = "" }},
		{"detail value", func(e *Entry) { e.Details[DetailUVCI] = "URN:UVCI:01:EE:FORGED#X" }},
		{"detail added", func(e *Entry) { e.Details[DetailPrinter] = "back-office" }},
		{"detail removed", func(e *Entry) { delete(e.Details, DetailKind) }},
		{"details removed", func(e *Entry) { e.Details = nil }},
		{"prev", func(e *Entry) { e.Prev[0] ^= 1 }},
		{"hash", func(e *Entry) { e.Hash[31] ^= 0x80 }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			e := entries[edited-1]
			e.Details = cloneMap(e.Details)
			tt.edit(&e)
			tampered := slices.Clone(lines)
			tampered[edited-1] = line(t, e)
			wantSeq := uint64(edited)
			if tt.field == "seq" {
				wantSeq++
			}
			checkFault(t, bytes.Join(tampered, nil), nil, ErrEdited, edited, wantSeq, "edited")
		})
	}
}

func TestVerifyTampered(t *testing.T) {
	dir, entries := writeLog(t, logSize)
	lines := splitLines(readLog(t, dir))
	head := entries[logSize-1].Head()
	anchored := []Head{head}

	// without removes the entries at the given 1-based positions.
	without := func(seqs ...uint64) [][]byte {
		var out [][]byte
		for i, l := range lines {
			if !slices.Contains(seqs, uint64(i+1)) {
				out = append(out, l)
			}
		}
		return out
	}
	swapped := func(a, b int) [][]byte {
		out := slices.Clone(lines)
		out[a-1], out[b-1] = out[b-1], out[a-1]
		return out
	}
	// rewrite re-encodes es, giving each the sequence number of its position when
	// renumber is set, and re-hashing them from position from on; chain also sets
	// each prev to the hash before it, as a careful forger would.
	rewrite := func(t *testing.T, es []Entry, from int, renumber, chain bool) [][]byte {
		es = slices.Clone(es)
		var out [][]byte
		for i := range es {
			if i+1 >= from {
				if renumber {
					es[i].Seq = uint64(i + 1)
				}
				if chain {
					es[i].Prev = Hash{}
					if i > 0 {
						es[i].Prev = es[i-1].Hash
					}
				}
				es[i].Hash = es[i].ComputeHash()
			}
			out = append(out, line(t, es[i]))
		}
		return out
	}
	editEntry := func(seq int) []Entry {
		es := slices.Clone(entries)
		es[seq-1].Actor.ID = "s-0000"
		return es
	}
	deleteEntry := func(seq int) []Entry {
		return slices.Delete(slices.Clone(entries), seq-1, seq)
	}

	tests := []struct {
		name    string
		lines   func(t *testing.T) [][]byte
		anchors []Head
		want    error
		line    int
		seq     uint64
		text    string
	}{
		{"deleted first", func(*testing.T) [][]byte { return without(1) }, nil,
			ErrMissing, 1, 2, "entry 1 is missing"},
		{"deleted middle", func(*testing.T) [][]byte { return without(150) }, nil,
			ErrMissing, 150, 151, "entry 150 is missing"},
		{"deleted last", func(*testing.T) [][]byte { return without(logSize) }, anchored,
			ErrMissing, logSize, logSize, "entry 300 is missing"},
		{"deleted two", func(*testing.T) [][]byte { return without(150, 151) }, nil,
			ErrMissing, 150, 152, "entries 150 to 151 are missing"},
		{"deleted last two", func(*testing.T) [][]byte { return without(299, 300) }, anchored,
			ErrMissing, 299, 299, "entries 299 to 300 are missing"},
		{"deleted all", func(*testing.T) [][]byte { return nil }, anchored,
			ErrMissing, 1, 1, "entries 1 to 300 are missing"},
		{"deleted first, renumbered", func(t *testing.T) [][]byte { return rewrite(t, deleteEntry(1), 1, true, false) }, nil,
			ErrChain, 1, 1, "not 32 zero bytes"},
		{"deleted middle, renumbered", func(t *testing.T) [][]byte { return rewrite(t, deleteEntry(150), 150, true, false) }, nil,
			ErrChain, 150, 150, "not the hash"},
		{"deleted middle, renumbered and chained", func(t *testing.T) [][]byte { return rewrite(t, deleteEntry(150), 150, true, true) }, anchored,
			ErrMissing, logSize, logSize, "entry 300 is missing"},
		{"edited, re-hashed", func(t *testing.T) [][]byte { return rewrite(t, editEntry(150), 150, false, false) }, nil,
			ErrChain, 151, 151, "of entry 150 on line 150"},
		{"edited, re-hashed and chained", func(t *testing.T) [][]byte { return rewrite(t, editEntry(150), 150, false, true) }, anchored,
			ErrAnchor, logSize, logSize, "differs from the anchored head"},
		{"swapped adjacent", func(*testing.T) [][]byte { return swapped(150, 151) }, nil,
			ErrOrder, 150, 151, "entry 150 belongs here and is at line 151"},
		{"swapped apart", func(*testing.T) [][]byte { return swapped(40, 260) }, nil,
			ErrOrder, 40, 260, "entry 40 belongs here and is at line 260"},
		{"swapped first and last", func(*testing.T) [][]byte { return swapped(1, logSize) }, nil,
			ErrOrder, 1, logSize, "entry 1 belongs here and is at line 300"},
		{"swapped last two", func(*testing.T) [][]byte { return swapped(299, 300) }, nil,
			ErrOrder, 299, 300, "entry 299 belongs here and is at line 300"},
		{"duplicated", func(*testing.T) [][]byte { return slices.Insert(slices.Clone(lines), 150, lines[149]) }, nil,
			ErrOrder, 151, 150, "entry 150 follows entry 150"},
		{"moved back", func(*testing.T) [][]byte {
			return slices.Insert(without(100), 199, lines[99])
		}, nil, ErrOrder, 100, 101, "entry 100 belongs here and is at line 200"},
		{"torn last line", func(*testing.T) [][]byte {
			out := slices.Clone(lines)
			out[logSize-1] = out[logSize-1][:len(out[logSize-1])/2]
			return out
		}, nil, ErrTorn, logSize, logSize, "torn last line"},
		{"last newline missing", func(*testing.T) [][]byte {
			out := slices.Clone(lines)
			out[logSize-1] = bytes.TrimSuffix(out[logSize-1], []byte("\n"))
			return out
		}, nil, ErrTorn, logSize, logSize, "torn last line"},
		{"torn line inside", func(*testing.T) [][]byte {
			out := slices.Clone(lines)
			out[149] = out[149][:40]
			return out
		}, nil, ErrMalformed, 150, 150, "malformed"},
		{"garbage line", func(*testing.T) [][]byte {
			return slices.Insert(slices.Clone(lines), 149, []byte("rm -rf /\n"))
		}, nil, ErrMalformed, 150, 150, "not a JSON entry"},
		{"empty line", func(*testing.T) [][]byte {
			return slices.Insert(slices.Clone(lines), 149, []byte("\n"))
		}, nil, ErrMalformed, 150, 150, "malformed"},
		{"spacing changed", func(*testing.T) [][]byte {
			out := slices.Clone(lines)
			out[149] = bytes.Replace(out[149], []byte(`"seq":`), []byte(`"seq": `), 1)
			return out
		}, nil, ErrMalformed, 150, 150, "exact form"},
		{"unknown field", func(*testing.T) [][]byte {
			out := slices.Clone(lines)
			out[149] = bytes.Replace(out[149], []byte(`{"seq"`), []byte(`{"name":"Mari","seq"`), 1)
			return out
		}, nil, ErrMalformed, 150, 150, "unknown field"},
		{"duplicate field", func(*testing.T) [][]byte {
			out := slices.Clone(lines)
			out[149] = bytes.Replace(out[149], []byte(`,"prev"`), []byte(`,"action":"printed","prev"`), 1)
			return out
		}, nil, ErrMalformed, 150, 150, "exact form"},
		{"huge line", func(*testing.T) [][]byte {
			return slices.Insert(slices.Clone(lines), 149, append(bytes.Repeat([]byte("x"), maxLine+10), '\n'))
		}, nil, ErrMalformed, 150, 150, "longer than"},
		{"wrong anchor", func(*testing.T) [][]byte { return lines }, []Head{{Seq: 77, Hash: head.Hash}},
			ErrAnchor, 77, 77, "differs from the anchored head"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFault(t, bytes.Join(tt.lines(t), nil), tt.anchors, tt.want, tt.line, tt.seq, tt.text)
		})
	}
}

// TestVerifyTruncatedWithoutAnchor documents why heads are exported: a log cut short
// at the end is a valid, shorter log until it is checked against a head.
func TestVerifyTruncatedWithoutAnchor(t *testing.T) {
	dir, _ := writeLog(t, 10)
	lines := splitLines(readLog(t, dir))
	rep, err := Verify(bytes.NewReader(bytes.Join(lines[:9], nil)))
	if err != nil || rep.Entries != 9 {
		t.Errorf("Verify(first 9 of 10 lines) = %+v, %v, want 9 entries and no fault", rep, err)
	}
}

// checkFault verifies data and wants a Fault of kind want at line and seq, its message
// naming them and containing text.
func checkFault(t *testing.T, data []byte, anchors []Head, want error, line int, seq uint64, text string) {
	t.Helper()
	rep, err := Verify(bytes.NewReader(data), anchors...)
	var f *Fault
	if !errors.As(err, &f) {
		t.Fatalf("Verify = %+v, %v, want a *Fault", rep, err)
	}
	if !errors.Is(err, want) || !errors.Is(err, ErrBroken) {
		t.Errorf("Verify error = %v, want %v (and ErrBroken)", err, want)
	}
	if f.Line != line || f.Seq != seq {
		t.Errorf("Verify fault at line %d entry %d, want line %d entry %d: %v", f.Line, f.Seq, line, seq, err)
	}
	if name := fmt.Sprintf("line %d (entry %d)", line, seq); !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), text) {
		t.Errorf("Verify error = %q, want it to name %q and say %q", err, name, text)
	}
	if rep.Entries != line-1 {
		t.Errorf("Verify report = %+v, want the %d entries before the fault verified", rep, line-1)
	}
	if int64(len(data)) < f.Offset {
		t.Errorf("fault offset %d beyond the %d bytes of the log", f.Offset, len(data))
	}
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestParseHead(t *testing.T) {
	h := Head{Seq: 42, Hash: Hash{0xab, 0xcd, 0xef}}
	for _, s := range []string{h.String(), h.String() + "\n", "42:" + h.Hash.String(), "  42\t" + h.Hash.String()} {
		if got, err := ParseHead(s); err != nil || got != h {
			t.Errorf("ParseHead(%q) = %v, %v, want %v", s, got, err, h)
		}
	}
	for _, s := range []string{
		"", "42", "x " + h.Hash.String(), "042 " + h.Hash.String(), "-1 " + h.Hash.String(),
		"42 " + strings.ToUpper(h.Hash.String()), "42 " + h.Hash.String()[:63], "42 " + h.Hash.String() + " 1",
		"0 " + h.Hash.String(),
	} {
		if got, err := ParseHead(s); err == nil {
			t.Errorf("ParseHead(%q) = %v, want an error", s, got)
		}
	}
}
