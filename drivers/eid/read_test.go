package eid_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"certkiosk/backend/identity"
	"certkiosk/backend/registry"
	"certkiosk/drivers/eid"
	"certkiosk/drivers/eid/eidtest"
)

// holder has every Estonian letter in her names.
func holder() eid.PersonalData {
	return eid.PersonalData{
		Surname:        "ÕUNAPUU-ŠTŠERBAKOVA",
		GivenNames:     "ÄLLI ÖÖBIK ŽANNA-ÜLLE",
		Sex:            "N",
		Citizenship:    "EST",
		BirthDate:      "1960-03-15",
		BirthPlace:     "EST",
		PersonalCode:   "46003150224",
		DocumentNumber: "AB1234567",
		Expiry:         "2030-05-01",
		Issued:         "2025-05-02",
		Notes:          []string{"", "TÄHTAJATU ELAMISLUBA"},
	}
}

func wantPerson() identity.Person {
	return identity.Person{
		Identifier: registry.Identifier{System: registry.SystemEEPersonalCode, Value: "46003150224"},
		FamilyName: "ÕUNAPUU-ŠTŠERBAKOVA",
		GivenNames: []string{"ÄLLI", "ÖÖBIK", "ŽANNA-ÜLLE"},
		BirthDate:  "1960-03-15",
		Document:   &identity.Document{Type: "ID", Number: "AB1234567", IssuingState: "EST", Nationality: "EST", Expiry: "2030-05-01"},
		Source:     identity.SourceCard,
	}
}

