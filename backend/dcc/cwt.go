package dcc

// The CWT claims set of an EU DCC (RFC 8392) and its CBOR form.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// Claim keys: iss, exp and iat of RFC 8392 §3.1, and hcert with its entry 1, the EU DCC
// (eHealth Network, Electronic Health Certificate Specification, "CWT Claims").
const (
	claimIssuer   = 1
	claimExpires  = 4
	claimIssuedAt = 6
	claimHCert    = -260
	hcertEUDCC    = 1
)

// Claims is the CWT claims set of an EU DCC.
//
// MarshalCBOR writes Issuer, IssuedAt, Expires and Certificate; UnmarshalCBOR reads
// them leniently and also keeps the payload as found in RawPayload, which is what a
// verifier must check (the typed Certificate drops what it has no field for).
type Claims struct {
	Issuer      string            // iss: ISO 3166-1 alpha-2 code of the issuing country; optional
	IssuedAt    time.Time         // iat; zero when absent
	Expires     time.Time         // exp; zero when absent
	Certificate HealthCertificate // hcert (-260) entry 1

	// RawPayload is hcert entry 1 exactly as found, in CBOR. UnmarshalCBOR sets it;
	// MarshalCBOR ignores it and writes Certificate.
	RawPayload []byte
}

var (
	_ cbor.Marshaler   = Claims{}
	_ cbor.Unmarshaler = (*Claims)(nil)
)

// MarshalCBOR encodes the claims as a CBOR map in the deterministic encoding of
// RFC 8949 §4.2.1: 1 (iss, text, omitted when empty), 4 (exp) and 6 (iat) as integer
// seconds since the epoch (RFC 8392 §2, NumericDate), -260 (hcert) holding
// {1: payload}. It refuses claims without iat or exp, or whose exp is not after iat,
// with an error matching ErrClaims.
func (c Claims) MarshalCBOR() ([]byte, error) {
	if c.IssuedAt.IsZero() || c.Expires.IsZero() {
		return nil, fmt.Errorf("%w: iat and exp are required", ErrClaims)
	}
	if !c.Expires.After(c.IssuedAt) {
		return nil, fmt.Errorf("%w: exp %s is not after iat %s", ErrClaims,
			c.Expires.UTC().Format(time.RFC3339), c.IssuedAt.UTC().Format(time.RFC3339))
	}
	em := cborEncMode()
	payload, err := em.Marshal(c.Certificate)
	if err != nil {
		return nil, fmt.Errorf("dcc: encode hcert payload: %w", err)
	}
	m := map[int64]any{
		claimIssuedAt: c.IssuedAt.Unix(),
		claimExpires:  c.Expires.Unix(),
		claimHCert:    map[int64]cbor.RawMessage{hcertEUDCC: payload},
	}
	if c.Issuer != "" {
		m[claimIssuer] = c.Issuer
	}
	out, err := em.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("dcc: encode CWT claims: %w", err)
	}
	return out, nil
}

// UnmarshalCBOR decodes a CWT claims set leniently: iat and exp may be integers or
// floating-point numbers (some ES and HU test vectors carry floats), optionally
// under tag 1; claims it
// does not know are ignored; the payload keeps whatever keys it has. Fields of
// Certificate whose values have the wrong type stay empty rather than failing, since
// the verifier judges the payload by RawPayload.
//
// Errors match ErrCBOR, or ErrNoCertificate when hcert or its entry 1 is missing.
func (c *Claims) UnmarshalCBOR(data []byte) error {
	dm := cborDecMode()
	var m map[any]cbor.RawMessage
	if err := dm.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("%w: %w", ErrCBOR, err)
	}
	var out Claims
	var hcert cbor.RawMessage
	for k, raw := range m {
		key, ok := cborInt(k)
		if !ok {
			continue // a text-keyed private claim; not ours
		}
		var err error
		switch key {
		case claimIssuer:
			if err = dm.Unmarshal(raw, &out.Issuer); err != nil {
				err = fmt.Errorf("iss: %w", err)
			}
		case claimIssuedAt:
			out.IssuedAt, err = numericDate(raw)
			if err != nil {
				err = fmt.Errorf("iat: %w", err)
			}
		case claimExpires:
			out.Expires, err = numericDate(raw)
			if err != nil {
				err = fmt.Errorf("exp: %w", err)
			}
		case claimHCert:
			hcert = raw
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrCBOR, err)
		}
	}
	if hcert == nil {
		return fmt.Errorf("%w: no claim -260", ErrNoCertificate)
	}
	var entries map[any]cbor.RawMessage
	if err := dm.Unmarshal(hcert, &entries); err != nil {
		return fmt.Errorf("%w: hcert: %w", ErrCBOR, err)
	}
	for k, raw := range entries {
		if key, ok := cborInt(k); ok && key == hcertEUDCC {
			out.RawPayload = append([]byte(nil), raw...)
		}
	}
	if out.RawPayload == nil {
		return fmt.Errorf("%w: hcert has no entry 1", ErrNoCertificate)
	}
	if majorType(out.RawPayload) != 5 {
		return fmt.Errorf("%w: hcert entry 1 is not a map", ErrCBOR)
	}
	out.Certificate = decodeCertificate(out.RawPayload)
	*c = out
	return nil
}

