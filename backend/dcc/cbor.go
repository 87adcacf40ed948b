package dcc

// CBOR modes for the CWT and COSE code, and the payload's conversion to JSON (RFC 8949 §4.2, §6.1).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"

	"github.com/fxamacker/cbor/v2"
)

// cborEncMode returns the deterministic encoding of RFC 8949 §4.2.1: preferred
// (shortest) argument sizes, definite lengths, map keys sorted bytewise. Modes are
// built on demand so that the package keeps no state between calls.
func cborEncMode() cbor.EncMode {
	em, err := cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic("dcc: core deterministic CBOR options rejected: " + err.Error())
	}
	return em
}

// cborDecMode returns the lenient decoding used on received data: indefinite
// lengths and tags are allowed, as issuers wrote both. Duplicate map keys are refused
// (RFC 8949 §5.6) because readers that keep the first and readers that keep the last
// would then see different certificates. Tags 0 and 1 decode to RFC 3339 strings.
func cborDecMode() cbor.DecMode {
	dm, err := cbor.DecOptions{
		DupMapKey:    cbor.DupMapKeyEnforcedAPF,
		IntDec:       cbor.IntDecConvertNone,
		TimeTagToAny: cbor.TimeTagToRFC3339Nano,
	}.DecMode()
	if err != nil {
		panic("dcc: CBOR decoding options rejected: " + err.Error())
	}
	return dm
}

// cborInt returns v as an int64 when it is a CBOR integer that fits one.
func cborInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case uint64:
		if n <= math.MaxInt64 {
			return int64(n), true
		}
	}
	return 0, false
}

// majorType returns the CBOR major type of the data item starting data (RFC 8949 §3.1),
// or -1 for empty data.
func majorType(data []byte) int {
	if len(data) == 0 {
		return -1
	}
	return int(data[0] >> 5)
}

// payloadJSON converts an hcert payload from CBOR to JSON along RFC 8949 §6.1, with
// the restrictions of the DCC (JSON data model only): maps must have text keys, and
// byte strings, tags other than 0 and 1, simple values other than true, false and
// null, NaN and infinities have no JSON form and are errors matching ErrSchema.
// HTML characters are not escaped, so "<" in fnt stays readable.
func payloadJSON(raw []byte) (json.RawMessage, error) {
	var v any
	if err := cborDecMode().Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("%w: hcert payload: %w", ErrCBOR, err)
	}
	if _, ok := v.(map[any]any); !ok {
		return nil, fmt.Errorf("%w: hcert payload is not a map", ErrCBOR)
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, v, "$"); err != nil {
		return nil, err
	}
	return json.RawMessage(buf.Bytes()), nil
}

// writeJSON writes v as JSON; path names the value in error messages.
func writeJSON(buf *bytes.Buffer, v any, path string) error {
	switch x := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		buf.WriteString(strconv.FormatBool(x))
	case string:
		enc := json.NewEncoder(buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(x); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrSchema, path, err)
		}
		buf.Truncate(buf.Len() - 1) // Encode ends with a newline
	case int64:
		buf.WriteString(strconv.FormatInt(x, 10))
	case uint64:
		buf.WriteString(strconv.FormatUint(x, 10))
	case big.Int:
		buf.WriteString(x.String())
	case *big.Int:
		buf.WriteString(x.String())
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%w: %s: %v has no JSON form", ErrSchema, path, x)
		}
		buf.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case []any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, e, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case map[any]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			s, ok := k.(string)
			if !ok {
				return fmt.Errorf("%w: %s: map key %v is not a text string", ErrSchema, path, k)
			}
			keys = append(keys, s)
		}
		// Go maps have no order; sorted keys keep the output the same from run to run.
		sort.Strings(keys)
		buf.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, k, path); err != nil {
				return err
			}
			buf.WriteByte(':')
			if err := writeJSON(buf, x[k], path+"."+k); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case []byte:
		return fmt.Errorf("%w: %s: byte string has no JSON form", ErrSchema, path)
	case cbor.Tag:
		return fmt.Errorf("%w: %s: CBOR tag %d has no JSON form", ErrSchema, path, x.Number)
	default:
		return fmt.Errorf("%w: %s: CBOR %T has no JSON form", ErrSchema, path, v)
	}
	return nil
}
