package ccid_test

// Tests against the simulated reader of package ccidtest.

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"certkiosk/drivers/ccid"
	"certkiosk/drivers/ccid/ccidtest"
	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
	"certkiosk/drivers/usbprint/usbprinttest"
)

func TestOpen(t *testing.T) {
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelExtendedAPDU, Slots: 2}, ccid.Options{})
	r := rg.reader
	d := r.Descriptor()
	if r.Level() != ccid.LevelExtendedAPDU || d.Slots() != 2 || len(r.Slots()) != 2 || d.MaxMessageLength != 271 {
		t.Errorf("Open: level %v, %d slots, descriptor %+v", r.Level(), len(r.Slots()), d)
	}
	if r.Slot(1).Index() != 1 || r.Slot(2) != nil || r.Slot(-1) != nil {
		t.Error("Slot(i) does not return slot i")
	}
	if got := r.Interface(); got.Class != usb.ClassSmartCard || got.Number != 0 {
		t.Errorf("Interface() = %v", got)
	}
	if got := rg.fake.Claimed(); len(got) != 1 || got[0] != 0 {
		t.Errorf("claimed interfaces %v, want [0]", got)
	}
	if err := r.Close(); err != nil || len(rg.fake.Claimed()) != 0 {
		t.Errorf("Close() = %v, claimed %v", err, rg.fake.Claimed())
	}
	if _, err := r.PowerOn(context.Background()); !errors.Is(err, usb.ErrClosed) {
		t.Errorf("PowerOn after Close = %v, want usb.ErrClosed", err)
	}
}

func TestOpenFailures(t *testing.T) {
	ctx := context.Background()
	printer := usbprinttest.New(usbprinttest.Config{VID: 0x03f0, PID: 0xc42a})
	character := ccidtest.New(ccidtest.Config{VID: 0x1209, PID: 0x0001, Level: ccid.LevelCharacter})
	iccdInfo := ccidtest.Descriptors(ccidtest.Config{VID: 0x1209, PID: 0x0002})
	iccdInfo.Interfaces[0].Protocol = 2
	iccd := usbtest.NewDevice(iccdInfo)
	noDesc := usbtest.NewDevice(ccidtest.Descriptors(ccidtest.Config{VID: 0x1209, PID: 0x0003}))
	noDesc.HandleControl(func(context.Context, usb.Setup, []byte) (int, error) { return 0, usb.ErrStall })
	bus := usbtest.NewBus(printer.Device, character.Device, iccd, noDesc)
	for _, tc := range []struct {
		name string
		m    usb.Match
		want error
	}{
		{"nothing there", usb.Match{VID: 0x1234, PID: 0x5678}, usb.ErrNotFound},
		{"a printer", usb.Match{VID: 0x03f0, PID: 0xc42a}, ccid.ErrNotReader},
		{"character level", usb.Match{VID: 0x1209, PID: 0x0001}, ccid.ErrUnsupported},
		{"ICCD", usb.Match{VID: 0x1209, PID: 0x0002}, ccid.ErrUnsupported},
		{"descriptor unreadable", usb.Match{VID: 0x1209, PID: 0x0003}, usb.ErrStall},
		{"several readers", usb.Match{Class: usb.ClassSmartCard}, usb.ErrAmbiguous},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ccid.Open(ctx, bus, tc.m, ccid.Options{})
			if !errors.Is(err, tc.want) {
				t.Fatalf("Open(%s) = %v, %v, want %v", tc.m, r, err, tc.want)
			}
		})
	}
	if n := len(character.Claimed()) + len(printer.Claimed()); n != 0 {
		t.Errorf("%d interfaces left claimed after failed opens", n)
	}
}

