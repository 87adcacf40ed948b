package audit

// entry.go: an entry, what it may say, its hash over the canonical encoding, and the
// JSON line it is stored as.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ActorKind says who acted.
type ActorKind string

// The actors of the kiosk.
const (
	ActorResidentSession  ActorKind = "resident-session"  // a self-service session; ID is the session id
	ActorLibrarian        ActorKind = "librarian"         // ID is the staff id
	ActorClerk            ActorKind = "clerk"             // ID is the staff id
	ActorCommissionMember ActorKind = "commission-member" // ID is the staff id
	ActorAdministrator    ActorKind = "administrator"     // ID is the staff id
	ActorSystem           ActorKind = "system"            // the kiosk itself; ID names the component
)

// Known reports whether k is one of the actor kinds above.
func (k ActorKind) Known() bool {
	switch k {
	case ActorResidentSession, ActorLibrarian, ActorClerk, ActorCommissionMember, ActorAdministrator, ActorSystem:
		return true
	}
	return false
}

// Actor is who acted: a kind and an id that is never a name — a session id, a staff id
// or the name of a kiosk component.
type Actor struct {
	Kind ActorKind
	ID   string
}

// Action is what happened.
type Action string

// The actions recorded. The details an action needs are listed with it.
const (
	ActionIdentified           Action = "identified"            // a person identified (card, document, typed)
	ActionFetched              Action = "fetched"               // the person's records fetched from a registry
	ActionIssued               Action = "issued"                // a certificate signed; needs DetailUVCI
	ActionPrinted              Action = "printed"               // a certificate or slip printed
	ActionPrintFailed          Action = "print-failed"          // a print job failed or was stopped
	ActionRefused              Action = "refused"               // no certificate; needs DetailReason (the reason code)
	ActionReprinted            Action = "reprinted"             // a certificate printed again by staff
	ActionReleased             Action = "released"              // a held certificate handed over (card again, claim code)
	ActionCancelled            Action = "cancelled"             // a request or a print job cancelled
	ActionConfigurationChanged Action = "configuration-changed" // needs DetailSetting
	ActionStaffLogin           Action = "staff-login"           // the actor is the staff member
	ActionStaffLoginFailed     Action = "staff-login-failed"    // the actor is the staff id tried
	ActionStaffLogout          Action = "staff-logout"
	ActionStaffLockedOut       Action = "staff-locked-out" // too many failed logins
	ActionLogRepaired          Action = "log-repaired"     // Repair removed a torn last line
)

// Known reports whether a is one of the actions above.
func (a Action) Known() bool {
	switch a {
	case ActionIdentified, ActionFetched, ActionIssued, ActionPrinted, ActionPrintFailed,
		ActionRefused, ActionReprinted, ActionReleased, ActionCancelled,
		ActionConfigurationChanged, ActionStaffLogin, ActionStaffLoginFailed,
		ActionStaffLogout, ActionStaffLockedOut, ActionLogRepaired:
		return true
	}
	return false
}

// requiredDetail is the detail an action cannot be recorded without, or "".
func (a Action) requiredDetail() string {
	switch a {
	case ActionIssued:
		return DetailUVCI
	case ActionRefused:
		return DetailReason
	case ActionConfigurationChanged:
		return DetailSetting
	}
	return ""
}

// The keys of an entry's details. Values are short tokens that say nothing about the
// person.
const (
	DetailUVCI    = "uvci"    // the certificate identifier (URN:UVCI:…)
	DetailReason  = "reason"  // a refusal or failure reason code
	DetailPrinter = "printer" // the printer's name in the configuration
	DetailJob     = "job"     // a queue job id
	DetailKind    = "kind"    // a certificate kind (vaccination, test, recovery, antibody)
	DetailSource  = "source"  // which registry answered (local, federal)
	DetailSetting = "setting" // the configuration key changed
)

func knownDetail(key string) bool {
	switch key {
	case DetailUVCI, DetailReason, DetailPrinter, DetailJob, DetailKind, DetailSource, DetailSetting:
		return true
	}
	return false
}

// Limits on an entry, so that a line stays well under maxLine.
const (
	maxDetails     = 16
	maxTokenLen    = 32  // actor kind, action, detail key
	maxActorIDLen  = 64  // actor id
	maxDetailValue = 256 // detail value
	maxLine        = 64 << 10
)

