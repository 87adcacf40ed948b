package scanner_test

import (
	"context"
	"fmt"
	"time"

	"certkiosk/backend/identity"
	"certkiosk/drivers/scanner"
	"certkiosk/drivers/scanner/scannertest"
	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
)

// A keyboard-mode document reader types a zone's lines, each ended by Enter; the
// scan is the lines that came before the keyboard went quiet. Here the bus is the
// usbtest fake; on a kiosk it is usb.NewHost().
func Example() {
	ctx := context.Background()
	reader := scannertest.NewKeyboard(scannertest.Config{VID: 0x0db5, PID: 0x013a, Serial: "K1"})
	reader.Type("I<UTOD231458907<<<<<<<<<<<<<<<\r7408122F1204159UTO<<<<<<<<<<<6\rERIKSSON<<ANNA<MARIA<<<<<<<<<<\r")
	var bus usb.Bus = usbtest.NewBus(reader.Device)

	s, err := scanner.Open(ctx, bus, usb.Match{VID: 0x0db5, PID: 0x013a}, scanner.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	payload, err := s.Next(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	scan := identity.ClassifyScan(payload, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))
	fmt.Println(scan.Kind, scan.MRZ.Format, scan.MRZ.Primary, scan.MRZ.GivenNames())
	// Output: mrz TD1 ERIKSSON [ANNA MARIA]
}
