package usbprint_test

import (
	"context"
	"fmt"

	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
	"certkiosk/drivers/usbprint"
	"certkiosk/drivers/usbprint/usbprinttest"
)

// Open a printer, check that it takes PDF and has paper, then send a document.
// The bus is a fake here; on a kiosk it is usb.NewHost().
func Example() {
	ctx := context.Background()
	fake := usbprinttest.New(usbprinttest.Config{
		VID: 0x03f0, PID: 0xc42a, DeviceID: "MFG:HP;MDL:LaserJet;CMD:PJL,PDF;", Bidirectional: true,
	})
	var bus usb.Bus = usbtest.NewBus(fake.Device)

	p, err := usbprint.Open(ctx, bus, usb.Match{VID: 0x03f0, PID: 0xc42a}, usbprint.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	id, _ := p.DeviceID(ctx)
	st, _ := p.PortStatus(ctx)
	fmt.Println(id.Model(), id.CommandSet(), id.Supports("PDF"), st)
	n, err := p.Write(ctx, []byte("%PDF-1.4 ..."))
	fmt.Println(n, err)

	fake.SetStatus(usbprinttest.PaperEmpty)
	st, _ = p.PortStatus(ctx)
	fmt.Println(st, st.PaperEmpty())
	// Output:
	// LaserJet [PJL PDF] true 0x18 ok
	// 12 <nil>
	// 0x20 paper-empty,not-selected,error true
}

func ExampleDecodeDeviceID() {
	// A Zebra-shaped answer: long keys, no ';' after the last value, and a length
	// (0x0040) that leaves out its own two bytes.
	answer := []byte("\x00\x40MANUFACTURER:Zebra Technologies;COMMAND SET:ZPL;MODEL:ZTC GK420d")
	id, err := usbprint.DecodeDeviceID(answer, usbprint.LengthAuto)
	fmt.Println(id.Manufacturer(), "|", id.Model(), "|", id.CommandSet(), err)
	fmt.Println(id)
	// Output:
	// Zebra Technologies | ZTC GK420d | [ZPL] <nil>
	// MFG:Zebra Technologies;MDL:ZTC GK420d;CMD:ZPL;
}
