package usbtest

// recording.go: recorded byte-level exchanges, as text a person can read and diff.

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"certkiosk/drivers/usb"
)

// ErrRecording reports a recording that cannot be read.
var ErrRecording = errors.New("usbtest: bad recording")

// StepKind is the kind of a recorded transfer.
type StepKind int

// Step kinds.
const (
	ControlStep StepKind = iota + 1 // a control transfer on endpoint 0
	OutStep                         // host to device on a bulk or interrupt endpoint
	InStep                          // device to host on a bulk or interrupt endpoint
)

// String returns the keyword recordings use: "ctrl", "out" or "in".
func (k StepKind) String() string {
	switch k {
	case ControlStep:
		return "ctrl"
	case OutStep:
		return "out"
	case InStep:
		return "in"
	}
	return "?"
}

// Step is one recorded transfer.
type Step struct {
	Kind     StepKind
	Setup    usb.Setup           // ControlStep
	Length   int                 // ControlStep: wLength
	Endpoint usb.EndpointAddress // OutStep, InStep
	// Data is what moved: the host's bytes for OUT requests and transfers, the
	// device's answer for IN ones.
	Data []byte
	// Fault is how the transfer ended, after Data moved.
	Fault Fault
	// Line is the line of the recording the step came from, for messages.
	Line int
}

// String describes the step in a line, data abbreviated.
func (s Step) String() string {
	var b strings.Builder
	switch s.Kind {
	case ControlStep:
		fmt.Fprintf(&b, "ctrl %s %04x", s.Setup, s.Length)
	default:
		fmt.Fprintf(&b, "%s %02x", s.Kind, uint8(s.Endpoint))
	}
	if len(s.Data) > 0 {
		fmt.Fprintf(&b, " (%d bytes: %s)", len(s.Data), abbrev(s.Data))
	}
	if s.Fault != NoFault {
		b.WriteString(" !" + s.Fault.String())
	}
	return b.String()
}

func abbrev(p []byte) string {
	const show = 16
	if len(p) <= show {
		return hex.EncodeToString(p)
	}
	return hex.EncodeToString(p[:show]) + "…"
}

// Recording is a sequence of transfers between a host and one device.
type Recording struct {
	Steps []Step
}

// ReadRecording reads a recording from a file.
func ReadRecording(path string) (*Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := ParseRecording(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// ParseRecording reads a recording: one transfer per line, in the order they
// happened, every number in hex.
//
//	# a comment, to the end of the line
//	ctrl <bmRequestType> <bRequest> <wValue> <wIndex> <wLength> [data…] [!fault]
//	out <endpoint> <data…> [!fault]
//	in <endpoint> [data…] [!fault]
//
// Data may be split into several hex words for readability; they are joined.
// For a control request with the IN bit set in bmRequestType, data is the
// device's answer (at most wLength bytes); otherwise it is what the host sends
// (exactly wLength bytes). out lines carry what the host wrote, in lines what the
// device returned. A fault (!stall, !timeout, !unplug, !hang) ends the transfer
// after its data moved.
func ParseRecording(r io.Reader) (*Recording, error) {
	var rec Recording
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		step, err := parseStep(fields)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrRecording, line, err)
		}
		step.Line = line
		rec.Steps = append(rec.Steps, step)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: line %d: %v", ErrRecording, line+1, err)
	}
	return &rec, nil
}

func parseStep(fields []string) (Step, error) {
	var s Step
	if f := fields[len(fields)-1]; strings.HasPrefix(f, "!") {
		fault, err := parseFault(f[1:])
		if err != nil {
			return s, err
		}
		s.Fault = fault
		fields = fields[:len(fields)-1]
	}
	switch fields[0] {
	case "ctrl":
		if len(fields) < 6 {
			return s, errors.New("ctrl needs bmRequestType bRequest wValue wIndex wLength")
		}
		var nums [5]uint64
		for i, bits := range []int{8, 8, 16, 16, 16} {
			n, err := strconv.ParseUint(fields[1+i], 16, bits)
			if err != nil {
				return s, fmt.Errorf("ctrl field %d: %q is not a %d-bit hex number", i+1, fields[1+i], bits)
			}
			nums[i] = n
		}
		s.Kind = ControlStep
		s.Setup = usb.Setup{RequestType: uint8(nums[0]), Request: uint8(nums[1]), Value: uint16(nums[2]), Index: uint16(nums[3])}
		s.Length = int(nums[4])
		data, err := parseHex(fields[6:])
		if err != nil {
			return s, err
		}
		s.Data = data
		if s.Setup.IsIn() && len(data) > s.Length {
			return s, fmt.Errorf("answer of %d bytes is longer than wLength %d", len(data), s.Length)
		}
		if !s.Setup.IsIn() && len(data) != s.Length {
			return s, fmt.Errorf("host data of %d bytes, wLength %d", len(data), s.Length)
		}
	case "out", "in":
		if len(fields) < 2 {
			return s, fmt.Errorf("%s needs an endpoint", fields[0])
		}
		ep, err := strconv.ParseUint(fields[1], 16, 8)
		if err != nil {
			return s, fmt.Errorf("endpoint %q is not a hex byte", fields[1])
		}
		s.Endpoint = usb.EndpointAddress(ep)
		s.Kind = OutStep
		if fields[0] == "in" {
			s.Kind = InStep
		}
		if s.Endpoint.IsIn() != (s.Kind == InStep) {
			return s, fmt.Errorf("endpoint %s has the wrong direction for %q", s.Endpoint, fields[0])
		}
		if s.Data, err = parseHex(fields[2:]); err != nil {
			return s, err
		}
	default:
		return s, fmt.Errorf("unknown transfer %q (want ctrl, out or in)", fields[0])
	}
	return s, nil
}

func parseFault(name string) (Fault, error) {
	for _, f := range []Fault{Stall, Timeout, Unplug, Hang} {
		if f.String() == name {
			return f, nil
		}
	}
	return NoFault, fmt.Errorf("unknown fault %q", "!"+name)
}

func parseHex(words []string) ([]byte, error) {
	var data []byte
	for _, w := range words {
		b, err := hex.DecodeString(w)
		if err != nil {
			return nil, fmt.Errorf("data %q is not hex bytes", w)
		}
		data = append(data, b...)
	}
	return data, nil
}

// Format writes the recording in the form ParseRecording reads, data in words of
// 32 bytes.
func (r *Recording) Format(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, s := range r.Steps {
		switch s.Kind {
		case ControlStep:
			fmt.Fprintf(bw, "ctrl %s %04x", s.Setup, s.Length)
		default:
			fmt.Fprintf(bw, "%s %02x", s.Kind, uint8(s.Endpoint))
		}
		for p := s.Data; len(p) > 0; {
			k := min(len(p), 32)
			bw.WriteString(" " + hex.EncodeToString(p[:k]))
			p = p[k:]
		}
		if s.Fault != NoFault {
			bw.WriteString(" !" + s.Fault.String())
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}
