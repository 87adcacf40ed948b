package sim_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"certkiosk/backend/identity"
	"certkiosk/backend/registry"
	"certkiosk/drivers/eid/eidtest"
	"certkiosk/drivers/sim"
)

// clock is the simulation's clock in tests: Sleep moves it on at once.
type clock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

var start = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func newClock() *clock { return &clock{now: start} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	return ctx.Err()
}

func (c *clock) options() sim.Options { return sim.Options{Now: c.Now, Sleep: c.Sleep} }

func parse(t *testing.T, text string) *sim.Script {
	t.Helper()
	s, err := sim.ParseScript("test", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// event is a card or scan event, as the tests compare them.
type event struct {
	seq  int
	at   time.Duration // after the start
	what string
}

// drain plays s to its end and collects every event of both devices.
func drain(t *testing.T, s *sim.Sim) []event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Run(ctx); err != nil {
		t.Fatalf("Run() = %v", err)
	}
	var events []event
	for {
		ev, err := s.Reader().Next(ctx)
		if errors.Is(err, sim.ErrScriptDone) {
			break
		}
		if err != nil {
			t.Fatalf("Reader().Next() error = %v", err)
		}
		events = append(events, event{ev.Seq, ev.At.Sub(start), string(ev.Kind) + " " + ev.Holder.Person.Identifier.Value})
	}
	for {
		ev, err := s.Scanner().NextEvent(ctx)
		if errors.Is(err, sim.ErrScriptDone) {
			break
		}
		if err != nil {
			t.Fatalf("Scanner().NextEvent() error = %v", err)
		}
		events = append(events, event{ev.Seq, ev.At.Sub(start), string(ev.Kind) + " " + string(ev.Data)})
	}
	return events
}

func TestRunDeliversInOrder(t *testing.T) {
	script, err := sim.ReadScript("testdata/every-step.script")
	if err != nil {
		t.Fatal(err)
	}
	c := newClock()
	s := sim.New(script, c.options())
	events := drain(t, s)
	hc1 := string(script.Steps[8].Data)
	want := []event{
		{1, 2 * time.Second, "inserted 46003150224"},
		{2, 3500 * time.Millisecond, "removed 46003150224"},
		{3, 4500 * time.Millisecond, "inserted 11223344595"},
		{5, 4500 * time.Millisecond, "removed 11223344595"},
		{4, 4500 * time.Millisecond, "mrz P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\rL898902C36UTO7408122F1204159ZE184226B<<<<<10"},
		{6, 4500 * time.Millisecond, "hc1 " + hc1},
		{7, 4750 * time.Millisecond, "text 0104150123456782\x1d17261231\x1d10ABC123"},
		{8, 4750 * time.Millisecond, "text an OMS barcode: 7700000000000001"},
	}
	if len(events) != len(want) {
		t.Fatalf("events = %+v, want %+v", events, want)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Errorf("event %d = %+v, want %+v", i+1, events[i], want[i])
		}
	}
	if got := c.slept; len(got) != 4 || got[0] != 2*time.Second || got[3] != 250*time.Millisecond {
		t.Errorf("slept %v, want [2s 1.5s 1s 250ms]", got)
	}
	if script.Duration() != 4750*time.Millisecond {
		t.Errorf("Duration() = %v, want 4.75s", script.Duration())
	}
}

func TestScansClassify(t *testing.T) {
	s := sim.New(parse(t, "scan mrz P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<10\nscan hc1 HC1:6BF\nscan text 01\\x1d17"), newClock().options())
	go s.Run(context.Background())
	want := []identity.ScanKind{identity.ScanMRZ, identity.ScanHC1, identity.ScanText}
	for _, kind := range want {
		payload, err := s.Scanner().Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		scan := identity.ClassifyScan(payload, start)
		if scan.Kind != kind || scan.Err != nil {
			t.Errorf("ClassifyScan(%q) = %s, %v, want %s", payload, scan.Kind, scan.Err, kind)
		}
	}
	if _, err := s.Scanner().Next(context.Background()); !errors.Is(err, sim.ErrScriptDone) {
		t.Errorf("Next() at the end error = %v, want ErrScriptDone", err)
	}
}