func TestReadAtEachLevel(t *testing.T) {
	for _, level := range allLevels() {
		t.Run(level.String(), func(t *testing.T) {
			ctx := context.Background()
			rg := newRig(t, ccidtest.Config{Level: level}, ccid.Options{})
			fc := newFileCard()
			rg.fake.Insert(fc.card())
			atr, err := rg.reader.PowerOn(ctx)
			if err != nil || !bytes.Equal(atr.Raw, ccidtest.EstEIDATR()) {
				t.Fatalf("PowerOn() = %v, %v", atr, err)
			}
			if got, ok := rg.reader.Slot(0).ATR(); !ok || !bytes.Equal(got.Raw, atr.Raw) {
				t.Errorf("Slot(0).ATR() = %v, %v", got, ok)
			}
			resp, err := selectAndRead(ctx, t, rg.reader, "5001")
			if err != nil || string(resp) != "JÕEORG\x90\x00" {
				t.Fatalf("read 5001 = %q, %v", resp, err)
			}
			st, err := rg.reader.Status(ctx)
			if err != nil || st.Card != ccid.CardActive {
				t.Errorf("Status() = %v, %v", st, err)
			}
			if err := rg.reader.PowerOff(ctx); err != nil || rg.fake.Powered(0) {
				t.Errorf("PowerOff() = %v, powered %v", err, rg.fake.Powered(0))
			}
			if _, err := rg.reader.Transmit(ctx, unhex(t, "00 B0 00 00 00")); !errors.Is(err, ccid.ErrNotPowered) {
				t.Errorf("Transmit after PowerOff = %v, want ErrNotPowered", err)
			}
		})
	}
}

func TestTPDUSetUp(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelTPDU}, ccid.Options{})
	rg.fake.Insert(newFileCard().card())
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	// The card offers T=0 first: the reader is told to use T=1 with the card's
	// parameters (Fi/Di 96, LRC, direct, guard time 0, BWI 4 CWI 5, IFSC 254),
	// and makes the PPS; the IFSD is then offered with S(IFS).
	proto, params := rg.fake.Parameters(0)
	if proto != 1 || !bytes.Equal(params, unhex(t, "96 10 00 45 00 FE 00")) {
		t.Errorf("SetParameters: protocol %d, % X", proto, params)
	}
	cmds := rg.fake.Commands()
	if len(cmds) != 3 || cmds[2].Type != ccid.PCtoRDRXfrBlock || !bytes.Equal(cmds[2].Data, unhex(t, "00 C1 01 FE 3E")) {
		t.Errorf("commands after PowerOn: %v", cmds)
	}
}

func TestT1ChainingAndWTX(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelTPDU}, ccid.Options{IFSD: 64})
	// A T=1 card with IFSC 32: TD1 = 81, TD2 = 31 (TA3, TB3, T=1), TA3 = 20, TB3 = 45.
	atr := unhex(t, "3B 80 81 31 20 45 55")
	echo := func(apdu []byte) []byte { return append(bytes.Clone(apdu[5:5+int(apdu[4])]), 0x90, 0x00) }
	card := &ccidtest.Card{ATR: atr, Answer: echo, WTX: 3}
	rg.fake.Insert(card)
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte{0x5a}, 200)
	apdu := append([]byte{0x00, 0xd6, 0x00, 0x00, byte(len(data))}, data...)
	resp, err := rg.reader.Transmit(ctx, apdu)
	if err != nil || !bytes.Equal(resp, append(bytes.Clone(data), 0x90, 0x00)) {
		t.Fatalf("Transmit = % X, %v", resp, err)
	}
	if got := card.APDUs(); len(got) != 1 || !bytes.Equal(got[0], apdu) {
		t.Errorf("the card received %d APDUs, want the one sent", len(got))
	}
	var blocks, wtx int
	for _, c := range rg.fake.Commands() {
		if c.Type != ccid.PCtoRDRXfrBlock {
			continue
		}
		blocks++
		if len(c.Data) > 4+32 {
			t.Errorf("block of %d bytes sent to a card with IFSC 32", len(c.Data))
		}
		if c.Data[1] == 0xe3 {
			wtx++
			if c.Param[0] != 3 {
				t.Errorf("WTX response sent with bBWI %d, want 3", c.Param[0])
			}
		}
	}
	// 205 bytes in 7 I-blocks, 6 acknowledged; S(IFS); one WTX; 4 blocks of
	// the 202-byte answer with IFSD 64, 3 acknowledged.
	if want := 1 + 7 + 1 + 3; blocks != want || wtx != 1 {
		t.Errorf("%d blocks, %d WTX responses, want %d and 1", blocks, wtx, want)
	}
}

