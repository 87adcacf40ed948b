package sim

// script.go: the scenario a simulation plays, as a small line-based script:
// parsing it (every error names its line), writing it back, and the default
// script `make run` plays.

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"certkiosk/backend/identity"
)

// defaultScript is the demo played when no card reader or scanner is attached.
//
//go:embed default.script
var defaultScript string

// MaxWait bounds one wait step.
const MaxWait = 24 * time.Hour

// maxScriptLine bounds a script line: an HC1 certificate fits many times over.
const maxScriptLine = 64 << 10

// Op is what a step does.
type Op string

// Ops, as scripts write them.
const (
	OpWait   Op = "wait"
	OpInsert Op = "insert card"
	OpRemove Op = "remove card"
	OpScan   Op = "scan"
)

// ScanKind is what a scan step presents to the scanner.
type ScanKind string

// Scan kinds.
const (
	ScanMRZ  ScanKind = "mrz"  // a document's machine-readable zone
	ScanHC1  ScanKind = "hc1"  // an EU DCC QR code
	ScanText ScanKind = "text" // any other barcode
)

// Step is one line of a script.
type Step struct {
	// Line is the step's line in the script, 1 for the first.
	Line int
	Op   Op
	// Wait is how long a wait step waits.
	Wait time.Duration
	// Country and Identifier are the card an insert step puts in, as written;
	// Holder is the demo person they name.
	Country    string
	Identifier string
	Holder     Holder
	// Kind and Data are what a scan step scans: Data is the payload a real
	// scanner delivers (the lines of a zone separated by CR, as a keyboard-mode
	// reader types them).
	Kind ScanKind
	Data []byte
}

// String writes the step as a script line.
func (s Step) String() string {
	switch s.Op {
	case OpWait:
		return "wait " + s.Wait.String()
	case OpInsert:
		return "insert card " + s.Country + " " + s.Identifier
	case OpRemove:
		return "remove card"
	case OpScan:
		arg := string(s.Data)
		switch s.Kind {
		case ScanMRZ:
			arg = strings.ReplaceAll(arg, "\r", "|")
		case ScanText:
			q := strconv.Quote(arg)
			arg = q[1 : len(q)-1]
		}
		return "scan " + string(s.Kind) + " " + arg
	}
	return "# unknown step"
}

// Script is a parsed scenario.
type Script struct {
	// Name says where the script came from: a file name, or "default".
	Name  string
	Steps []Step
}

// Duration returns the sum of the script's waits.
func (s *Script) Duration() time.Duration {
	var d time.Duration
	for _, st := range s.Steps {
		d += st.Wait
	}
	return d
}