// HashSize is the size of an entry's hash (SHA-256).
const HashSize = sha256.Size

// Hash is an entry's hash. Its text form is 64 lower-case hex digits.
type Hash [HashSize]byte

func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// parseHash reads the text form of a Hash.
func parseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*HashSize {
		return h, fmt.Errorf("hash %q is not %d hex digits", s, 2*HashSize)
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil || s != h.String() {
		return h, fmt.Errorf("hash %q is not %d lower-case hex digits", s, 2*HashSize)
	}
	return h, nil
}

// Head names the last entry of a log: its sequence number and hash. The head of an
// empty log is {0, 32 zero bytes}. A head kept apart from the log (the head file, the
// registry) anchors it: a log that no longer holds that entry with that hash has been
// cut short or rewritten.
type Head struct {
	Seq  uint64
	Hash Hash
}

// String returns "SEQ HASH", the form ParseHead reads.
func (h Head) String() string { return strconv.FormatUint(h.Seq, 10) + " " + h.Hash.String() }

// ParseHead reads a head written as "SEQ HASH" or "SEQ:HASH".
func ParseHead(s string) (Head, error) {
	f := strings.FieldsFunc(strings.TrimSpace(s), func(r rune) bool { return r == ':' || r == ' ' || r == '\t' })
	if len(f) != 2 {
		return Head{}, fmt.Errorf("audit: head %q is not SEQ HASH", s)
	}
	seq, err := strconv.ParseUint(f[0], 10, 64)
	if err != nil || f[0] != strconv.FormatUint(seq, 10) {
		return Head{}, fmt.Errorf("audit: head %q: sequence %q is not a number", s, f[0])
	}
	h, err := parseHash(f[1])
	if err != nil {
		return Head{}, fmt.Errorf("audit: head %q: %v", s, err)
	}
	if seq == 0 && h != (Hash{}) {
		return Head{}, fmt.Errorf("audit: head %q: sequence 0 has the zero hash", s)
	}
	return Head{seq, h}, nil
}

// Entry is one record of the log.
type Entry struct {
	// Seq numbers the entries 1, 2, 3, … without gaps.
	Seq uint64
	// Time is when the entry was appended, in UTC, from the Log's clock.
	Time time.Time
	// Actor is who acted.
	Actor Actor
	// Action is what happened.
	Action Action
	// Subject is the keyed hash of the person's identifier (64 lower-case hex digits),
	// or "" when the entry concerns no person. See SubjectOf.
	Subject string
	// Details are non-personal particulars keyed by the Detail constants; nil when none.
	Details map[string]string
	// Prev is the hash of the entry before, 32 zero bytes for entry 1.
	Prev Hash
	// Hash is SHA-256 over the canonical encoding of all the fields above.
	Hash Hash
}

// Head returns the entry as a head.
func (e Entry) Head() Head { return Head{e.Seq, e.Hash} }

// hashTag opens the canonical encoding; a later format gets a new tag.
const hashTag = "certkiosk-audit-v1"