func TestT1CorruptedBlock(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelTPDU}, ccid.Options{})
	fc := newFileCard()
	rg.fake.Insert(fc.card())
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	// The card's answer to the SELECT arrives with its LRC damaged.
	rg.fake.TamperNext(func(a []byte) [][]byte {
		a = bytes.Clone(a)
		a[len(a)-1] ^= 0xff
		return [][]byte{a}
	})
	resp, err := selectAndRead(ctx, t, rg.reader, "5002")
	if err != nil || string(resp) != "JAAK-KRISTJAN\x90\x00" {
		t.Fatalf("read 5002 = %q, %v", resp, err)
	}
	found := false
	for _, c := range rg.fake.Commands() {
		found = found || c.Type == ccid.PCtoRDRXfrBlock && bytes.Equal(c.Data, unhex(t, "00 81 00 81"))
	}
	if !found {
		t.Error("no R-block with an EDC error was sent")
	}
}

func TestTPDUUnsupportedCards(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		atr  string
		want error
	}{
		{"T=0 only", "3B 02 14 50", ccid.ErrUnsupported},
		{"T=1 with CRC", "3B 80 81 71 20 45 01 14", ccid.ErrUnsupported},
		{"bad TCK", "3B 80 01 80", ccid.ErrATR},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rg := newRig(t, ccidtest.Config{Level: ccid.LevelTPDU}, ccid.Options{})
			rg.fake.Insert(&ccidtest.Card{ATR: unhex(t, tc.atr)})
			atr, err := rg.reader.PowerOn(ctx)
			if !errors.Is(err, tc.want) || !bytes.Equal(atr.Raw, unhex(t, tc.atr)) {
				t.Fatalf("PowerOn() = %v, %v, want %v", atr, err, tc.want)
			}
			if rg.fake.Powered(0) {
				t.Error("the card was left powered")
			}
			if _, err := rg.reader.Transmit(ctx, unhex(t, "00 B0 00 00 00")); !errors.Is(err, ccid.ErrNotPowered) {
				t.Errorf("Transmit = %v, want ErrNotPowered", err)
			}
		})
	}
}

func TestMalformedATRAtAPDULevel(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelShortAPDU}, ccid.Options{})
	rg.fake.Insert(&ccidtest.Card{ATR: unhex(t, "3B 80 01 80"), Answer: func([]byte) []byte { return []byte{0x90, 0} }})
	atr, err := rg.reader.PowerOn(ctx)
	if !errors.Is(err, ccid.ErrATR) || len(atr.Raw) != 4 {
		t.Fatalf("PowerOn() = %v, %v, want the raw ATR and ErrATR", atr, err)
	}
	if resp, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 00 0C")); err != nil || !bytes.Equal(resp, []byte{0x90, 0}) {
		t.Errorf("Transmit = % X, %v: the card is usable at APDU level", resp, err)
	}
}

func TestNoCard(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelShortAPDU}, ccid.Options{})
	if _, err := rg.reader.Transmit(ctx, unhex(t, "00 B0 00 00 00")); !errors.Is(err, ccid.ErrNotPowered) {
		t.Errorf("Transmit before PowerOn = %v, want ErrNotPowered", err)
	}
	_, err := rg.reader.PowerOn(ctx)
	var se *ccid.SlotError
	if !errors.Is(err, ccid.ErrNoCard) || !errors.As(err, &se) || se.Code != ccid.ErrorICCMute || se.Status.ICC() != ccid.CardAbsent {
		t.Fatalf("PowerOn() on an empty slot = %v, want ErrNoCard in a SlotError", err)
	}
	if st, err := rg.reader.Status(ctx); err != nil || st.Card != ccid.CardAbsent {
		t.Errorf("Status() = %v, %v", st, err)
	}
	if err := rg.reader.PowerOff(ctx); err != nil {
		t.Errorf("PowerOff() on an empty slot = %v", err)
	}
	if _, err := rg.reader.Transmit(ctx, []byte{0, 0xb0}); !errors.Is(err, ccid.ErrAPDU) {
		t.Errorf("Transmit of 2 bytes = %v, want ErrAPDU", err)
	}
}

