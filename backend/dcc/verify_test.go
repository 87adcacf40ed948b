package dcc

// Tests of the verifier: round trips, tampering, trust, times, lenient forms, fuzzing.

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/veraison/go-cose"
)

func TestVerifyRoundTrip(t *testing.T) {
	es256 := newTestIssuer(t, cose.AlgorithmES256)
	es384 := newTestIssuer(t, cose.AlgorithmES384)
	ps256 := newTestIssuer(t, cose.AlgorithmPS256)
	other := newTestIssuer(t, cose.AlgorithmES256)
	claims := exampleClaims()
	during := claims.IssuedAt.Add(time.Hour)

	tamper := func(hc1 string) string {
		msg, err := DecodeHC1(hc1)
		if err != nil {
			t.Fatal(err)
		}
		// Flip a bit in the family name, deep inside the signed payload.
		i := bytes.Index(msg, []byte("Tamm"))
		if i < 0 {
			t.Fatal("family name not found in the COSE message")
		}
		msg = bytes.Clone(msg)
		msg[i] ^= 0x01
		out, err := EncodeHC1(msg)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	tests := []struct {
		name      string
		hc1       string
		trust     []*x509.Certificate
		at        time.Time
		wantSig   bool
		wantValid bool
		wantWhy   string
		wantErr   error
	}{
		{"ES256 valid", signHC1(t, es256, claims), []*x509.Certificate{es256.cert}, during, true, true, "", nil},
		{"ES384 valid", signHC1(t, es384, claims), []*x509.Certificate{es384.cert}, during, true, true, "", nil},
		{"PS256 valid", signHC1(t, ps256, claims), []*x509.Certificate{ps256.cert}, during, true, true, "", nil},
		{"several certificates trusted", signHC1(t, es256, claims),
			[]*x509.Certificate{other.cert, es256.cert, ps256.cert}, during, true, true, "", nil},
		{"at iat", signHC1(t, es256, claims), []*x509.Certificate{es256.cert}, claims.IssuedAt, true, true, "", nil},
		{"at exp", signHC1(t, es256, claims), []*x509.Certificate{es256.cert}, claims.Expires, true, true, "", nil},
		{"tampered", tamper(signHC1(t, es256, claims)), []*x509.Certificate{es256.cert}, during,
			false, false, ReasonSignature, ErrSignature},
		{"wrong certificate", signHC1(t, es256, claims), []*x509.Certificate{other.cert}, during,
			false, false, ReasonUnknownKID, ErrUnknownKID},
		{"empty trust list", signHC1(t, es256, claims), nil, during, false, false, ReasonUnknownKID, ErrUnknownKID},
		{"expired", signHC1(t, es256, claims), []*x509.Certificate{es256.cert}, claims.Expires.Add(time.Second),
			true, false, ReasonExpired, ErrExpired},
		{"not yet valid", signHC1(t, es256, claims), []*x509.Certificate{es256.cert}, claims.IssuedAt.Add(-time.Second),
			true, false, ReasonNotYetValid, ErrNotYetValid},
		{"no prefix", strings.TrimPrefix(signHC1(t, es256, claims), HC1Prefix), []*x509.Certificate{es256.cert}, during,
			false, false, ReasonPrefix, ErrPrefix},
		{"bad Base45", "HC1:bb8", []*x509.Certificate{es256.cert}, during, false, false, ReasonBase45, ErrBase45},
		{"bad zlib", hc1Of([]byte{0x78, 0xda, 0xff}), []*x509.Certificate{es256.cert}, during,
			false, false, ReasonZlib, ErrZlib},
		{"not COSE", hc1Of([]byte{0x84, 0x01}), []*x509.Certificate{es256.cert}, during, false, false, ReasonCOSE, ErrCOSE},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := noSchemaCheck(tc.trust...).Verify(tc.hc1, tc.at)
			if r.SignatureValid != tc.wantSig || r.Valid != tc.wantValid || r.Reason != tc.wantWhy {
				t.Fatalf("Verify(%s) = signature %v, valid %v, reason %q (%v), want %v, %v, %q",
					tc.name, r.SignatureValid, r.Valid, r.Reason, r.Err, tc.wantSig, tc.wantValid, tc.wantWhy)
			}
			if tc.wantErr == nil && r.Err != nil || tc.wantErr != nil && !errors.Is(r.Err, tc.wantErr) {
				t.Errorf("Verify(%s).Err = %v, want %v", tc.name, r.Err, tc.wantErr)
			}
			if r.SignatureValid != (r.Signer != nil) || r.SignatureValid != (r.Claims != nil) {
				t.Errorf("Verify(%s) = Signer %v, Claims %v, want both set exactly when the signature holds",
					tc.name, r.Signer != nil, r.Claims != nil)
			}
		})
	}
}