func newCard(t *testing.T, h eid.PersonalData, o eidtest.Options) *eidtest.Card {
	t.Helper()
	c, err := eidtest.New(h, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The cards as readers present them: each layout, and IDEMIA cards through a
// T=0-like reader (61xx pieces) and answering a read past the end with 6Cxx.
func cardKinds() map[string]eidtest.Options {
	return map[string]eidtest.Options{
		"IDEMIA":                  {Layout: eid.LayoutIDEMIA},
		"IDEMIA in 61xx pieces":   {Layout: eid.LayoutIDEMIA, Chunk: 50},
		"IDEMIA answering 6Cxx":   {Layout: eid.LayoutIDEMIA, WrongLe: true},
		"Thales":                  {Layout: eid.LayoutThales},
		"EstEID 3.x":              {Layout: eid.LayoutEstEID3},
		"EstEID 3.x in 61 pieces": {Layout: eid.LayoutEstEID3, Chunk: 16, WrongLe: true},
	}
}

func TestReadPerson(t *testing.T) {
	ctx := context.Background()
	for name, o := range cardKinds() {
		t.Run(name, func(t *testing.T) {
			card := newCard(t, holder(), o)
			p, err := eid.ReadPerson(ctx, card)
			if err != nil {
				t.Fatalf("ReadPerson: %v", err)
			}
			if want := wantPerson(); !reflect.DeepEqual(p, want) {
				t.Errorf("ReadPerson = %+v\nwant %+v", p, want)
			}
			pd, err := eid.ReadPersonalData(ctx, card)
			if err != nil {
				t.Fatal(err)
			}
			want := holder()
			want.Layout = o.Layout
			if !reflect.DeepEqual(pd, want) {
				t.Errorf("ReadPersonalData = %+v\nwant %+v", pd, want)
			}
			cert, err := eid.ReadAuthCertificate(ctx, card, eid.LayoutUnknown)
			if err != nil || cert.Subject.SerialNumber != "PNOEE-46003150224" {
				t.Errorf("ReadAuthCertificate = %v, %v", cert, err)
			}
		})
	}
}

func TestReadPersonCertificateMismatch(t *testing.T) {
	ctx := context.Background()
	h := holder()
	for _, serial := range []string{"PNOEE-37605030299", "37605030299", "PNOLV-46003150224", ""} {
		cert, err := eidtest.Certificate(h, serial)
		if err != nil {
			t.Fatal(err)
		}
		card := newCard(t, h, eidtest.Options{AuthCert: cert})
		p, err := eid.ReadPerson(ctx, card)
		if !errors.Is(err, eid.ErrCertMismatch) || !reflect.DeepEqual(p, identity.Person{}) {
			t.Errorf("ReadPerson with a certificate for %q = %+v, %v, want ErrCertMismatch and no person", serial, p, err)
		}
		if err != nil && strings.Contains(err.Error(), "37605030299") {
			t.Errorf("the error %q shows a personal code", err)
		}
	}
	// Certificates before 2017 had the bare code.
	cert, err := eidtest.Certificate(h, h.PersonalCode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eid.ReadPerson(ctx, newCard(t, h, eidtest.Options{Layout: eid.LayoutEstEID3, AuthCert: cert})); err != nil {
		t.Errorf("ReadPerson with a bare code in the certificate: %v", err)
	}
	// Not a certificate.
	card := newCard(t, h, eidtest.Options{AuthCert: []byte{0x30, 0x03, 0x02, 0x01, 0x01}})
	if _, err := eid.ReadPerson(ctx, card); !errors.Is(err, eid.ErrCertificate) {
		t.Errorf("ReadPerson with a broken certificate = %v, want ErrCertificate", err)
	}
	card = newCard(t, h, eidtest.Options{AuthCert: []byte("not DER at all")})
	if _, err := eid.ReadPerson(ctx, card); !errors.Is(err, eid.ErrCertificate) {
		t.Errorf("ReadPerson with no certificate = %v, want ErrCertificate", err)
	}
}

// A card pulled out at any point of a read: the reader's error, and nothing
// half read; put back, it reads in full.
func TestReadPersonCardRemoved(t *testing.T) {
	ctx := context.Background()
	for name, o := range cardKinds() {
		t.Run(name, func(t *testing.T) {
			full := newCard(t, holder(), o)
			if _, err := eid.ReadPerson(ctx, full); err != nil {
				t.Fatal(err)
			}
			n := full.Transmits()
			for k := 0; k < n; k++ {
				card := newCard(t, holder(), o)
				card.RemoveAfter(k)
				p, err := eid.ReadPerson(ctx, card)
				if !errors.Is(err, eidtest.ErrRemoved) || !reflect.DeepEqual(p, identity.Person{}) {
					t.Fatalf("removed after %d of %d APDUs: ReadPerson = %+v, %v, want ErrRemoved and no person", k, n, p, err)
				}
				if !strings.HasPrefix(err.Error(), "eid: ") || !strings.HasSuffix(err.Error(), "eidtest: card removed") {
					t.Errorf("removed after %d APDUs: error %q", k, err)
				}
				card.Insert()
				if p, err := eid.ReadPerson(ctx, card); err != nil || !reflect.DeepEqual(p, wantPerson()) {
					t.Fatalf("put back after %d APDUs: ReadPerson = %+v, %v", k, p, err)
				}
			}
			card := newCard(t, holder(), o)
			if _, err := eid.ReadPersonalData(ctx, card); err != nil {
				t.Fatal(err)
			}
			m := card.Transmits()
			card = newCard(t, holder(), o)
			card.RemoveAfter(m / 2)
			pd, err := eid.ReadPersonalData(ctx, card)
			if err == nil || !reflect.DeepEqual(pd, eid.PersonalData{}) {
				t.Errorf("ReadPersonalData removed part way = %+v, %v", pd, err)
			}
		})
	}
}

func TestReadPersonDigiID(t *testing.T) {
	// A digital ID has no sex and no date of birth; the date comes from the code.
	h := holder()
	h.Sex, h.BirthDate, h.BirthPlace = "", "", ""
	p, err := eid.ReadPerson(context.Background(), newCard(t, h, eidtest.Options{}))
	if err != nil || p.BirthDate != "1960-03-15" {
		t.Errorf("ReadPerson(Digi-ID) = %+v, %v, want the birth date from the code", p, err)
	}
}

func TestReadPersonalDataFaults(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		layout eid.Layout
		fields map[int][]byte
		is     error
		says   string
	}{
		{"surname not UTF-8", eid.LayoutIDEMIA, map[int][]byte{1: []byte("T\xd5NU")}, eid.ErrPersonalData, "surname (EF 5001): not UTF-8"},
		{"control character", eid.LayoutIDEMIA, map[int][]byte{2: []byte("MARI\x07")}, eid.ErrPersonalData, "given names (EF 5002): control"},
		{"birth date", eid.LayoutIDEMIA, map[int][]byte{5: []byte("1960-03-15 EST")}, eid.ErrPersonalData, "date and place of birth (EF 5005): not a date"},
		{"impossible birth date", eid.LayoutIDEMIA, map[int][]byte{5: []byte("31 02 1960 EST")}, eid.ErrPersonalData, "not a date"},
		{"expiry date", eid.LayoutIDEMIA, map[int][]byte{8: []byte("01 05 2030 X")}, eid.ErrPersonalData, "expiry date (EF 5008)"},
		{"no personal code", eid.LayoutIDEMIA, map[int][]byte{6: {0}}, eid.ErrPersonalData, "personal code (EF 5006): empty"},
		{"personal code missing", eid.LayoutIDEMIA, map[int][]byte{6: nil}, eid.ErrFileNotFound, "personal code (EF 5006): select EF 5006"},
		{"field too long", eid.LayoutIDEMIA, map[int][]byte{11: make([]byte, 2000)}, eid.ErrFileSize, "notes, line 1 (EF 500B)"},
		{"EstEID 3.x, undefined Windows-1252 byte", eid.LayoutEstEID3, map[int][]byte{1: []byte("T\x81NU")}, eid.ErrPersonalData, "surname (record 1)"},
		{"EstEID 3.x, too few records", eid.LayoutEstEID3, map[int][]byte{8: nil}, eid.ErrPersonalData, "7 records"},
		{"EstEID 3.x, date with place", eid.LayoutEstEID3, map[int][]byte{6: []byte("15.03.1960 EST")}, eid.ErrPersonalData, "more than a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			card := newCard(t, holder(), eidtest.Options{Layout: tt.layout, Fields: tt.fields})
			pd, err := eid.ReadPersonalData(ctx, card)
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.says) || !reflect.DeepEqual(pd, eid.PersonalData{}) {
				t.Fatalf("ReadPersonalData = %+v, %v, want %v saying %q", pd, err, tt.is, tt.says)
			}
		})
	}
	// Later fields may be missing or in a form of their own.
	card := newCard(t, holder(), eidtest.Options{Fields: map[int][]byte{9: []byte("PPA"), 10: nil, 15: nil}})
	pd, err := eid.ReadPersonalData(ctx, card)
	if err != nil || pd.Issued != "" || pd.IssuedBy != "PPA" || len(pd.Notes) != 2 {
		t.Errorf("ReadPersonalData with later fields missing = %+v, %v", pd, err)
	}
	card = newCard(t, holder(), eidtest.Options{Layout: eid.LayoutEstEID3, Fields: map[int][]byte{13: nil}})
	if pd, err := eid.ReadPersonalData(ctx, card); err != nil || pd.Notes != nil {
		t.Errorf("ReadPersonalData with 12 records = %+v, %v", pd, err)
	}
}

