package pcsc

// service.go: the connection to the PC/SC service. Every call here opens its
// own PC/SC context (one connection to pcscd), so that a wait cancelled with
// SCardCancel, or a card session, never holds up another caller: pcsc-lite
// serialises the calls made on one context.

import (
	"context"
	"errors"

	"github.com/ebfe/scard"
)

// establish opens a PC/SC context. Without a service it fails with an *Error
// matching ErrNoService.
func establish(op string) (*scard.Context, error) {
	sc, err := scard.EstablishContext()
	if err != nil {
		return nil, callError(op, "", err, false)
	}
	return sc, nil
}

// release ends a context, on the way out of a call: a service already gone has
// nothing left to release.
func release(sc *scard.Context) { _ = sc.Release() }

// codeOf is the return code of an error from package scard.
func codeOf(err error) (Code, bool) {
	var e scard.Error
	if errors.As(err, &e) {
		return Code(e), true
	}
	return 0, false
}

// callError makes the error of a failed PC/SC call; an error that is not a
// return code (a reader name that cannot be encoded) is wrapped as it is.
func callError(op, reader string, err error, connected bool) error {
	if code, ok := codeOf(err); ok {
		return codeError(op, reader, code, connected)
	}
	return &Error{Op: op, Reader: reader, Code: codeInvalidParam, also: []error{err}}
}

// ctxError is a wait given up because ctx is done: it matches ctx.Err(), and
// ccid.ErrTimeout too when the deadline passed.
func ctxError(op, reader string, ctx context.Context) error {
	e := &Error{Op: op, Reader: reader, Code: codeCancelled, also: []error{ctx.Err()}}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		e.Code, e.Err = codeTimeout, codes[codeTimeout].err
	}
	return e
}

// Available reports whether a PC/SC service answers.
func Available() bool {
	sc, err := scard.EstablishContext()
	if err != nil {
		return false
	}
	release(sc)
	return true
}
