package ccid_test

// Helpers of the tests that run package ccid against the simulated reader.

import (
	"bytes"
	"context"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"certkiosk/drivers/ccid"
	"certkiosk/drivers/ccid/ccidtest"
	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// The application identifier of the Estonian ID card's main application.
const estEIDAID = "A000000077010800070000FE00000100"

// fileCard is a card application with a few transparent files under one
// application and one DF: SELECT by AID, by DF and by EF identifier, READ
// BINARY with an offset and short or extended Le (ISO/IEC 7816-4). It keeps
// to what the tests need.
type fileCard struct {
	mu       sync.Mutex
	files    map[string][]byte // EF identifier (hex) → content
	selected []byte
	// onRead, when set, runs at each READ BINARY before it is answered.
	onRead func()
}

func newFileCard() *fileCard {
	cert := make([]byte, 600)
	copy(cert, []byte{0x30, 0x82, 0x02, 0x54})
	for i := 4; i < len(cert); i++ {
		cert[i] = byte(i)
	}
	return &fileCard{files: map[string][]byte{
		"5001": []byte("JÕEORG"),
		"5002": []byte("JAAK-KRISTJAN"),
		"5006": []byte("38001085718"),
		"3401": cert,
	}}
}

func (c *fileCard) answer(apdu []byte) []byte {
	c.mu.Lock()
	on := c.onRead
	c.mu.Unlock()
	ok := []byte{0x90, 0x00}
	switch {
	case len(apdu) >= 5 && apdu[1] == 0xa4:
		data := apdu[5 : 5+int(apdu[4])]
		switch apdu[2] {
		case 0x04:
			if strings.EqualFold(hex.EncodeToString(data), estEIDAID) {
				return ok
			}
		case 0x01:
			if bytes.Equal(data, []byte{0x50, 0x00}) || bytes.Equal(data, []byte{0xad, 0xf1}) {
				return ok
			}
		case 0x02:
			c.mu.Lock()
			defer c.mu.Unlock()
			if f, found := c.files[hex.EncodeToString(data)]; found {
				c.selected = f
				return ok
			}
		}
		return []byte{0x6a, 0x82}
	case len(apdu) >= 5 && apdu[1] == 0xb0:
		if on != nil {
			on()
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.selected == nil {
			return []byte{0x69, 0x86}
		}
		off := int(apdu[2])<<8 | int(apdu[3])
		le := int(apdu[4])
		if le == 0 {
			le = 256
		}
		if len(apdu) == 7 {
			le = int(apdu[5])<<8 | int(apdu[6])
			if le == 0 {
				le = 65536
			}
		}
		if off > len(c.selected) {
			return []byte{0x6b, 0x00}
		}
		out := c.selected[off:min(len(c.selected), off+le)]
		return append(bytes.Clone(out), ok...)
	}
	return []byte{0x6d, 0x00}
}

// card returns a simulated Estonian ID card playing c.
func (c *fileCard) card() *ccidtest.Card {
	return &ccidtest.Card{ATR: ccidtest.EstEIDATR(), Answer: c.answer}
}

// rig is a simulated reader on a bus and package ccid's Reader on it.
type rig struct {
	fake   *ccidtest.Reader
	bus    *usbtest.Bus
	reader *ccid.Reader
}

func newRig(t *testing.T, cfg ccidtest.Config, opts ccid.Options) *rig {
	t.Helper()
	if cfg.VID == 0 {
		cfg.VID, cfg.PID = 0x1209, 0xcc1d
	}
	fake := ccidtest.New(cfg)
	bus := usbtest.NewBus(fake.Device)
	if opts.ResponseTimeout == 0 {
		opts.ResponseTimeout = 2 * time.Second
	}
	r, err := ccid.Open(context.Background(), bus, usb.Match{}, opts)
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return &rig{fake: fake, bus: bus, reader: r}
}

// selectAndRead selects EF fid in DF 5000 and reads it.
func selectAndRead(ctx context.Context, t *testing.T, card interface {
	Transmit(context.Context, []byte) ([]byte, error)
}, fid string) ([]byte, error) {
	t.Helper()
	for _, a := range []string{"00 A4 04 0C 10" + estEIDAID, "00 A4 01 0C 02 50 00", "00 A4 02 0C 02" + fid} {
		resp, err := card.Transmit(ctx, unhex(t, a))
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(resp, []byte{0x90, 0}) {
			t.Fatalf("Transmit(%s) = % X, want 90 00", a, resp)
		}
	}
	return card.Transmit(ctx, unhex(t, "00 B0 00 00 00"))
}

func allLevels() []ccid.Level {
	return []ccid.Level{ccid.LevelTPDU, ccid.LevelShortAPDU, ccid.LevelExtendedAPDU}
}
