package sim

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/identity"
	"certkiosk/backend/registry"
)

func demoHolder(t *testing.T, value string) DemoHolder {
	t.Helper()
	all, err := DemoHolders()
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range all {
		if h.Person.Identifier.Value == value {
			return h
		}
	}
	t.Fatalf("no demo holder %s", value)
	return DemoHolder{}
}

func TestDemoHolderMRZ(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		value, system, birth string
	}{
		{"46003150224", registry.SystemEEPersonalCode, "1960-03-15"},
		{"34811020330", registry.SystemEEPersonalCode, "1948-11-02"},
		{"37506070448", registry.SystemEEPersonalCode, "1975-06-07"}, // Cyrillic names
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			h := demoHolder(t, tt.value)
			zone, err := h.MRZ(now)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := h.MRZ(now)
			if again != zone {
				t.Errorf("MRZ twice = %q and %q, want the same card", zone, again)
			}
			s := identity.ClassifyScan([]byte(zone+"\r"), now)
			if s.Kind != identity.ScanMRZ || s.Err != nil {
				t.Fatalf("ClassifyScan(%q) = %v %v, want a valid zone", zone, s.Kind, s.Err)
			}
			p, err := identity.FromMRZ(*s.MRZ)
			if err != nil {
				t.Fatal(err)
			}
			if p.Identifier != (registry.Identifier{System: tt.system, Value: tt.value}) || p.BirthDate != tt.birth {
				t.Errorf("FromMRZ(MRZ()) = %+v %s, want %s %s", p.Identifier, p.BirthDate, tt.value, tt.birth)
			}
		})
	}
	t.Run("no document", func(t *testing.T) {
		h := demoHolder(t, "11223344595")
		if _, err := h.MRZ(now); !errors.Is(err, ErrNoDocument) {
			t.Errorf("MRZ of a SNILS holder = %v, want %v", err, ErrNoDocument)
		}
	})
}

func TestInsertOnDemand(t *testing.T) {
	ctx := context.Background()
	r := newReader()
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if _, err := r.ReadPerson(ctx); !errors.Is(err, ErrNoCard) {
		t.Fatalf("ReadPerson of an empty reader = %v, want %v", err, ErrNoCard)
	}
	first, second := demoHolder(t, "46003150224"), demoHolder(t, "34811020330")
	for _, h := range []DemoHolder{first, second} {
		if err := r.Insert(h.Holder, at); err != nil {
			t.Fatal(err)
		}
		p, err := r.ReadPerson(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.Identifier != h.Person.Identifier || p.Source != identity.SourceCard || !strings.EqualFold(p.FamilyName, h.Person.FamilyName) {
			t.Errorf("ReadPerson after Insert = %+v, want %+v", p, h.Person)
		}
	}
	// The first card came out when the second went in.
	want := []CardEventKind{CardInserted, CardRemoved, CardInserted}
	for i, k := range want {
		ev, err := r.Next(ctx)
		if err != nil || ev.Kind != k {
			t.Fatalf("event %d = %v %v, want %v", i, ev.Kind, err, k)
		}
	}
	r.Remove(at)
	if _, err := r.ReadPerson(ctx); !errors.Is(err, ErrNoCard) {
		t.Errorf("ReadPerson after Remove = %v, want %v", err, ErrNoCard)
	}
}

// Every demo card carries a name and a date of birth, the cards of people no
// registry knows included: the kiosk's demo panel names each card by its holder.
func TestDemoHoldersNamed(t *testing.T) {
	holders, err := DemoHolders()
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range holders {
		p := h.Person
		if p.FamilyName == "" || len(p.GivenNames) == 0 || p.BirthDate == "" {
			t.Errorf("the demo card of %s %s carries names %q %q and birth date %q, want all three",
				h.Row.Profile, p.Identifier.Value, p.GivenNames, p.FamilyName, p.BirthDate)
		}
	}
}
