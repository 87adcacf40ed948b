package registry

// client.go: the Client of one registry: base URL, HTTP transport, TLS trust, redirect policy.

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"certkiosk/backend/trust"
)

// maxRedirects bounds the same-origin redirects followed for one request.
const maxRedirects = 5

// Client reads records from one FHIR R4 registry. It is safe for concurrent use.
//
// Redirects are followed only within the base URL's origin (scheme, host and port), at
// most 5 in a row; a redirect anywhere else is refused as a bad response, so that the
// kiosk never sends an identifier to a server it was not configured to trust and never
// leaves HTTPS for HTTP. The same holds for the next links of a search.
type Client struct {
	base *url.URL
	http *http.Client
	opts Options

	randMu sync.Mutex // guards opts.Rand, which is not safe for concurrent use
}

// NewClient returns a client of the registry at baseURL, an http or https URL such as
// "https://registry.example/fhir", with the settings o.
func NewClient(baseURL string, o Options) (*Client, error) {
	base, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	o, err = o.withDefaults()
	if err != nil {
		return nil, err
	}
	hc := o.HTTPClient
	if hc == nil {
		if hc, err = newHTTPClient(o); err != nil {
			return nil, err
		}
	}
	c := &Client{base: base, opts: o}
	own := *hc
	own.CheckRedirect = c.checkRedirect
	c.http = &own
	return c, nil
}

// BaseURL returns the registry's base URL, without a trailing slash.
func (c *Client) BaseURL() string { return c.base.String() }

// CloseIdleConnections closes the connections kept open for later requests.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

func parseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("registry: base URL: %v", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("registry: base URL %q: scheme is %q, want http or https", s, u.Scheme)
	case u.Host == "":
		return nil, fmt.Errorf("registry: base URL %q: no host", s)
	case u.User != nil:
		return nil, fmt.Errorf("registry: base URL: user information is not supported")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("registry: base URL %q: a query or fragment is not allowed", s)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// newHTTPClient builds the client's own transport: the connect timeout for dialling and
// the TLS handshake, TLS 1.2 at least, and the CA file's certificates trusted besides
// the system's roots.
func newHTTPClient(o Options) (*http.Client, error) {
	tlsConf, err := trust.ClientConfig(o.CAFile)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       tlsConf,
		TLSHandshakeTimeout:   o.ConnectTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Transport: tr}, nil
}

// redirectError is a redirect the client refused to follow.
type redirectError struct{ problem string }

func (e *redirectError) Error() string { return e.problem }

// checkRedirect is the redirect policy described on Client.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if !sameOrigin(req.URL, c.base) {
		return &redirectError{fmt.Sprintf("redirected to %s, another origin than %s", origin(req.URL), origin(c.base))}
	}
	if len(via) > maxRedirects {
		return &redirectError{fmt.Sprintf("more than %d redirects", maxRedirects)}
	}
	return nil
}

// isCertificateError reports whether err is a certificate the client does not trust:
// a configuration matter that retrying does not cure.
func isCertificateError(err error) bool {
	var (
		verify    *tls.CertificateVerificationError
		authority x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &authority) ||
		errors.As(err, &hostname) || errors.As(err, &invalid)
}
