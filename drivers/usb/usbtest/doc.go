// Package usbtest is an in-memory usb.Bus for testing drivers without hardware:
// devices with descriptors, endpoints whose behaviour a test scripts, faults
// injected at a chosen byte (stall, timeout, unplug mid-transfer, a device that
// stops answering), and replay of recorded byte-level exchanges.
//
// A test builds devices from their descriptors, plugs them into a Bus and hands
// the Bus to the driver under test:
//
//	dev := usbtest.NewDevice(usb.DeviceInfo{VID: 0x04f9, PID: 0x0042, Interfaces: ...})
//	dev.HandleControl(func(ctx context.Context, s usb.Setup, data []byte) (int, error) { ... })
//	dev.Endpoint(0x81).Queue([]byte("reply"))
//	dev.Endpoint(0x01).FailAfter(4096, usbtest.Unplug)
//	bus := usbtest.NewBus(dev)
//	// ... driver.Open(ctx, bus, ...) ...
//	got := dev.Endpoint(0x01).Written()
//
// A recorded exchange (see ParseRecording for its format) makes the device play
// one side of a conversation: Replay checks each request the driver makes
// against the recording and answers with the recorded data.
//
//	rec, _ := usbtest.ReadRecording("testdata/print.usb")
//	r := dev.Replay(rec)
//	// ... run the driver ...
//	if err := r.Done(); err != nil { t.Fatal(err) }
//
// Errors are the usb package's: a fault shows as a *usb.Error matching
// usb.ErrStall, usb.ErrTimeout or usb.ErrDisconnected, as the real Host reports.
package usbtest
