package pcsc_test

import (
	"context"
	"errors"

	"os"
	"testing"
	"time"

	"certkiosk/drivers/ccid"
	"certkiosk/drivers/eid"
	"certkiosk/drivers/eid/eidtest"
	"certkiosk/drivers/pcsc"
	"certkiosk/drivers/pcsc/pcsctest"
)

func TestMain(m *testing.M) {
	pcsctest.Isolate() // before the first PC/SC call: never the machine's own pcscd
	os.Exit(m.Run())
}

var holder = eid.PersonalData{
	Surname: "JÕEORG", GivenNames: "JAAK-KRISTJAN", Sex: "M", Citizenship: "EST",
	BirthDate: "1980-01-08", BirthPlace: "EST", PersonalCode: "38001085718",
	DocumentNumber: "AB0000001", Expiry: "2028-01-08",
}

// newCard is a simulated ID card of holder.
func newCard(t *testing.T, o eidtest.Options) *eidtest.Card {
	t.Helper()
	card, err := eidtest.New(holder, o)
	if err != nil {
		t.Fatal(err)
	}
	return card
}

func TestReadPersonOverPCSC(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	d := pcsctest.Start(t)
	t0Only := []byte{0x3B, 0x00}             // no interface bytes: T=0
	t1Only := []byte{0x3B, 0x80, 0x01, 0x81} // TD1 says T=1 only; TCK
	for _, tc := range []struct {
		name  string
		atr   []byte
		proto int
		o     eidtest.Options
	}{
		{"IDEMIA, T=1 of T=0 and T=1", pcsctest.EstEIDATR(), 1, eidtest.Options{}},
		{"IDEMIA, answers in 61xx pieces, T=0", t0Only, 0, eidtest.Options{Chunk: 64}},
		{"Thales, T=1", t1Only, 1, eidtest.Options{Layout: eid.LayoutThales}},
		{"EstEID 3.x, 6Cxx", pcsctest.EstEIDATR(), 1, eidtest.Options{Layout: eid.LayoutEstEID3, WrongLe: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := d.Insert(t, 0, tc.atr, newCard(t, tc.o))
			defer d.Remove(v, 0)
			c, err := pcsc.Connect(ctx, d.Reader(0), pcsc.Options{})
			if err != nil {
				t.Fatalf("Connect = %v\npcscd: %s", err, d.Log())
			}
			defer c.Close()
			if got := c.ATR(); string(got) != string(tc.atr) {
				t.Errorf("ATR = % X, want % X", got, tc.atr)
			}
			if c.Protocol() != tc.proto {
				t.Errorf("Protocol() = T=%d, want T=%d", c.Protocol(), tc.proto)
			}
			p, err := eid.ReadPerson(ctx, c)
			if err != nil {
				t.Fatalf("ReadPerson = %v", err)
			}
			if p.Identifier.Value != "38001085718" || p.FamilyName != "JÕEORG" || p.BirthDate != "1980-01-08" {
				t.Errorf("ReadPerson = %+v", p)
			}
		})
	}
}

