package usbprint

import (
	"errors"
	"maps"
	"slices"
	"testing"
)

func TestParseDeviceID(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want DeviceID
	}{
		{
			name: "HP laser",
			in:   "MFG:HP;MDL:HP LaserJet Pro M404dn;CMD:PJL,PCL,PCLXL,PDF,POSTSCRIPT,PWG,URF;CLS:PRINTER;DES:HP LaserJet Pro M404dn;CID:HPLJPDLV1;LEDMDIS:USB#FF#CC#00,USB#07#01#02,USB#FF#04#01;",
			want: DeviceID{"MFG": "HP", "MDL": "HP LaserJet Pro M404dn", "CMD": "PJL,PCL,PCLXL,PDF,POSTSCRIPT,PWG,URF", "CLS": "PRINTER", "DES": "HP LaserJet Pro M404dn", "CID": "HPLJPDLV1", "LEDMDIS": "USB#FF#CC#00,USB#07#01#02,USB#FF#04#01"},
		},
		{
			name: "Brother, model after command set",
			in:   "MFG:Brother;CMD:PJL,PCL,PCLXL,URF;MDL:HL-L2350DW series;CLS:PRINTER;CID:Brother Laser Type1;URF:W8,CP1,IS4-1,MT1-3-4-5-8,OB10,PQ4,RS300-600,V1.4,DM1;",
			want: DeviceID{"MFG": "Brother", "CMD": "PJL,PCL,PCLXL,URF", "MDL": "HL-L2350DW series", "CLS": "PRINTER", "CID": "Brother Laser Type1", "URF": "W8,CP1,IS4-1,MT1-3-4-5-8,OB10,PQ4,RS300-600,V1.4,DM1"},
		},
		{
			name: "Zebra long keys, no trailing semicolon",
			in:   "MANUFACTURER:Zebra Technologies;COMMAND SET:ZPL;MODEL:ZTC GK420d;CLASS:PRINTER;DESCRIPTION:Zebra GK420d",
			want: DeviceID{"MFG": "Zebra Technologies", "CMD": "ZPL", "MDL": "ZTC GK420d", "CLS": "PRINTER", "DES": "Zebra GK420d"},
		},
		{
			name: "Canon inkjet with class IMAGE",
			in:   "MFG:Canon;CMD:BJL,BJRaster3,BSCCe,NCCe,IVEC,IVECPLI;SOJ:BJNP2,BJNP;MDL:MG3600 series;CLS:IMAGE;DES:Canon MG3600 series;VER:1.020;STA:10;",
			want: DeviceID{"MFG": "Canon", "CMD": "BJL,BJRaster3,BSCCe,NCCe,IVEC,IVECPLI", "SOJ": "BJNP2,BJNP", "MDL": "MG3600 series", "CLS": "IMAGE", "DES": "Canon MG3600 series", "VER": "1.020", "STA": "10"},
		},
		{
			name: "lower-case keys, spaces and CRLF",
			in:   " mfg : Hewlett-Packard ; cmd:PJL,MLC,PCL,PCLXL,POSTSCRIPT;\r\nmdl:hp LaserJet 1320 series ;",
			want: DeviceID{"MFG": "Hewlett-Packard", "CMD": "PJL,MLC,PCL,PCLXL,POSTSCRIPT", "MDL": "hp LaserJet 1320 series"},
		},
		{
			name: "both spellings: the first wins",
			in:   "MANUFACTURER:EPSON;MFG:Seiko Epson;COMMAND SET:ESCPL2,BDC;CMD:ESC/P;MDL:ET-2750 Series;",
			want: DeviceID{"MFG": "EPSON", "CMD": "ESCPL2,BDC", "MDL": "ET-2750 Series"},
		},
		{
			name: "colons in a value, garbage between pairs, serial keys",
			in:   "MFG:Kyocera;;junk;MDL:ECOSYS P2040dn;COMMENT:RES=600x1:fast;SERN:VCF1234567;",
			want: DeviceID{"MFG": "Kyocera", "MDL": "ECOSYS P2040dn", "COMMENT": "RES=600x1:fast", "SN": "VCF1234567"},
		},
		{
			name: "ends at NUL",
			in:   "MFG:Lexmark;MDL:MS321dn;\x00CMD:garbage after the string",
			want: DeviceID{"MFG": "Lexmark", "MDL": "MS321dn"},
		},
		{
			name: "empty value",
			in:   "MFG:;MDL:X",
			want: DeviceID{"MFG": "", "MDL": "X"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDeviceID(tt.in)
			if err != nil || !maps.Equal(got, tt.want) {
				t.Fatalf("ParseDeviceID(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
			}
			again, err := ParseDeviceID(got.String())
			if err != nil || !maps.Equal(again, got) {
				t.Errorf("ParseDeviceID(%q) = %v, %v, want %v", got.String(), again, err, got)
			}
		})
	}
}

func TestParseDeviceIDRejects(t *testing.T) {
	for _, in := range []string{"", ";;;", "no pairs here", ":value only;", "\x00MFG:HP;"} {
		if id, err := ParseDeviceID(in); !errors.Is(err, ErrDeviceID) {
			t.Errorf("ParseDeviceID(%q) = %v, %v, want ErrDeviceID", in, id, err)
		}
	}
}

