package ccid

// apdu.go: the length rules of command APDUs (ISO/IEC 7816-4 §5.1), which
// decide whether an APDU is short or extended and so whether a reader's level
// of exchange can carry it.

import "fmt"

// APDUCase is one of the four cases of ISO/IEC 7816-4 §5.1, short or extended.
type APDUCase struct {
	Case     int  // 1: no data, no Le; 2: Le only; 3: data only; 4: data and Le
	Extended bool // the length fields take three bytes (Lc) and two or three (Le)
	Nc       int  // number of data bytes
	Ne       int  // maximum number of response data bytes expected (0 for none)
}

// ClassifyAPDU checks a command APDU's length fields against its length and
// returns its case. Errors wrap ErrAPDU.
func ClassifyAPDU(apdu []byte) (APDUCase, error) {
	n := len(apdu)
	bad := func(why string) (APDUCase, error) {
		return APDUCase{}, fmt.Errorf("%w: %d bytes: %s", ErrAPDU, n, why)
	}
	if n < 4 {
		return bad("shorter than the 4-byte header")
	}
	if n == 4 {
		return APDUCase{Case: 1}, nil
	}
	b := apdu[4]
	if n == 5 {
		ne := int(b)
		if ne == 0 {
			ne = 256
		}
		return APDUCase{Case: 2, Ne: ne}, nil
	}
	if b != 0 {
		lc := int(b)
		switch n {
		case 5 + lc:
			return APDUCase{Case: 3, Nc: lc}, nil
		case 6 + lc:
			ne := int(apdu[n-1])
			if ne == 0 {
				ne = 256
			}
			return APDUCase{Case: 4, Nc: lc, Ne: ne}, nil
		}
		return bad(fmt.Sprintf("Lc is %d", lc))
	}
	// A first length byte of 00 followed by more bytes opens an extended field.
	if n < 7 {
		return bad("an extended length field needs three bytes")
	}
	l := int(apdu[5])<<8 | int(apdu[6])
	if n == 7 {
		if l == 0 {
			l = 65536
		}
		return APDUCase{Case: 2, Extended: true, Ne: l}, nil
	}
	if l == 0 {
		return bad("extended Lc of 0")
	}
	switch n {
	case 7 + l:
		return APDUCase{Case: 3, Extended: true, Nc: l}, nil
	case 9 + l:
		ne := int(apdu[n-2])<<8 | int(apdu[n-1])
		if ne == 0 {
			ne = 65536
		}
		return APDUCase{Case: 4, Extended: true, Nc: l, Ne: ne}, nil
	}
	return bad(fmt.Sprintf("extended Lc is %d", l))
}
