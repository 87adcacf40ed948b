package pcsc

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseReaderName: any name the service gives (drivers name readers, USB
// devices give the interface name and serial) parses without panicking into
// printable parts that write back to a name parsing the same.
func FuzzParseReaderName(f *testing.F) {
	for _, s := range []string{
		"Gemalto PC Twin Reader (645D9F53) 00 00",
		"Identiv uTrust 4701 F Dual Interface Reader [CCID Interface] (55041911202813) 01 00",
		"Virtual PCD 00 01", "HID Global OMNIKEY 3x21 Smart Card Reader 0", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		n := ParseReaderName(name)
		for _, part := range []string{n.Model, n.Interface, n.Serial} {
			if strings.ContainsFunc(part, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				t.Fatalf("ParseReaderName(%q) = %+v: a control character kept", name, n)
			}
			if !utf8.ValidString(part) && utf8.ValidString(name) {
				t.Fatalf("ParseReaderName(%q) = %+v: invalid UTF-8 made", name, n)
			}
		}
		if len(n.Model)+len(n.Interface)+len(n.Serial) > maxReaderName {
			t.Fatalf("ParseReaderName(%q) = %+v: longer than the name may be", name, n)
		}
		if (n.Index < 0) != (n.Slot < 0) || n.Index > 255 || n.Slot > 255 {
			t.Fatalf("ParseReaderName(%q) = %+v: numbers out of range", name, n)
		}
		if back := ParseReaderName(n.String()); back != n {
			t.Fatalf("ParseReaderName(%q) = %+v, written %q, parsed again %+v", name, n, n.String(), back)
		}
	})
}
