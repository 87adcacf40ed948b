package eidtest

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"certkiosk/backend/identity"
	"certkiosk/drivers/eid"
)

func h(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// The card's answers to raw commands, in order, for what package eid's reading
// does not exercise.
func TestCardAnswers(t *testing.T) {
	holder := eid.PersonalData{Surname: "TAMM", GivenNames: "MARI", PersonalCode: "46003150224", BirthDate: "1960-03-15", Expiry: "2030-05-01"}
	c, err := New(holder, Options{})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct{ cmd, resp string }{
		{"00 A4 00 0C", "90 00"}, // the MF
		{"00 A4 00 04 02 3F 00 00", "62 1C 82 01 38 83 02 3F 00 84 10 A0 00 00 00 77 01 08 00 07 00 00 FE 00 00 01 00 8A 01 05 90 00"},
		{"00 A4 01 0C 02 50 01", "6A 82"},       // an EF is not a child DF
		{"00 A4 01 0C 02 50 00", "90 00"},       // DF 5000
		{"00 A4 02 0C 02 50 01", "90 00"},       // EF 5001
		{"00 B0 00 00 00", "54 41 4D 4D 62 82"}, // TAMM, end of file
		{"00 B0 00 04 01", "6B 00"},             // beyond the end
		{"00 B0 81 00 01", "6A 81"},             // short EF identifiers
		{"00 B0 00 00", "67 00"},                // no Le
		{"00 A4 03 0C", "90 00"},                // back to the MF
		{"00 B0 00 00 01", "69 86"},             // no current EF
		{"00 A4 08 0C 04 50 00 50 06", "90 00"}, // by path
		{"00 B0 00 00 0B", "34 36 30 30 33 31 35 30 32 32 34 90 00"},
		{"00 A4 02 04 02 50 06", "61 10"}, // FCP without Le: 61xx
		{"00 C0 00 00 10", "62 0E 80 02 00 0B 82 01 01 83 02 50 06 8A 01 05 90 00"},
		{"00 C0 00 00 10", "69 85"},          // nothing pending
		{"00 A4 04 0C 03 A0 00 00", "6A 82"}, // no such AID
		{"00 A4 04 08 10 51 53 43 44 20 41 70 70 6C 69 63 61 74 69 6F 6E 00", "64 12 84 10 51 53 43 44 20 41 70 70 6C 69 63 61 74 69 6F 6E 90 00"},
		{"00 20 00 01", "63 C3"}, // tries left
		{"00 20 00 02", "6A 88"}, // no such PIN
		{"00 20 00 01 0C 31 32 33 34 FF FF FF FF FF FF FF FF", "90 00"},
		{"00 20 00 01", "90 00"},    // verified
		{"00 84 00 00 08", "6D 00"}, // GET CHALLENGE: not here
		{"80 A4 00 0C", "6E 00"},    // proprietary class
		{"00 A4", "67 00"},          // not a command
	}
	for i, s := range steps {
		got, err := c.Transmit(context.Background(), h(s.cmd))
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if want := h(s.resp); !bytes.Equal(got, want) {
			t.Errorf("step %d: %s answered % X, want % X", i, s.cmd, got, want)
		}
	}
	if c.Transmits() != len(steps) {
		t.Errorf("Transmits() = %d, want %d", c.Transmits(), len(steps))
	}
	c.Remove()
	if _, err := c.Transmit(context.Background(), h("00 A4 00 0C")); !errors.Is(err, ErrRemoved) {
		t.Errorf("Transmit to a removed card = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c.Insert()
	if _, err := c.Transmit(ctx, h("00 A4 00 0C")); !errors.Is(err, context.Canceled) {
		t.Errorf("Transmit with a cancelled context = %v", err)
	}
}

func TestNewRefuses(t *testing.T) {
	for _, h := range []eid.PersonalData{
		{PersonalCode: "46003150224", BirthDate: "15.03.1960"},
		{PersonalCode: "46003150224", Expiry: "2030"},
	} {
		if _, err := New(h, Options{}); err == nil {
			t.Errorf("New(%+v) made a card", h)
		}
	}
	if _, err := New(eid.PersonalData{Surname: "ИВАНОВ", PersonalCode: "46003150224"}, Options{Layout: eid.LayoutEstEID3}); err == nil {
		t.Error("New made an EstEID 3.x card with Cyrillic in Windows-1252")
	}
}

func TestHolder(t *testing.T) {
	p, err := identity.FromStaffEntry("urn:ee:personal-code", "37605030299")
	if err != nil {
		t.Fatal(err)
	}
	p.FamilyName, p.GivenNames = "Männik", []string{"Jüri", "Õnne"}
	p.Document = &identity.Document{Number: "AB7654321", Expiry: "2029-12-31"}
	got := Holder(p)
	want := eid.PersonalData{Surname: "MÄNNIK", GivenNames: "JÜRI ÕNNE", Sex: "M", Citizenship: "EST", BirthDate: "1976-05-03",
		BirthPlace: "EST", PersonalCode: "37605030299", DocumentNumber: "AB7654321", Expiry: "2029-12-31"}
	if got.Surname != want.Surname || got.GivenNames != want.GivenNames || got.Sex != want.Sex || got.BirthDate != want.BirthDate ||
		got.DocumentNumber != want.DocumentNumber || got.Expiry != want.Expiry || got.Citizenship != want.Citizenship {
		t.Errorf("Holder = %+v, want %+v", got, want)
	}
	card, err := New(got, Options{})
	if err != nil {
		t.Fatal(err)
	}
	back, err := eid.ReadPerson(context.Background(), card)
	if err != nil || back.Identifier != p.Identifier || back.FamilyName != "MÄNNIK" {
		t.Errorf("ReadPerson(card of Holder(p)) = %+v, %v", back, err)
	}
}
