package printing

// options.go: the settings Open and the printers take, and their defaults.

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"time"
)

// The defaults used for the zero values of Options.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultConnectTimeout   = 5 * time.Second
	DefaultMaxResponseBytes = 1 << 20
)

// Options configure the printers Open returns. The zero value of every field selects
// its default.
type Options struct {
	// Timeout bounds one IPP request as a whole: connecting, sending the document
	// and reading the answer.
	Timeout time.Duration
	// ConnectTimeout bounds establishing a connection, TLS handshake included. It
	// applies to the printer's own transport, not to HTTPClient.
	ConnectTimeout time.Duration
	// MaxResponseBytes is the largest IPP response read; a larger one is refused
	// without being read whole.
	MaxResponseBytes int64
	// CAFile names a PEM file of certificates trusted, besides the system's roots, to
	// sign an ipps:// printer's certificate. It cannot be combined with HTTPClient.
	CAFile string
	// HTTPClient replaces the printer's own HTTP client (tests, a proxy set up by the
	// caller). Timeout still applies to each request.
	HTTPClient *http.Client
	// Now is the clock Status stamps CheckedAt with; nil uses time.Now.
	Now func() time.Time
	// USB opens a usb://VID:PID[/serial] printer. Open passes the URI split into a
	// URL whose Host is "VID:PID" as written and whose Path is "/serial" (unescaped)
	// or empty; the hook checks the IDs. It is set by the code that has a USB
	// backend; when nil, Open refuses usb:// URIs with ErrBadURI.
	USB func(uri *url.URL) (Printer, error)
	// DefaultFolder is the folder Open prints into when it is given no URI at all
	// (no printer configured); see DefaultFolder. Empty: an empty URI is an error.
	DefaultFolder string
}

// DefaultFolder returns the folder the kiosk prints into when no printer is
// configured: "printed" in its data folder.
func DefaultFolder(dataDir string) string { return filepath.Join(dataDir, "printed") }

// withDefaults returns o with every zero field set to its default, or an error naming
// a field whose value makes no sense.
func (o Options) withDefaults() (Options, error) {
	durations := []struct {
		name string
		v    *time.Duration
		def  time.Duration
	}{
		{"Timeout", &o.Timeout, DefaultTimeout},
		{"ConnectTimeout", &o.ConnectTimeout, DefaultConnectTimeout},
	}
	for _, d := range durations {
		switch {
		case *d.v < 0:
			return o, fmt.Errorf("printing: option %s is %v, want a positive duration", d.name, *d.v)
		case *d.v == 0:
			*d.v = d.def
		}
	}
	switch {
	case o.MaxResponseBytes < 0:
		return o, fmt.Errorf("printing: option MaxResponseBytes is %d, want a positive size", o.MaxResponseBytes)
	case o.MaxResponseBytes == 0:
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if o.CAFile != "" && o.HTTPClient != nil {
		return o, fmt.Errorf("printing: options CAFile and HTTPClient cannot be combined")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}
