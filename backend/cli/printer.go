package cli

// printer.go: opening the printer a command names, USB printers included.

import (
	"context"
	"net/url"

	"certkiosk/backend/printing"
	"certkiosk/drivers/usb"
)

// openPrinter opens the printer at uri with o, adding the USB bus for usb:// URIs.
// release frees the bus; call it when done with the printer.
func openPrinter(ctx context.Context, uri string, o printing.Options) (p printing.Printer, release func(), err error) {
	var host *usb.Host
	o.USB = func(u *url.URL) (printing.Printer, error) {
		if host == nil {
			host = usb.NewHost()
		}
		return printing.OpenUSB(ctx, host, u)
	}
	p, err = printing.Open(uri, o)
	release = func() {
		if host != nil {
			host.Close()
		}
	}
	if err != nil {
		release()
		return nil, nil, err
	}
	return p, release, nil
}
