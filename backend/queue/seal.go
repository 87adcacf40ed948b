package queue

// seal.go: personal data at rest, as the queue binds it. Package seal seals (AES-256-GCM)
// and hashes (HMAC-SHA256) under keys derived from the key store's; here is what each
// value is bound to: the job's idempotency key, so that a sealed value copied onto
// another job's row does not open. Both the domain and the binding are part of
// queue.sqlite's format: testdata/sealed-v1.json holds values sealed before package
// seal existed, which must keep opening.

import (
	"fmt"

	"certkiosk/backend/seal"
)

// sealDomain names the queue's derived keys and associated data in package seal.
// Another name would leave every sealed value and lookup hash of existing files
// unreadable.
const sealDomain = "queue"

func newSealer(master []byte) (*seal.Sealer, error) {
	s, err := seal.New(master, sealDomain, nil)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return s, nil
}

// sealFor seals plain for the job (or reprint row, see reprintSealKey) whose key is
// jobKey.
func (q *Queue) sealFor(jobKey string, plain []byte) ([]byte, error) {
	sealed, err := q.sealer.Seal(plain, jobKey)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return sealed, nil
}

// openFor reverses sealFor; a value sealed for another job, under another key, or
// damaged is ErrSealed.
func (q *Queue) openFor(jobKey string, sealed []byte) ([]byte, error) {
	plain, err := q.sealer.Open(sealed, jobKey)
	if err != nil {
		return nil, ErrSealed
	}
	return plain, nil
}
