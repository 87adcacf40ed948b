package dcc

// Tests of the HC1 container: zlib, Base45, prefix, size cap, fuzzing.

import (
	"bytes"
	"compress/zlib"
	"errors"
	"strings"
	"testing"

	"github.com/veraison/go-cose"
)

// zlibOf compresses data at the default level.
func zlibOf(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hc1Of wraps bytes in the HC1 text form without compressing them.
func hc1Of(data []byte) string { return HC1Prefix + EncodeBase45(data) }

func TestHC1RoundTrip(t *testing.T) {
	iss := newTestIssuer(t, cose.AlgorithmES256)
	signed, err := Sign(iss.signer, iss.kid, exampleClaims())
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"signed certificate", signed},
		{"empty", []byte{}},
		{"one byte", []byte{0xd2}},
		{"exactly the cap", make([]byte, MaxCOSESize)},
		{"incompressible", bytes.Repeat([]byte("\x8f\x13\xa5\x5e\xc2\x77\x09\xe1"), 500)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := EncodeHC1(tc.data)
			if err != nil {
				t.Fatalf("EncodeHC1(%d bytes) = %v", len(tc.data), err)
			}
			if !strings.HasPrefix(s, HC1Prefix) {
				t.Errorf("EncodeHC1(%d bytes) = %.10q..., want prefix %q", len(tc.data), s, HC1Prefix)
			}
			again, err := EncodeHC1(tc.data)
			if err != nil || again != s {
				t.Errorf("EncodeHC1 twice on %d bytes differs", len(tc.data))
			}
			got, err := DecodeHC1(s)
			if err != nil || !bytes.Equal(got, tc.data) {
				t.Errorf("DecodeHC1(EncodeHC1(%d bytes)) = %d bytes, %v, want the input", len(tc.data), len(got), err)
			}
		})
	}
}

func TestEncodeHC1UsesZlib(t *testing.T) {
	s, err := EncodeHC1([]byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := DecodeBase45(strings.TrimPrefix(s, HC1Prefix))
	if err != nil {
		t.Fatal(err)
	}
	// 0x78 0xDA: deflate, 32 KiB window, best compression (RFC 1950 §2.2).
	if len(data) < 2 || data[0] != 0x78 || data[1] != 0xda {
		t.Errorf("EncodeHC1(%q) payload starts % x, want 78 da", "hello", data[:min(2, len(data))])
	}
}

func TestEncodeHC1TooLarge(t *testing.T) {
	_, err := EncodeHC1(make([]byte, MaxCOSESize+1))
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("EncodeHC1(%d bytes) = %v, want %v", MaxCOSESize+1, err, ErrTooLarge)
	}
}

