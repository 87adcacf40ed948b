package dcc

// Verification of an EU DCC against a trust list of document signer certificates.

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/veraison/go-cose"
)

// Stable codes for Result.Reason, in the order the checks run; the UI maps each to a
// translated message.
const (
	ReasonPrefix        = "prefix"               // no "HC1:" prefix
	ReasonBase45        = "base45"               // malformed Base45
	ReasonZlib          = "zlib"                 // corrupt or oversized zlib data
	ReasonCOSE          = "cose"                 // not a COSE_Sign1 message
	ReasonUnknownKID    = "unknown-kid"          // no trusted certificate for the kid
	ReasonAlgorithm     = "algorithm"            // signature algorithm not supported
	ReasonSignature     = "signature"            // the signature does not verify
	ReasonKeyUsage      = "key-usage"            // the signer may not sign this certificate type
	ReasonCBOR          = "cbor"                 // malformed CWT claims
	ReasonNoCertificate = "no-certificate-entry" // no hcert claim or no entry 1 in it
	ReasonNotYetValid   = "not-yet-valid"        // verified before iat
	ReasonExpired       = "expired"              // verified after exp
	ReasonNoExpiry      = "no-expiry"            // no exp claim
	ReasonSchema        = "schema"               // the payload fails the schema check
)

// Result is the outcome of a verification.
type Result struct {
	// SignatureValid says that the COSE_Sign1 signature verifies with a trusted
	// certificate. It is the only conclusion drawn from an unauthenticated message:
	// Claims and Payload are filled only once it holds.
	SignatureValid bool
	// Valid says that the signature verifies, the claims and payload decode, the
	// verification time lies within [iat, exp] and the payload passes ValidatePayload.
	Valid bool
	// Reason is the stable code (one of the Reason constants) of the first check
	// that failed; empty when Valid.
	Reason string
	// Err details the failure; nil when Valid.
	Err error
	// Claims holds the decoded CWT claims once the signature verifies.
	Claims *Claims
	// Payload is the hcert payload converted to JSON (RFC 8949 §6.1), when it has a
	// JSON form.
	Payload json.RawMessage
	// KID is the key identifier found in the message, if any.
	KID []byte
	// Signer is the trusted certificate whose key verified the signature.
	Signer *x509.Certificate
}

// Verifier checks EU DCCs against a trust list of document signer certificates. It
// follows the DCC specification leniently, as verifier apps do: the COSE_Sign1 message
// may be tagged or not and may sit in a CWT tag; the kid may be in the protected or
// the unprotected header (the protected one wins); iat and exp may be integers or
// floats; ES256, ES384, ES512, PS256, PS384 and PS512 are accepted.
//
// Build one with NewVerifier; it is immutable and safe for concurrent use.
type Verifier struct {
	byKID map[string][]*x509.Certificate
	all   []*x509.Certificate
	// checkPayload is the schema check; tests of this package replace it.
	checkPayload func(payloadJSON []byte) error
}

// NewVerifier returns a Verifier trusting certs, each under its key identifier
// (KeyID of its DER). When the trust list holds exactly one certificate, a message
// without a kid is tried against it; with more, such a message fails as unknown-kid.
func NewVerifier(certs ...*x509.Certificate) *Verifier {
	v := &Verifier{byKID: make(map[string][]*x509.Certificate), checkPayload: ValidatePayload}
	for _, c := range certs {
		if c == nil {
			continue
		}
		kid := string(KeyID(c.Raw))
		v.byKID[kid] = append(v.byKID[kid], c)
		v.all = append(v.all, c)
	}
	return v
}

// Verify decodes an HC1 string (DecodeHC1) and verifies it at time at, which is the
// caller's clock; see VerifyCOSE.
func (v *Verifier) Verify(hc1 string, at time.Time) Result {
	data, err := DecodeHC1(hc1)
	if err != nil {
		reason := ReasonZlib
		switch {
		case errors.Is(err, ErrPrefix):
			reason = ReasonPrefix
		case errors.Is(err, ErrBase45):
			reason = ReasonBase45
		}
		return Result{Reason: reason, Err: err}
	}
	return v.VerifyCOSE(data, at)
}

