package ccid

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

// The Estonian ID card's ATR (IDEMIA, issued since 2018).
const estEIDATR = "3B DB 96 00 80 B1 FE 45 1F 83 00 12 23 3F 53 65 49 44 0F 90 00 F1"

func TestParseATREstEID(t *testing.T) {
	a, err := ParseATR(unhex(t, estEIDATR))
	if err != nil {
		t.Fatal(err)
	}
	if a.String() != strings.ReplaceAll(estEIDATR, " ", "") {
		t.Errorf("String() = %s", a)
	}
	if a.Convention != Direct || !a.HasTCK || a.TCK != 0xf1 {
		t.Errorf("convention %v, TCK %v %02X", a.Convention, a.HasTCK, a.TCK)
	}
	if len(a.Groups) != 4 {
		t.Fatalf("%d interface groups, want 4: %+v", len(a.Groups), a.Groups)
	}
	g1, g3, g4 := a.Groups[0], a.Groups[2], a.Groups[3]
	if !g1.HasTA || g1.TA != 0x96 || g1.HasTB || !g1.HasTC || g1.TC != 0 || g1.TD != 0x80 {
		t.Errorf("group 1 = %+v", g1)
	}
	if g3.T != 1 || g3.TA != 0xfe || g3.TB != 0x45 || g3.TD != 0x1f {
		t.Errorf("group 3 = %+v", g3)
	}
	if g4.T != 15 || g4.TA != 0x83 || g4.HasTD {
		t.Errorf("group 4 = %+v", g4)
	}
	if !bytes.Equal(a.Historical, unhex(t, "00 12 23 3F 53 65 49 44 0F 90 00")) {
		t.Errorf("Historical = % X", a.Historical)
	}
	if p := a.Protocols(); !slices.Equal(p, []int{0, 1}) || a.DefaultProtocol() != 0 || !a.Offers(1) || a.Offers(2) {
		t.Errorf("Protocols() = %v, default %d", p, a.DefaultProtocol())
	}
	if _, _, _, ok := a.SpecificMode(); ok {
		t.Error("SpecificMode() reported TA2")
	}
	if fi, di, ok := Factors(a.FiDi()); fi != 512 || di != 32 || !ok {
		t.Errorf("Factors(%02X) = %d, %d, %v", a.FiDi(), fi, di, ok)
	}
	p, err := a.T1()
	if err != nil || p != (T1Params{IFSC: 254, BWI: 4, CWI: 5, EDC: EDCLRC}) {
		t.Errorf("T1() = %+v, %v", p, err)
	}
}

func TestParseATR(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        string
		protocols []int
		def       int
		t1        T1Params // zero when T=1 is not offered
		err       string   // substring of the error, "" for success
	}{
		{name: "T=0 only, no TCK", in: "3B 02 14 50", protocols: []int{0}},
		{name: "inverse convention", in: "3F 00", protocols: []int{0}},
		{
			name: "specific mode T=1", in: "3B 95 18 91 81 31 FE 55 80 31 C0 64 10 02",
			protocols: []int{1}, def: 1, t1: T1Params{IFSC: 254, BWI: 5, CWI: 5},
		},
		{name: "T=1 defaults", in: "3B 80 01 81", protocols: []int{1}, def: 1, t1: DefaultT1()},
		{name: "T=1 with CRC", in: "3B 80 81 71 20 45 01 14", protocols: []int{1}, def: 1, t1: T1Params{IFSC: 32, BWI: 4, CWI: 5, EDC: EDCCRC}},
		{name: "bad TS", in: "3A 00", err: "TS is 3A"},
		{name: "only TS", in: "3B", err: "TS and T0 are needed"},
		{name: "TA1 missing", in: "3B 10", err: "TA1 announced"},
		{name: "TD1 missing", in: "3B 80", err: "TD1 announced"},
		{name: "historical missing", in: "3B 05 01 02", err: "5 historical bytes announced, 2 bytes remain"},
		{name: "TCK missing", in: "3B 80 01", err: "TCK missing"},
		{name: "TCK wrong", in: "3B 80 01 80", err: "TCK is 80"},
		{name: "trailing byte", in: "3B 00 00", err: "1 bytes after the end"},
		{name: "T=15 in TD1", in: "3B 80 0F 8F", err: "TD1 indicates T=15"},
		{name: "too long", in: "3B 0F" + strings.Repeat(" 00", 32), err: "34 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := unhex(t, tc.in)
			a, err := ParseATR(in)
			if tc.err != "" {
				if !errors.Is(err, ErrATR) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseATR(%s) = %v, want an ErrATR with %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseATR(%s) = %v", tc.in, err)
			}
			if !bytes.Equal(a.Raw, in) || !slices.Equal(a.Protocols(), tc.protocols) || a.DefaultProtocol() != tc.def {
				t.Errorf("ParseATR(%s): protocols %v default %d, want %v %d", tc.in, a.Protocols(), a.DefaultProtocol(), tc.protocols, tc.def)
			}
			p, err := a.T1()
			if tc.t1 == (T1Params{}) {
				if err == nil {
					t.Errorf("T1() = %+v for a card without T=1", p)
				}
			} else if err != nil || p != tc.t1 {
				t.Errorf("T1() = %+v, %v, want %+v", p, err, tc.t1)
			}
		})
	}
}

func TestSpecificMode(t *testing.T) {
	a, err := ParseATR(unhex(t, "3B 95 18 91 81 31 FE 55 80 31 C0 64 10 02"))
	if err != nil {
		t.Fatal(err)
	}
	proto, canChange, implicit, ok := a.SpecificMode()
	if proto != 1 || canChange || implicit || !ok {
		t.Errorf("SpecificMode() = %d, %v, %v, %v, want 1, false, false, true", proto, canChange, implicit, ok)
	}
	if a.FiDi() != 0x18 || a.GuardTime() != 0 {
		t.Errorf("FiDi() = %02X, GuardTime() = %d", a.FiDi(), a.GuardTime())
	}
	if fi, di, ok := Factors(0x18); fi != 372 || di != 12 || !ok {
		t.Errorf("Factors(18) = %d, %d, %v", fi, di, ok)
	}
	for _, ta1 := range []byte{0x70, 0x80, 0xe1, 0x10, 0x1a} {
		if _, _, ok := Factors(ta1); ok {
			t.Errorf("Factors(%02X) accepted a reserved value", ta1)
		}
	}
}

func TestATRReservedIFSC(t *testing.T) {
	// TD1 = 81 (T=1, TD2 follows), TD2 = 11 (TA3 follows, T=1), TA3 = 00.
	a, err := ParseATR(unhex(t, "3B 80 81 11 00 10"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.T1(); !errors.Is(err, ErrATR) {
		t.Errorf("T1() with IFSC 00 = %v, want ErrATR", err)
	}
}
