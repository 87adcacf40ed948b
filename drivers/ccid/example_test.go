package ccid_test

import (
	"context"
	"errors"
	"fmt"

	"certkiosk/drivers/ccid"
	"certkiosk/drivers/ccid/ccidtest"
	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
)

// Open the reader, wait for a card, power it on and exchange an APDU; then the
// card is pulled out. The bus is a fake here; on a kiosk it is usb.NewHost().
func Example() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fake := ccidtest.New(ccidtest.Config{VID: 0x1209, PID: 0xcc01, Level: ccid.LevelExtendedAPDU})
	var bus usb.Bus = usbtest.NewBus(fake.Device)

	r, err := ccid.Open(ctx, bus, usb.Match{}, ccid.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	fmt.Println(r.Level(), "reader,", len(r.Slots()), "slot")

	events := r.Events(ctx)
	fake.Insert(&ccidtest.Card{ATR: ccidtest.EstEIDATR(), Answer: func(apdu []byte) []byte {
		return []byte{0x90, 0x00}
	}})
	fmt.Println(<-events)

	atr, err := r.PowerOn(ctx)
	fmt.Println(atr, err)
	resp, err := r.Transmit(ctx, []byte{0x00, 0xa4, 0x01, 0x0c, 0x02, 0x50, 0x00})
	fmt.Printf("% X %v\n", resp, err)

	fake.Remove()
	fmt.Println(<-events)
	_, err = r.Transmit(ctx, []byte{0x00, 0xb0, 0x00, 0x00, 0x00})
	fmt.Println(errors.Is(err, ccid.ErrCardRemoved), err)
	// Output:
	// extended APDU reader, 1 slot
	// slot 0: card inserted
	// 3BDB960080B1FE451F830012233F536549440F9000F1 <nil>
	// 90 00 <nil>
	// slot 0: card removed
	// true ccid: slot 0: card removed
}

func ExampleParseATR() {
	atr, err := ccid.ParseATR([]byte{0x3b, 0xdb, 0x96, 0x00, 0x80, 0xb1, 0xfe, 0x45, 0x1f, 0x83, 0x00,
		0x12, 0x23, 0x3f, 0x53, 0x65, 0x49, 0x44, 0x0f, 0x90, 0x00, 0xf1})
	if err != nil {
		fmt.Println(err)
		return
	}
	t1, _ := atr.T1()
	fmt.Println("protocols", atr.Protocols(), "default T =", atr.DefaultProtocol())
	fmt.Printf("TA1 %02X, IFSC %d, BWI %d, CWI %d, %v\n", atr.FiDi(), t1.IFSC, t1.BWI, t1.CWI, t1.EDC)
	fmt.Printf("historical % X\n", atr.Historical)
	// Output:
	// protocols [0 1] default T = 0
	// TA1 96, IFSC 254, BWI 4, CWI 5, LRC
	// historical 00 12 23 3F 53 65 49 44 0F 90 00
}

func ExampleDecodeFrame() {
	// A DataBlock cut short: dwLength says 9, 4 bytes follow.
	_, err := ccid.DecodeFrame([]byte{0x80, 0x09, 0, 0, 0, 0x00, 0x07, 0x00, 0x00, 0x00, 0x4a, 0xc3, 0x95, 0x45}, 271)
	fmt.Println(err)
	f, err := ccid.DecodeFrame([]byte{0x80, 0x00, 0, 0, 0, 0x00, 0x07, 0x80, 0x01, 0x00}, 271)
	fmt.Println(f.Type, f.Status(), err)
	// Output:
	// ccid: malformed message: truncated: dwLength 9 but 4 bytes of data follow the header
	// DataBlock time extension, card present, active <nil>
}