// TestRemoveMidRead pulls the card out while it works on READ BINARY: a clear
// "card removed", the same until the card is back and powered on, then a clean
// read.
func TestRemoveMidRead(t *testing.T) {
	for _, level := range allLevels() {
		t.Run(level.String(), func(t *testing.T) {
			ctx := context.Background()
			rg := newRig(t, ccidtest.Config{Level: level}, ccid.Options{})
			fc := newFileCard()
			fc.onRead = rg.fake.Remove
			rg.fake.Insert(fc.card())
			if _, err := rg.reader.PowerOn(ctx); err != nil {
				t.Fatal(err)
			}
			_, err := selectAndRead(ctx, t, rg.reader, "5006")
			var se *ccid.SlotError
			if !errors.Is(err, ccid.ErrCardRemoved) || !errors.As(err, &se) || se.Status.ICC() != ccid.CardAbsent {
				t.Fatalf("read with the card pulled out = %v, want ErrCardRemoved in a SlotError", err)
			}
			if !strings.Contains(err.Error(), "card removed") {
				t.Errorf("error %q does not say the card was removed", err)
			}
			sent := len(rg.fake.Commands())
			if _, err := rg.reader.Transmit(ctx, unhex(t, "00 B0 00 00 00")); !errors.Is(err, ccid.ErrCardRemoved) {
				t.Errorf("Transmit after the removal = %v, want ErrCardRemoved", err)
			}
			if n := len(rg.fake.Commands()); n != sent {
				t.Errorf("Transmit after the removal sent %d commands to the reader", n-sent)
			}
			if st, err := rg.reader.Status(ctx); err != nil || st.Card != ccid.CardAbsent {
				t.Errorf("Status() = %v, %v", st, err)
			}
			if _, err := rg.reader.PowerOn(ctx); !errors.Is(err, ccid.ErrNoCard) {
				t.Errorf("PowerOn() without the card = %v, want ErrNoCard", err)
			}

			fc.onRead = nil
			rg.fake.Insert(fc.card())
			if _, err := rg.reader.PowerOn(ctx); err != nil {
				t.Fatal(err)
			}
			resp, err := selectAndRead(ctx, t, rg.reader, "5006")
			if err != nil || string(resp) != "38001085718\x90\x00" {
				t.Fatalf("read after reinsertion = %q, %v", resp, err)
			}
		})
	}
}

// TestCardSwapped puts another card in between two commands, unseen: the
// reader finds the new card inactive, which ends the session.
func TestCardSwapped(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelExtendedAPDU}, ccid.Options{})
	rg.fake.Insert(newFileCard().card())
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	rg.fake.Insert(newFileCard().card())
	_, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 01 0C 02 50 00"))
	var se *ccid.SlotError
	if !errors.Is(err, ccid.ErrCardRemoved) || !errors.As(err, &se) || se.Status.ICC() != ccid.CardInactive {
		t.Fatalf("Transmit to a swapped card = %v, want ErrCardRemoved", err)
	}
}

