package audit

// event.go: what a caller records, and the checks it passes before it becomes an entry.

import (
	"fmt"
	"strings"
)

// Event is what happened, as a caller tells it to Append.
type Event struct {
	Actor  Actor
	Action Action
	// Person is the identifier of the person the event concerns; the zero Identifier
	// when it concerns nobody (a staff login, a configuration change). Only its keyed
	// hash is recorded.
	Person Identifier
	// Details are non-personal particulars, keyed by the Detail constants.
	Details map[string]string
}

// check refuses an event that the log must not hold: unknown vocabulary, a name where
// an id belongs, free text in a detail, or the person's identifier in clear.
func (ev Event) check() error {
	if !ev.Actor.Kind.Known() {
		return fmt.Errorf("%w: unknown actor kind %q", ErrInvalid, ev.Actor.Kind)
	}
	if !isActorID(ev.Actor.ID) {
		return fmt.Errorf("%w: actor id %q is not 1 to %d of A-Z a-z 0-9 . _ : - (an id, never a name)", ErrInvalid, ev.Actor.ID, maxActorIDLen)
	}
	if !ev.Action.Known() {
		return fmt.Errorf("%w: unknown action %q", ErrInvalid, ev.Action)
	}
	if len(ev.Details) > maxDetails {
		return fmt.Errorf("%w: %d details, at most %d", ErrInvalid, len(ev.Details), maxDetails)
	}
	for k, v := range ev.Details {
		if !knownDetail(k) {
			return fmt.Errorf("%w: unknown detail %q", ErrInvalid, k)
		}
		if !isValue(v) {
			return fmt.Errorf("%w: detail %s is not 1 to %d printable ASCII characters without spaces", ErrInvalid, k, maxDetailValue)
		}
	}
	if d := ev.Action.requiredDetail(); d != "" && ev.Details[d] == "" {
		return fmt.Errorf("%w: action %s needs the detail %s", ErrInvalid, ev.Action, d)
	}
	if ev.Person.IsZero() {
		return nil
	}
	if ev.Person.System == "" || ev.Person.Value == "" {
		return fmt.Errorf("%w: identifier without a system or a value", ErrInvalid)
	}
	id := strings.ToUpper(ev.Person.Value)
	if strings.Contains(strings.ToUpper(ev.Actor.ID), id) {
		return fmt.Errorf("%w: the actor id holds the person's identifier", ErrPersonalData)
	}
	for k, v := range ev.Details {
		if strings.Contains(strings.ToUpper(v), id) {
			return fmt.Errorf("%w: the detail %s holds the person's identifier", ErrPersonalData, k)
		}
	}
	return nil
}
