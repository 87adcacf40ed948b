package queue

// errors.go: the errors the queue returns, told apart with errors.Is.

import "errors"

var (
	// ErrNotFound: no job has that id.
	ErrNotFound = errors.New("queue: no such job")
	// ErrState: the job is not in a state that allows the change asked for (cancel a
	// running job, retry a finished one, release a job that is not held).
	ErrState = errors.New("queue: job is not in a state for that")
	// ErrLeaseLost: the worker's lease on a job ended (it expired and another worker
	// took the job over, or staff cancelled it); the worker's results are discarded.
	ErrLeaseLost = errors.New("queue: lease on the job lost")
	// ErrNotReady: the request is known but its certificates are not ready yet (the
	// registry has not answered); nothing was released.
	ErrNotReady = errors.New("queue: the certificates are not ready yet")
	// ErrClaimMismatch: no held request matches the claim code and date of birth.
	ErrClaimMismatch = errors.New("queue: claim code and date of birth do not match")
	// ErrClaimLocked: too many wrong dates of birth were tried with the claim code;
	// only staff can release the request now.
	ErrClaimLocked = errors.New("queue: claim code locked after too many attempts")
	// ErrBadClaimCode: the text is not a claim code (wrong length or characters).
	ErrBadClaimCode = errors.New("queue: not a claim code")
	// ErrSealed: sealed data could not be opened: another key, or a damaged file.
	ErrSealed = errors.New("queue: sealed data cannot be opened")
	// ErrReprintExpired: the document cannot be printed again: its reprint window
	// (Options.ReprintWindow) has passed, so what renders it was deleted, or reprints
	// are off.
	ErrReprintExpired = errors.New("queue: the reprint window has passed")
	// ErrBadKey: an idempotency key the queue does not accept.
	ErrBadKey = errors.New("queue: bad idempotency key")
)