func TestReaderReadsEstonianCard(t *testing.T) {
	s := sim.New(parse(t, "insert card EE 46003150224\nremove card\n"), newClock().options())
	script := s.Script()
	ctx := context.Background()
	// Play the insertion alone first.
	one := sim.New(&sim.Script{Steps: script.Steps[:1]}, newClock().options())
	if err := one.Run(ctx); err != nil {
		t.Fatal(err)
	}
	ev, err := one.Reader().Next(ctx)
	if err != nil || ev.Kind != sim.CardInserted || ev.Card == nil {
		t.Fatalf("Next() = %+v, %v, want an inserted ID card", ev, err)
	}
	p, err := one.Reader().ReadPerson(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantID := registry.Identifier{System: registry.SystemEEPersonalCode, Value: "46003150224"}
	if p.Identifier != wantID || p.FamilyName != "TAMM" || strings.Join(p.GivenNames, " ") != "MARI" ||
		p.BirthDate != "1960-03-15" || p.Source != identity.SourceCard || p.Document == nil || p.Document.IssuingState != "EST" {
		t.Errorf("ReadPerson() = %+v", p)
	}

	// Now the whole script: the card is out at the end.
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	in, _ := s.Reader().Next(ctx)
	out, _ := s.Reader().Next(ctx)
	if out.Kind != sim.CardRemoved || out.Holder.Person.Identifier != wantID {
		t.Errorf("second event = %+v, want the removal of the same card", out)
	}
	if _, err := in.Card.Transmit(ctx, []byte{0x00, 0xa4, 0x04, 0x00}); !errors.Is(err, eidtest.ErrRemoved) {
		t.Errorf("Transmit() to a removed card error = %v, want eidtest.ErrRemoved", err)
	}
	if _, err := s.Reader().ReadPerson(ctx); !errors.Is(err, sim.ErrNoCard) {
		t.Errorf("ReadPerson() with no card error = %v, want ErrNoCard", err)
	}
	if _, ok := s.Reader().Present(); ok {
		t.Errorf("Present() after removal found a card")
	}
}

func TestReaderOtherCountries(t *testing.T) {
	tests := []struct {
		line   string
		system string
		value  string
		family string
	}{
		{"insert card RU 112-233-445 95", registry.SystemSNILS, "11223344595", "Петров"},
		{"insert card RU-MOW 11223344595", registry.SystemSNILS, "11223344595", "Петров"},
		{"insert card AZ 5ZJ7K2M", registry.SystemFIN, "5ZJ7K2M", "Məmmədov"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			s := sim.New(parse(t, tt.line), newClock().options())
			if err := s.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			ev, err := s.Reader().Next(context.Background())
			if err != nil || ev.Card != nil {
				t.Fatalf("Next() = %+v, %v, want a card without a simulated chip", ev, err)
			}
			p, err := s.Reader().ReadPerson(context.Background())
			if err != nil || p.Identifier.System != tt.system || p.Identifier.Value != tt.value || p.FamilyName != tt.family || p.Source != identity.SourceCard {
				t.Errorf("ReadPerson() = %+v, %v", p, err)
			}
		})
	}
}

func TestUnknownToRegistryStillHasACard(t *testing.T) {
	s := sim.New(parse(t, "insert card EE 37605030299"), newClock().options())
	if err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	p, err := s.Reader().ReadPerson(context.Background())
	if err != nil || p.Identifier.Value != "37605030299" || p.BirthDate != "1976-05-03" {
		t.Errorf("ReadPerson() = %+v, %v", p, err)
	}
}

