package ccid

import (
	"bytes"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func TestDecodeFrame(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     string
		maxLen int
		want   Frame
		err    string // substring of the error; "" for success
	}{
		{
			name: "IccPowerOn command",
			in:   "62 00000000 00 07 01 0000",
			want: Frame{Type: PCtoRDRIccPowerOn, Seq: 7, Param: [3]byte{1, 0, 0}},
		},
		{
			name: "DataBlock with ATR",
			in:   "80 04000000 00 01 00 00 00 3b 02 14 50", maxLen: 271,
			want: Frame{Type: RDRtoPCDataBlock, Seq: 1, Data: []byte{0x3b, 0x02, 0x14, 0x50}},
		},
		{
			name: "SlotStatus no card",
			in:   "81 00000000 01 ff 42 fe 00",
			want: Frame{Type: RDRtoPCSlotStatus, Slot: 1, Seq: 0xff, Param: [3]byte{0x42, 0xfe, 0}},
		},
		{
			name: "time extension",
			in:   "80 00000000 00 03 80 01 00",
			want: Frame{Type: RDRtoPCDataBlock, Seq: 3, Param: [3]byte{0x80, 0x01, 0}},
		},
		{name: "empty", in: "", err: "truncated: 0 bytes"},
		{name: "header cut", in: "80 02000000 00 01 00", err: "truncated: 8 bytes"},
		{name: "data cut", in: "80 04000000 00 01 00 00 00 3b 02 14", err: "truncated: dwLength 4 but 3"},
		{name: "trailing byte", in: "80 04000000 00 01 00 00 00 3b 02 14 50 00", err: "trailing bytes: dwLength 4 but 5"},
		{name: "longer than the maximum", in: "80 05000000 00 01 00 00 00 0102030405", maxLen: 14, err: "longer than the reader's maximum of 14"},
		{name: "huge dwLength", in: "80 ffffffff 00 01 00 00 00", maxLen: 271, err: "longer than the reader's maximum"},
		{name: "huge dwLength without maximum", in: "80 ffffffff 00 01 00 00 00", err: "truncated: dwLength 4294967295 but 0"},
		{name: "unknown type", in: "90 00000000 00 01 00 00 00", err: "unknown bMessageType 0x90"},
		{name: "interrupt type on bulk", in: "50 00000000 00 01 00 00 00", err: "unknown bMessageType 0x50"},
		{name: "SlotStatus with data", in: "81 01000000 00 01 00 00 00 aa", err: "SlotStatus with 1 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := unhex(t, tc.in)
			got, err := DecodeFrame(in, tc.maxLen)
			if tc.err != "" {
				if !errors.Is(err, ErrFrame) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("DecodeFrame(%s) = %v, %v, want an ErrFrame with %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeFrame(%s) = %v", tc.in, err)
			}
			if got.Type != tc.want.Type || got.Slot != tc.want.Slot || got.Seq != tc.want.Seq || got.Param != tc.want.Param || !bytes.Equal(got.Data, tc.want.Data) {
				t.Errorf("DecodeFrame(%s) = %v, want %v", tc.in, got, tc.want)
			}
			if enc := got.Encode(); !bytes.Equal(enc, in) {
				t.Errorf("Encode() = % x, want % x", enc, in)
			}
		})
	}
}

func TestResponseTypes(t *testing.T) {
	for cmd, want := range map[MessageType]MessageType{
		PCtoRDRIccPowerOn: RDRtoPCDataBlock, PCtoRDRXfrBlock: RDRtoPCDataBlock,
		PCtoRDRIccPowerOff: RDRtoPCSlotStatus, PCtoRDRGetSlotStatus: RDRtoPCSlotStatus, PCtoRDRAbort: RDRtoPCSlotStatus,
		PCtoRDRSetParameters: RDRtoPCParameters, PCtoRDRGetParameters: RDRtoPCParameters,
		PCtoRDREscape: RDRtoPCEscape, PCtoRDRSetDataRate: RDRtoPCDataRate,
	} {
		if got, ok := cmd.Response(); !ok || got != want {
			t.Errorf("%s.Response() = %s, %v, want %s", cmd, got, ok, want)
		}
		if !cmd.IsCommand() || cmd.IsResponse() || !want.IsResponse() || want.IsCommand() {
			t.Errorf("%s/%s: IsCommand/IsResponse disagree", cmd, want)
		}
	}
	if _, ok := RDRtoPCDataBlock.Response(); ok {
		t.Error("DataBlock.Response() reported an answer type")
	}
}