// A card pulled out part way through a read: "card removed", the session over;
// then the card put back and read cleanly in a new session.
func TestRemovedMidRead(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	d := pcsctest.Start(t)
	card := newCard(t, eidtest.Options{})
	v := d.Insert(t, 0, pcsctest.EstEIDATR(), card)

	c, err := pcsc.Connect(ctx, d.Reader(0), pcsc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	card.RemoveAfter(9) // the virtual card leaves the reader at the 10th command
	start := time.Now()
	p, err := eid.ReadPerson(ctx, c)
	if !errors.Is(err, ccid.ErrCardRemoved) || p.Identifier.Value != "" {
		t.Fatalf("ReadPerson(card pulled out) = %+v, %v; want ccid.ErrCardRemoved", p, err)
	}
	t.Logf("%v (after %s)", err, time.Since(start))
	var pe *pcsc.Error
	if !errors.As(err, &pe) || pe.Reader != d.Reader(0) {
		t.Errorf("error %v: want a *pcsc.Error naming the reader", err)
	}
	if _, err := c.Transmit(ctx, []byte{0x00, 0xA4, 0x00, 0x0C}); !errors.Is(err, ccid.ErrCardRemoved) {
		t.Errorf("Transmit after the removal = %v, want ccid.ErrCardRemoved", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close after the removal = %v", err)
	}
	if r, err := pcsc.WaitForRemoval(ctx, d.Reader(0)); err != nil || r.Card {
		t.Fatalf("WaitForRemoval = %+v, %v", r, err)
	}

	card.Insert()
	if err := v.Insert(); err != nil {
		t.Fatal(err)
	}
	r, err := pcsc.WaitForCard(ctx, d.Reader(0))
	if err != nil || !r.Card || string(r.ATR) != string(pcsctest.EstEIDATR()) {
		t.Fatalf("WaitForCard = %+v, %v", r, err)
	}
	c, err = pcsc.Connect(ctx, d.Reader(0), pcsc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if p, err := eid.ReadPerson(ctx, c); err != nil || p.Identifier.Value != "38001085718" {
		t.Errorf("ReadPerson(card put back) = %+v, %v", p, err)
	}
}

// Removal between two commands, noticed by pcscd before the next one.
func TestRemovedBetweenCommands(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	d := pcsctest.Start(t)
	v := d.Insert(t, 1, pcsctest.EstEIDATR(), newCard(t, eidtest.Options{}))
	c, err := pcsc.Connect(ctx, d.Reader(1), pcsc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	d.Remove(v, 1)
	_, err = c.Transmit(ctx, []byte{0x00, 0xA4, 0x00, 0x0C})
	var pe *pcsc.Error
	if !errors.Is(err, ccid.ErrCardRemoved) || !errors.As(err, &pe) {
		t.Fatalf("Transmit(card gone) = %v, want ccid.ErrCardRemoved", err)
	}
	t.Logf("%v", err)
}

func TestWaitForCard(t *testing.T) {
	d := pcsctest.Start(t)
	ctx := context.Background()

	// An empty reader: the wait ends with the deadline, as a timeout.
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := pcsc.WaitForCard(short, d.Reader(1))
	if !errors.Is(err, ccid.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitForCard(empty, 300 ms) = %v, want ccid.ErrTimeout and context.DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Errorf("WaitForCard gave up after %s, want about 300 ms", took)
	}

	// Cancelled while waiting: ended by SCardCancel, at once.
	cctx, cancelWait := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { _, err := pcsc.WaitForCard(cctx, d.Reader(1)); done <- err }()
	time.Sleep(200 * time.Millisecond)
	start = time.Now()
	cancelWait()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || errors.Is(err, ccid.ErrTimeout) {
			t.Errorf("WaitForCard(cancelled) = %v, want context.Canceled", err)
		}
		if took := time.Since(start); took > 700*time.Millisecond {
			t.Errorf("WaitForCard returned %s after the cancellation", took)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("WaitForCard did not return after its context was cancelled")
	}

	// A card inserted while waiting.
	go func() { r, err := pcsc.WaitForCard(ctx, d.Reader(1)); done <- errors.Join(err, cardIn(r)) }()
	time.Sleep(200 * time.Millisecond)
	v := pcsctest.NewVirtualCard(d.CardAddr(1), pcsctest.EstEIDATR(), newCard(t, eidtest.Options{}))
	if err := v.Insert(); err != nil {
		t.Fatal(err)
	}
	defer d.Remove(v, 1)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("WaitForCard(card inserted) = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("WaitForCard did not see the card inserted")
	}

	// Readers lists both, one with the card.
	readers, err := pcsc.Readers(ctx)
	if err != nil || len(readers) != 2 {
		t.Fatalf("Readers = %+v, %v", readers, err)
	}
	if readers[0].Card || !readers[1].Card || readers[1].State() != "card present" || readers[0].State() != "empty" {
		t.Errorf("Readers = %+v", readers)
	}

	// Waiting for a reader the service does not know.
	if _, err := pcsc.WaitForCard(ctx, "No Such Reader 00 00"); !errors.Is(err, ccid.ErrReaderGone) {
		t.Errorf("WaitForCard(unknown reader) = %v, want ccid.ErrReaderGone", err)
	}
}

// cardIn is an error unless r has a card.
func cardIn(r pcsc.Reader) error {
	if !r.Card {
		return errors.New("no card in the reader returned")
	}
	return nil
}

func TestConnectErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	d := pcsctest.Start(t)
	if _, err := pcsc.Connect(ctx, d.Reader(1), pcsc.Options{}); !errors.Is(err, ccid.ErrNoCard) {
		t.Errorf("Connect(empty reader) = %v, want ccid.ErrNoCard", err)
	}
	if _, err := pcsc.Connect(ctx, "No Such Reader 00 00", pcsc.Options{}); !errors.Is(err, ccid.ErrReaderGone) {
		t.Errorf("Connect(unknown reader) = %v, want ccid.ErrReaderGone", err)
	}

	d.Insert(t, 0, pcsctest.EstEIDATR(), newCard(t, eidtest.Options{}))
	first, err := pcsc.Connect(ctx, d.Reader(0), pcsc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pcsc.Connect(ctx, d.Reader(0), pcsc.Options{Mode: pcsc.Shared}); !errors.Is(err, pcsc.ErrBusy) {
		t.Errorf("Connect(held exclusively) = %v, want ErrBusy", err)
	}
	readers, _ := pcsc.Readers(ctx)
	if len(readers) == 0 || !readers[0].Exclusive {
		t.Errorf("Readers while held exclusively = %+v", readers)
	}
	first.Close()
	if _, err := first.Transmit(ctx, []byte{0x00, 0xA4, 0x00, 0x0C}); !errors.Is(err, pcsc.ErrClosed) {
		t.Errorf("Transmit after Close = %v, want ErrClosed", err)
	}

	// Shared: two sessions at once, each read in a transaction.
	a, err := pcsc.Connect(ctx, d.Reader(0), pcsc.Options{Mode: pcsc.Shared})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := pcsc.Connect(ctx, d.Reader(0), pcsc.Options{Mode: pcsc.Shared})
	if err != nil {
		t.Fatalf("second shared Connect = %v", err)
	}
	defer b.Close()
	for _, c := range []*pcsc.Card{a, b} {
		err := c.Transaction(ctx, func() error {
			p, err := eid.ReadPerson(ctx, c)
			if err == nil && p.Identifier.Value != "38001085718" {
				err = errors.New("wrong person " + p.Identifier.Value)
			}
			return err
		})
		if err != nil {
			t.Errorf("shared read = %v", err)
		}
	}
	if _, err := a.Transmit(ctx, []byte{0x00}); !errors.Is(err, pcsc.ErrAPDU) {
		t.Errorf("Transmit(1 byte) = %v, want ErrAPDU", err)
	}
}

// pcscd stopped under an open session and a wait: the reader is gone; with no
// service at all, ErrNoService.
func TestReaderGone(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	d := pcsctest.Start(t)
	d.Insert(t, 0, pcsctest.EstEIDATR(), newCard(t, eidtest.Options{}))
	c, err := pcsc.Connect(ctx, d.Reader(0), pcsc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	waiting := make(chan error, 1)
	go func() { _, err := pcsc.WaitForRemoval(ctx, d.Reader(0)); waiting <- err }()
	time.Sleep(200 * time.Millisecond)

	d.Stop()
	_, err = c.Transmit(ctx, []byte{0x00, 0xA4, 0x00, 0x0C})
	if !errors.Is(err, ccid.ErrReaderGone) {
		t.Errorf("Transmit(pcscd stopped) = %v, want ccid.ErrReaderGone", err)
	}
	t.Logf("%v", err)
	select {
	case err := <-waiting:
		if !errors.Is(err, ccid.ErrReaderGone) {
			t.Errorf("WaitForRemoval(pcscd stopped) = %v, want ccid.ErrReaderGone", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("WaitForRemoval did not return when pcscd stopped")
	}
	if _, err := pcsc.Readers(ctx); !errors.Is(err, pcsc.ErrNoService) {
		t.Errorf("Readers(no pcscd) = %v, want ErrNoService", err)
	}
	if _, err := pcsc.Connect(ctx, d.Reader(0), pcsc.Options{}); !errors.Is(err, pcsc.ErrNoService) {
		t.Errorf("Connect(no pcscd) = %v, want ErrNoService", err)
	}
	if pcsc.Available() {
		t.Error("Available() = true with pcscd stopped")
	}

	// pcscd back: the same process reads again, with new sessions.
	d = pcsctest.Start(t)
	d.Insert(t, 0, pcsctest.EstEIDATR(), newCard(t, eidtest.Options{}))
	c2, err := pcsc.Connect(ctx, d.Reader(0), pcsc.Options{})
	if err != nil {
		t.Fatalf("Connect after pcscd restarted = %v", err)
	}
	defer c2.Close()
	if p, err := eid.ReadPerson(ctx, c2); err != nil || p.Identifier.Value != "38001085718" {
		t.Errorf("ReadPerson after pcscd restarted = %+v, %v", p, err)
	}
	if _, err := c.Transmit(ctx, []byte{0x00, 0xA4, 0x00, 0x0C}); !errors.Is(err, ccid.ErrReaderGone) {
		t.Errorf("Transmit on the old session = %v, want ccid.ErrReaderGone still", err)
	}
}

// vsmartcard's own virtual card (an ISO 7816-4 file system in Python) through
// pcscd: APDUs go through, and eid sees a card that is not an ID card.
func TestThirdPartyCard(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	d := pcsctest.Start(t)
	d.InsertVICC(t, 0, "iso7816")
	c, err := pcsc.Connect(ctx, d.Reader(0), pcsc.Options{})
	if err != nil {
		t.Fatalf("Connect = %v\npcscd: %s", err, d.Log())
	}
	defer c.Close()
	if _, err := ccid.ParseATR(c.ATR()); err != nil {
		t.Errorf("vicc's ATR % X: %v", c.ATR(), err)
	}
	// P2 0C: no FCI asked for. vicc 0.8 (Debian 12) fails building an FCI
	// (a TypeError in bertlv_pack) and leaves the reader — which this package
	// then reports as the card removed.
	resp, err := eid.Transmit(ctx, c, eid.Command{INS: 0xA4, P1: 0x00, P2: 0x0C, Data: []byte{0x3F, 0x00}})
	if err != nil || !resp.SW.OK() {
		t.Errorf("SELECT MF = %+v, %v", resp, err)
	}
	if _, err := eid.ReadPerson(ctx, c); !errors.Is(err, eid.ErrNotEstEID) {
		t.Errorf("ReadPerson(vicc's ISO 7816 card) = %v, want eid.ErrNotEstEID", err)
	}
}
