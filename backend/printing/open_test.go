package printing

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"testing"
)

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	var usbSeen *url.URL
	usb := func(u *url.URL) (Printer, error) {
		usbSeen = u
		return NewFolder(filepath.Join(dir, "usb"), Options{})
	}
	tests := []struct {
		uri     string
		o       Options
		wantURI string // "" for an error wrapping ErrBadURI
	}{
		{"ipp://printer.local/ipp/print", Options{}, "ipp://printer.local/ipp/print"},
		{"ipps://printer.local:8443/ipp/print", Options{}, "ipps://printer.local:8443/ipp/print"},
		{"folder://" + dir + "/a", Options{}, "folder://" + dir + "/a"},
		{"folder://localhost" + dir + "/b", Options{}, "folder://" + dir + "/b"},
		{"folder://" + dir + "/with%20space", Options{}, "folder://" + dir + "/with%20space"},
		{"", Options{DefaultFolder: filepath.Join(dir, "default")}, "folder://" + dir + "/default"},
		{"usb://04b8:0e28/X3YZ001", Options{USB: usb}, "folder://" + dir + "/usb"},
		{"", Options{}, ""},
		{"usb://04b8:0e28", Options{}, ""},
		{"usb:04b8:0e28", Options{USB: usb}, ""},
		{"usb://04b8:0e28/a/b", Options{USB: usb}, ""},
		{"usb://04b8:0e28/%zz", Options{USB: usb}, ""},
		{"usb://04b8:0e28/x?y", Options{USB: usb}, ""},
		{"http://printer.local/ipp/print", Options{}, ""},
		{"lpd://printer.local/queue", Options{}, ""},
		{"folder:relative/path", Options{}, ""},
		{"folder://host/path", Options{}, ""},
		{"folder:///tmp/x?y=1", Options{}, ""},
		{"ipp://", Options{}, ""},
		{"%zz", Options{}, ""},
	}
	for _, tt := range tests {
		p, err := Open(tt.uri, tt.o)
		if tt.wantURI == "" {
			if !errors.Is(err, ErrBadURI) {
				t.Errorf("Open(%q) = %v, %v; want ErrBadURI", tt.uri, p, err)
			}
			continue
		}
		if err != nil || p.URI() != tt.wantURI {
			t.Errorf("Open(%q) = %v, %v; want a printer at %s", tt.uri, p, err, tt.wantURI)
		}
	}
	if usbSeen == nil || usbSeen.Host != "04b8:0e28" || usbSeen.Path != "/X3YZ001" {
		t.Errorf("the USB hook saw %v, want usb://04b8:0e28/X3YZ001 parsed", usbSeen)
	}
	if _, err := Open("ipp://printer.local/", Options{Timeout: -1}); err == nil {
		t.Error("Open with a negative timeout succeeded")
	}
	if _, err := Open("folder:///"+dir+"/new/deeper", Options{}); err != nil {
		t.Errorf("Open(folder in a new folder) = %v, want it created", err)
	}
	p, _ := Open("folder://"+dir+"/with%20space", Options{})
	if st, err := p.Status(context.Background()); err != nil || st.State != StateReady {
		t.Errorf("folder with a space: Status() = %+v, %v", st, err)
	}
}
