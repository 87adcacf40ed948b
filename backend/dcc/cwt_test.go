package dcc

// Tests of the CWT claims: deterministic encoding, lenient decoding, payload to JSON.

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// cborOf encodes v deterministically or fails the test.
func cborOf(t testing.TB, v any) []byte {
	t.Helper()
	b, err := cborEncMode().Marshal(v)
	if err != nil {
		t.Fatalf("encoding %v: %v", v, err)
	}
	return b
}

func TestClaimsMarshalCBOR(t *testing.T) {
	c := exampleClaims()
	got, err := c.MarshalCBOR()
	if err != nil {
		t.Fatalf("MarshalCBOR() = %v", err)
	}
	// Map of 4 (a4) in key order 1, 4, 6, -260: iss "EE" (01 62 4545), exp 1654164000
	// (04 1a 62988a20), iat 1622628000 (06 1a 60b756a0), hcert (39 0103) {1: ...} (a1 01).
	const wantHead = "a4" + "0162" + "4545" + "041a" + "62988a20" + "061a" + "60b756a0" + "390103" + "a101"
	if h := hex.EncodeToString(got); len(h) < len(wantHead) || h[:len(wantHead)] != wantHead {
		t.Errorf("MarshalCBOR() = %s..., want it to start %s", h[:min(len(h), len(wantHead))], wantHead)
	}
	again, _ := c.MarshalCBOR()
	if !bytes.Equal(again, got) {
		t.Errorf("MarshalCBOR() twice differs")
	}
	// The payload is itself deterministic: decoding and re-encoding changes nothing.
	var parsed Claims
	if err := parsed.UnmarshalCBOR(got); err != nil {
		t.Fatalf("UnmarshalCBOR(MarshalCBOR()) = %v", err)
	}
	var generic any
	if err := cbor.Unmarshal(parsed.RawPayload, &generic); err != nil {
		t.Fatal(err)
	}
	if re := cborOf(t, generic); !bytes.Equal(re, parsed.RawPayload) {
		t.Errorf("payload is not in deterministic encoding:\n got %x\nwant %x", parsed.RawPayload, re)
	}
}

func TestClaimsRoundTrip(t *testing.T) {
	want := exampleClaims()
	data, err := want.MarshalCBOR()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseClaims(data)
	if err != nil {
		t.Fatalf("ParseClaims(MarshalCBOR()) = %v", err)
	}
	if got.Issuer != want.Issuer || !got.IssuedAt.Equal(want.IssuedAt) || !got.Expires.Equal(want.Expires) {
		t.Errorf("ParseClaims(...) = %q %v %v, want %q %v %v", got.Issuer, got.IssuedAt, got.Expires,
			want.Issuer, want.IssuedAt, want.Expires)
	}
	if !reflect.DeepEqual(got.Certificate, want.Certificate) {
		t.Errorf("ParseClaims(...).Certificate = %+v, want %+v", got.Certificate, want.Certificate)
	}
}

func TestClaimsMarshalRefuses(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Claims)
	}{
		{"no iat", func(c *Claims) { c.IssuedAt = time.Time{} }},
		{"no exp", func(c *Claims) { c.Expires = time.Time{} }},
		{"exp before iat", func(c *Claims) { c.Expires = c.IssuedAt.Add(-time.Second) }},
		{"exp equal to iat", func(c *Claims) { c.Expires = c.IssuedAt }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := exampleClaims()
			tc.edit(&c)
			if _, err := c.MarshalCBOR(); !errors.Is(err, ErrClaims) {
				t.Errorf("MarshalCBOR() = %v, want %v", err, ErrClaims)
			}
		})
	}
}

