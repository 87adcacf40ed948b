package pcsc

import (
	"context"
	"errors"
	"testing"

	"certkiosk/drivers/ccid"
)

func TestCodeErrors(t *testing.T) {
	tests := []struct {
		code      Code
		connected bool
		want      []error
		not       []error
		text      string
	}{
		{0x80100069, true, []error{ccid.ErrCardRemoved}, []error{ccid.ErrReaderGone},
			`pcsc: SCardTransmit "R 00 00": card removed (SCARD_W_REMOVED_CARD)`},
		{0x80100068, true, []error{ccid.ErrCardRemoved}, nil,
			`pcsc: SCardTransmit "R 00 00": card removed (SCARD_W_RESET_CARD)`},
		{0x80100017, true, []error{ccid.ErrReaderGone}, []error{ccid.ErrCardRemoved},
			`pcsc: SCardTransmit "R 00 00": reader gone (SCARD_E_READER_UNAVAILABLE)`},
		{0x80100009, true, []error{ccid.ErrReaderGone}, nil,
			`pcsc: SCardTransmit "R 00 00": reader gone (SCARD_E_UNKNOWN_READER)`},
		{0x8010001D, true, []error{ErrNoService, ccid.ErrReaderGone}, nil,
			`pcsc: SCardTransmit "R 00 00": reader gone: no PC/SC service (is pcscd running?) (SCARD_E_NO_SERVICE)`},
		{0x8010001D, false, []error{ErrNoService}, []error{ccid.ErrReaderGone},
			`pcsc: SCardTransmit "R 00 00": no PC/SC service (is pcscd running?) (SCARD_E_NO_SERVICE)`},
		{0x8010000A, true, []error{ccid.ErrTimeout}, nil,
			`pcsc: SCardTransmit "R 00 00": reader did not answer in time (SCARD_E_TIMEOUT)`},
		{0x8010000C, true, []error{ccid.ErrNoCard}, nil,
			`pcsc: SCardTransmit "R 00 00": no card in the reader (SCARD_E_NO_SMARTCARD)`},
		{0x8010000B, true, []error{ErrBusy}, nil,
			`pcsc: SCardTransmit "R 00 00": reader in use by another program (SCARD_E_SHARING_VIOLATION)`},
		{0x80100016, true, nil, []error{ccid.ErrCardRemoved, ccid.ErrReaderGone},
			`pcsc: SCardTransmit "R 00 00": SCARD_E_NOT_TRANSACTED`},
		{0x80100099, true, nil, []error{ccid.ErrCardRemoved},
			`pcsc: SCardTransmit "R 00 00": 0x80100099`},
	}
	for _, tt := range tests {
		err := codeError("SCardTransmit", "R 00 00", tt.code, tt.connected)
		if got := err.Error(); got != tt.text {
			t.Errorf("codeError(%s, %v) = %q, want %q", tt.code, tt.connected, got, tt.text)
		}
		for _, w := range tt.want {
			if !errors.Is(err, w) {
				t.Errorf("codeError(%s, %v) does not match %v", tt.code, tt.connected, w)
			}
		}
		for _, n := range tt.not {
			if errors.Is(err, n) {
				t.Errorf("codeError(%s, %v) matches %v", tt.code, tt.connected, n)
			}
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != tt.code {
			t.Errorf("codeError(%s): errors.As = %v", tt.code, e)
		}
	}
	if err := codeError("SCardConnect", "", codeSuccess, true); err != nil {
		t.Errorf("codeError(SCARD_S_SUCCESS) = %v, want nil", err)
	}
}

func TestCtxError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	<-ctx.Done()
	err := ctxError("waiting for a card", "R 00 00", ctx)
	if !errors.Is(err, ccid.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ctxError(deadline) = %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	err = ctxError("waiting for a card", "R 00 00", ctx)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ccid.ErrTimeout) {
		t.Errorf("ctxError(cancelled) = %v", err)
	}
	if want := `pcsc: waiting for a card "R 00 00": SCARD_E_CANCELLED`; err.Error() != want {
		t.Errorf("ctxError(cancelled) = %q, want %q", err, want)
	}
}

// Every named code that means something points at a sentinel, and names are
// unique.
func TestCodeNames(t *testing.T) {
	seen := map[string]bool{}
	for c, i := range codes {
		if seen[i.name] {
			t.Errorf("name %s given twice", i.name)
		}
		seen[i.name] = true
		if c.String() != i.name {
			t.Errorf("Code(%#x).String() = %s, want %s", uint32(c), c, i.name)
		}
	}
}
