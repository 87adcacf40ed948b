package eid

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseTLV(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []TLV
	}{
		{"empty", "", nil},
		{"primitive", "80 02 01 F4", []TLV{{Tag: 0x80, Value: h("01 F4")}}},
		{"zero length", "8A 00", []TLV{{Tag: 0x8A, Value: h("")}}},
		{"two", "83 02 50 01 8A 01 05", []TLV{{Tag: 0x83, Value: h("50 01")}, {Tag: 0x8A, Value: h("05")}}},
		{"constructed", "62 07 80 01 0E 83 02 50 01", []TLV{{Tag: 0x62, Value: h("80 01 0E 83 02 50 01"),
			Children: []TLV{{Tag: 0x80, Value: h("0E")}, {Tag: 0x83, Value: h("50 01")}}}}},
		{"empty constructed", "A1 00", []TLV{{Tag: 0xA1, Value: h(""), Children: []TLV{}}}},
		{"two-byte tag", "5F 20 02 41 42", []TLV{{Tag: 0x5F20, Value: h("41 42")}}},
		{"three-byte tag", "BF 81 01 00", []TLV{{Tag: 0xBF8101, Value: h(""), Children: []TLV{}}}},
		{"two-byte tag 1F", "9F 1F 01 00", []TLV{{Tag: 0x9F1F, Value: h("00")}}},
		{"two-byte tag under 31, as EMV has", "9F 02 01 00", []TLV{{Tag: 0x9F02, Value: h("00")}}},
		{"length 81", "04 81 03 01 02 03", []TLV{{Tag: 0x04, Value: h("01 02 03")}}},
		{"length 82", "04 82 00 01 FF", []TLV{{Tag: 0x04, Value: h("FF")}}},
		{"length 84", "04 84 00 00 00 01 FF", []TLV{{Tag: 0x04, Value: h("FF")}}},
		{"nested 3 deep", "6F 08 A5 06 BF 0C 03 5F 2D 00", []TLV{{Tag: 0x6F, Value: h("A5 06 BF 0C 03 5F 2D 00"),
			Children: []TLV{{Tag: 0xA5, Value: h("BF 0C 03 5F 2D 00"),
				Children: []TLV{{Tag: 0xBF0C, Value: h("5F 2D 00"),
					Children: []TLV{{Tag: 0x5F2D, Value: h("")}}}}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTLV(h(tt.in))
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseTLV(%s) = %+v, %v, want %+v", tt.in, got, err, tt.want)
			}
			// Minimal encodings come out as they went in.
			if enc := EncodeTLV(got...); !strings.Contains(tt.name, "length 8") && !bytes.Equal(enc, h(tt.in)) {
				t.Errorf("EncodeTLV(ParseTLV(%s)) = %X", tt.in, enc)
			}
		})
	}
}

func TestParseTLVMustFail(t *testing.T) {
	// An object at level MaxTLVDepth+1: one too deep.
	nest := []byte{0x80, 0x00}
	for i := 0; i < MaxTLVDepth; i++ {
		nest = AppendTLV(nil, 0xA1, nest)
	}
	justDeepEnough := []byte{0x80, 0x00}
	for i := 0; i < MaxTLVDepth-1; i++ {
		justDeepEnough = AppendTLV(nil, 0xA1, justDeepEnough)
	}
	if _, err := ParseTLV(justDeepEnough); err != nil {
		t.Errorf("ParseTLV(%d levels) = %v", MaxTLVDepth, err)
	}
	tests := []struct {
		name string
		in   []byte
		says string
	}{
		{"length beyond the buffer", h("80 03 01 02"), "length 3, but 2 bytes are left"},
		{"length beyond the enclosing object", h("62 03 80 04 01 02 03 04"), "length 4, but 1 bytes are left"},
		{"long length beyond the buffer", h("04 82 01 00 00"), "length 256, but 1 bytes are left"},
		{"indefinite length", h("62 80 80 01 00 00 00"), "indefinite length"},
		{"length field 85", h("04 85 00 00 00 00 01 00"), "length field 85"},
		{"length field cut short", h("04 82 01"), "length field cut short"},
		{"huge length", h("04 84 FF FF FF FF 00"), "length"},
		{"missing length", h("80"), "missing length"},
		{"nesting too deep", nest, "nested deeper than 8 levels"},
		{"tag 00", h("00 00"), "00 is not a tag's first byte"},
		{"padding FF", h("80 01 00 FF"), "FF is not a tag's first byte"},
		{"tag cut short", h("5F"), "cut short"},
		{"tag of four bytes", h("5F 81 81 01 00"), "longer than 3 bytes"},
		{"tag with a leading zero", h("5F 80 01 00"), "shortest form"},
		{"trailing byte", h("80 01 00 83"), "missing length"},
		{"input too long", make([]byte, MaxTLVInput+1), "more than 65536"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTLV(tt.in)
			if !errors.Is(err, ErrTLV) || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("ParseTLV(%X) = %+v, %v, want ErrTLV saying %q", tt.in, got, err, tt.says)
			}
			if !strings.HasPrefix(err.Error(), "eid: ") {
				t.Errorf("ParseTLV error %q has no package prefix", err)
			}
		})
	}
}

func TestParseOneTLV(t *testing.T) {
	obj, rest, err := ParseOneTLV(h("30 03 02 01 05 00 00 FF"))
	if err != nil || obj.Tag != 0x30 || len(obj.Children) != 1 || !bytes.Equal(rest, h("00 00 FF")) {
		t.Errorf("ParseOneTLV = %+v, %X, %v", obj, rest, err)
	}
	if _, _, err := ParseOneTLV(h("30 05 02 01")); !errors.Is(err, ErrTLV) {
		t.Errorf("ParseOneTLV(short) = %v, want ErrTLV", err)
	}
}

func TestTagString(t *testing.T) {
	for tag, want := range map[Tag]string{0x6F: "6F", 0x5F20: "5F20", 0xBF8101: "BF8101"} {
		if got := tag.String(); got != want {
			t.Errorf("Tag(%X).String() = %q, want %q", uint32(tag), got, want)
		}
	}
	if !Tag(0xBF8101).Constructed() || Tag(0x5F20).Constructed() || !Tag(0x62).Constructed() {
		t.Error("Constructed() wrong")
	}
}

func TestAppendTLVLengths(t *testing.T) {
	for _, n := range []int{0, 127, 128, 255, 256, 65535, 65536} {
		enc := AppendTLV(nil, 0x04, make([]byte, n))
		objs, err := ParseTLV(enc)
		if n > MaxTLVInput-6 {
			continue // beyond what ParseTLV reads at all
		}
		if err != nil || len(objs) != 1 || len(objs[0].Value) != n {
			t.Errorf("ParseTLV(AppendTLV(%d bytes)) = %d objects, %v", n, len(objs), err)
		}
	}
}