func TestReadPersonInvalidCode(t *testing.T) {
	h := holder()
	h.PersonalCode = "46003150225" // check digit 4
	p, err := eid.ReadPerson(context.Background(), newCard(t, h, eidtest.Options{}))
	if !errors.Is(err, identity.ErrInvalidIdentifier) || !reflect.DeepEqual(p, identity.Person{}) {
		t.Errorf("ReadPerson with a bad check digit = %+v, %v, want ErrInvalidIdentifier", p, err)
	}
}

// notACard answers everything "file not found".
type notACard struct{}

func (notACard) Transmit(context.Context, []byte) ([]byte, error) { return []byte{0x6A, 0x82}, nil }

// quietCard answers everything "instruction not supported".
type quietCard struct{}

func (quietCard) Transmit(context.Context, []byte) ([]byte, error) { return []byte{0x6E, 0x00}, nil }

// lockedCard finds every application but lets nothing be read.
type lockedCard struct{}

func (lockedCard) Transmit(context.Context, []byte) ([]byte, error) { return []byte{0x69, 0x82}, nil }

func TestReadPersonOtherCards(t *testing.T) {
	ctx := context.Background()
	for _, c := range []eid.Card{notACard{}, quietCard{}} {
		if _, err := eid.ReadPerson(ctx, c); !errors.Is(err, eid.ErrNotEstEID) {
			t.Errorf("ReadPerson(%T) = %v, want ErrNotEstEID", c, err)
		}
	}
	if _, err := eid.ReadPerson(ctx, lockedCard{}); !errors.Is(err, eid.ErrSecurityStatus) || errors.Is(err, eid.ErrNotEstEID) {
		t.Errorf("ReadPerson(locked card) = %v, want ErrSecurityStatus", err)
	}
}

