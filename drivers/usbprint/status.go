package usbprint

// status.go: the port status byte of GET_PORT_STATUS (USB printer class 1.1
// §4.2.2), which mirrors the status lines of a parallel port.

import (
	"fmt"
	"strings"
)

// PortStatus is the byte GET_PORT_STATUS returns. Only bits 3 to 5 are defined;
// the others are reserved and ignored.
type PortStatus uint8

// Port status bits.
const (
	StatusNotError   PortStatus = 1 << 3 // clear: the printer is in an error state
	StatusSelected   PortStatus = 1 << 4 // set: the printer is on line
	StatusPaperEmpty PortStatus = 1 << 5 // set: out of paper
)

// PaperEmpty reports the paper-empty bit.
func (s PortStatus) PaperEmpty() bool { return s&StatusPaperEmpty != 0 }

// Selected reports whether the printer is on line.
func (s PortStatus) Selected() bool { return s&StatusSelected != 0 }

// Fault reports whether the printer signals an error (the not-error bit clear).
// Printers clear it together with others, e.g. when out of paper.
func (s PortStatus) Fault() bool { return s&StatusNotError == 0 }

// OK reports whether the printer is selected, without error and has paper.
func (s PortStatus) OK() bool { return s.Selected() && !s.Fault() && !s.PaperEmpty() }

// String lists the conditions, e.g. "0x28 paper-empty,not-selected".
func (s PortStatus) String() string {
	var c []string
	if s.PaperEmpty() {
		c = append(c, "paper-empty")
	}
	if !s.Selected() {
		c = append(c, "not-selected")
	}
	if s.Fault() {
		c = append(c, "error")
	}
	if len(c) == 0 {
		c = append(c, "ok")
	}
	return fmt.Sprintf("0x%02x %s", uint8(s), strings.Join(c, ","))
}