func TestDeviceIDAccessors(t *testing.T) {
	id, err := ParseDeviceID("MANUFACTURER:Zebra Technologies;COMMAND SET: ZPL , EPL ,;MODEL:ZTC GK420d;CLASS:PRINTER;DESCRIPTION:Zebra GK420d;SERIALNUMBER:29J123456789")
	if err != nil {
		t.Fatal(err)
	}
	if id.Manufacturer() != "Zebra Technologies" || id.Model() != "ZTC GK420d" || id.Class() != "PRINTER" || id.Description() != "Zebra GK420d" || id.SerialNumber() != "29J123456789" {
		t.Errorf("accessors of %v", id)
	}
	if got := id.CommandSet(); !slices.Equal(got, []string{"ZPL", "EPL"}) {
		t.Errorf("CommandSet() = %q, want [ZPL EPL]", got)
	}
	if id.Get("model") != "ZTC GK420d" || id.Get("MDL") != "ZTC GK420d" || id.Get("Command Set") != "ZPL , EPL ," {
		t.Errorf("Get() does not accept both spellings")
	}
	if got, want := id.String(), "MFG:Zebra Technologies;MDL:ZTC GK420d;CMD:ZPL , EPL ,;CLS:PRINTER;DES:Zebra GK420d;SN:29J123456789;"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestSupports(t *testing.T) {
	tests := []struct {
		cmd  string
		lang string
		want bool
	}{
		{"PJL,PCL,PCLXL,PDF,POSTSCRIPT", "PDF", true},
		{"PJL,PCL,PCLXL,URF", "PDF", false},
		{"PJL,PCL 5e,PCL 6,PostScript 3,PDF 1.7", "PDF", true},
		{"pjl,pdf17", "PDF", true},
		{"PDF-A", "pdf", true},
		{"PCLXL", "PCL", false},
		{"PCLXL,PCL", "PCL", true},
		{"PDFX", "PDF", false},
		{"", "PDF", false},
		{"PDF", "", false},
	}
	for _, tt := range tests {
		id := DeviceID{"CMD": tt.cmd}
		if got := id.Supports(tt.lang); got != tt.want {
			t.Errorf("DeviceID{CMD:%q}.Supports(%q) = %v, want %v", tt.cmd, tt.lang, got, tt.want)
		}
	}
}

func prefixed(order LengthOrder, s string, extra int) []byte {
	n := len(s) + 2 + extra
	if order == LengthLittleEndian {
		return append([]byte{byte(n), byte(n >> 8)}, s...)
	}
	return append([]byte{byte(n >> 8), byte(n)}, s...)
}

func TestDecodeDeviceID(t *testing.T) {
	const hp = "MFG:HP;MDL:HP LaserJet Pro M404dn;CMD:PJL,PCL,PCLXL,PDF;CLS:PRINTER;"
	long := hp + "DES:HP LaserJet Pro M404dn with a description long enough to pass 256 bytes of device ID, as multifunction printers with long URF and LEDMDIS lists do;LEDMDIS:USB#FF#CC#00,USB#07#01#02,USB#FF#04#01,USB#FF#04#01;URF:CP1,IS1-5-7,MT1-2-3-4-5-6-8-10-11-12-13,RS600,SRGB24,V1.4,W8,DM1;"
	want, _ := ParseDeviceID(hp)
	wantLong, _ := ParseDeviceID(long)
	tests := []struct {
		name  string
		in    []byte
		order LengthOrder
		want  DeviceID
	}{
		{"big-endian as specified", prefixed(LengthBigEndian, hp, 0), LengthAuto, want},
		{"little-endian, detected", prefixed(LengthLittleEndian, hp, 0), LengthAuto, want},
		{"little-endian over 255 bytes, detected", prefixed(LengthLittleEndian, long, 0), LengthAuto, wantLong},
		{"little-endian from the quirks table", prefixed(LengthLittleEndian, hp, 0), LengthLittleEndian, want},
		{"length leaves out its own two bytes", prefixed(LengthBigEndian, hp, -2), LengthAuto, want},
		{"length longer than the answer", prefixed(LengthBigEndian, hp, 300), LengthAuto, want},
		{"length zero", append([]byte{0, 0}, hp...), LengthAuto, want},
		{"trailing NUL padding", append(prefixed(LengthBigEndian, hp, 0), 0, 0, 0, 0), LengthAuto, want},
		{"length shorter than the answer", append(prefixed(LengthBigEndian, hp, 0), "MFG:junk"...), LengthAuto, want},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeDeviceID(tt.in, tt.order)
			if err != nil || !maps.Equal(got, tt.want) {
				t.Errorf("DecodeDeviceID(% x…, %v) = %v, %v, want %v", tt.in[:min(8, len(tt.in))], tt.order, got, err, tt.want)
			}
		})
	}
}

func TestDecodeDeviceIDRejects(t *testing.T) {
	for _, in := range [][]byte{nil, {0x00}, {0x00, 0x02}, {0x00, 0x05, 'a', 'b', 'c'}} {
		if id, err := DecodeDeviceID(in, LengthAuto); !errors.Is(err, ErrDeviceID) {
			t.Errorf("DecodeDeviceID(% x) = %v, %v, want ErrDeviceID", in, id, err)
		}
	}
}