func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		b    byte
		icc  ICCState
		cmd  CommandStatus
		text string
	}{
		{0x00, CardActive, CommandOK, "ok, card present, active"},
		{0x01, CardInactive, CommandOK, "ok, card present, inactive"},
		{0x02, CardAbsent, CommandOK, "ok, no card"},
		{0x42, CardAbsent, CommandFailed, "failed, no card"},
		{0x40, CardActive, CommandFailed, "failed, card present, active"},
		{0x80, CardActive, CommandTimeExtension, "time extension, card present, active"},
	} {
		s := Status(tc.b)
		if s.ICC() != tc.icc || s.Command() != tc.cmd || s.String() != tc.text {
			t.Errorf("Status(%02x) = %v/%v %q, want %v/%v %q", tc.b, s.ICC(), s.Command(), s, tc.icc, tc.cmd, tc.text)
		}
	}
}

func TestDecodeNotification(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		slots   int
		present []bool
		changed []bool
		err     bool
	}{
		{"inserted", "50 03", 1, []bool{true}, []bool{true}, false},
		{"removed", "50 02", 1, []bool{false}, []bool{true}, false},
		{"no change", "50 01", 1, []bool{true}, []bool{false}, false},
		{"slot 1 of 2 inserted", "50 0d", 2, []bool{true, true}, []bool{false, true}, false},
		{"slot 4 of 5", "50 00 03", 5, []bool{false, false, false, false, true}, []bool{false, false, false, false, true}, false},
		{"too short for 5 slots", "50 00", 5, nil, nil, true},
		{"too long", "50 03 00", 1, nil, nil, true},
		{"empty", "", 1, nil, nil, true},
		{"bulk type", "80 03", 1, nil, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := unhex(t, tc.in)
			n, err := DecodeNotification(in, tc.slots)
			if tc.err {
				if !errors.Is(err, ErrFrame) {
					t.Fatalf("DecodeNotification(%s) = %+v, %v, want ErrFrame", tc.in, n, err)
				}
				return
			}
			if err != nil || !slices.Equal(n.Present, tc.present) || !slices.Equal(n.Changed, tc.changed) {
				t.Fatalf("DecodeNotification(%s) = %v %v, %v, want %v %v", tc.in, n.Present, n.Changed, err, tc.present, tc.changed)
			}
			if enc := n.Encode(); !bytes.Equal(enc, in) {
				t.Errorf("Encode() = % x, want % x", enc, in)
			}
		})
	}
	n, err := DecodeNotification([]byte{0x51, 0x00, 0x07, HardwareOvercurrent}, 1)
	if err != nil || n.Type != RDRtoPCHardwareError || n.Seq != 7 || n.Code != HardwareOvercurrent {
		t.Errorf("DecodeNotification(HardwareError) = %+v, %v", n, err)
	}
	if _, err := DecodeNotification([]byte{0x51, 0x00, 0x07}, 1); !errors.Is(err, ErrFrame) {
		t.Errorf("DecodeNotification(short HardwareError) = %v, want ErrFrame", err)
	}
}

func TestSlotError(t *testing.T) {
	e := &SlotError{Op: "XfrBlock", Slot: 0, Status: 0x42, Code: ErrorICCMute, Err: ErrCardRemoved}
	if got, want := e.Error(), "ccid: XfrBlock slot 0: ICC_MUTE (no card): card removed"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var err error = e
	var se *SlotError
	if !errors.Is(err, ErrCardRemoved) || !errors.As(err, &se) || se.Code != ErrorICCMute {
		t.Errorf("errors.Is/As on %v failed", err)
	}
	if got := ErrorName(0x0a); got != "bad parameter at offset 10" {
		t.Errorf("ErrorName(0x0a) = %q", got)
	}
	if got := ErrorName(0x81); got != "error 0x81" {
		t.Errorf("ErrorName(0x81) = %q", got)
	}
}
