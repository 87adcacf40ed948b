package kiosk

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"certkiosk/backend/identity"
	"certkiosk/backend/registry"
	"certkiosk/backend/registrysim"
	"certkiosk/backend/staff"
)

// fakeReader hands over the cards a test puts in.
type fakeReader struct{ cards chan card }

type card struct {
	p   identity.Person
	err error
}

func (r fakeReader) Name() string { return "test reader" }
func (r fakeReader) ID() string   { return "08e6:3437" }

func (r fakeReader) NextCard(ctx context.Context) (identity.Person, error) {
	select {
	case <-ctx.Done():
		return identity.Person{}, ctx.Err()
	case c := <-r.cards:
		return c.p, c.err
	}
}

// fakeScanner hands over the scans a test makes.
type fakeScanner chan []byte

func (s fakeScanner) Next(ctx context.Context) ([]byte, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case b := <-s:
		return b, nil
	}
}

func TestRealDevicesAndRegistry(t *testing.T) {
	clock := newFakeClock()
	data := t.TempDir()
	reg, err := registrysim.Start(context.Background(), filepath.Join(t.TempDir(), "registry.sqlite"), clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	reader := fakeReader{cards: make(chan card)}
	scanner := make(fakeScanner)
	app, err := Open(context.Background(), Setup{
		DataDir: data, Clock: clock, RegistryURL: reg.LocalURL, FederalURL: reg.FederalURL, KeyURI: hardwareKey(t),
		Cards: reader, Scans: scanner, Registry: registry.Options{Retries: -1},
		StaffHash: staff.Params{Time: 1, Memory: 64, Threads: 1, SaltLen: 16, KeyLen: 32}, QueuePoll: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Shutdown(context.Background())
	st := app.Poll(0)
	if st.Demo || len(st.DemoPeople) != 0 {
		t.Errorf("a kiosk with a registry configured: demo %v, %d demo people", st.Demo, len(st.DemoPeople))
	}
	kinds := map[string]bool{}
	for _, d := range st.Devices {
		kinds[d.Kind] = !d.Simulated
	}
	if !kinds["reader"] || !kinds["scanner"] || !kinds["printer"] {
		t.Errorf("devices = %+v, want the reader, the scanner and the printer, none simulated", st.Devices)
	}
	if err := app.InsertDemoCard("ee-1001"); !errors.Is(err, ErrNotDemo) {
		t.Errorf("InsertDemoCard without demo = %v, want %v", err, ErrNotDemo)
	}
	if err := app.StaffUnlock("librarian", "481516"); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("a demo account without demo = %v, want %v", err, ErrWrongPIN)
	}

	reader.cards <- card{err: errors.New("the card answered nonsense")}
	st = waitFor(t, app, "failed", onScreen(ScreenFailed))
	if st.Failure.Reason != "card-unreadable" || st.Failure.Queued {
		t.Fatalf("an unreadable card: failure %+v", st.Failure)
	}
	p, err := identity.FromStaffEntry(registry.SystemEEPersonalCode, "46003150224")
	if err != nil {
		t.Fatal(err)
	}
	p.Source = identity.SourceCard
	reader.cards <- card{p: p}
	st = waitFor(t, app, "results", onScreen(ScreenResults))
	if len(st.Offers) != 1 || st.Person == nil || st.Person.Name != "Mari Tamm" {
		t.Fatalf("the card's holder: person %+v offers %+v", st.Person, st.Offers)
	}
	app.Finish()
	scanner <- []byte("IDESTAC0374518834811020330<<<<\r4811022M3106305EST<<<<<<<<<<<5\rOUNAPUU<<JUERI<<<<<<<<<<<<<<<<\r\n")
	st = waitFor(t, app, "results", onScreen(ScreenResults))
	if st.Person == nil || st.Person.Name != "Jüri Õunapuu" {
		t.Fatalf("the scanned document's holder: %+v", st.Person)
	}
}
