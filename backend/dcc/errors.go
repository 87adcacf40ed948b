package dcc

// Errors of the encoding and verification core: Base45, HC1, CWT, COSE, verification.

import (
	"errors"
	"fmt"
)

// Base45 errors (RFC 9285 §4). A *Base45Error matches ErrBase45 and one of the
// three specific errors with errors.Is.
var (
	// ErrBase45 matches every Base45 decoding error.
	ErrBase45 = errors.New("dcc: malformed Base45")
	// ErrBase45Char reports a character outside the Base45 alphabet.
	ErrBase45Char = errors.New("dcc: base45: invalid character")
	// ErrBase45Dangling reports a single character left over at the end of the input.
	ErrBase45Dangling = errors.New("dcc: base45: dangling single character")
	// ErrBase45Overflow reports a group whose value does not fit its bytes.
	ErrBase45Overflow = errors.New("dcc: base45: value overflow")
)

// Base45Error describes malformed Base45 input and where it was found.
type Base45Error struct {
	Offset int   // byte offset in the input of the offending character or group
	Err    error // ErrBase45Char, ErrBase45Dangling or ErrBase45Overflow
	detail string
}

// Error returns the message, e.g. "dcc: base45: invalid character 'a' at offset 4".
func (e *Base45Error) Error() string {
	if e.detail == "" {
		return fmt.Sprintf("%v at offset %d", e.Err, e.Offset)
	}
	return fmt.Sprintf("%v: %s at offset %d", e.Err, e.detail, e.Offset)
}

// Unwrap lets errors.Is match both the specific error and ErrBase45.
func (e *Base45Error) Unwrap() []error { return []error{e.Err, ErrBase45} }

// HC1 container errors.
var (
	// ErrPrefix reports a string that does not start with the "HC1:" context identifier.
	ErrPrefix = errors.New("dcc: missing HC1: prefix")
	// ErrZlib reports compressed data that cannot be inflated.
	ErrZlib = errors.New("dcc: corrupt compressed data")
	// ErrTooLarge reports data beyond MaxCOSESize; it also matches ErrZlib when the
	// inflated size is at fault.
	ErrTooLarge = errors.New("dcc: data too large")
)

// Structure errors.
var (
	// ErrCOSE reports bytes that are not a COSE_Sign1 message (RFC 9052 §4.2).
	ErrCOSE = errors.New("dcc: malformed COSE_Sign1")
	// ErrCBOR reports a CWT claims set (RFC 8392 §7) or hcert payload that cannot be decoded.
	ErrCBOR = errors.New("dcc: malformed CWT claims")
	// ErrNoCertificate reports a CWT without the hcert claim (-260) holding entry 1.
	ErrNoCertificate = errors.New("dcc: no health certificate entry in CWT")
	// ErrClaims reports claims that Sign refuses to write.
	ErrClaims = errors.New("dcc: invalid claims")
)

// Verification errors.
var (
	// ErrUnknownKID reports a key identifier that the trust list does not hold.
	ErrUnknownKID = errors.New("dcc: unknown key identifier")
	// ErrAlgorithm reports a signature algorithm the verifier does not support.
	ErrAlgorithm = errors.New("dcc: unsupported signature algorithm")
	// ErrSignature reports a signature that does not verify.

	// ErrKeyUsage: the signing certificate's extended key usage does not allow the
	// certificate's type.
	ErrKeyUsage  = errors.New("dcc: signing certificate not allowed for this certificate type")
	ErrSignature = errors.New("dcc: signature does not verify")
	// ErrExpired reports a certificate whose exp claim lies before the verification time.
	ErrExpired = errors.New("dcc: certificate expired")
	// ErrNotYetValid reports a certificate whose iat claim lies after the verification time.
	ErrNotYetValid = errors.New("dcc: certificate not yet valid")
	// ErrNoExpiry reports a CWT without an exp claim.
	ErrNoExpiry = errors.New("dcc: certificate has no expiry")
	// ErrSchema reports a payload that fails the schema check.
	ErrSchema = errors.New("dcc: payload fails the schema check")
)
