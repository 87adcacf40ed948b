package ccid

// atr.go: the answer to reset (ISO/IEC 7816-3 §8): TS, T0, the interface
// bytes TAi/TBi/TCi/TDi, the historical bytes and TCK, and what they say about
// the protocols and parameters the card offers.

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// MaxATRLen is the longest answer to reset: TS and at most 32 more characters
// (ISO/IEC 7816-3 §8).
const MaxATRLen = 33

// Convention is the coding convention TS announces.
type Convention int

// Conventions (§8, TS).
const (
	Direct  Convention = iota // TS = 3B
	Inverse                   // TS = 3F
)

// String returns "direct" or "inverse".
func (c Convention) String() string {
	if c == Inverse {
		return "inverse"
	}
	return "direct"
}

// InterfaceGroup holds the interface bytes TAi, TBi, TCi and TDi of one group
// i; Has tells which are present.
type InterfaceGroup struct {
	TA, TB, TC, TD byte
	HasTA, HasTB   bool
	HasTC, HasTD   bool
	// T is the protocol the group's bytes are about: 0 for group 1 (global),
	// and for group i>1 the T that TD(i-1) indicates. Group 2 is global too
	// whatever TD1 says, except that TC2 is T=0's.
	T int
}

// ATR is a parsed answer to reset. Raw keeps the bytes as the card sent them
// (as the reader passed them on, in direct convention).
type ATR struct {
	Raw        []byte
	Convention Convention
	// Groups holds the interface bytes: Groups[0] is TA1..TD1, and so on.
	Groups     []InterfaceGroup
	Historical []byte
	// TCK is the check byte, present (HasTCK) when any protocol other than T=0
	// is indicated.
	TCK    byte
	HasTCK bool
}

// String returns the raw ATR in hex, upper case, bytes separated by spaces,
// as ATR lists print them.
func (a ATR) String() string {
	return strings.ToUpper(hex.EncodeToString(a.Raw))
}

// ParseATR parses an answer to reset strictly: TS must be 3B or 3F, every byte
// that T0 and the TDi announce must be there, TCK must be present exactly when
// a protocol other than T=0 is indicated and must check, nothing may follow,
// and the whole must not exceed 33 bytes. Errors wrap ErrATR. The returned
// ATR's Raw and Historical alias b.
func ParseATR(b []byte) (ATR, error) {
	bad := func(format string, args ...any) (ATR, error) {
		return ATR{}, fmt.Errorf("%w: %s", ErrATR, fmt.Sprintf(format, args...))
	}
	if len(b) < 2 {
		return bad("%d bytes, TS and T0 are needed", len(b))
	}
	if len(b) > MaxATRLen {
		return bad("%d bytes, at most %d allowed", len(b), MaxATRLen)
	}
	a := ATR{Raw: b}
	switch b[0] {
	case 0x3b:
		a.Convention = Direct
	case 0x3f:
		a.Convention = Inverse
	default:
		return bad("TS is %02X, want 3B or 3F", b[0])
	}
	pos := 1
	y := b[1] >> 4 // T0: Y1 in the high nibble, K in the low one
	k := int(b[1] & 0x0f)
	pos++
	needTCK := false
	t := 0 // protocol of the group being read
	for i := 1; ; i++ {
		g := InterfaceGroup{T: t}
		if i <= 2 {
			g.T = 0
		}
		next := func(name string) (byte, error) {
			if pos >= len(b) {
				return 0, fmt.Errorf("%w: %s%d announced but the ATR ends at %d bytes", ErrATR, name, i, len(b))
			}
			c := b[pos]
			pos++
			return c, nil
		}
		var err error
		if y&0x1 != 0 {
			if g.TA, err = next("TA"); err != nil {
				return ATR{}, err
			}
			g.HasTA = true
		}
		if y&0x2 != 0 {
			if g.TB, err = next("TB"); err != nil {
				return ATR{}, err
			}
			g.HasTB = true
		}
		if y&0x4 != 0 {
			if g.TC, err = next("TC"); err != nil {
				return ATR{}, err
			}
			g.HasTC = true
		}
		if y&0x8 != 0 {
			if g.TD, err = next("TD"); err != nil {
				return ATR{}, err
			}
			g.HasTD = true
		}
		a.Groups = append(a.Groups, g)
		if !g.HasTD {
			break
		}
		t = int(g.TD & 0x0f)
		if i == 1 && t == 15 {
			return bad("TD1 indicates T=15, which only later TDi may")
		}
		if t != 0 {
			needTCK = true
		}
		y = g.TD >> 4
	}
	if pos+k > len(b) {
		return bad("%d historical bytes announced, %d bytes remain", k, len(b)-pos)
	}
	a.Historical = b[pos : pos+k]
	pos += k
	if needTCK {
		if pos >= len(b) {
			return bad("TCK missing (a protocol other than T=0 is indicated)")
		}
		a.TCK, a.HasTCK = b[pos], true
		pos++
		var x byte
		for _, c := range b[1:pos] {
			x ^= c
		}
		if x != 0 {
			return bad("TCK is %02X, the bytes T0 to TCK XOR to %02X instead of 00", a.TCK, x)
		}
	}
	if pos != len(b) {
		return bad("%d bytes after the end", len(b)-pos)
	}
	return a, nil
}

