package pcsctest

// vcard.go: a virtual card in a vpcd slot, answering with any card
// application that has Transmit (an eidtest.Card, say).

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"

	"certkiosk/drivers/ccid/ccidtest"
)

// App is the card application behind a virtual card: it answers command APDUs.
// An error means the card was pulled out part way (eidtest.Card's RemoveAfter):
// the virtual card then leaves the reader without answering.
type App interface {
	Transmit(ctx context.Context, apdu []byte) ([]byte, error)
}

// EstEIDATR is the answer to reset of the Estonian ID card issued since 2018
// (T=0 and T=1 offered), as the simulated USB reader gives it.
func EstEIDATR() []byte { return ccidtest.EstEIDATR() }

// VirtualCard is a card for one vpcd slot. Insert connects it to the slot's
// port; Remove closes the connection, which vpcd reports as the card pulled
// out.
type VirtualCard struct {
	addr string
	atr  []byte
	app  App

	mu      sync.Mutex
	conn    net.Conn
	served  chan struct{} // closed when the connection's server returns
	resets  int
	answers int
}

// NewVirtualCard makes a card for the vpcd slot listening at addr
// ("127.0.0.1:port"), answering to reset with atr and to commands with app.
func NewVirtualCard(addr string, atr []byte, app App) *VirtualCard {
	return &VirtualCard{addr: addr, atr: slices.Clone(atr), app: app}
}

// Insert puts the card into the slot. vpcd accepts it at its next poll;
// pcscd then reports the card present.
func (v *VirtualCard) Insert() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.conn != nil {
		return nil
	}
	conn, err := net.DialTimeout("tcp", v.addr, 2*time.Second)
	if err != nil {
		return fmt.Errorf("pcsctest: inserting the card at %s: %w", v.addr, err)
	}
	v.conn, v.served = conn, make(chan struct{})
	go v.serve(conn, v.served)
	return nil
}

// Remove pulls the card out and returns once it is out.
func (v *VirtualCard) Remove() {
	v.mu.Lock()
	conn, served := v.conn, v.served
	v.mu.Unlock()
	if conn == nil {
		return
	}
	conn.Close()
	<-served
}

// Inserted reports whether the card is in the slot.
func (v *VirtualCard) Inserted() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.conn != nil
}

// Resets returns how often the card was powered on or reset.
func (v *VirtualCard) Resets() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.resets
}

// Answers returns how many command APDUs the card has answered.
func (v *VirtualCard) Answers() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.answers
}

// serve answers vpcd on conn until either side closes it.
func (v *VirtualCard) serve(conn net.Conn, served chan struct{}) {
	defer func() {
		conn.Close()
		v.mu.Lock()
		if v.conn == conn {
			v.conn = nil
		}
		v.mu.Unlock()
		close(served)
	}()
	r := quickAckReader{conn}
	for {
		msg, err := ReadMessage(r)
		if err != nil {
			return // removed, or vpcd gone
		}
		reply, err := v.answer(msg)
		if err != nil {
			return // the application was pulled out mid-command
		}
		if reply != nil {
			if err := WriteMessage(conn, reply); err != nil {
				return
			}
		}
	}
}

// errPulled is an application that failed: the card leaves the reader.
var errPulled = errors.New("pcsctest: card pulled out")

// answer is the card's reply to one message, nil for none.
func (v *VirtualCard) answer(msg []byte) ([]byte, error) {
	if len(msg) == 1 {
		switch msg[0] {
		case CtrlATR:
			return slices.Clone(v.atr), nil
		case CtrlOn, CtrlReset:
			v.mu.Lock()
			v.resets++
			v.mu.Unlock()
		}
		return nil, nil // power off, and controls vpcd may add later
	}
	resp, err := v.app.Transmit(context.Background(), msg)
	if err != nil {
		return nil, errPulled
	}
	if len(resp) < 2 || len(resp) > MaxMessage {
		return nil, errPulled
	}
	v.mu.Lock()
	v.answers++
	v.mu.Unlock()
	return resp, nil
}

// quickAckReader reads from a connection with quick acknowledgements.
type quickAckReader struct{ conn net.Conn }

func (r quickAckReader) Read(p []byte) (int, error) {
	quickAck(r.conn)
	return r.conn.Read(p)
}
