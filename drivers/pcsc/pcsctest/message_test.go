package pcsctest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

func TestMessages(t *testing.T) {
	var b bytes.Buffer
	for _, p := range [][]byte{{CtrlATR}, {0x00, 0xA4, 0x04, 0x00}, bytes.Repeat([]byte{0x5A}, MaxMessage)} {
		if err := WriteMessage(&b, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []int{1, 4, MaxMessage} {
		m, err := ReadMessage(&b)
		if err != nil || len(m) != want {
			t.Fatalf("ReadMessage = %d bytes, %v; want %d", len(m), err, want)
		}
	}
	if _, err := ReadMessage(&b); err != io.EOF {
		t.Errorf("ReadMessage(end) = %v, want io.EOF", err)
	}
	for _, bad := range [][]byte{{0x00}, {0x00, 0x05, 0x01}} {
		if _, err := ReadMessage(bytes.NewReader(bad)); err != io.ErrUnexpectedEOF {
			t.Errorf("ReadMessage(% X) = %v, want io.ErrUnexpectedEOF", bad, err)
		}
	}
	if _, err := ReadMessage(bytes.NewReader([]byte{0, 0})); !errors.Is(err, ErrMessage) {
		t.Errorf("ReadMessage(length 0) = %v, want ErrMessage", err)
	}
	for _, n := range []int{0, MaxMessage + 1} {
		if err := WriteMessage(io.Discard, make([]byte, n)); !errors.Is(err, ErrMessage) {
			t.Errorf("WriteMessage(%d bytes) = %v, want ErrMessage", n, err)
		}
	}
}

// echoApp answers every command with its header and 9000, and fails on INS FF.
type echoApp struct{}

func (echoApp) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	if apdu[1] == 0xFF {
		return nil, errors.New("pulled out")
	}
	return append(append([]byte(nil), apdu[:4]...), 0x90, 0x00), nil
}

// The card's side of vpcd's protocol, against a listener playing vpcd.
func TestVirtualCard(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	v := NewVirtualCard(l.Addr().String(), []byte{0x3B, 0x00}, echoApp{})
	if err := v.Insert(); err != nil {
		t.Fatal(err)
	}
	defer v.Remove()
	conn, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	ask := func(p []byte) []byte {
		t.Helper()
		if err := WriteMessage(conn, p); err != nil {
			t.Fatal(err)
		}
		m, err := ReadMessage(conn)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	WriteMessage(conn, []byte{CtrlOn})
	if got := ask([]byte{CtrlATR}); !bytes.Equal(got, []byte{0x3B, 0x00}) {
		t.Errorf("ATR = % X", got)
	}
	if got := ask([]byte{0x00, 0xB0, 0x00, 0x00, 0x10}); !bytes.Equal(got, []byte{0x00, 0xB0, 0x00, 0x00, 0x90, 0x00}) {
		t.Errorf("READ BINARY answered % X", got)
	}
	if v.Resets() != 1 || v.Answers() != 1 || !v.Inserted() {
		t.Errorf("Resets, Answers, Inserted = %d, %d, %v; want 1, 1, true", v.Resets(), v.Answers(), v.Inserted())
	}
	// The application pulled out mid-command: the connection closes unanswered.
	WriteMessage(conn, []byte{0x00, 0xFF, 0x00, 0x00})
	if _, err := ReadMessage(conn); err != io.EOF {
		t.Errorf("answer of a card pulled out = %v, want io.EOF", err)
	}
	for deadline := time.Now().Add(2 * time.Second); v.Inserted() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if v.Inserted() {
		t.Error("card still inserted after its application failed")
	}
}

// FuzzReadMessage: whatever arrives on the connection, ReadMessage returns a
// message of the length announced, or an error, and what it read writes back
// as the same bytes.
func FuzzReadMessage(f *testing.F) {
	f.Add([]byte{0x00, 0x01, 0x04})
	f.Add([]byte{0x00, 0x05, 0x00, 0xA4, 0x04, 0x00, 0x00})
	f.Add([]byte{0x00, 0x00})
	f.Add([]byte{0xFF, 0xFF, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ReadMessage(bytes.NewReader(b))
		if err != nil {
			return
		}
		if len(m) == 0 || len(m) != int(b[0])<<8|int(b[1]) {
			t.Fatalf("ReadMessage(% X) = % X: not the length announced", b, m)
		}
		var w bytes.Buffer
		if err := WriteMessage(&w, m); err != nil || !bytes.Equal(w.Bytes(), b[:2+len(m)]) {
			t.Fatalf("WriteMessage(ReadMessage(% X)) = % X, %v", b, w.Bytes(), err)
		}
	})
}