func TestParseClaimsLenient(t *testing.T) {
	payload := map[string]any{
		"ver": "1.3.0",
		"nam": map[string]any{"fnt": "TAMM"},
		"dob": "1950",
		"v": []any{map[string]any{
			"tg": DiseaseCOVID19, "dn": 2.0, "sd": uint64(2), "ci": "URN:UVCI:01:EE:X",
		}},
		"xx": "an unknown key is kept in the raw payload",
	}
	iat := time.Date(2021, 6, 2, 10, 0, 0, 0, time.UTC)
	exp := iat.AddDate(1, 0, 0)
	hcert := map[int64]any{hcertEUDCC: payload}
	tests := []struct {
		name             string
		claims           map[any]any
		wantIss          string
		wantIat, wantExp time.Time
	}{
		{"integer times", map[any]any{1: "EE", 6: iat.Unix(), 4: exp.Unix(), -260: hcert}, "EE", iat, exp},
		{"float times", map[any]any{6: float64(iat.Unix()), 4: float64(exp.Unix()) + 0.5, -260: hcert},
			"", iat, exp.Add(500 * time.Millisecond)},
		{"tag 1 times", map[any]any{6: cbor.Tag{Number: 1, Content: iat.Unix()}, 4: cbor.Tag{Number: 1, Content: exp.Unix()}, -260: hcert},
			"", iat, exp},
		{"no times", map[any]any{1: "EE", -260: hcert}, "EE", time.Time{}, time.Time{}},
		{"private claims ignored", map[any]any{"foo": []byte{1}, 99: "x", 1: "LT", 6: iat.Unix(), 4: exp.Unix(), -260: hcert},
			"LT", iat, exp},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseClaims(cborOf(t, tc.claims))
			if err != nil {
				t.Fatalf("ParseClaims(%v) = %v", tc.claims, err)
			}
			if got.Issuer != tc.wantIss || !got.IssuedAt.Equal(tc.wantIat) || !got.Expires.Equal(tc.wantExp) {
				t.Errorf("ParseClaims(%v) = %q, %v, %v, want %q, %v, %v", tc.claims,
					got.Issuer, got.IssuedAt, got.Expires, tc.wantIss, tc.wantIat, tc.wantExp)
			}
			v := got.Certificate.Vaccinations
			if len(v) != 1 || v[0].DoseNumber != 2 || v[0].TotalDoses != 2 || got.Certificate.Name.FamilyNameStandardised != "TAMM" {
				t.Errorf("ParseClaims(%v).Certificate = %+v, want dn 2, sd 2, fnt TAMM", tc.claims, got.Certificate)
			}
			if !bytes.Equal(got.RawPayload, cborOf(t, payload)) {
				t.Errorf("ParseClaims(%v).RawPayload = %x, want %x", tc.claims, got.RawPayload, cborOf(t, payload))
			}
		})
	}
}

func TestParseClaimsWrongFieldType(t *testing.T) {
	// A field of the wrong type stays empty; the rest is read.
	payload := map[string]any{"ver": 13, "dob": "1950", "nam": map[string]any{"fnt": "TAMM"}}
	got, err := ParseClaims(cborOf(t, map[any]any{-260: map[any]any{1: payload}}))
	if err != nil {
		t.Fatalf("ParseClaims(ver: 13) = %v", err)
	}
	if got.Certificate.Version != "" || got.Certificate.DateOfBirth != "1950" || got.Certificate.Name.FamilyNameStandardised != "TAMM" {
		t.Errorf("ParseClaims(ver: 13).Certificate = %+v, want ver empty, dob 1950, fnt TAMM", got.Certificate)
	}
	// A payload with no JSON form is still read field by field.
	payload = map[string]any{"dob": "1950", "bin": []byte{1, 2}}
	got, err = ParseClaims(cborOf(t, map[any]any{-260: map[any]any{1: payload}}))
	if err != nil || got.Certificate.DateOfBirth != "1950" {
		t.Errorf("ParseClaims(byte string in payload) = %+v, %v, want dob 1950", got, err)
	}
}

