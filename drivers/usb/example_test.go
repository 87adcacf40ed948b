package usb_test

import (
	"context"
	"errors"
	"fmt"

	"certkiosk/drivers/usb"
	"certkiosk/drivers/usb/usbtest"
)

// A driver opens its device by VID:PID (or by class), claims an interface and
// talks through its endpoints. Here the bus is the usbtest fake; on a kiosk it is
// usb.NewHost().
func Example() {
	ctx := context.Background()
	var bus usb.Bus = usbtest.NewBus(reader("A1234"))

	m, _ := usb.ParseMatch("076b:3031")
	dev, err := bus.Open(ctx, m)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer dev.Close()
	fmt.Println("opened", dev.Info())
	intf, err := dev.Claim(ctx, dev.Info().Interfaces[0])
	if err != nil {
		fmt.Println(err)
		return
	}
	defer intf.Release()
	out, _ := intf.Out(0x02)
	n, err := out.Write(ctx, []byte{0x62, 0, 0, 0, 0, 0, 1, 0, 0, 0})
	fmt.Println("wrote", n, err)

	_, err = bus.Open(ctx, usb.Match{VID: 0x04f9, PID: 0x0042})
	fmt.Println(errors.Is(err, usb.ErrNotFound), err)
	// Output:
	// opened 076b:3031/A1234 at 1-1
	// wrote 10 <nil>
	// true usb: open 04f9:0042: no such device
}

// A Watcher reports the devices present at its first poll as arrivals, then
// every change.
func ExampleWatcher() {
	ctx := context.Background()
	a := reader("A")
	bus := usbtest.NewBus(a)
	w := usb.NewWatcher(bus, usb.Match{Class: usb.ClassSmartCard})
	show := func() {
		events, _ := w.Poll(ctx)
		for _, e := range events {
			fmt.Println(e.Kind, e.Device)
		}
	}
	show()
	b := reader("B")
	bus.Plug(b)
	bus.Unplug(a)
	show()
	// Output:
	// arrived 076b:3031/A at 1-1
	// departed 076b:3031/A at 1-1
	// arrived 076b:3031/B at 1-2
}
