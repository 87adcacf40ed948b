package pcsc

// name.go: the parts of a reader name as pcsc-lite makes it (readerfactory.c,
// RFAddReader): the model as its driver names it, the USB interface name in
// brackets and the serial number in parentheses where the reader has them, then
// the reader's index and the slot's, two hex digits each:
//
//	Gemalto PC Twin Reader (645D9F53) 00 00
//	Identiv uTrust 4701 F Dual Interface Reader [CCID Interface] (55041911202813) 01 00
//	Virtual PCD 00 01
//
// Windows and macOS name readers otherwise ("… 0"); ParseReaderName then
// keeps the whole name as the model.

import (
	"fmt"
	"strings"
)

// ReaderName is a reader name in its parts.
type ReaderName struct {
	Model     string
	Interface string // without the brackets; empty when absent
	Serial    string // without the parentheses; empty when absent
	Index     int    // the reader's number, 0 to 255; -1 when the name has none
	Slot      int    // the slot's number, 0 to 255; -1 when the name has none
}

// maxReaderName bounds what ParseReaderName reads: pcsc-lite's MAX_READERNAME
// is 128; names from elsewhere are cut there too.
const maxReaderName = 128

// ParseReaderName splits a reader name. A name not in pcsc-lite's form is all
// Model, with Index and Slot -1; control characters are dropped so that a name
// can be printed.
func ParseReaderName(name string) ReaderName {
	if len(name) > maxReaderName {
		name = name[:maxReaderName]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\uFFFD' {
			return -1
		}
		return r
	}, name)
	n := ReaderName{Model: name, Index: -1, Slot: -1}
	rest, idx, slot, ok := cutNumbers(name)
	if !ok {
		return n
	}
	n.Model, n.Index, n.Slot = rest, idx, slot
	if s, ok := cutEnclosed(&n.Model, '(', ')'); ok {
		n.Serial = s
	}
	if s, ok := cutEnclosed(&n.Model, '[', ']'); ok {
		n.Interface = s
	}
	return n
}

// cutNumbers takes " NN SS" (two hex digits each) off the end of name.
func cutNumbers(name string) (rest string, idx, slot int, ok bool) {
	const tail = len(" NN SS")
	if len(name) < tail+1 {
		return name, -1, -1, false
	}
	t := name[len(name)-tail:]
	if t[0] != ' ' || t[3] != ' ' {
		return name, -1, -1, false
	}
	i, ok1 := hexByte(t[1:3])
	s, ok2 := hexByte(t[4:6])
	if !ok1 || !ok2 {
		return name, -1, -1, false
	}
	return name[:len(name)-tail], i, s, true
}

func hexByte(s string) (int, bool) {
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | int(c-'0')
		case c >= 'A' && c <= 'F':
			v = v<<4 | int(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// cutEnclosed takes " (…)" (with open and close) off the end of *s.
func cutEnclosed(s *string, open, close byte) (string, bool) {
	t := *s
	if len(t) < 3 || t[len(t)-1] != close {
		return "", false
	}
	i := strings.LastIndexByte(t, open)
	if i < 1 || t[i-1] != ' ' {
		return "", false
	}
	inner := t[i+1 : len(t)-1]
	if inner == "" || strings.IndexByte(inner, close) >= 0 {
		return "", false
	}
	*s = t[:i-1]
	return inner, true
}

// String writes the name back in pcsc-lite's form, or the model alone when it
// has no numbers.
func (n ReaderName) String() string {
	if n.Index < 0 || n.Slot < 0 {
		return n.Model
	}
	s := n.Model
	if n.Interface != "" {
		s += " [" + n.Interface + "]"
	}
	if n.Serial != "" {
		s += " (" + n.Serial + ")"
	}
	return s + fmt.Sprintf(" %02X %02X", n.Index, n.Slot)
}