// VerifyCOSE verifies a COSE_Sign1 message carrying a DCC at time at. The checks run
// in this order, and the first that fails gives Result.Reason: the message structure
// (RFC 9052 §4.2), the kid against the trust list, the signature (RFC 9052 §4.4), the
// CWT claims (RFC 8392), the signer's key usage for the certificate type, iat <= at, exp present and at <= exp, and last the payload
// schema.
//
// Absent times: a CWT without iat is not checked against it (iat only records when
// the certificate was signed), but one without exp is not valid, since nothing then
// bounds its use (reason no-expiry).
func (v *Verifier) VerifyCOSE(coseSign1 []byte, at time.Time) Result {
	var r Result
	fail := func(reason string, err error) Result {
		r.Reason, r.Err = reason, err
		return r
	}
	msg, err := parseSign1(coseSign1)
	if err != nil {
		return fail(ReasonCOSE, err)
	}
	r.KID = msg.kid
	certs, err := v.candidates(msg.kid)
	if err != nil {
		return fail(ReasonUnknownKID, err)
	}
	if !supportedAlgorithm(msg.alg) {
		return fail(ReasonAlgorithm, fmt.Errorf("%w: %v", ErrAlgorithm, msg.alg))
	}
	signer, err := verifySignature(msg, certs)
	if err != nil {
		return fail(ReasonSignature, err)
	}
	r.SignatureValid, r.Signer = true, signer

	claims, err := ParseClaims(msg.payload)
	if err != nil {
		if errors.Is(err, ErrNoCertificate) {
			return fail(ReasonNoCertificate, err)
		}
		return fail(ReasonCBOR, err)
	}
	r.Claims = claims
	payload, payloadErr := payloadJSON(claims.RawPayload)
	r.Payload = payload
	if err := checkKeyUsage(signer, claims.Certificate.Kind()); err != nil {
		return fail(ReasonKeyUsage, err)
	}

	if !claims.IssuedAt.IsZero() && at.Before(claims.IssuedAt) {
		return fail(ReasonNotYetValid, fmt.Errorf("%w: iat %s is after %s", ErrNotYetValid,
			claims.IssuedAt.Format(time.RFC3339), at.UTC().Format(time.RFC3339)))
	}
	if claims.Expires.IsZero() {
		return fail(ReasonNoExpiry, ErrNoExpiry)
	}
	// RFC 8392 §3.1.4 refuses a token from exp on; the DCC test suite and its
	// reference verifiers still accept one at exp exactly (e.g. IE 2–4), and so do we.
	if at.After(claims.Expires) {
		return fail(ReasonExpired, fmt.Errorf("%w: exp %s is before %s", ErrExpired,
			claims.Expires.Format(time.RFC3339), at.UTC().Format(time.RFC3339)))
	}
	if payloadErr != nil {
		return fail(ReasonSchema, payloadErr)
	}
	if err := v.schemaCheck(payload); err != nil {
		return fail(ReasonSchema, fmt.Errorf("%w: %w", ErrSchema, err))
	}
	r.Valid = true
	return r
}

// candidates returns the trusted certificates to try for kid.
func (v *Verifier) candidates(kid []byte) ([]*x509.Certificate, error) {
	if len(kid) == 0 {
		if len(v.all) == 1 {
			return v.all, nil
		}
		return nil, fmt.Errorf("%w: message has no kid and the trust list holds %d certificates",
			ErrUnknownKID, len(v.all))
	}
	certs := v.byKID[string(kid)]
	if len(certs) == 0 {
		return nil, fmt.Errorf("%w: %x", ErrUnknownKID, kid)
	}
	return certs, nil
}

// schemaCheck runs the payload schema check. A kiosk must answer for whatever code is
// held up to it, so a panic in the check becomes a failed check, not a crash.
func (v *Verifier) schemaCheck(payload []byte) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("schema check panicked: %v", p)
		}
	}()
	return v.checkPayload(payload)
}

// supportedAlgorithm reports whether alg is one the verifier accepts: the DCC's
// ES256 and PS256 (hcert specification, "Signature Algorithm") and their larger
// siblings.
func supportedAlgorithm(alg cose.Algorithm) bool {
	switch alg {
	case cose.AlgorithmES256, cose.AlgorithmES384, cose.AlgorithmES512,
		cose.AlgorithmPS256, cose.AlgorithmPS384, cose.AlgorithmPS512:
		return true
	}
	return false
}

// verifySignature checks the signature of msg with each certificate in turn and
// returns the first that verifies it.
func verifySignature(msg *sign1, certs []*x509.Certificate) (*x509.Certificate, error) {
	tbs, err := msg.toBeSigned()
	if err != nil {
		return nil, fmt.Errorf("%w: Sig_structure: %w", ErrSignature, err)
	}
	var keyErr error
	for _, c := range certs {
		vf, err := cose.NewVerifier(msg.alg, c.PublicKey)
		if err != nil {
			keyErr = err
			continue
		}
		if vf.Verify(tbs, msg.signature) == nil {
			return c, nil
		}
	}
	if keyErr != nil {
		return nil, fmt.Errorf("%w: %w", ErrSignature, keyErr)
	}
	return nil, ErrSignature
}