func TestDetect(t *testing.T) {
	for name, o := range cardKinds() {
		l, err := eid.Detect(context.Background(), newCard(t, holder(), o))
		if err != nil || l != o.Layout {
			t.Errorf("%s: Detect = %s, %v", name, l, err)
		}
	}
}

func TestVerifyPIN1(t *testing.T) {
	ctx := context.Background()
	for _, l := range []eid.Layout{eid.LayoutIDEMIA, eid.LayoutEstEID3} {
		card := newCard(t, holder(), eidtest.Options{Layout: l, PIN1: "0090"})
		f, _ := l.PIN1()
		if n, err := eid.PINRetries(ctx, card, f); err != nil || n != 3 {
			t.Errorf("%s: PINRetries = %d, %v, want 3", l, n, err)
		}
		for want := 2; want >= 0; want-- {
			err := eid.Verify(ctx, card, f, []byte("1234"))
			var se *eid.StatusError
			if !errors.Is(err, eid.ErrWrongPIN) || !errors.As(err, &se) {
				t.Fatalf("%s: Verify(wrong) = %v, want ErrWrongPIN", l, err)
			}
			if n, _ := se.SW.RetriesLeft(); n != want {
				t.Errorf("%s: %d tries left, want %d", l, n, want)
			}
		}
		// Blocked now: even the right PIN is refused.
		if err := eid.Verify(ctx, card, f, []byte("0090")); !errors.Is(err, eid.ErrPINBlocked) {
			t.Errorf("%s: Verify(right, blocked) = %v, want ErrPINBlocked", l, err)
		}
		if n, err := eid.PINRetries(ctx, card, f); err != nil || n != 0 {
			t.Errorf("%s: PINRetries(blocked) = %d, %v", l, n, err)
		}
		// The counter survives the card being pulled out.
		card.Remove()
		card.Insert()
		if card.PINTriesLeft() != 0 {
			t.Errorf("%s: %d tries after reinsertion", l, card.PINTriesLeft())
		}

		card = newCard(t, holder(), eidtest.Options{Layout: l, PIN1: "0090"})
		if err := eid.Verify(ctx, card, f, []byte("1111")); !errors.Is(err, eid.ErrWrongPIN) {
			t.Fatal(err)
		}
		if err := eid.Verify(ctx, card, f, []byte("0090")); err != nil {
			t.Errorf("%s: Verify(right) = %v", l, err)
		}
		if card.PINTriesLeft() != 3 {
			t.Errorf("%s: %d tries after the right PIN, want 3", l, card.PINTriesLeft())
		}
	}
}