func TestParseClaimsErrors(t *testing.T) {
	hcert := map[any]any{1: map[string]any{"ver": "1.3.0"}}
	dupKeys, _ := hex.DecodeString("a2" + "0162" + "4545" + "0162" + "4c54") // {1: "EE", 1: "LT"}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"not CBOR", []byte{0xff, 0x00}, ErrCBOR},
		{"empty", nil, ErrCBOR},
		{"array", cborOf(t, []any{1, 2}), ErrCBOR},
		{"duplicate claim", dupKeys, ErrCBOR},
		{"trailing bytes", append(cborOf(t, map[any]any{-260: hcert}), 0x00), ErrCBOR},
		{"iss not text", cborOf(t, map[any]any{1: 45, -260: hcert}), ErrCBOR},
		{"iat as text", cborOf(t, map[any]any{6: "2021-06-02", -260: hcert}), ErrCBOR},
		{"exp NaN", cborOf(t, map[any]any{4: math.NaN(), -260: hcert}), ErrCBOR},
		{"exp tag 1 on text", cborOf(t, map[any]any{4: cbor.Tag{Number: 1, Content: "x"}, -260: hcert}), ErrCBOR},
		{"exp too far", cborOf(t, map[any]any{4: uint64(1) << 60, -260: hcert}), ErrCBOR},
		{"exp under another tag", cborOf(t, map[any]any{4: cbor.Tag{Number: 100, Content: 1}, -260: hcert}), ErrCBOR},
		{"no hcert", cborOf(t, map[any]any{1: "EE"}), ErrNoCertificate},
		{"hcert without entry 1", cborOf(t, map[any]any{-260: map[any]any{2: map[string]any{}}}), ErrNoCertificate},
		{"hcert not a map", cborOf(t, map[any]any{-260: []any{1}}), ErrCBOR},
		{"payload not a map", cborOf(t, map[any]any{-260: map[any]any{1: "text"}}), ErrCBOR},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseClaims(tc.data)
			if !errors.Is(err, tc.want) {
				t.Errorf("ParseClaims(%x) = %+v, %v, want error %v", tc.data, got, err, tc.want)
			}
		})
	}
}

func TestPayloadJSON(t *testing.T) {
	tests := []struct {
		name    string
		payload any
		want    string
		wantErr error
	}{
		{"plain", map[string]any{"ver": "1.3.0", "dn": 1, "x": -2, "ok": true, "no": nil},
			`{"dn":1,"no":null,"ok":true,"ver":"1.3.0","x":-2}`, nil},
		{"no HTML escaping", map[string]any{"fnt": "TAMM<MARI", "q": `a"b\c`}, `{"fnt":"TAMM<MARI","q":"a\"b\\c"}`, nil},
		{"floats", map[string]any{"a": 1.0, "b": 0.5}, `{"a":1,"b":0.5}`, nil},
		{"nested", map[string]any{"v": []any{map[string]any{"dn": 2}}}, `{"v":[{"dn":2}]}`, nil},
		{"tag 0 date-time", map[string]any{"sc": cbor.Tag{Number: 0, Content: "2021-05-20T08:00:00Z"}},
			`{"sc":"2021-05-20T08:00:00Z"}`, nil},
		{"byte string", map[string]any{"ci": []byte("x")}, "", ErrSchema},
		{"integer key", map[any]any{1: "x"}, "", ErrSchema},
		{"other tag", map[string]any{"dob": cbor.Tag{Number: 1004, Content: "1950-04-12"}}, "", ErrSchema},
		{"not a map", []any{"x"}, "", ErrCBOR},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := payloadJSON(cborOf(t, tc.payload))
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("payloadJSON(%v) = %s, %v, want error %v", tc.payload, got, err, tc.wantErr)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Errorf("payloadJSON(%v) = %s, %v, want %s", tc.payload, got, err, tc.want)
			}
		})
	}
}

// FuzzParseClaims checks that claims decoding never panics and that what decodes
// has a payload map.
func FuzzParseClaims(f *testing.F) {
	c := exampleClaims()
	if data, err := c.MarshalCBOR(); err == nil {
		f.Add(data)
	}
	f.Add([]byte{0xa1, 0x39, 0x01, 0x03, 0xa1, 0x01, 0xa0})          // {-260: {1: {}}}
	f.Add([]byte{0xa2, 0x04, 0xfb, 0x41, 0xd8, 0x00, 0, 0, 0, 0, 0}) // float exp
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ParseClaims(data)
		if err != nil {
			if !errors.Is(err, ErrCBOR) && !errors.Is(err, ErrNoCertificate) {
				t.Errorf("ParseClaims(%x) error = %v, want one matching ErrCBOR or ErrNoCertificate", data, err)
			}
			return
		}
		if majorType(got.RawPayload) != 5 {
			t.Errorf("ParseClaims(%x).RawPayload = %x, want a map", data, got.RawPayload)
		}
	})
}
