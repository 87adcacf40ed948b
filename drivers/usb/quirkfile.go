package usb

// quirkfile.go: the format of the drivers' quirks files — sections headed by a
// device's "[vvvv:pppp]", each holding "key = value" lines, '#' comment lines. What
// the keys mean is each driver's own.

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
)

// QuirkSection is one device's section of a quirks file.
type QuirkSection struct {
	VID, PID ID
	Line     int // the line of the section's header
	Entries  []QuirkEntry
}

// QuirkEntry is one "key = value" line.
type QuirkEntry struct {
	Key, Value string
	Line       int
}

// ReadQuirkFile reads the sections of a quirks file in order. A line outside any
// section, a header that is not [VID:PID], a device given twice or a key given twice
// in one section is an error naming the line.
func ReadQuirkFile(r io.Reader) ([]QuirkSection, error) {
	var sections []QuirkSection
	seenDevice := map[[2]ID]bool{}
	var seenKey map[string]bool
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if strings.HasPrefix(text, "[") {
			if !strings.HasSuffix(text, "]") {
				return nil, fmt.Errorf("line %d: section header %q has no ']'", line, text)
			}
			m, err := ParseMatch(strings.TrimSpace(text[1 : len(text)-1]))
			if err != nil || m.Serial != "" {
				return nil, fmt.Errorf("line %d: section %s is not [VID:PID]", line, text)
			}
			if seenDevice[[2]ID{m.VID, m.PID}] {
				return nil, fmt.Errorf("line %d: %s:%s appears twice", line, m.VID, m.PID)
			}
			seenDevice[[2]ID{m.VID, m.PID}] = true
			sections = append(sections, QuirkSection{VID: m.VID, PID: m.PID, Line: line})
			seenKey = map[string]bool{}
			continue
		}
		if len(sections) == 0 {
			return nil, fmt.Errorf("line %d: %q before the first [VID:PID]", line, text)
		}
		k, v, ok := strings.Cut(text, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: %q is not key = value", line, text)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if seenKey[k] {
			return nil, fmt.Errorf("line %d: %s given twice", line, k)
		}
		seenKey[k] = true
		cur := &sections[len(sections)-1]
		cur.Entries = append(cur.Entries, QuirkEntry{Key: k, Value: v, Line: line})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return sections, nil
}

// QuirkTable holds a driver's quirks (of type Q) by VID:PID. The zero QuirkTable is
// empty.
type QuirkTable[Q any] struct {
	byID map[[2]ID]Q
}

// Add sets the quirk of a model.
func (t *QuirkTable[Q]) Add(vid, pid ID, q Q) {
	if t.byID == nil {
		t.byID = map[[2]ID]Q{}
	}
	t.byID[[2]ID{vid, pid}] = q
}

// Lookup returns the quirk of a model.
func (t QuirkTable[Q]) Lookup(vid, pid ID) (Q, bool) {
	q, ok := t.byID[[2]ID{vid, pid}]
	return q, ok
}

// All returns the table's quirks ordered by VID:PID.
func (t QuirkTable[Q]) All() []Q {
	keys := make([][2]ID, 0, len(t.byID))
	for k := range t.byID {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]ID) int {
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		return int(a[1]) - int(b[1])
	})
	all := make([]Q, 0, len(keys))
	for _, k := range keys {
		all = append(all, t.byID[k])
	}
	return all
}

// QuirkRules are what a driver's quirks file means: how a section's keys set its
// quirk, and what a whole section must hold.
type QuirkRules[Q any] struct {
	// New returns the quirk of a section before its keys are read.
	New func(vid, pid ID) Q
	// Set sets one key's value; an unknown key or a bad value is an error.
	Set func(q *Q, key, value string) error
	// Check checks a section's quirk once all its keys are set; nil accepts any.
	Check func(q Q) error
}

// ParseQuirks reads a quirks file (ReadQuirkFile) into a table, each section's
// quirk made by rules. Errors name the line: a key's that of the key, a section's
// that of its header.
func ParseQuirks[Q any](r io.Reader, rules QuirkRules[Q]) (QuirkTable[Q], error) {
	sections, err := ReadQuirkFile(r)
	if err != nil {
		return QuirkTable[Q]{}, err
	}
	var t QuirkTable[Q]
	for _, sec := range sections {
		q := rules.New(sec.VID, sec.PID)
		for _, e := range sec.Entries {
			if err := rules.Set(&q, e.Key, e.Value); err != nil {
				return QuirkTable[Q]{}, fmt.Errorf("line %d: %v", e.Line, err)
			}
		}
		if rules.Check != nil {
			if err := rules.Check(q); err != nil {
				return QuirkTable[Q]{}, fmt.Errorf("line %d: [%s:%s] %v", sec.Line, sec.VID, sec.PID, err)
			}
		}
		t.Add(sec.VID, sec.PID, q)
	}
	return t, nil
}