func TestDecodeHC1(t *testing.T) {
	cose := []byte{0xd2, 0x84, 0x43, 0xa1, 0x01, 0x26, 0xa0, 0x41, 0x00, 0x41, 0x00}
	valid := hc1Of(zlibOf(t, cose))
	badChecksum := zlibOf(t, cose)
	badChecksum[len(badChecksum)-1] ^= 0xff
	compressed := zlibOf(t, cose)

	tests := []struct {
		name    string
		in      string
		want    []byte
		wantErr []error
	}{
		{"compressed", valid, cose, nil},
		{"surrounding white space", " \t\n" + valid + "\r\n ", cose, nil},
		{"uncompressed tagged COSE", hc1Of(cose), cose, nil},
		{"uncompressed untagged COSE", hc1Of(cose[1:]), cose[1:], nil},
		{"uncompressed COSE in a CWT tag", hc1Of(append([]byte{0xd8, 0x3d}, cose...)), append([]byte{0xd8, 0x3d}, cose...), nil},
		{"empty", "", nil, []error{ErrPrefix}},
		{"no prefix", strings.TrimPrefix(valid, HC1Prefix), nil, []error{ErrPrefix}},
		{"lower-case prefix", "hc1:" + strings.TrimPrefix(valid, HC1Prefix), nil, []error{ErrPrefix}},
		{"HC2 prefix", "HC2:" + strings.TrimPrefix(valid, HC1Prefix), nil, []error{ErrPrefix}},
		{"space after the prefix", "HC1: " + strings.TrimPrefix(valid, HC1Prefix), nil, []error{ErrBase45}},
		{"invalid Base45", "HC1:bb8", nil, []error{ErrBase45, ErrBase45Char}},
		{"dangling Base45", "HC1:BB8A", nil, []error{ErrBase45, ErrBase45Dangling}},
		{"nothing after the prefix", "HC1:", nil, []error{ErrZlib}},
		{"neither zlib nor COSE", hc1Of([]byte("plain text")), nil, []error{ErrZlib}},
		{"corrupt deflate stream", hc1Of([]byte{0x78, 0xda, 0xff, 0xff, 0xff, 0xff}), nil, []error{ErrZlib}},
		{"bad Adler-32", hc1Of(badChecksum), nil, []error{ErrZlib}},
		{"truncated stream", hc1Of(compressed[:len(compressed)-5]), nil, []error{ErrZlib}},
		{"zlib bomb one byte over", hc1Of(zlibOf(t, make([]byte, MaxCOSESize+1))), nil, []error{ErrZlib, ErrTooLarge}},
		{"zlib bomb of 16 MiB", hc1Of(zlibOf(t, make([]byte, 16<<20))), nil, []error{ErrZlib, ErrTooLarge}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeHC1(tc.in)
			if tc.wantErr == nil {
				if err != nil || !bytes.Equal(got, tc.want) {
					t.Errorf("DecodeHC1(%.40q) = % x, %v, want % x, nil", tc.in, got, err, tc.want)
				}
				return
			}
			for _, want := range tc.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("DecodeHC1(%.40q) = % x, %v, want error %v", tc.in, got, err, want)
				}
			}
			if err != nil && !strings.HasPrefix(err.Error(), "dcc: ") {
				t.Errorf("DecodeHC1(%.40q) error = %q, want the package prefix", tc.in, err)
			}
		})
	}
}

// FuzzDecodeHC1 checks that decoding never panics, never returns more than
// MaxCOSESize bytes, fails only with the documented errors, and that what decodes
// survives an EncodeHC1 round trip.
func FuzzDecodeHC1(f *testing.F) {
	cose := []byte{0xd2, 0x84, 0x43, 0xa1, 0x01, 0x26, 0xa0, 0x41, 0x00, 0x41, 0x00}
	f.Add(hc1Of(zlibOf(f, cose)))
	f.Add(hc1Of(cose))
	f.Add(hc1Of(zlibOf(f, make([]byte, MaxCOSESize+1))))
	f.Add(hc1Of([]byte{0x78, 0xda}))
	f.Add("HC1:")
	f.Add(" HC1:BB8 ")
	f.Add("HC1:bb8")
	for _, v := range fuzzSeedVectors(f) {
		if v.prefix != "" {
			f.Add(v.prefix)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := DecodeHC1(s)
		if err != nil {
			if !errors.Is(err, ErrPrefix) && !errors.Is(err, ErrBase45) && !errors.Is(err, ErrZlib) {
				t.Errorf("DecodeHC1(%q) error = %v, want one matching ErrPrefix, ErrBase45 or ErrZlib", s, err)
			}
			return
		}
		if len(got) > MaxCOSESize {
			t.Fatalf("DecodeHC1(%q) = %d bytes, want at most %d", s, len(got), MaxCOSESize)
		}
		enc, err := EncodeHC1(got)
		if err != nil {
			t.Fatalf("EncodeHC1(DecodeHC1(%q)) = %v", s, err)
		}
		back, err := DecodeHC1(enc)
		if err != nil || !bytes.Equal(back, got) {
			t.Errorf("DecodeHC1(EncodeHC1(% x)) = % x, %v, want the input", got, back, err)
		}
	})
}
