package printing

// open.go: Open, which turns a printer URI from the configuration into a Printer.

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Open returns the printer a URI names:
//
//	ipp://host[:port]/path      an IPP printer or CUPS queue (port 631 by default)
//	ipps://host[:port]/path     the same over TLS
//	folder:///path              the folder printer, writing <key>.pdf into path
//	usb://VID:PID[/serial]      a USB printer-class printer, through o.USB
//	(empty)                     the folder printer in o.DefaultFolder
//
// A malformed URI, an unknown scheme, or a usb:// URI without o.USB is an error
// wrapping ErrBadURI.
func Open(uri string, o Options) (Printer, error) {
	if strings.TrimSpace(uri) == "" {
		if o.DefaultFolder == "" {
			return nil, fmt.Errorf("%w: no printer configured and no default folder", ErrBadURI)
		}
		return NewFolder(o.DefaultFolder, o)
	}
	if scheme, _, _ := strings.Cut(uri, ":"); strings.EqualFold(scheme, "usb") {
		if o.USB == nil {
			return nil, fmt.Errorf("%w %q: no USB printer backend in this build", ErrBadURI, uri)
		}
		u, err := usbURL(uri)
		if err != nil {
			return nil, err
		}
		return o.USB(u)
	}
	u, err := url.Parse(uri)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadURI, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "ipp", "ipps":
		return NewIPP(uri, o)
	case "folder":
		dir, err := folderPath(u)
		if err != nil {
			return nil, err
		}
		return NewFolder(dir, o)
	}
	return nil, fmt.Errorf("%w %q: scheme %q, want ipp, ipps, usb or folder", ErrBadURI, uri, u.Scheme)
}

// folderPath returns the folder of a folder:///path URI: an absolute path on this
// machine (no host but "localhost"), without query or fragment.
func folderPath(u *url.URL) (string, error) {
	switch {
	case u.Opaque != "":
		return "", fmt.Errorf("%w %q: want folder:///absolute/path", ErrBadURI, u.String())
	case u.Host != "" && u.Host != "localhost":
		return "", fmt.Errorf("%w %q: host %q, want none (folder:///path)", ErrBadURI, u.String(), u.Host)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("%w %q: user, query or fragment not allowed", ErrBadURI, u.String())
	case !filepath.IsAbs(u.Path):
		return "", fmt.Errorf("%w %q: folder path must be absolute", ErrBadURI, u.String())
	}
	return filepath.Clean(u.Path), nil
}

// usbURL splits usb://VID:PID[/serial] into a URL whose Host is "VID:PID" and whose
// Path is "/serial" (unescaped), or "" without a serial. url.Parse cannot be used:
// it takes PID for a port and refuses hexadecimal digits in it. The USB backend
// checks the IDs themselves.
func usbURL(uri string) (*url.URL, error) {
	_, rest, _ := strings.Cut(uri, ":")
	rest, ok := strings.CutPrefix(rest, "//")
	if !ok {
		return nil, fmt.Errorf("%w %q: want usb://VID:PID[/serial]", ErrBadURI, uri)
	}
	host, serial, hasSerial := strings.Cut(rest, "/")
	if host == "" || strings.ContainsAny(host, "?#@") || strings.ContainsAny(serial, "?#/") {
		return nil, fmt.Errorf("%w %q: want usb://VID:PID[/serial]", ErrBadURI, uri)
	}
	u := &url.URL{Scheme: "usb", Host: host}
	if hasSerial {
		s, err := url.PathUnescape(serial)
		if err != nil || s == "" {
			return nil, fmt.Errorf("%w %q: bad serial number", ErrBadURI, uri)
		}
		u.Path = "/" + s
	}
	return u, nil
}
