package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"certkiosk/drivers/eid/eidtest"
	"certkiosk/drivers/pcsc"
	"certkiosk/drivers/pcsc/pcsctest"
	"certkiosk/drivers/usb/usbtest"
)

// The whole test binary speaks to the pcscd its tests start, never to one
// running on the machine: libpcsclite settles its socket at the first call.
var _ = pcsctest.Isolate()

// pcscOn runs devices on an empty USB bus with readers as the PC/SC service's.
func pcscOn(t *testing.T, readers pcscLister, args ...string) string {
	t.Helper()
	var stdout, stderr strings.Builder
	env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Now: func() time.Time { return issueTime }}
	if err := listDevices(context.Background(), env, args, usbtest.NewBus(), nil, readers); err != nil {
		t.Fatal(err)
	}
	return stdout.String()
}

func TestDevicesPCSC(t *testing.T) {
	atr := pcsctest.EstEIDATR()
	twoReaders := func(context.Context) ([]pcsc.Reader, error) {
		return []pcsc.Reader{
			{Name: "Gemalto PC Twin Reader (645D9F53) 00 00", Card: true, ATR: atr},
			{Name: "Bad\x1b[2J Reader 01 00", Card: true, ATR: atr, Exclusive: true},
		}, nil
	}
	atrHex := fmt.Sprintf("%X", atr)
	out := pcscOn(t, twoReaders)
	want := "card readers:\n  none found\nPC/SC card readers:\n" +
		"  Gemalto PC Twin Reader (645D9F53) 00 00  card present  ATR " + atrHex + "\n" +
		"  Bad[2J Reader 01 00  card in use by another program (exclusively)  ATR " + atrHex + "\n" +
		"scanners:\n  none found\nprinters:\n  none found\nno scanner found; the kiosk would use the simulated scanner\n"
	if out != want {
		t.Errorf("devices with PC/SC readers printed\n%s\nwant\n%s", out, want)
	}

	var l deviceList
	if err := json.Unmarshal([]byte(pcscOn(t, twoReaders, "--json")), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.PCSCReaders) != 2 || l.PCSCReaders[0] != (pcscReader{Kind: "card-reader", Name: "Gemalto PC Twin Reader (645D9F53) 00 00",
		Model: "Gemalto PC Twin Reader", Serial: "645D9F53", Card: true, ATR: atrHex, State: "card present"}) {
		t.Errorf("devices --json: pcsc_readers %+v", l.PCSCReaders)
	}

	noService := func(context.Context) ([]pcsc.Reader, error) {
		return nil, &pcsc.Error{Op: "SCardEstablishContext", Code: 0x8010001D, Err: pcsc.ErrNoService}
	}
	if out := pcscOn(t, noService); !strings.Contains(out, "PC/SC card readers:\n  none (no PC/SC service: pcscd is not running)\n") ||
		!strings.HasSuffix(out, "none found; the kiosk would use the simulated reader and scanner\n") {
		t.Errorf("devices without pcscd printed\n%s", out)
	}
	if out := pcscOn(t, noService, "--json"); !strings.Contains(out, `"pcsc":"no PC/SC service: pcscd is not running"`) || strings.Contains(out, "pcsc_readers") {
		t.Errorf("devices --json without pcscd = %s", out)
	}
	failing := func(context.Context) ([]pcsc.Reader, error) {
		return nil, errors.New("pcsc: SCardListReaders: SCARD_F_INTERNAL_ERROR")
	}
	if out := pcscOn(t, failing); !strings.Contains(out, "  none (error: pcsc: SCardListReaders: SCARD_F_INTERNAL_ERROR)\n") {
		t.Errorf("devices with a failing pcscd printed\n%s", out)
	}
}

// The real pcscd, with vpcd's two slots, one holding an ID card.
func TestDevicesRealPCSC(t *testing.T) {
	d := pcsctest.Start(t)
	card, err := eidtest.New(eeHolder, eidtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d.Insert(t, 1, pcsctest.EstEIDATR(), card)
	out := pcscOn(t, pcsc.Readers)
	for _, want := range []string{
		"PC/SC card readers:\n",
		"  " + d.Reader(0) + "  empty\n",
		"  " + d.Reader(1) + "  card present  ATR " + fmt.Sprintf("%X", pcsctest.EstEIDATR()) + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("devices with pcscd printed\n%s\nwithout %q", out, want)
		}
	}
	if strings.Contains(out, "would use the simulated reader") {
		t.Errorf("devices with PC/SC readers still falls back on the simulated reader:\n%s", out)
	}
}