func TestUnplugReplug(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelShortAPDU}, ccid.Options{})
	fc := newFileCard()
	fc.onRead = rg.fake.Unplug
	rg.fake.Insert(fc.card())
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := selectAndRead(ctx, t, rg.reader, "5001")
	if !errors.Is(err, ccid.ErrReaderGone) || !errors.Is(err, usb.ErrDisconnected) {
		t.Fatalf("read with the reader unplugged = %v, want ErrReaderGone", err)
	}
	if _, err := rg.reader.Status(ctx); !errors.Is(err, ccid.ErrReaderGone) {
		t.Errorf("Status() after the unplug = %v, want ErrReaderGone", err)
	}
	if _, err := rg.reader.PowerOn(ctx); !errors.Is(err, ccid.ErrReaderGone) {
		t.Errorf("PowerOn() after the unplug = %v, want ErrReaderGone", err)
	}
	if _, err := ccid.Open(ctx, rg.bus, usb.Match{}, ccid.Options{}); !errors.Is(err, usb.ErrNotFound) {
		t.Errorf("Open() while unplugged = %v, want usb.ErrNotFound", err)
	}
	rg.reader.Close()

	rg.bus.Plug(rg.fake.Device)
	r, err := ccid.Open(ctx, rg.bus, usb.Match{}, ccid.Options{})
	if err != nil {
		t.Fatalf("Open() after replugging = %v", err)
	}
	defer r.Close()
	if st, err := r.Status(ctx); err != nil || st.Card != ccid.CardInactive {
		t.Errorf("Status() after replugging = %v, %v, want the card present, inactive", st, err)
	}
	fc.onRead = nil
	if _, err := r.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	if resp, err := selectAndRead(ctx, t, r, "5001"); err != nil || string(resp) != "JÕEORG\x90\x00" {
		t.Fatalf("read after replugging = %q, %v", resp, err)
	}
}

func TestTimeExtensions(t *testing.T) {
	for _, level := range allLevels() {
		t.Run(level.String(), func(t *testing.T) {
			ctx := context.Background()
			// Each wait is short, but every time extension starts it again.
			rg := newRig(t, ccidtest.Config{Level: level}, ccid.Options{ResponseTimeout: 200 * time.Millisecond})
			rg.fake.Insert(newFileCard().card())
			if _, err := rg.reader.PowerOn(ctx); err != nil {
				t.Fatal(err)
			}
			rg.fake.SetTimeExtensions(3)
			if resp, err := selectAndRead(ctx, t, rg.reader, "5002"); err != nil || string(resp) != "JAAK-KRISTJAN\x90\x00" {
				t.Fatalf("read = %q, %v", resp, err)
			}
		})
	}
}

func TestLostAnswer(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelShortAPDU}, ccid.Options{ResponseTimeout: 50 * time.Millisecond})
	rg.fake.Insert(newFileCard().card())
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	rg.fake.TamperNext(func([]byte) [][]byte { return nil })
	if _, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 01 0C 02 50 00")); !errors.Is(err, ccid.ErrTimeout) {
		t.Fatalf("Transmit with the answer lost = %v, want ErrTimeout", err)
	}
	// The next command is preceded by the abort sequence.
	if resp, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 01 0C 02 50 00")); err != nil || !bytes.Equal(resp, []byte{0x90, 0}) {
		t.Fatalf("Transmit after the timeout = % X, %v", resp, err)
	}
	cmds := rg.fake.Commands()
	if len(cmds) != 4 || cmds[2].Type != ccid.PCtoRDRAbort {
		t.Errorf("commands %v, want IccPowerOn, XfrBlock, Abort, XfrBlock", cmds)
	}
	var abortRequests int
	for _, x := range rg.fake.Transfers() {
		if x.Kind == usbtest.ControlStep && x.Setup.RequestType == 0x21 && x.Setup.Request == ccid.RequestAbort {
			abortRequests++
			if want := uint16(cmds[2].Seq)<<8 | uint16(cmds[2].Slot); x.Setup.Value != want {
				t.Errorf("ABORT wValue %04x, want %04x", x.Setup.Value, want)
			}
		}
	}
	if abortRequests != 1 {
		t.Errorf("%d ABORT requests, want 1", abortRequests)
	}
}

// TestLateAnswerSkipped holds the reader's answer past the timeout; when it
// arrives later it is recognised by its bSeq and skipped.
func TestLateAnswerSkipped(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelShortAPDU}, ccid.Options{ResponseTimeout: 50 * time.Millisecond})
	rg.fake.Insert(newFileCard().card())
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	rg.fake.Hold(true)
	if _, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 01 0C 02 50 00")); !errors.Is(err, ccid.ErrTimeout) {
		t.Fatalf("Transmit while held = %v, want ErrTimeout", err)
	}
	rg.fake.Hold(false) // the late answer is now in the pipe
	if resp, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 02 0C 02 50 01")); err != nil || !bytes.Equal(resp, []byte{0x90, 0}) {
		t.Fatalf("Transmit after the late answer = % X, %v", resp, err)
	}
}

