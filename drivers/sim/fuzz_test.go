package sim_test

import (
	"errors"
	"strings"
	"testing"

	"certkiosk/drivers/sim"
)

// FuzzParseScript feeds arbitrary scripts to the parser. A script it takes has
// its steps on increasing lines, and survives Format and ParseScript unchanged;
// one it refuses names a line within the text. Seeds: testdata/fuzz/FuzzParseScript
// (the default script, every kind of step, broken lines).
func FuzzParseScript(f *testing.F) {
	f.Add("wait 2s\ninsert card EE 46003150224\nscan text 01\\x1d17\nremove card\n")
	f.Add("scan hc1 HC1:6BF  \n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := sim.ParseScript("fuzz", strings.NewReader(text))
		if err != nil {
			var se *sim.ScriptError
			if !strings.HasPrefix(err.Error(), "sim: script fuzz line ") {
				t.Fatalf("ParseScript(%q) error %q names no line", text, err)
			}
			if errors.As(err, &se) && (se.Line < 1 || se.Line > strings.Count(text, "\n")+2) {
				t.Fatalf("ParseScript(%q) error at line %d, outside the text", text, se.Line)
			}
			return
		}
		last := 0
		for _, st := range s.Steps {
			if st.Line <= last {
				t.Fatalf("ParseScript(%q): step %q on line %d after line %d", text, st, st.Line, last)
			}
			last = st.Line
		}
		var b strings.Builder
		if err := s.Format(&b); err != nil {
			t.Fatal(err)
		}
		again, err := sim.ParseScript("fuzz", strings.NewReader(b.String()))
		if err != nil {
			t.Fatalf("ParseScript(%q) took it, but not its Format %q: %v", text, b.String(), err)
		}
		if len(again.Steps) != len(s.Steps) {
			t.Fatalf("ParseScript(%q): %d steps, %d after Format", text, len(s.Steps), len(again.Steps))
		}
		for i := range s.Steps {
			if a, b := s.Steps[i], again.Steps[i]; a.String() != b.String() || string(a.Data) != string(b.Data) || a.Wait != b.Wait || a.Holder.Person.Identifier != b.Holder.Person.Identifier {
				t.Fatalf("ParseScript(%q): step %d is %q, %q after Format", text, i+1, a, b)
			}
		}
	})
}
