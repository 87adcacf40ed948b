package signer

// errors.go: the errors of the key sources, matched with errors.Is. Each is wrapped
// with what was being done and which token, object or endpoint was involved.

import "errors"

// Errors of the PKCS#11 key source (token.go).
var (
	// ErrModule: the PKCS#11 library cannot be found or loaded.
	ErrModule = errors.New("signer: PKCS#11 module")
	// ErrTokenNotFound: no token, or more than one, matches the URI.
	ErrTokenNotFound = errors.New("signer: token not found")
	// ErrWrongPIN: the token refused the PIN, or the PIN is locked.
	ErrWrongPIN = errors.New("signer: PIN refused")
	// ErrKeyNotFound: the token holds no private key, or more than one, that matches
	// the URI's object and id.
	ErrKeyNotFound = errors.New("signer: key not found")
	// ErrCertificateNotFound: the token holds the key but no certificate for it.
	ErrCertificateNotFound = errors.New("signer: certificate not found")
	// ErrCertificateMismatch: a certificate is not the certificate of the key.
	ErrCertificateMismatch = errors.New("signer: certificate does not belong to the key")
	// ErrObjectExists: a new key would take the label or id of an object the token
	// already holds.
	ErrObjectExists = errors.New("signer: object exists")
	// ErrExtractable: the token would let the private key out (CKA_SENSITIVE false
	// or CKA_EXTRACTABLE true).
	ErrExtractable = errors.New("signer: private key can leave the token")
)

// Errors of RequireHardware (hardware.go).
var (
	// ErrFileKey: a key held in the process's memory (a file key) outside demo mode.
	ErrFileKey = errors.New("signer: a file key may sign only in demo mode")
	// ErrTestIssuer: an issuer with a test certificate outside demo mode.
	ErrTestIssuer = errors.New("signer: a test issuer may sign only in demo mode")
)

// Errors of the remote signer (remote.go).
var (
	// ErrRemote: the signing service failed, refused or answered something unusable.
	ErrRemote = errors.New("signer: remote signing")
)