// timeLayout is how Time is written, in the canonical encoding and in the log: RFC 3339
// in UTC with exactly nine fraction digits, so that each instant has one spelling.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// ComputeHash returns the hash the entry should carry: SHA-256 over its canonical
// encoding (see the package documentation). It ignores e.Hash.
func (e Entry) ComputeHash() Hash {
	var b []byte
	field := func(p []byte) {
		b = binary.BigEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	field([]byte(hashTag))
	field(binary.BigEndian.AppendUint64(nil, e.Seq))
	field([]byte(e.Time.UTC().Format(timeLayout)))
	field([]byte(e.Actor.Kind))
	field([]byte(e.Actor.ID))
	field([]byte(e.Action))
	field([]byte(e.Subject))
	keys := sortedKeys(e.Details)
	field(binary.BigEndian.AppendUint32(nil, uint32(len(keys))))
	for _, k := range keys {
		field([]byte(k))
		field([]byte(e.Details[k]))
	}
	field(e.Prev[:])
	return sha256.Sum256(b)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // byte order: Go strings compare bytewise
	return keys
}

// wireEntry is an entry as a JSON line; encoding/json writes its fields in this order
// and the keys of Details sorted.
type wireEntry struct {
	Seq     uint64            `json:"seq"`
	Time    string            `json:"time"`
	Actor   wireActor         `json:"actor"`
	Action  string            `json:"action"`
	Subject string            `json:"subject,omitempty"`
	Details map[string]string `json:"details,omitempty"`
	Prev    string            `json:"prev"`
	Hash    string            `json:"hash"`
}

type wireActor struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// MarshalJSON returns the entry exactly as its line in the log reads, without the
// newline.
func (e Entry) MarshalJSON() ([]byte, error) {
	w := wireEntry{
		Seq:     e.Seq,
		Time:    e.Time.UTC().Format(timeLayout),
		Actor:   wireActor{string(e.Actor.Kind), e.Actor.ID},
		Action:  string(e.Action),
		Subject: e.Subject,
		Details: e.Details,
		Prev:    e.Prev.String(),
		Hash:    e.Hash.String(),
	}
	if len(w.Details) == 0 {
		w.Details = nil
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads an entry in the form MarshalJSON writes (whitespace aside). It
// checks the form of each field, not the hash: see Verify.
func (e *Entry) UnmarshalJSON(data []byte) error {
	got, err := decodeEntry(data)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	*e = got
	return nil
}

// decodeEntry reads one entry, refusing unknown fields and trailing data, and checks
// the form of each field.
func decodeEntry(data []byte) (Entry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w wireEntry
	if err := dec.Decode(&w); err != nil {
		return Entry{}, fmt.Errorf("not a JSON entry: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Entry{}, errors.New("data after the entry")
	}
	t, err := time.Parse(timeLayout, w.Time)
	if err != nil || t.Format(timeLayout) != w.Time {
		return Entry{}, fmt.Errorf("time %q is not RFC 3339 UTC with nine fraction digits", w.Time)
	}
	prev, err := parseHash(w.Prev)
	if err != nil {
		return Entry{}, fmt.Errorf("prev: %v", err)
	}
	h, err := parseHash(w.Hash)
	if err != nil {
		return Entry{}, fmt.Errorf("hash: %v", err)
	}
	e := Entry{
		Seq:     w.Seq,
		Time:    t,
		Actor:   Actor{ActorKind(w.Actor.Kind), w.Actor.ID},
		Action:  Action(w.Action),
		Subject: w.Subject,
		Details: w.Details,
		Prev:    prev,
		Hash:    h,
	}
	if err := e.checkForm(); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// checkForm checks the shape of every field. It accepts actor kinds, actions and
// detail keys this version does not know, so that a log written by a later version
// still verifies; Append checks those against the lists above.
func (e Entry) checkForm() error {
	if e.Seq == 0 {
		return errors.New("sequence 0: sequences start at 1")
	}
	if y := e.Time.Year(); y < 1 || y > 9999 {
		return fmt.Errorf("time %v is outside years 1 to 9999", e.Time)
	}
	if !isToken(string(e.Actor.Kind)) {
		return fmt.Errorf("actor kind %q is not a token (a-z, 0-9, -)", e.Actor.Kind)
	}
	if !isActorID(e.Actor.ID) {
		return fmt.Errorf("actor id %q is not 1 to %d of A-Z a-z 0-9 . _ : -", e.Actor.ID, maxActorIDLen)
	}
	if !isToken(string(e.Action)) {
		return fmt.Errorf("action %q is not a token (a-z, 0-9, -)", e.Action)
	}
	if e.Subject != "" {
		if _, err := parseHash(e.Subject); err != nil {
			return fmt.Errorf("subject: %v", err)
		}
	}
	if len(e.Details) > maxDetails {
		return fmt.Errorf("%d details, at most %d", len(e.Details), maxDetails)
	}
	for k, v := range e.Details {
		if !isToken(k) {
			return fmt.Errorf("detail key %q is not a token (a-z, 0-9, -)", k)
		}
		if !isValue(v) {
			return fmt.Errorf("detail %s: value is not 1 to %d printable ASCII characters without spaces", k, maxDetailValue)
		}
	}
	return nil
}

// isToken: a lower-case letter, then lower-case letters, digits and hyphens.
func isToken(s string) bool {
	if s == "" || len(s) > maxTokenLen || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// isActorID: an id, never a name — no spaces, so "Mari Tamm" is refused.
func isActorID(s string) bool {
	if s == "" || len(s) > maxActorIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// isValue: printable ASCII without spaces — enough for a UVCI, a code, a printer
// queue or a job id, and not for free text.
func isValue(s string) bool {
	if s == "" || len(s) > maxDetailValue {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
