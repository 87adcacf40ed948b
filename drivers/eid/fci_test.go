package eid

import (
	"bytes"
	"errors"
	"testing"
)

func TestParseFCI(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want FileInfo
	}{
		{"empty", "", FileInfo{Size: -1}},
		{"IDEMIA field", "62 10 80 02 00 0E 82 01 01 83 02 50 01 8A 01 05 A1 00",
			FileInfo{Template: TagFCP, Size: 14, Descriptor: 0x01, FID: 0x5001, HasFID: true, LifeCycle: 5}},
		{"size from 81", "62 04 81 02 06 00", FileInfo{Template: TagFCP, Size: 0x600}},
		{"80 wins over 81", "62 08 81 02 06 00 80 02 05 00", FileInfo{Template: TagFCP, Size: 0x500}},
		{"size in 85 is not read", "62 0B 82 01 01 83 02 AA CE 85 02 06 00", FileInfo{Template: TagFCP, Size: -1, Descriptor: 1, FID: 0xAACE, HasFID: true}},
		{"DF with AID", "6F 0E 82 01 38 84 09 A0 00 00 00 63 50 4B 43 53",
			FileInfo{Template: TagFCI, Size: -1, Descriptor: 0x38, DFName: h("A0 00 00 00 63 50 4B 43 53")}},
		{"record file", "62 0B 82 05 04 21 00 32 10 83 02 50 44",
			FileInfo{Template: TagFCP, Size: -1, Descriptor: 0x04, MaxRecordSize: 0x32, Records: 16, FID: 0x5044, HasFID: true}},
		{"FMD", "64 00", FileInfo{Template: TagFMD, Size: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFCI(h(tt.in))
			if err != nil {
				t.Fatalf("ParseFCI(%s): %v", tt.in, err)
			}
			got.Objects = nil
			if got.Template != tt.want.Template || got.Size != tt.want.Size || got.Descriptor != tt.want.Descriptor ||
				got.FID != tt.want.FID || got.HasFID != tt.want.HasFID || !bytes.Equal(got.DFName, tt.want.DFName) ||
				got.MaxRecordSize != tt.want.MaxRecordSize || got.Records != tt.want.Records || got.LifeCycle != tt.want.LifeCycle {
				t.Errorf("ParseFCI(%s) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
	df, _ := ParseFCI(h("62 03 82 01 38"))
	ef, _ := ParseFCI(h("62 03 82 01 01"))
	rec, _ := ParseFCI(h("62 03 82 01 04"))
	if !df.IsDF() || df.IsTransparent() || ef.IsDF() || !ef.IsTransparent() || !rec.IsRecords() || ef.IsRecords() {
		t.Errorf("IsDF/IsTransparent/IsRecords wrong: %+v %+v %+v", df, ef, rec)
	}
}

func TestParseFCIMustFail(t *testing.T) {
	for _, in := range []string{
		"80 02 00 0E",                // not a template
		"62 02 80 00 62 00",          // two templates
		"62 04 80 02 00",             // bad TLV inside
		"62 02 80 00",                // size of no bytes
		"62 07 80 05 01 02 03 04 05", // size of five bytes
		"62 03 83 01 50",             // FID of one byte
		"62 02 84 00",                // empty AID
		"62 03 8A 02 05",             // bad TLV
		"62 04 8A 02 05 05",          // life cycle of two bytes
		"62 02 82 00",                // empty descriptor
		"62 80 80 01 00 00 00",       // indefinite length
	} {
		if fi, err := ParseFCI(h(in)); !errors.Is(err, ErrFCI) {
			t.Errorf("ParseFCI(%s) = %+v, %v, want ErrFCI", in, fi, err)
		}
	}
}
