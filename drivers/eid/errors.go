package eid

// errors.go: sentinel errors. Status words the card answers come back as
// *StatusError (status.go), which unwraps to one of the PIN and file sentinels
// where it has a meaning of that kind.

import "errors"

// Errors; match them with errors.Is. A failure of the Card underneath (a reader
// gone, a card pulled out, a cancelled context) is wrapped as it comes, so the
// reader driver's own errors match too. Every error an exported function returns
// reads "eid: " and what was being done, then the cause.
var (
	// ErrCommand: a command APDU cannot be encoded (data or Ne out of range).
	ErrCommand = errors.New("invalid command APDU")
	// ErrResponse: the card's answer is not a response APDU, or the exchange
	// around it (GET RESPONSE, a corrected Le) went on beyond its bounds.
	ErrResponse = errors.New("malformed response APDU")
	// ErrTLV: BER-TLV data that the strict parser refuses.
	ErrTLV = errors.New("malformed BER-TLV")
	// ErrFCI: a SELECT answer (FCI, FCP or FMD) that is not one.
	ErrFCI = errors.New("malformed file control information")
	// ErrFileSize: a file larger than the caller allows, or shorter than its
	// control information says.
	ErrFileSize = errors.New("file size")
	// ErrNotEstEID: the card answers none of the known ID card layouts.
	ErrNotEstEID = errors.New("not an Estonian ID card")
	// ErrPersonalData: a field of the personal data file is not as the card's
	// layout says it should be.
	ErrPersonalData = errors.New("personal data file")
	// ErrCertificate: the authentication certificate cannot be read as one.
	ErrCertificate = errors.New("authentication certificate")
	// ErrCertMismatch: the authentication certificate names someone other than
	// the personal data file does.
	ErrCertMismatch = errors.New("authentication certificate does not match the personal data file")
	// ErrPINFormat: a PIN the card would refuse anyway (length, characters); it
	// is not sent, so no try is used up.
	ErrPINFormat = errors.New("PIN format")

	// ErrWrongPIN is what a *StatusError 63Cx (and 6300) unwraps to.
	ErrWrongPIN = errors.New("wrong PIN")
	// ErrPINBlocked is what a *StatusError 6983 unwraps to.
	ErrPINBlocked = errors.New("PIN blocked")
	// ErrSecurityStatus is what a *StatusError 6982 unwraps to: the file or
	// command needs a PIN first.
	ErrSecurityStatus = errors.New("security status not satisfied")
	// ErrFileNotFound is what a *StatusError 6A82 (file or application not
	// found) and 6A83 (record not found) unwrap to.
	ErrFileNotFound = errors.New("file not found")
)