func TestVerifyResultContents(t *testing.T) {
	iss := newTestIssuer(t, cose.AlgorithmES256)
	claims := exampleClaims()
	r := noSchemaCheck(iss.cert).Verify(signHC1(t, iss, claims), claims.IssuedAt)
	if !r.Valid {
		t.Fatalf("Verify = %q %v, want valid", r.Reason, r.Err)
	}
	if !bytes.Equal(r.KID, iss.kid) || r.Signer != iss.cert {
		t.Errorf("Verify().KID, Signer = %x, %v, want %x, the issuer's certificate", r.KID, r.Signer.Subject, iss.kid)
	}
	if r.Claims.Issuer != "EE" || r.Claims.Certificate.CertificateID() != "URN:UVCI:01:EE:KIOSKTEST0001" {
		t.Errorf("Verify().Claims = %+v, want issuer EE and the example UVCI", r.Claims)
	}
	var payload HealthCertificate
	if err := json.Unmarshal(r.Payload, &payload); err != nil {
		t.Fatalf("Verify().Payload = %s: %v", r.Payload, err)
	}
	if !reflect.DeepEqual(payload, claims.Certificate) {
		t.Errorf("Verify().Payload = %s, want the signed certificate %+v", r.Payload, claims.Certificate)
	}
	if !strings.Contains(string(r.Payload), `"gnt":"MARI<LIIS"`) {
		t.Errorf("Verify().Payload = %s, want gnt unescaped", r.Payload)
	}
}

// rawSign1 builds and signs a COSE_Sign1 message with the given headers, for the
// forms that Sign never writes.
func rawSign1(t testing.TB, iss testIssuer, protected, unprotected map[int64]any, payload []byte) []byte {
	t.Helper()
	var p []byte
	if len(protected) > 0 {
		p = cborOf(t, protected)
	}
	m := sign1{protected: p, payload: payload}
	tbs, err := m.toBeSigned()
	if err != nil {
		t.Fatal(err)
	}
	sig, err := iss.signer.Sign(rand.Reader, tbs)
	if err != nil {
		t.Fatal(err)
	}
	if p == nil {
		p = []byte{}
	}
	if unprotected == nil {
		unprotected = map[int64]any{}
	}
	return cborOf(t, []any{p, unprotected, payload, sig})
}

