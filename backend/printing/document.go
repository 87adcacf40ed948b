package printing

// document.go: the checks every printer makes on a Document before sending it.

import (
	"bytes"
	"fmt"
)

// maxKeyLen is the longest idempotency key: well inside IPP's 255 octets for a
// job-name (RFC 8011 §5.1.3) and a file name's 255 bytes.
const maxKeyLen = 64

// checkKey reports a key that is empty, too long or has a character outside A–Z,
// a–z, 0–9, '-' and '_': such a key could not name a file or could be changed by a
// printer that sanitises job names.
func checkKey(key string) error {
	if key == "" || len(key) > maxKeyLen {
		return fmt.Errorf("%w: document key %q must be 1 to %d characters", ErrRejected, key, maxKeyLen)
	}
	for _, c := range []byte(key) {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return fmt.Errorf("%w: document key %q has %q; allowed are A-Z, a-z, 0-9, '-' and '_'", ErrRejected, key, c)
		}
	}
	return nil
}

// checkDocument reports a document that no printer should be sent: a bad key, or
// bytes that are not a PDF (ISO 32000-1 §7.5.2: the file begins with "%PDF-").
func checkDocument(doc Document) error {
	if err := checkKey(doc.Key); err != nil {
		return err
	}
	if !bytes.HasPrefix(doc.PDF, []byte("%PDF-")) {
		return fmt.Errorf("%w: document %s is not a PDF (it does not begin with %%PDF-)", ErrRejected, doc.Key)
	}
	return nil
}