// group returns interface group i (1-based), if present.
func (a ATR) group(i int) (InterfaceGroup, bool) {
	if i < 1 || i > len(a.Groups) {
		return InterfaceGroup{}, false
	}
	return a.Groups[i-1], true
}

// Protocols returns the protocols the card offers, in the order the TDi
// indicate them, without repeats and without T=15 (which introduces global
// bytes, not a protocol). A card whose ATR has no TD1 offers T=0 only.
func (a ATR) Protocols() []int {
	var ps []int
	for _, g := range a.Groups {
		if !g.HasTD {
			break
		}
		t := int(g.TD & 0x0f)
		if t == 15 {
			continue
		}
		seen := false
		for _, p := range ps {
			seen = seen || p == t
		}
		if !seen {
			ps = append(ps, t)
		}
	}
	if len(ps) == 0 {
		ps = []int{0}
	}
	return ps
}

// Offers reports whether the card offers protocol t.
func (a ATR) Offers(t int) bool {
	for _, p := range a.Protocols() {
		if p == t {
			return true
		}
	}
	return false
}

// SpecificMode reports whether TA2 is present, which puts the card in specific
// mode (§8): it works at once with protocol T and the parameters of TA1 (or,
// when implicit is set, with parameters defined elsewhere) and accepts no PPS.
func (a ATR) SpecificMode() (t int, canChange, implicit bool, ok bool) {
	g, present := a.group(2)
	if !present || !g.HasTA {
		return 0, false, false, false
	}
	return int(g.TA & 0x0f), g.TA&0x80 == 0, g.TA&0x10 != 0, true
}

// DefaultProtocol returns the protocol in use after the ATR when no PPS
// follows: the one of TA2 in specific mode, otherwise the first offered.
func (a ATR) DefaultProtocol() int {
	if t, _, _, ok := a.SpecificMode(); ok {
		return t
	}
	return a.Protocols()[0]
}

// FiDi returns TA1, the clock rate conversion factor Fi (high nibble) and the
// baud rate adjustment factor Di (low nibble) as indices, or the default 11
// when TA1 is absent (§8).
func (a ATR) FiDi() byte {
	if g, ok := a.group(1); ok && g.HasTA {
		return g.TA
	}
	return 0x11
}

// GuardTime returns TC1, the extra guard time N, 0 when absent.
func (a ATR) GuardTime() byte {
	if g, ok := a.group(1); ok && g.HasTC {
		return g.TC
	}
	return 0
}

// Factors returns Fi and Di for TA1 (ISO/IEC 7816-3, Tables 7 and 8),
// and false when either index is reserved.
func Factors(ta1 byte) (fi, di int, ok bool) {
	switch ta1 >> 4 {
	case 0, 1:
		fi = 372
	case 2:
		fi = 558
	case 3:
		fi = 744
	case 4:
		fi = 1116
	case 5:
		fi = 1488
	case 6:
		fi = 1860
	case 9:
		fi = 512
	case 10:
		fi = 768
	case 11:
		fi = 1024
	case 12:
		fi = 1536
	case 13:
		fi = 2048
	}
	switch d := ta1 & 0x0f; {
	case d >= 1 && d <= 7:
		di = 1 << (d - 1)
	case d == 8:
		di = 12
	case d == 9:
		di = 20
	}
	return fi, di, fi != 0 && di != 0
}

// EDC is the error detection code of T=1 blocks.
type EDC int

// Error detection codes (§11, TCi for T=1 bit 1).
const (
	EDCLRC EDC = iota
	EDCCRC
)

// String returns "LRC" or "CRC".
func (e EDC) String() string {
	if e == EDCCRC {
		return "CRC"
	}
	return "LRC"
}

// T1Params are the parameters of protocol T=1 an ATR sets (§11).
type T1Params struct {
	IFSC int // the card's information field size, 1 to 254; 32 by default
	BWI  int // block waiting time integer, 4 by default
	CWI  int // character waiting time integer, 13 by default
	EDC  EDC // LRC by default
}

// DefaultT1 returns the parameters of a card whose ATR sets none.
func DefaultT1() T1Params { return T1Params{IFSC: 32, BWI: 4, CWI: 13, EDC: EDCLRC} }

// T1 returns the card's T=1 parameters: those of the first interface group
// (i > 2) that follows a TD indicating T=1, defaults for what it leaves out.
// It fails with ErrATR when the card does not offer T=1 or sets an IFSC of 00
// or FF, which §11 reserves.
func (a ATR) T1() (T1Params, error) {
	p := DefaultT1()
	if !a.Offers(1) {
		return p, fmt.Errorf("%w: the card does not offer T=1 (offers %v)", ErrATR, a.Protocols())
	}
	for i := 3; i <= len(a.Groups); i++ {
		g := a.Groups[i-1]
		if g.T != 1 {
			continue
		}
		if g.HasTA {
			if g.TA == 0x00 || g.TA == 0xff {
				return p, fmt.Errorf("%w: IFSC %02X is reserved", ErrATR, g.TA)
			}
			p.IFSC = int(g.TA)
		}
		if g.HasTB {
			p.BWI, p.CWI = int(g.TB>>4), int(g.TB&0x0f)
		}
		if g.HasTC && g.TC&0x01 != 0 {
			p.EDC = EDCCRC
		}
		break
	}
	return p, nil
}