func TestVerifyCOSELenient(t *testing.T) {
	iss := newTestIssuer(t, cose.AlgorithmES256)
	other := newTestIssuer(t, cose.AlgorithmES256)
	claims := exampleClaims()
	at := claims.IssuedAt.Add(time.Hour)
	good, _ := claims.MarshalCBOR()
	alg := int64(cose.AlgorithmES256)
	prot := map[int64]any{1: alg, 4: iss.kid}
	withTag := func(n uint64, b []byte) []byte { return cborOf(t, cbor.Tag{Number: n, Content: cbor.RawMessage(b)}) }
	hcert := map[int64]any{hcertEUDCC: cbor.RawMessage(mustPayloadCBOR(t, claims))}
	iat, exp := claims.IssuedAt.Unix(), claims.Expires.Unix()

	tests := []struct {
		name    string
		msg     []byte
		trust   []*x509.Certificate
		wantSig bool
		wantWhy string
	}{
		{"untagged", rawSign1(t, iss, prot, nil, good), []*x509.Certificate{iss.cert}, true, ""},
		{"tag 18", withTag(18, rawSign1(t, iss, prot, nil, good)), []*x509.Certificate{iss.cert}, true, ""},
		{"CWT tag 61 around tag 18", withTag(61, withTag(18, rawSign1(t, iss, prot, nil, good))),
			[]*x509.Certificate{iss.cert}, true, ""},
		{"kid in the unprotected header", rawSign1(t, iss, map[int64]any{1: alg}, map[int64]any{4: iss.kid}, good),
			[]*x509.Certificate{iss.cert, other.cert}, true, ""},
		{"wrong unprotected kid ignored", rawSign1(t, iss, prot, map[int64]any{4: other.kid}, good),
			[]*x509.Certificate{iss.cert, other.cert}, true, ""},
		{"protected kid wrong, unprotected right", rawSign1(t, iss, map[int64]any{1: alg, 4: other.kid}, map[int64]any{4: iss.kid}, good),
			[]*x509.Certificate{iss.cert, other.cert}, false, ReasonSignature},
		{"no kid, one certificate", rawSign1(t, iss, map[int64]any{1: alg}, nil, good), []*x509.Certificate{iss.cert}, true, ""},
		{"no kid, two certificates", rawSign1(t, iss, map[int64]any{1: alg}, nil, good),
			[]*x509.Certificate{iss.cert, other.cert}, false, ReasonUnknownKID},
		{"no kid, wrong single certificate", rawSign1(t, iss, map[int64]any{1: alg}, nil, good),
			[]*x509.Certificate{other.cert}, false, ReasonSignature},
		{"empty protected header", rawSign1(t, iss, nil, map[int64]any{1: alg, 4: iss.kid}, good),
			[]*x509.Certificate{iss.cert}, true, ""},
		{"alg in the unprotected header", rawSign1(t, iss, map[int64]any{4: iss.kid}, map[int64]any{1: alg}, good),
			[]*x509.Certificate{iss.cert}, true, ""},
		{"no alg", rawSign1(t, iss, map[int64]any{4: iss.kid}, nil, good), []*x509.Certificate{iss.cert}, false, ReasonAlgorithm},
		{"EdDSA", rawSign1(t, iss, map[int64]any{1: int64(cose.AlgorithmEdDSA), 4: iss.kid}, nil, good),
			[]*x509.Certificate{iss.cert}, false, ReasonAlgorithm},
		{"PS256 header on an EC key", rawSign1(t, iss, map[int64]any{1: int64(cose.AlgorithmPS256), 4: iss.kid}, nil, good),
			[]*x509.Certificate{iss.cert}, false, ReasonSignature},
		{"float times", rawSign1(t, iss, prot, nil, cborOf(t, map[int64]any{1: "EE", 6: float64(iat) + 0.25, 4: float64(exp), -260: hcert})),
			[]*x509.Certificate{iss.cert}, true, ""},
		{"no iat", rawSign1(t, iss, prot, nil, cborOf(t, map[int64]any{4: exp, -260: hcert})),
			[]*x509.Certificate{iss.cert}, true, ""},
		{"no exp", rawSign1(t, iss, prot, nil, cborOf(t, map[int64]any{6: iat, -260: hcert})),
			[]*x509.Certificate{iss.cert}, true, ReasonNoExpiry},
		{"no hcert", rawSign1(t, iss, prot, nil, cborOf(t, map[int64]any{6: iat, 4: exp})),
			[]*x509.Certificate{iss.cert}, true, ReasonNoCertificate},
		{"claims not CBOR", rawSign1(t, iss, prot, nil, []byte{0xff}), []*x509.Certificate{iss.cert}, true, ReasonCBOR},
		{"claims not a map", rawSign1(t, iss, prot, nil, cborOf(t, "claims")), []*x509.Certificate{iss.cert}, true, ReasonCBOR},
		{"byte string in the payload", rawSign1(t, iss, prot, nil, cborOf(t, map[int64]any{6: iat, 4: exp,
			-260: map[int64]any{1: map[string]any{"ver": []byte("1.3.0")}}})), []*x509.Certificate{iss.cert}, true, ReasonSchema},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := noSchemaCheck(tc.trust...).VerifyCOSE(tc.msg, at)
			if r.SignatureValid != tc.wantSig || r.Reason != tc.wantWhy || r.Valid != (tc.wantWhy == "") {
				t.Errorf("VerifyCOSE(%s) = signature %v, valid %v, reason %q (%v), want %v, %v, %q",
					tc.name, r.SignatureValid, r.Valid, r.Reason, r.Err, tc.wantSig, tc.wantWhy == "", tc.wantWhy)
			}
		})
	}
}

func mustPayloadCBOR(t testing.TB, c Claims) []byte {
	t.Helper()
	data, err := c.MarshalCBOR()
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseClaims(data)
	if err != nil {
		t.Fatal(err)
	}
	return parsed.RawPayload
}