// ParseClaims decodes a CWT claims set; see Claims.UnmarshalCBOR.
func ParseClaims(data []byte) (*Claims, error) {
	var c Claims
	if err := c.UnmarshalCBOR(data); err != nil {
		return nil, err
	}
	return &c, nil
}

// decodeCertificate fills a HealthCertificate from its CBOR payload as well as it
// can. Going through JSON lets 1.0 fill an integer field, as it would for a JSON
// reader; a payload with no JSON form is decoded from CBOR directly.
func decodeCertificate(raw []byte) HealthCertificate {
	var hc HealthCertificate
	if js, err := payloadJSON(raw); err == nil {
		if err := json.Unmarshal(js, &hc); err == nil || isTypeError(err) {
			return hc
		}
		hc = HealthCertificate{}
	}
	if err := cborDecMode().Unmarshal(raw, &hc); err != nil && !isTypeError(err) {
		return HealthCertificate{}
	}
	return hc
}

// isTypeError reports whether err only says that some value did not fit its field,
// after which both decoders carry on with the rest.
func isTypeError(err error) bool {
	var je *json.UnmarshalTypeError
	var ce *cbor.UnmarshalTypeError
	return errors.As(err, &je) || errors.As(err, &ce)
}

// numericDate decodes a NumericDate (RFC 8392 §2): an integer or floating-point
// number of seconds since 1970-01-01T00:00:00Z, here also under tag 1 (RFC 8949 §3.4.2).
func numericDate(raw cbor.RawMessage) (time.Time, error) {
	var tag cbor.RawTag
	if majorType(raw) == 6 {
		if err := cborDecMode().Unmarshal(raw, &tag); err != nil {
			return time.Time{}, err
		}
		if tag.Number != 1 {
			return time.Time{}, fmt.Errorf("unexpected tag %d", tag.Number)
		}
		raw = tag.Content
	}
	var v any
	if err := cborDecMode().Unmarshal(raw, &v); err != nil {
		return time.Time{}, err
	}
	// Beyond ±2^53 seconds a float has no whole-second precision and the date lies
	// billions of years away: no real claim.
	const limit = 1 << 53
	switch n := v.(type) {
	case int64:
		if n < -limit {
			return time.Time{}, fmt.Errorf("%d out of range", n)
		}
		return time.Unix(n, 0).UTC(), nil
	case uint64:
		if n > limit {
			return time.Time{}, fmt.Errorf("%d out of range", n)
		}
		return time.Unix(int64(n), 0).UTC(), nil
	case float64:
		if math.IsNaN(n) || n < -limit || n > limit {
			return time.Time{}, fmt.Errorf("%v out of range", n)
		}
		sec, frac := math.Modf(n)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%s is not a number", cborTypeName(raw))
}

// cborTypeName names the major type of a data item for error messages.
func cborTypeName(raw []byte) string {
	names := [...]string{"unsigned integer", "negative integer", "byte string",
		"text string", "array", "map", "tag", "simple value or float"}
	if mt := majorType(raw); mt >= 0 {
		return names[mt]
	}
	return "empty item"
}