// TestAbortHeldCommand leaves the reader busy with a command; the abort
// sequence makes it answer that command CMD_ABORTED before the Abort's status.
func TestAbortHeldCommand(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelExtendedAPDU}, ccid.Options{ResponseTimeout: 50 * time.Millisecond})
	rg.fake.Insert(newFileCard().card())
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	rg.fake.Hold(true)
	if _, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 01 0C 02 50 00")); !errors.Is(err, ccid.ErrTimeout) {
		t.Fatalf("Transmit while held = %v, want ErrTimeout", err)
	}
	// Status aborts first; its own answer is then held like any other.
	sctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	_, err := rg.reader.Status(sctx)
	if !errors.Is(err, ccid.ErrTimeout) {
		t.Fatalf("Status while held = %v, want ErrTimeout after the abort", err)
	}
	cmds := rg.fake.Commands()
	if n := len(cmds); n < 2 || cmds[n-2].Type != ccid.PCtoRDRAbort || cmds[n-1].Type != ccid.PCtoRDRGetSlotStatus {
		t.Errorf("commands %v, want Abort then GetSlotStatus last", cmds)
	}
	rg.fake.Hold(false)
	if resp, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 01 0C 02 50 00")); err != nil || !bytes.Equal(resp, []byte{0x90, 0}) {
		t.Fatalf("Transmit after release = % X, %v", resp, err)
	}
}

func TestBadAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(a []byte) [][]byte
		want   error
	}{
		{"bSeq mismatch", func(a []byte) [][]byte { a = bytes.Clone(a); a[6] += 7; return [][]byte{a} }, ccid.ErrSequence},
		{"bSlot mismatch", func(a []byte) [][]byte { a = bytes.Clone(a); a[5] = 3; return [][]byte{a} }, ccid.ErrSequence},
		{"truncated header", func(a []byte) [][]byte { return [][]byte{a[:7]} }, ccid.ErrFrame},
		{"truncated data", func(a []byte) [][]byte { return [][]byte{a[:len(a)-1]} }, ccid.ErrFrame},
		{"trailing byte", func(a []byte) [][]byte { return [][]byte{append(bytes.Clone(a), 0)} }, ccid.ErrFrame},
		{"wrong type", func(a []byte) [][]byte { a = bytes.Clone(a); a[0] = 0x81; a[1] = 0; return [][]byte{a[:10]} }, ccid.ErrFrame},
		{"RFU command status", func(a []byte) [][]byte { a = bytes.Clone(a); a[7] = 0xc0; return [][]byte{a} }, ccid.ErrFrame},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			rg := newRig(t, ccidtest.Config{Level: ccid.LevelShortAPDU}, ccid.Options{ResponseTimeout: 50 * time.Millisecond})
			rg.fake.Insert(newFileCard().card())
			if _, err := rg.reader.PowerOn(ctx); err != nil {
				t.Fatal(err)
			}
			rg.fake.TamperNext(tc.tamper)
			if _, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 01 0C 02 50 00")); !errors.Is(err, tc.want) {
				t.Fatalf("Transmit = %v, want %v", err, tc.want)
			}
			// The reader is usable again.
			if resp, err := rg.reader.Transmit(ctx, unhex(t, "00 A4 01 0C 02 50 00")); err != nil || !bytes.Equal(resp, []byte{0x90, 0}) {
				t.Fatalf("next Transmit = % X, %v", resp, err)
			}
		})
	}
}

