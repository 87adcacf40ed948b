package printing

// errors.go: the errors of the IPP client beyond the sentinels in printer.go, told
// apart with errors.Is and errors.As.

import (
	"errors"
	"fmt"

	"github.com/OpenPrinting/goipp"
)

var (
	// ErrBadResponse is matched by every *ResponseError: the printer answered, but
	// not with an IPP response the kiosk can use.
	ErrBadResponse = errors.New("printing: bad response from printer")
	// ErrBusy is matched by a *StatusError for server-error-busy: the printer is
	// busy with another job and takes the next one in a moment. It is ErrUnavailable
	// too.
	ErrBusy = errors.New("printing: printer busy with another job")
)

// StatusError is an IPP response whose status code is not successful (RFC 8011
// §4.1.6.1, Appendix B). errors.Is matches ErrUnavailable for the codes that mean
// "not now" (busy, service unavailable, not accepting jobs, temporary error), and
// ErrBusy besides for server-error-busy; ErrRejected for those that blame the
// document or its attributes; and ErrJobNotFound for a job the printer does not know.
type StatusError struct {
	URI     string       // the printer
	Op      goipp.Op     // the operation answered
	Status  goipp.Status // the status code
	Message string       // the printer's status-message, if any
}

// Error names the operation, the printer and the status, with the printer's message.
func (e *StatusError) Error() string {
	s := fmt.Sprintf("printing: %s %s: %s", e.Op, e.URI, e.Status)
	if e.Message != "" {
		s += " (" + e.Message + ")"
	}
	return s
}

// Is reports whether target is the sentinel e's status code stands for.
func (e *StatusError) Is(target error) bool {
	switch target {
	case ErrUnavailable:
		return statusUnavailable(e.Status)
	case ErrBusy:
		return e.Status == goipp.StatusErrorBusy
	case ErrRejected:
		return statusRejected(e.Status)
	case ErrJobNotFound:
		return (e.Status == goipp.StatusErrorNotFound || e.Status == goipp.StatusErrorGone) &&
			(e.Op == goipp.OpGetJobAttributes || e.Op == goipp.OpCancelJob)
	}
	return false
}

// statusUnavailable reports the codes after which the same request may succeed
// later without anything changing on the kiosk's side.
func statusUnavailable(s goipp.Status) bool {
	switch s {
	case goipp.StatusErrorBusy,
		goipp.StatusErrorServiceUnavailable,
		goipp.StatusErrorTemporary,
		goipp.StatusErrorNotAcceptingJobs,
		goipp.StatusErrorTooManyJobs,
		goipp.StatusErrorDevice,
		goipp.StatusErrorInternal,
		goipp.StatusErrorTimeout,
		goipp.StatusErrorPrinterIsDeactivated:
		return true
	}
	return false
}

// statusRejected reports the codes that refuse the document itself or the job's
// attributes: sending the same again will not help.
func statusRejected(s goipp.Status) bool {
	switch s {
	case goipp.StatusErrorDocumentFormatNotSupported,
		goipp.StatusErrorDocumentFormatError,
		goipp.StatusErrorDocumentUnprintable,
		goipp.StatusErrorDocumentAccess,
		goipp.StatusErrorDocumentPassword,
		goipp.StatusErrorDocumentPermission,
		goipp.StatusErrorDocumentSecurity,
		goipp.StatusErrorRequestEntity,
		goipp.StatusErrorRequestValue,
		goipp.StatusErrorAttributesOrValues,
		goipp.StatusErrorConflicting,
		goipp.StatusErrorCompressionNotSupported,
		goipp.StatusErrorCompressionError:
		return true
	}
	return false
}

// ResponseError is an answer the kiosk cannot use: an HTTP status other than 200, a
// content type other than application/ipp, a body over the size limit, bytes the IPP
// decoder refuses (Err wraps the decoder's error), a response to another request,
// or a response lacking what the operation must return. errors.Is(err,
// ErrBadResponse) holds for it; so does errors.Is(err, ErrUnavailable) when the HTTP
// status is 5xx, a server that may recover.
type ResponseError struct {
	URI        string   // the printer
	Op         goipp.Op // the operation answered
	HTTPStatus int      // the HTTP status when it is the problem, else 0
	Problem    string   // what is wrong, e.g. "content type text/html, want application/ipp"
	Err        error    // the underlying error, if any
}

// Error names the operation, the printer and the problem.
func (e *ResponseError) Error() string {
	s := fmt.Sprintf("printing: bad response to %s from %s: %s", e.Op, e.URI, e.Problem)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is reports whether target is ErrBadResponse, or ErrUnavailable for an HTTP 5xx.
func (e *ResponseError) Is(target error) bool {
	return target == ErrBadResponse || target == ErrUnavailable && e.HTTPStatus >= 500
}

// Unwrap returns the underlying error, if any.
func (e *ResponseError) Unwrap() error { return e.Err }