func TestRunStops(t *testing.T) {
	s := sim.New(parse(t, "insert card EE 46003150224\nwait 1h\nscan hc1 HC1:6BF"), sim.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	if ev, err := s.Reader().Next(context.Background()); err != nil || ev.Kind != sim.CardInserted {
		t.Fatalf("Next() = %+v, %v", ev, err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run() stopped = %v, want context.Canceled", err)
	}
	if _, err := s.Scanner().Next(context.Background()); !errors.Is(err, sim.ErrScriptDone) {
		t.Errorf("Scanner().Next() after a stopped run error = %v, want ErrScriptDone", err)
	}
	if _, ok := s.Reader().Present(); !ok {
		t.Errorf("the card did not stay in when the run stopped")
	}
	if err := s.Run(context.Background()); !errors.Is(err, sim.ErrRunning) {
		t.Errorf("second Run() = %v, want ErrRunning", err)
	}
}

func TestClose(t *testing.T) {
	s := sim.New(parse(t, "wait 1h\nscan hc1 HC1:6BF"), sim.Options{})
	done := make(chan error, 2)
	go func() { _, err := s.Scanner().Next(context.Background()); done <- err }()
	go func() { _, err := s.Reader().Next(context.Background()); done <- err }()
	time.Sleep(10 * time.Millisecond)
	s.Scanner().Close()
	s.Reader().Close()
	for range 2 {
		if err := <-done; !errors.Is(err, sim.ErrClosed) {
			t.Errorf("Next() stopped by Close error = %v, want ErrClosed", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	s2 := sim.New(parse(t, "wait 1h"), sim.Options{})
	if _, err := s2.Scanner().Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Next() error = %v, want DeadlineExceeded", err)
	}
}

func TestDefaultScript(t *testing.T) {
	script := sim.DefaultScript()
	if script.Name != "default" || len(script.Steps) < 3 {
		t.Fatalf("DefaultScript() = %+v", script)
	}
	var insert, scan *sim.Step
	for i, st := range script.Steps {
		switch {
		case st.Op == sim.OpInsert && insert == nil:
			insert = &script.Steps[i]
		case st.Op == sim.OpScan && st.Kind == sim.ScanMRZ && scan == nil:
			scan = &script.Steps[i]
		}
	}
	if insert == nil || scan == nil {
		t.Fatalf("DefaultScript() has no card insert or no MRZ scan: %+v", script.Steps)
	}
	if insert.Holder.Person.Identifier.Value != "46003150224" || !insert.Holder.Estonian() {
		t.Errorf("card of %+v, want Mari Tamm's ID card", insert.Holder)
	}
	// The zone is a valid one and leads to a demo person.
	m, err := identity.ParseMRZ(string(scan.Data), start)
	if err != nil {
		t.Fatalf("the default MRZ does not parse: %v", err)
	}
	p, err := identity.FromMRZ(m, registry.SystemEEPersonalCode)
	if err != nil || p.Identifier.Value != "34811020330" {
		t.Errorf("FromMRZ() = %+v, %v, want Jüri Õunapuu's personal code", p, err)
	}
	c := newClock()
	events := drain(t, sim.Default(c.options()))
	if len(events) != 3 || events[0].at != 3*time.Second || events[2].what[:3] != "mrz" {
		t.Errorf("default events = %+v", events)
	}
}

func TestFormatRoundTrip(t *testing.T) {
	script, err := sim.ReadScript("testdata/every-step.script")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := script.Format(&b); err != nil {
		t.Fatal(err)
	}
	again := parse(t, b.String())
	if len(again.Steps) != len(script.Steps) {
		t.Fatalf("%d steps after Format, want %d:\n%s", len(again.Steps), len(script.Steps), b.String())
	}
	for i := range script.Steps {
		if a, b := script.Steps[i].String(), again.Steps[i].String(); a != b {
			t.Errorf("step %d = %q after Format, want %q", i+1, b, a)
		}
	}
	if !strings.Contains(b.String(), `scan text 0104150123456782\x1d17261231`) {
		t.Errorf("Format() does not escape GS:\n%s", b.String())
	}
}

func TestParseScriptErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		line int
		want string
	}{
		{"unknown step", "wait 1s\npress button", 2, "unknown step"},
		{"bad duration", "wait soon", 1, "not a duration"},
		{"zero wait", "wait 0s", 1, "more than 0"},
		{"long wait", "wait 25h", 1, "at most"},
		{"wait without duration", "wait", 1, "one duration"},
		{"unknown person", "\n\ninsert card EE 38001085718", 3, "none of the demo people"},
		{"bad identifier", "insert card EE 4600315022", 1, "none of the demo people"},
		{"unknown country", "insert card FI 46003150224", 1, "no demo people of country"},
		{"insert without identifier", "insert card EE", 1, "country and an identifier"},
		{"card already in", "insert card EE 46003150224\nwait 1s\ninsert card EE 34811020330", 3, "inserted at line 1"},
		{"remove without card", "# nothing in\nremove card", 2, "no card is in the reader"},
		{"remove what", "insert card EE 46003150224\nremove card now", 2, "nothing after it"},
		{"scan without argument", "scan mrz", 1, "kind"},
		{"scan of an unknown kind", "scan pdf417 ABC", 1, "want mrz, hc1 or text"},
		{"one line zone", "scan mrz P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", 1, "1 lines"},
		{"short zone line", "scan mrz P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<|L898902C36UTO7408122F1204159ZE184226B<<<<<1", 1, "line 2 has 43"},
		{"lower case zone", "scan mrz I<UTOD231458907<<<<<<<<<<<<<<<|7408122F1204159UTO<<<<<<<<<<<6|eriksson<<anna<maria<<<<<<<<<<", 1, "line 3 column 1"},
		{"odd zone width", "scan mrz ABC|DEF", 1, "36 or 44"},
		{"hc1 without prefix", "scan hc1 6BFOXN", 1, "want HC1:"},
		{"hc1 with lower case", "scan hc1 HC1:6bf", 1, "column 6"},
		{"bad escape", `scan text 01\q`, 1, "bad escape"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sim.ParseScript("t.script", strings.NewReader(tt.text))
			var se *sim.ScriptError
			if !errors.Is(err, sim.ErrScript) || !errors.As(err, &se) || se.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseScript(%q) error = %v, want line %d saying %q", tt.text, err, tt.line, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "sim: script t.script line ") {
				t.Errorf("error %q does not name the script and line", err)
			}
		})
	}
}

func TestReadScriptMissing(t *testing.T) {
	if _, err := sim.ReadScript("testdata/none.script"); err == nil || !strings.Contains(err.Error(), "none.script") {
		t.Errorf("ReadScript(missing) error = %v", err)
	}
}
