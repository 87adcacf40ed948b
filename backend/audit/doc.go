// Package audit is the kiosk's audit log: an append-only, hash-chained record of who
// did what and when — a resident session identified, a certificate issued, a slip
// printed, a librarian logged in — that shows any entry changed, removed or reordered
// afterwards. It holds no personal data: actors are session or staff ids, never names,
// and the person an entry concerns appears only as a keyed hash of their identifier.
//
//	log, err := audit.Open(ctx, dataDir, audit.Options{Now: clock})
//	if err != nil {
//		return err // a *Fault when the log fails verification; ErrTorn: see Repair
//	}
//	defer log.Close()
//	_, err = log.Append(audit.Event{
//		Actor:   audit.Actor{Kind: audit.ActorResidentSession, ID: sessionID},
//		Action:  audit.ActionIssued,
//		Person:  audit.Identifier{System: "urn:ee:personal-code", Value: code},
//		Details: map[string]string{audit.DetailUVCI: uvci, audit.DetailKind: "vaccination"},
//	})
//
// # Files
//
// The log lives in one folder (the kiosk's data folder):
//
//   - audit.log: one entry per line, appended with O_APPEND and synced before Append
//     returns. One Log at a time may hold it (an flock on Unix systems).
//   - audit.head: "SEQ HASH\n", the last entry appended, replaced atomically after
//     each append. A log that no longer holds that entry with that hash was cut short
//     or rewritten. After a crash it may lag one entry behind; Open catches it up.
//   - audit.key: the 32-byte subject key, mode 0600, created atomically on first use
//     by FileKeyStore; another KeyStore can hold it instead.
//
// # Entries
//
// An entry carries its sequence number (from 1, without gaps), the time in UTC from
// the Log's clock, the actor (kind and id), the action, the subject, a few details
// (UVCI, reason code, printer, job id …), the previous entry's hash (32 zero bytes for
// entry 1) and its own hash. Append refuses events with unknown vocabulary, a name
// where an id belongs (spaces), free text in a detail, or the identifier in clear.
//
// A line is the JSON object Entry.MarshalJSON writes, then "\n":
//
//	{"seq":1,"time":"2026-11-22T10:00:00.000000000Z","actor":{"kind":"resident-session","id":"s-7f3a"},
//	 "action":"issued","subject":"<64 hex>","details":{"kind":"vaccination","uvci":"URN:UVCI:01:EE:…"},
//	 "prev":"<64 hex>","hash":"<64 hex>"}
//
// on one line, with no spaces, fields in this order, "subject" and "details" left
// out when empty, detail keys sorted, strings escaped as encoding/json does. Verify
// accepts only lines in exactly this form, so each entry has one spelling.
//
// # The hash
//
// Hash = SHA-256(E), where E is the canonical encoding of the entry: a sequence of
// fields, each written as its length in bytes (4 bytes, big-endian) followed by its
// bytes:
//
//	field 1   "certkiosk-audit-v1"          the format tag
//	field 2   Seq                           8 bytes, big-endian
//	field 3   Time                          "2006-01-02T15:04:05.000000000Z": RFC 3339, UTC,
//	                                        exactly nine fraction digits
//	field 4   Actor.Kind                    UTF-8 (ASCII in practice), as in the line
//	field 5   Actor.ID
//	field 6   Action
//	field 7   Subject                       64 lower-case hex digits, or empty
//	field 8   number of details, n          4 bytes, big-endian
//	fields …  key_1, value_1, … key_n, value_n   keys in ascending byte order
//	last      Prev                          the previous entry's hash, 32 raw bytes
//
// The subject is HMAC-SHA256(key, uint32be(len(system)) || system || uint32be(len(value))
// || value) in lower-case hex (SubjectOf).
//
// # Verifying
//
// Verify reads a log and reports the first entry that fails as a *Fault naming its
// line and sequence number and what is wrong: ErrTorn, ErrMalformed, ErrEdited (hash
// does not match the content), ErrMissing (a gap, or entries missing from the end of
// an anchored log), ErrOrder (moved or swapped), ErrChain (prev hash mismatch: an
// entry re-hashed after an edit, or the rest renumbered after a removal) and ErrAnchor
// (disagrees with an anchored head). VerifyDir verifies a folder against its head
// file, and `certkiosk audit verify` prints the result.
//
// Anyone who can write the folder can rewrite the whole chain and the head file; what
// shows that is a head kept elsewhere. Log.Head exports it, and Log.Since hands out the
// entries after the last one shipped, for the registry to keep with them.
//
// # Crashes
//
// A crash during an append can leave a torn last line. Open refuses such a log with a
// Fault matching ErrTorn; nothing repairs it silently. Repair removes the torn line
// when that is the only fault, and the caller then records ActionLogRepaired.
package audit