func TestExtendedAPDUChaining(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelExtendedAPDU}, ccid.Options{})
	var got []byte
	rg.fake.Insert(&ccidtest.Card{ATR: ccidtest.EstEIDATR(), Answer: func(apdu []byte) []byte {
		got = apdu
		return append(bytes.Repeat([]byte{0xa5}, 1000), 0x90, 0x00)
	}})
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 600)
	for i := range data {
		data[i] = byte(i)
	}
	apdu := append([]byte{0x00, 0x2a, 0x9e, 0x9a, 0x00, 0x02, 0x58}, data...)
	apdu = append(apdu, 0x00, 0x00)
	resp, err := rg.reader.Transmit(ctx, apdu)
	if err != nil || len(resp) != 1002 || resp[999] != 0xa5 || resp[1000] != 0x90 {
		t.Fatalf("Transmit = %d bytes, %v", len(resp), err)
	}
	if !bytes.Equal(got, apdu) {
		t.Errorf("the card received %d bytes, want the %d sent", len(got), len(apdu))
	}
	// 609 bytes in messages of at most 261: 3 parts; 1002 bytes back: 4 parts.
	var levelsSeen []uint16
	for _, c := range rg.fake.Commands()[1:] {
		levelsSeen = append(levelsSeen, uint16(c.Param[1])|uint16(c.Param[2])<<8)
	}
	want := []uint16{1, 3, 2, 0x10, 0x10, 0x10}
	if len(levelsSeen) != len(want) {
		t.Fatalf("wLevelParameter sequence %x, want %x", levelsSeen, want)
	}
	for i := range want {
		if levelsSeen[i] != want[i] {
			t.Fatalf("wLevelParameter sequence %x, want %x", levelsSeen, want)
		}
	}
}

func TestShortLevelRefusesExtended(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelShortAPDU}, ccid.Options{})
	rg.fake.Insert(newFileCard().card())
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := rg.reader.Transmit(ctx, unhex(t, "00 B0 00 00 00 02 00")); !errors.Is(err, ccid.ErrUnsupported) {
		t.Errorf("extended APDU at short level = %v, want ErrUnsupported", err)
	}
}

func TestVoltageSelection(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelShortAPDU, NoAutoVoltage: true}, ccid.Options{})
	rg.fake.Insert(&ccidtest.Card{ATR: ccidtest.EstEIDATR(), Mute: true})
	_, err := rg.reader.PowerOn(ctx)
	var se *ccid.SlotError
	if !errors.As(err, &se) || se.Code != ccid.ErrorICCMute || errors.Is(err, ccid.ErrNoCard) {
		t.Fatalf("PowerOn() of a mute card = %v, want ICC_MUTE", err)
	}
	var selects []byte
	for _, c := range rg.fake.Commands() {
		selects = append(selects, c.Param[0])
	}
	if !bytes.Equal(selects, []byte{ccid.PowerSelect18V, ccid.PowerSelect3V, ccid.PowerSelect5V}) {
		t.Errorf("bPowerSelect tried: % x, want 03 02 01", selects)
	}

	rg.fake.Insert(newFileCard().card())
	if _, err := rg.reader.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	if c := rg.fake.Commands(); c[len(c)-1].Param[0] != ccid.PowerSelect18V {
		t.Errorf("bPowerSelect %02x, want 1.8 V first", c[len(c)-1].Param[0])
	}
}

func TestMultiSlot(t *testing.T) {
	ctx := context.Background()
	rg := newRig(t, ccidtest.Config{Level: ccid.LevelShortAPDU, Slots: 2}, ccid.Options{})
	rg.fake.InsertSlot(1, newFileCard().card())
	if _, err := rg.reader.Slot(0).PowerOn(ctx); !errors.Is(err, ccid.ErrNoCard) {
		t.Errorf("slot 0 PowerOn() = %v, want ErrNoCard", err)
	}
	s := rg.reader.Slot(1)
	if _, err := s.PowerOn(ctx); err != nil {
		t.Fatal(err)
	}
	if resp, err := selectAndRead(ctx, t, s, "5001"); err != nil || string(resp) != "JÕEORG\x90\x00" {
		t.Fatalf("read in slot 1 = %q, %v", resp, err)
	}
	for _, c := range rg.fake.Commands()[1:] {
		if c.Slot != 1 {
			t.Errorf("%v sent to slot %d", c, c.Slot)
		}
	}
}
