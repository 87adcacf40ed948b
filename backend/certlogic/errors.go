package certlogic

// errors.go: the sentinel errors and the typed error that carries them.

import (
	"errors"
	"fmt"
)

// Errors reported by Parse and Validate: the expression itself is not CertLogic.
var (
	// ErrMalformed reports an expression that is not JSON or does not have CertLogic's
	// shape: a null or non-integer literal, an object that is not one operation, a
	// "var" path that is not a dotted string, operands that are not an array, or a
	// plusTime/extractFromUVCI argument that must be a literal and is not.
	ErrMalformed = errors.New("certlogic: malformed expression")
	// ErrUnknownOperation reports an operation CertLogic does not have.
	ErrUnknownOperation = errors.New("certlogic: unknown operation")
	// ErrArity reports an operation with the wrong number of operands.
	ErrArity = errors.New("certlogic: wrong number of operands")
	// ErrTooDeep reports an expression nested deeper than MaxDepth, or values compared
	// with === or in that are nested too deeply.
	ErrTooDeep = errors.New("certlogic: nested too deeply")
)

// Errors reported during evaluation (ErrType also by Parse, for a literal operand that
// no evaluation could accept).
var (
	// ErrType reports an operand of a type the operation does not accept, including a
	// value that is neither truthy nor falsy where a condition is needed.
	ErrType = errors.New("certlogic: operand of the wrong type")
	// ErrDateTime reports a string that is not a date(-time) in a format CertLogic
	// allows, or an offset that leaves the range of date-times.
	ErrDateTime = errors.New("certlogic: invalid date-time")
	// ErrLimit reports an evaluation that would take more than a million steps.
	ErrLimit = errors.New("certlogic: evaluation too costly")
)

// Error is the error of every function of the package. It names the operation at
// fault and where it sits in the expression, and matches its sentinel (Err) with
// errors.Is.
type Error struct {
	// Op is the operation at fault ("plusTime", "var", "and", …), or "" when the
	// expression as a whole is at fault (not JSON, a bare null, an invalid result).
	Op string
	// At locates the operation (or the literal) in the expression as a JSON Pointer
	// (RFC 6901), e.g. "/and/1/after/0"; "" is the whole expression.
	At string
	// Err is one of the sentinel errors of this package.
	Err error
	// Detail says what is wrong, for people.
	Detail string
}

// Error returns the message, e.g.
// `certlogic: plusTime at /and/1/after/0: "2021-02-30" is not a date-time …`.
func (e *Error) Error() string {
	switch {
	case e.Op != "" && e.At != "":
		return fmt.Sprintf("certlogic: %s at %s: %s", e.Op, e.At, e.Detail)
	case e.Op != "":
		return fmt.Sprintf("certlogic: %s: %s", e.Op, e.Detail)
	case e.At != "":
		return fmt.Sprintf("certlogic: at %s: %s", e.At, e.Detail)
	}
	return "certlogic: " + e.Detail
}

// Unwrap returns the sentinel, so that errors.Is(err, ErrType) and the like work.
func (e *Error) Unwrap() error { return e.Err }

func newError(op, at string, sentinel error, format string, args ...any) *Error {
	return &Error{Op: op, At: at, Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}