func TestVerifySchemaCheck(t *testing.T) {
	iss := newTestIssuer(t, cose.AlgorithmES256)
	claims := exampleClaims()
	hc1 := signHC1(t, iss, claims)
	at := claims.IssuedAt.Add(time.Hour)
	errBad := errors.New("nam.fnt: does not match the pattern")
	tests := []struct {
		name    string
		check   func([]byte) error
		wantErr error
	}{
		{"passes", func(p []byte) error {
			if !json.Valid(p) {
				return errors.New("not JSON")
			}
			return nil
		}, nil},
		{"fails", func([]byte) error { return errBad }, errBad},
		{"panics", func([]byte) error { panic("dcc: ValidatePayload is not implemented yet") }, ErrSchema},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := NewVerifier(iss.cert)
			v.checkPayload = tc.check
			r := v.Verify(hc1, at)
			if tc.wantErr == nil {
				if !r.Valid {
					t.Errorf("Verify() = %q %v, want valid", r.Reason, r.Err)
				}
				return
			}
			if r.Valid || !r.SignatureValid || r.Reason != ReasonSchema || !errors.Is(r.Err, tc.wantErr) || !errors.Is(r.Err, ErrSchema) {
				t.Errorf("Verify() = valid %v, signature %v, %q %v, want invalid, signature valid, %q %v",
					r.Valid, r.SignatureValid, r.Reason, r.Err, ReasonSchema, tc.wantErr)
			}
		})
	}
}

// TestVerifyWithValidatePayload runs the default schema check, ValidatePayload, on a
// certificate the kiosk would print. It skips while ValidatePayload is a stub.
func TestVerifyWithValidatePayload(t *testing.T) {
	iss := newTestIssuer(t, cose.AlgorithmES256)
	claims := exampleClaims()
	r := NewVerifier(iss.cert).Verify(signHC1(t, iss, claims), claims.IssuedAt)
	if r.Reason == ReasonSchema && r.Err != nil && strings.Contains(r.Err.Error(), "not implemented") {
		t.Skipf("ValidatePayload is not implemented yet: %v", r.Err)
	}
	if !r.Valid {
		t.Errorf("Verify(example vaccination) = %q %v, want valid", r.Reason, r.Err)
	}
}

// FuzzVerify checks that verification never panics on any bytes and that its result
// is consistent: Valid implies SignatureValid, Reason is empty exactly when Valid, and
// Claims are set exactly when the signature holds.
func FuzzVerify(f *testing.F) {
	iss := newTestIssuer(f, cose.AlgorithmES256)
	claims := exampleClaims()
	signed, err := Sign(iss.signer, iss.kid, claims)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add(signed[1:])
	f.Add(rawSign1(f, iss, map[int64]any{1: int64(cose.AlgorithmES256)}, map[int64]any{4: iss.kid}, []byte{0xa0}))
	trust := []*x509.Certificate{iss.cert}
	for _, v := range fuzzSeedVectors(f) {
		if msg, err := hex.DecodeString(v.coseHex); err == nil && len(msg) > 0 {
			f.Add(msg)
		}
		if der, err := base64.StdEncoding.DecodeString(v.certificate); err == nil {
			if c, err := x509.ParseCertificate(der); err == nil {
				trust = append(trust, c)
			}
		}
	}
	v := noSchemaCheck(trust...)
	at := claims.IssuedAt.Add(time.Hour)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := v.VerifyCOSE(data, at)
		if r.Valid && !r.SignatureValid {
			t.Errorf("VerifyCOSE(%x) = valid without a valid signature", data)
		}
		if (r.Reason == "") != r.Valid || (r.Err == nil) != r.Valid {
			t.Errorf("VerifyCOSE(%x) = valid %v, reason %q, err %v: inconsistent", data, r.Valid, r.Reason, r.Err)
		}
		if r.SignatureValid != (r.Claims != nil) && r.Reason != ReasonCBOR && r.Reason != ReasonNoCertificate {
			t.Errorf("VerifyCOSE(%x) = signature %v, claims %v, reason %q: inconsistent", data, r.SignatureValid, r.Claims != nil, r.Reason)
		}
		// The same bytes through the HC1 layers give the same verdict.
		if hc1, err := EncodeHC1(data); err == nil {
			if r2 := v.Verify(hc1, at); r2.Valid != r.Valid || r2.Reason != r.Reason {
				t.Errorf("Verify(EncodeHC1(%x)) = %v %q, VerifyCOSE = %v %q, want equal", data, r2.Valid, r2.Reason, r.Valid, r.Reason)
			}
		}
	})
}
