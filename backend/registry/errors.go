package registry

// errors.go: the errors a Client returns, told apart with errors.Is and errors.As.

import "errors"

var (
	// ErrNotFound is returned by Find when the registry holds no Patient with the
	// identifier: the search set is empty, or the Patient search answers 404.
	ErrNotFound = errors.New("registry: no patient with that identifier")

	// ErrUnreachable wraps every failure to get an answer at all: connection refused or
	// reset, a name that does not resolve, a failed TLS handshake or an untrusted
	// certificate, no answer within the time limit, or HTTP 5xx or 429 still answered
	// after the retries. The cause is wrapped too. The request may succeed later.
	ErrUnreachable = errors.New("registry: unreachable")

	// ErrBadResponse is matched by every *BadResponseError: the registry answered, but
	// not with something the kiosk can use. Trying again will not help.
	ErrBadResponse = errors.New("registry: bad response")
)

// BadResponseError is an answer the kiosk cannot use: not JSON, not a Bundle, a bundle
// of the wrong type, a resource the parser refuses, a body over the size limit, a
// content type other than FHIR JSON, an HTTP 4xx status other than 404 and 429, or a
// redirect or next link to another origin. errors.Is(err, ErrBadResponse) holds for it.
type BadResponseError struct {
	// URL is the request answered, with identifier values replaced by "***" so that
	// the error can be logged.
	URL string
	// StatusCode is the HTTP status when the status is the problem, else 0.
	StatusCode int
	// Problem says what is wrong, e.g. `content type "text/html", want application/fhir+json`.
	Problem string
	// Err is the underlying error, if any: an error wrapping ErrBadBundle when the
	// parser refused a resource.
	Err error
}

// Error describes the problem and names the request, identifiers redacted.
func (e *BadResponseError) Error() string {
	return "registry: bad response from " + e.URL + ": " + e.Problem
}

// Is reports whether target is ErrBadResponse.
func (e *BadResponseError) Is(target error) bool { return target == ErrBadResponse }

// Unwrap returns the underlying error, if any.
func (e *BadResponseError) Unwrap() error { return e.Err }
