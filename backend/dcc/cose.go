package dcc

// COSE_Sign1 of the EU DCC (RFC 9052 §4.2, §4.4): signing, lenient parsing, the key identifier.

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"fmt"

	"github.com/fxamacker/cbor/v2"
	"github.com/veraison/go-cose"
)

// CBOR tags that may wrap a COSE_Sign1 message: COSE_Sign1_Tagged (RFC 9052 §2) and
// CWT (RFC 8392 §6).
const (
	tagCOSESign1 = 18
	tagCWT       = 61
)

// KeyIDSize is the length of a DCC key identifier.
const KeyIDSize = 8

// KeyID returns the DCC key identifier of a document signer certificate: the first
// 8 bytes of the SHA-256 digest of its DER encoding (eHealth Network, technical
// specifications for the EU DCC, volume 1, "Key Identifier"; DESIGN.md §3).
func KeyID(certDER []byte) []byte {
	sum := sha256.Sum256(certDER)
	return sum[:KeyIDSize:KeyIDSize]
}

// Sign encodes claims as a CWT and signs it into a COSE_Sign1_Tagged message (tag 18,
// RFC 9052 §4.2) whose protected header holds the signer's algorithm (label 1) and kid
// (label 4), and whose unprotected header is empty, as the DCC expects.
//
// Randomness, where the algorithm needs it (ECDSA nonces, PSS salts), comes from
// crypto/rand; tests make it repeatable with testing/cryptotest.SetGlobalRandom, since
// crypto/ecdsa ignores any other reader from Go 1.26 on.
func Sign(signer cose.Signer, kid []byte, claims Claims) ([]byte, error) {
	if len(kid) == 0 {
		return nil, fmt.Errorf("%w: empty key identifier", ErrClaims)
	}
	payload, err := claims.MarshalCBOR()
	if err != nil {
		return nil, err
	}
	msg := cose.NewSign1Message()
	msg.Headers.Protected.SetAlgorithm(signer.Algorithm())
	msg.Headers.Protected[cose.HeaderLabelKeyID] = bytes.Clone(kid)
	msg.Payload = payload
	if err := msg.Sign(rand.Reader, nil, signer); err != nil {
		return nil, fmt.Errorf("dcc: sign: %w", err)
	}
	out, err := msg.MarshalCBOR()
	if err != nil {
		return nil, fmt.Errorf("dcc: encode COSE_Sign1: %w", err)
	}
	return out, nil
}

// sign1 is a COSE_Sign1 message as read by parseSign1.
type sign1 struct {
	protected []byte         // the serialized protected header, as found
	alg       cose.Algorithm // 0 when absent
	kid       []byte         // empty when absent
	payload   []byte
	signature []byte
}

// parseSign1 reads a COSE_Sign1 message leniently: tagged (18) or not, optionally
// inside a CWT tag (61); alg and kid taken from the protected header, else from the
// unprotected one. The DCC puts both in the protected header but lets the kid sit in
// the unprotected one, which verifiers must accept (hcert specification, "Key
// Identifier"); a kid in the protected header wins, so that an unprotected one cannot
// redirect verification to another key.
//
// Errors match ErrCOSE.
func parseSign1(data []byte) (*sign1, error) {
	dm := cborDecMode()
	seen18, seen61 := false, false
	for majorType(data) == 6 {
		var tag cbor.RawTag
		if err := dm.Unmarshal(data, &tag); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrCOSE, err)
		}
		switch {
		case tag.Number == tagCWT && !seen61 && !seen18:
			seen61 = true
		case tag.Number == tagCOSESign1 && !seen18:
			seen18 = true
		default:
			return nil, fmt.Errorf("%w: unexpected tag %d", ErrCOSE, tag.Number)
		}
		data = tag.Content
	}
	var parts []cbor.RawMessage
	if err := dm.Unmarshal(data, &parts); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCOSE, err)
	}
	if len(parts) != 4 {
		return nil, fmt.Errorf("%w: array of %d items, want 4", ErrCOSE, len(parts))
	}
	var m sign1
	fields := []struct {
		name string
		dst  *[]byte
	}{{"protected header", &m.protected}, {"payload", &m.payload}, {"signature", &m.signature}}
	for i, raw := range []cbor.RawMessage{parts[0], parts[2], parts[3]} {
		if majorType(raw) != 2 {
			return nil, fmt.Errorf("%w: %s is a %s, want a byte string", ErrCOSE, fields[i].name, cborTypeName(raw))
		}
		if err := dm.Unmarshal(raw, fields[i].dst); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrCOSE, fields[i].name, err)
		}
	}
	if len(m.signature) == 0 {
		return nil, fmt.Errorf("%w: empty signature", ErrCOSE)
	}
	protected := map[any]any{}
	if len(m.protected) > 0 {
		if err := dm.Unmarshal(m.protected, &protected); err != nil {
			return nil, fmt.Errorf("%w: protected header: %w", ErrCOSE, err)
		}
	}
	var unprotected map[any]any
	if err := dm.Unmarshal(parts[1], &unprotected); err != nil {
		return nil, fmt.Errorf("%w: unprotected header: %w", ErrCOSE, err)
	}
	for _, h := range []map[any]any{protected, unprotected} {
		if v, ok := headerValue(h, cose.HeaderLabelAlgorithm); ok && m.alg == 0 {
			alg, ok := cborInt(v)
			if !ok || alg == 0 {
				return nil, fmt.Errorf("%w: alg is %v, want an integer", ErrCOSE, v)
			}
			m.alg = cose.Algorithm(alg)
		}
		if v, ok := headerValue(h, cose.HeaderLabelKeyID); ok && len(m.kid) == 0 {
			switch kid := v.(type) {
			case []byte:
				m.kid = kid
			case string: // tolerated: a text kid is taken as its UTF-8 bytes
				m.kid = []byte(kid)
			default:
				return nil, fmt.Errorf("%w: kid is %T, want a byte string", ErrCOSE, v)
			}
		}
	}
	return &m, nil
}

// headerValue looks up an integer label in a decoded header map.
func headerValue(h map[any]any, label int64) (any, bool) {
	for k, v := range h {
		if n, ok := cborInt(k); ok && n == label {
			return v, true
		}
	}
	return nil, false
}

// toBeSigned builds the Sig_structure of RFC 9052 §4.4 for a COSE_Sign1 message
// without external data and encodes it deterministically.
func (m *sign1) toBeSigned() ([]byte, error) {
	// A nil slice would encode as null; the structure wants byte strings, empty or not.
	protected, payload := m.protected, m.payload
	if protected == nil {
		protected = []byte{}
	}
	if payload == nil {
		payload = []byte{}
	}
	return cborEncMode().Marshal([]any{"Signature1", protected, []byte{}, payload})
}
