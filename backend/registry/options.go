package registry

// options.go: the settings of a Client and their defaults.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// The defaults used for the zero values of Options.
const (
	DefaultTimeout          = 15 * time.Second
	DefaultConnectTimeout   = 3 * time.Second
	DefaultRetries          = 3
	DefaultBackoffBase      = 200 * time.Millisecond
	DefaultBackoffCap       = 3 * time.Second
	DefaultMaxResponseBytes = 4 << 20
)

// Options configure a Client. The zero value of every field selects its default.
type Options struct {
	// Timeout bounds one Find or Ping as a whole: every search, page and retry.
	Timeout time.Duration
	// ConnectTimeout bounds establishing a connection, TLS handshake included. It
	// applies to the client's own transport, not to HTTPClient.
	ConnectTimeout time.Duration
	// Retries is how many times a GET that failed for want of an answer (see
	// ErrUnreachable) is tried again; a bad answer is never retried. Negative: none.
	Retries int
	// BackoffBase and BackoffCap shape the wait before retry n (counting from 0): a
	// random duration between 0 and min(BackoffCap, BackoffBase·2ⁿ).
	BackoffBase time.Duration
	BackoffCap  time.Duration
	// MaxResponseBytes is the largest body read. A larger one is refused without
	// being read whole.
	MaxResponseBytes int64
	// CAFile names a PEM file of certificates trusted, besides the system's roots, to
	// sign the registry's certificate. It cannot be combined with HTTPClient.
	CAFile string
	// Source is stamped on every resource of the records found: SourceLocal (the
	// default) or SourceFederal.
	Source Source
	// HTTPClient replaces the client's own HTTP client (tests, a proxy set up by the
	// caller). Its CheckRedirect is replaced by the registry's redirect policy.
	HTTPClient *http.Client
	// Sleep waits between attempts; it returns early with ctx's error when ctx ends.
	// Tests pass one that records the waits instead of sleeping.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand draws the jitter of the waits; nil uses math/rand/v2's top-level source.
	// The Client serialises its use of Rand.
	Rand *rand.Rand
}

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
		{"BackoffBase", &o.BackoffBase, DefaultBackoffBase},
		{"BackoffCap", &o.BackoffCap, DefaultBackoffCap},
	}
	for _, d := range durations {
		switch {
		case *d.v < 0:
			return o, fmt.Errorf("registry: option %s is %v, want a positive duration", d.name, *d.v)
		case *d.v == 0:
			*d.v = d.def
		}
	}
	switch {
	case o.Retries == 0:
		o.Retries = DefaultRetries
	case o.Retries < 0:
		o.Retries = 0
	}
	switch {
	case o.MaxResponseBytes < 0:
		return o, fmt.Errorf("registry: option MaxResponseBytes is %d, want a positive size", o.MaxResponseBytes)
	case o.MaxResponseBytes == 0:
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}
	switch o.Source {
	case "":
		o.Source = SourceLocal
	case SourceLocal, SourceFederal:
	default:
		return o, fmt.Errorf("registry: option Source is %q, want %q or %q", o.Source, SourceLocal, SourceFederal)
	}
	if o.CAFile != "" && o.HTTPClient != nil {
		return o, fmt.Errorf("registry: options CAFile and HTTPClient cannot be combined")
	}
	if o.Sleep == nil {
		o.Sleep = sleepContext
	}
	return o, nil
}