// Format writes the script in the form ParseScript reads.
func (s *Script) Format(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, st := range s.Steps {
		bw.WriteString(st.String())
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// ScriptError is a script that cannot be played, with the line at fault.
type ScriptError struct {
	Name string // the script's name, when it has one
	Line int
	Msg  string
}

// Error reads like "sim: script demo.script line 3: unknown person EE 1234".
func (e *ScriptError) Error() string {
	name := ""
	if e.Name != "" {
		name = " " + e.Name
	}
	return fmt.Sprintf("sim: script%s line %d: %s", name, e.Line, e.Msg)
}

// Unwrap returns ErrScript.
func (e *ScriptError) Unwrap() error { return ErrScript }

// DefaultScript returns the script `make run` plays (default.script): a demo
// person's ID card inserted a few seconds after the start and taken out again,
// then another demo person's document scanned.
func DefaultScript() *Script {
	s, err := ParseScript("default", strings.NewReader(defaultScript))
	if err != nil {
		// default.script is compiled in and checked by the package's tests.
		panic(err)
	}
	return s
}

// ReadScript reads a script from a file.
func ReadScript(path string) (*Script, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	defer f.Close()
	return ParseScript(path, f)
}

// ParseScript reads a script: one step a line, blank lines and lines starting
// with # ignored.
//
//	wait 2s                          a Go duration, more than 0 and at most 24h
//	insert card EE 46003150224       the ID card of a demo person (registrysim.People):
//	                                 the country (EE, RU, AZ) and their identifier as
//	                                 a person types it, to the end of the line
//	                                 (112-233-445 95); the reader must be empty
//	remove card                      the card comes out; there must be one
//	scan mrz LINE1|LINE2[|LINE3]     a document's zone: 2 lines of 44 or 36, or 3 of
//	                                 30 characters, A-Z 0-9 and <; check digits are not
//	                                 checked, so a script can present a misread zone
//	scan hc1 HC1:…                   an EU DCC QR code: HC1: and Base45 characters
//	scan text TEXT                   any other barcode; Go escapes for the characters
//	                                 a line cannot hold: \x1d for GS, \t, \\
//
// An error is a *ScriptError naming the line; it wraps ErrScript.
func ParseScript(name string, r io.Reader) (*Script, error) {
	s := &Script{Name: name}
	people := newDirectory()
	var cardLine int // the line of the insert step whose card is in, or 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxScriptLine)
	line := 0
	fail := func(format string, args ...any) (*Script, error) {
		return nil, &ScriptError{Name: name, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	for sc.Scan() {
		line++
		// Trailing blanks are kept: they can be part of a Base45 text.
		text := strings.TrimLeft(strings.TrimRight(sc.Text(), "\r"), " \t")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		st, err := parseStep(text, people)
		if err != nil {
			return fail("%v", err)
		}
		st.Line = line
		switch st.Op {
		case OpInsert:
			if cardLine != 0 {
				return fail("a card is already in the reader (inserted at line %d); remove card first", cardLine)
			}
			cardLine = line
		case OpRemove:
			if cardLine == 0 {
				return fail("remove card, but no card is in the reader")
			}
			cardLine = 0
		}
		s.Steps = append(s.Steps, st)
	}
	if err := sc.Err(); err != nil {
		line++
		return fail("%v", err)
	}
	return s, nil
}

// parseStep reads one step.
func parseStep(text string, people directory) (Step, error) {
	fields := strings.Fields(text)
	switch {
	case fields[0] == "wait":
		if len(fields) != 2 {
			return Step{}, fmt.Errorf("wait takes one duration, like 2s or 500ms")
		}
		d, err := time.ParseDuration(fields[1])
		if err != nil {
			return Step{}, fmt.Errorf("wait %q: not a duration, like 2s or 500ms", fields[1])
		}
		if d <= 0 || d > MaxWait {
			return Step{}, fmt.Errorf("wait %s: want more than 0 and at most %s", d, MaxWait)
		}
		return Step{Op: OpWait, Wait: d}, nil
	case len(fields) >= 2 && fields[0] == "insert" && fields[1] == "card":
		if len(fields) < 4 {
			return Step{}, fmt.Errorf("insert card takes a country and an identifier, like insert card EE 46003150224")
		}
		// The identifier is the rest of the line: a SNILS is written with a space.
		id := strings.Join(fields[3:], " ")
		h, err := people.find(fields[2], id)
		if err != nil {
			return Step{}, err
		}
		return Step{Op: OpInsert, Country: fields[2], Identifier: id, Holder: h}, nil
	case len(fields) >= 2 && fields[0] == "remove" && fields[1] == "card":
		if len(fields) != 2 {
			return Step{}, fmt.Errorf("remove card takes nothing after it")
		}
		return Step{Op: OpRemove}, nil
	case fields[0] == "scan":
		// The argument is the rest of the line as written: Base45 holds spaces.
		rest := strings.TrimLeft(text[len("scan"):], " \t")
		i := strings.IndexAny(rest, " \t")
		if len(fields) < 3 || i < 0 {
			return Step{}, fmt.Errorf("scan takes a kind (mrz, hc1, text) and what is scanned")
		}
		kind, arg := ScanKind(rest[:i]), strings.TrimLeft(rest[i:], " \t")
		data, err := scanData(kind, arg)
		if err != nil {
			return Step{}, err
		}
		return Step{Op: OpScan, Kind: kind, Data: data}, nil
	}
	return Step{}, fmt.Errorf("unknown step %q (want wait, insert card, remove card or scan)", fields[0])
}

// scanData checks a scan's argument and returns the payload a scanner delivers.
func scanData(kind ScanKind, arg string) ([]byte, error) {
	switch kind {
	case ScanMRZ:
		lines := strings.Split(arg, "|")
		if err := checkZone(lines); err != nil {
			return nil, fmt.Errorf("scan mrz: %v", err)
		}
		return []byte(strings.Join(lines, "\r")), nil
	case ScanHC1:
		if !strings.HasPrefix(arg, "HC1:") || len(arg) == len("HC1:") {
			return nil, fmt.Errorf("scan hc1: want HC1: and the certificate's Base45 text")
		}
		for i, c := range arg[len("HC1:"):] {
			if !strings.ContainsRune(base45Alphabet, c) {
				return nil, fmt.Errorf("scan hc1: %q at column %d is not a Base45 character", c, len("HC1:")+i+1)
			}
		}
		return []byte(arg), nil
	case ScanText:
		text, err := strconv.Unquote(`"` + arg + `"`)
		if err != nil {
			return nil, fmt.Errorf("scan text: %q has a bad escape (Go escapes: \\x1d, \\t, \\\\, \\\")", arg)
		}
		return []byte(text), nil
	}
	return nil, fmt.Errorf("scan %q: want mrz, hc1 or text", kind)
}

// base45Alphabet is the alphabet of RFC 9285 §4.
const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// checkZone checks the shape of a machine-readable zone (ICAO 9303-3 §4: TD1 is
// 3 lines of 30 characters, TD2 2 of 36, TD3 2 of 44), not its check digits.
func checkZone(lines []string) error {
	width := 0
	switch len(lines) {
	case 2:
		width = len(lines[0])
		if width != 36 && width != 44 {
			return fmt.Errorf("line 1 has %d characters; a zone of 2 lines has 36 or 44", width)
		}
	case 3:
		width = 30
	default:
		return fmt.Errorf("%d lines; a zone has 2 or 3, separated by |", len(lines))
	}
	for i, l := range lines {
		if len(l) != width {
			return fmt.Errorf("line %d has %d characters, want %d", i+1, len(l), width)
		}
		for j := 0; j < len(l); j++ {
			c := l[j]
			if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '<') {
				return fmt.Errorf("line %d column %d: %q is not A-Z, 0-9 or <", i+1, j+1, c)
			}
		}
	}
	return nil
}

// Holder is the person a simulated card belongs to.
type Holder struct {
	// Person is who the card carries, as the demo registry knows them: the
	// identifier, the names and the date of birth; Source is identity.SourceCard.
	Person identity.Person
	// Profile is the demo table's jurisdiction profile: EE, RU-MOW, AZ.
	Profile string
}

// Estonian reports whether the holder's card is an Estonian ID card, whose chip
// the simulated reader plays.
func (h Holder) Estonian() bool { return h.Profile == "EE" }
