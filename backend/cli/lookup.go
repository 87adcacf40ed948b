package cli

// lookup.go: finding a person's record in the registries, for issue --subject.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"certkiosk/backend/identity"
	"certkiosk/backend/registry"
	"certkiosk/backend/rules"
)

// registries are the registries a person is looked up in; federal may be nil.
type registries struct {
	local, federal *registry.Client
}

// parseSubject reads --subject: a bare identifier in the profile's first identifier
// system, or SYSTEM|VALUE for one of its other systems. The value is checked (check
// digits included) before any registry is asked.
func parseSubject(p *rules.Profile, subject string) (registry.Identifier, error) {
	system, value, found := strings.Cut(subject, "|")
	if !found {
		if len(p.IdentifierSystems) == 0 {
			return registry.Identifier{}, fmt.Errorf("profile %s names no identifier system", p.Code)
		}
		system, value = p.IdentifierSystems[0], subject
	}
	if !slices.Contains(p.IdentifierSystems, system) {
		return registry.Identifier{}, usagef("profile %s finds people by %s, not by %s",
			p.Code, strings.Join(p.IdentifierSystems, " or "), system)
	}
	v, err := identity.Normalize(system, value)
	if err != nil {
		return registry.Identifier{}, err
	}
	return registry.Identifier{System: system, Value: v}, nil
}

// lookup returns what the registries hold about the person: the local record, merged
// with the federal one when the local registry has no usable record. A person neither
// registry knows gives a nil record and no error. An unreachable registry is an error,
// never taken for "not found".
func lookup(ctx context.Context, p *rules.Profile, id registry.Identifier, regs registries) (*registry.Record, error) {
	local, err := find(ctx, regs.local, id)
	if err != nil {
		return nil, err
	}
	if regs.federal == nil || !p.NeedsFederal(local) {
		return local, nil
	}
	federal, err := find(ctx, regs.federal, id)
	if err != nil {
		return nil, fmt.Errorf("federal registry: %w", err)
	}
	return rules.MergeFederal(local, federal), nil
}

// find asks one registry; a person it does not know is a nil record.
func find(ctx context.Context, c *registry.Client, id registry.Identifier) (*registry.Record, error) {
	rec, err := c.Find(ctx, id)
	if errors.Is(err, registry.ErrNotFound) {
		return nil, nil
	}
	return rec, err
}
