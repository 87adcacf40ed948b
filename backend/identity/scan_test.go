package identity

import (
	"errors"
	"strings"
	"testing"
)

func TestClassifyScan(t *testing.T) {
	td1 := readZone(t, "icao-9303-5-td1-specimen.mrz")
	hc1 := "HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOOK.IR9B+9D-D.MU1A8WS/SS*2*K1"
	gs1 := "\x1d0104150123456782\x1d17261231\x1e10ABC 123"
	tests := []struct {
		name   string
		in     string
		kind   ScanKind
		text   string
		mrzErr string // for a ScanMRZ that fails
	}{
		{"MRZ with CR LF", strings.ReplaceAll(td1, "\n", "\r\n"), ScanMRZ, strings.TrimRight(strings.ReplaceAll(td1, "\n", "\r\n"), "\r\n"), ""},
		{"MRZ lower case", strings.ToLower(td1), ScanMRZ, strings.TrimRight(strings.ToLower(td1), "\n"), ""},
		{"MRZ run together", strings.ReplaceAll(td1, "\n", "") + "\r", ScanMRZ, strings.ReplaceAll(td1, "\n", ""), ""},
		{"MRZ with a bad check digit", zoneWith(td1, 2, 7, '3'), ScanMRZ, zoneWith(td1, 2, 7, '3'), "date of birth check digit"},
		{"MRZ with a line cut short", td1[:50] + td1[51:], ScanMRZ, strings.TrimRight(td1[:50]+td1[51:], "\n"), "29 characters, want 30"},
		{"HC1", hc1 + "\r\n", ScanHC1, hc1, ""},
		{"HC1 ending in a Base45 space", hc1 + " \n", ScanHC1, hc1 + " ", ""},
		{"GS1 with GS and RS", gs1 + "\r", ScanText, gs1, ""},
		{"OMS policy number", "7700000000000001\n", ScanText, "7700000000000001", ""},
		{"hc1 in lower case is not a certificate", "hc1:ncfoxn", ScanText, "hc1:ncfoxn", ""},
		{"one line of fillers is no zone", "P<UTO<<<<<<<<<<<<<<<<<<<<<<<<<", ScanText, "P<UTO<<<<<<<<<<<<<<<<<<<<<<<<<", ""},
		{"two lines without fillers are no zone", "ABCDEFGHIJKLMNOPQRSTUVWXYZ\nABCDEFGHIJKLMNOPQRSTUVWXYZ", ScanText, "ABCDEFGHIJKLMNOPQRSTUVWXYZ\nABCDEFGHIJKLMNOPQRSTUVWXYZ", ""},
		{"empty", "", ScanText, "", ""},
	}
	for _, tt := range tests {
		s := ClassifyScan([]byte(tt.in), testNow())
		if s.Kind != tt.kind || s.Text != tt.text {
			t.Errorf("%s: ClassifyScan(%q) = %s %q, want %s %q", tt.name, tt.in, s.Kind, s.Text, tt.kind, tt.text)
			continue
		}
		switch {
		case tt.kind != ScanMRZ:
			if s.MRZ != nil || s.Err != nil {
				t.Errorf("%s: ClassifyScan = %+v, want neither MRZ nor Err", tt.name, s)
			}
		case tt.mrzErr == "":
			if s.Err != nil || s.MRZ == nil || s.MRZ.DocumentNumber != "D23145890" {
				t.Errorf("%s: ClassifyScan = %+v, want the specimen's zone", tt.name, s)
			}
		default:
			if s.MRZ != nil || !errors.Is(s.Err, ErrInvalidMRZ) || !strings.Contains(s.Err.Error(), tt.mrzErr) {
				t.Errorf("%s: ClassifyScan = %+v, want Err saying %q", tt.name, s, tt.mrzErr)
			}
		}
	}
}

// FuzzClassifyScan: ClassifyScan never panics, keeps every byte but the trailing
// line end, and fills the fields its kind promises.
func FuzzClassifyScan(f *testing.F) {
	for _, s := range seedZones(f) {
		f.Add([]byte(s))
	}
	f.Add([]byte("\x1d0104150123456782\x1d17261231\x1e10ABC 123\r"))
	f.Add([]byte("HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL \r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := ClassifyScan(b, testNow())
		if want := strings.TrimRight(string(b), "\r\n"); s.Text != want {
			t.Fatalf("ClassifyScan(%q).Text = %q, want %q", b, s.Text, want)
		}
		switch s.Kind {
		case ScanHC1:
			if !strings.HasPrefix(s.Text, "HC1:") || s.MRZ != nil || s.Err != nil {
				t.Fatalf("ClassifyScan(%q) = %+v", b, s)
			}
		case ScanText:
			if s.MRZ != nil || s.Err != nil {
				t.Fatalf("ClassifyScan(%q) = %+v", b, s)
			}
		case ScanMRZ:
			if (s.MRZ == nil) == (s.Err == nil) {
				t.Fatalf("ClassifyScan(%q) = %+v, want exactly one of MRZ and Err", b, s)
			}
			if s.MRZ != nil {
				if _, err := s.MRZ.Lines(); err != nil {
					t.Fatalf("ClassifyScan(%q).MRZ.Lines() = %v", b, err)
				}
			} else if !errors.Is(s.Err, ErrInvalidMRZ) {
				t.Fatalf("ClassifyScan(%q).Err = %v, want ErrInvalidMRZ", b, s.Err)
			}
		default:
			t.Fatalf("ClassifyScan(%q).Kind = %q", b, s.Kind)
		}
	})
}
