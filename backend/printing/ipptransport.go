package printing

// ipptransport.go: IPP over HTTP (RFC 8010 §4): the printer URI, the HTTP client with
// its TLS trust, and one request sent and its response read, size-capped and within
// the time limit.

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/OpenPrinting/goipp"

	"certkiosk/backend/trust"
)

// ippPort is the default port of both ipp and ipps URIs (RFC 8010 §4.1, RFC 7472 §4).
const ippPort = "631"

// parsePrinterURI checks an ipp:// or ipps:// URI and returns it as the printer-uri
// attribute is sent, and the http:// or https:// URL requests are posted to.
func parsePrinterURI(s string) (printerURI, postURL string, err error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", "", fmt.Errorf("%w: %v", ErrBadURI, err)
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme != "ipp" && scheme != "ipps":
		return "", "", fmt.Errorf("%w %q: scheme is %q, want ipp or ipps", ErrBadURI, s, u.Scheme)
	case u.Hostname() == "":
		return "", "", fmt.Errorf("%w %q: no host", ErrBadURI, s)
	case u.User != nil:
		return "", "", fmt.Errorf("%w %q: user information is not supported", ErrBadURI, s)
	case u.Fragment != "":
		return "", "", fmt.Errorf("%w %q: a fragment is not allowed", ErrBadURI, s)
	}
	u.Scheme = scheme
	if u.Path == "" {
		u.Path = "/"
	}
	printerURI = u.String()
	post := *u
	post.Scheme = "http"
	if scheme == "ipps" {
		post.Scheme = "https"
	}
	if u.Port() == "" {
		post.Host = net.JoinHostPort(u.Hostname(), ippPort)
	}
	return printerURI, post.String(), nil
}

// ippTransport sends IPP requests to one printer.
type ippTransport struct {
	uri     string // the printer URI, as sent in printer-uri
	post    string // the URL requests are posted to
	http    *http.Client
	timeout time.Duration
	max     int64
	lastID  atomic.Uint32 // request-ids count up from 1 (RFC 8011 §4.1.2)
}

func newTransport(uri string, o Options) (*ippTransport, error) {
	printerURI, post, err := parsePrinterURI(uri)
	if err != nil {
		return nil, err
	}
	hc := o.HTTPClient
	if hc == nil {
		if hc, err = newHTTPClient(o); err != nil {
			return nil, err
		}
	}
	own := *hc
	// An IPP printer has no reason to redirect a POST; a redirect is reported as
	// the bad response it is rather than followed somewhere unknown.
	own.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &ippTransport{uri: printerURI, post: post, http: &own, timeout: o.Timeout, max: o.MaxResponseBytes}, nil
}

// newHTTPClient builds a printer's own transport: the connect timeout for dialling and
// the TLS handshake, TLS 1.2 at least, the CA file's certificates trusted besides the
// system's roots, and HTTP/1.1, which is what printers speak.
func newHTTPClient(o Options) (*http.Client, error) {
	tlsConf, err := trust.ClientConfig(o.CAFile)
	if err != nil {
		return nil, fmt.Errorf("printing: %w", err)
	}
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		TLSClientConfig:     tlsConf,
		TLSHandshakeTimeout: o.ConnectTimeout,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     30 * time.Second,
	}
	return &http.Client{Transport: tr}, nil
}

// newRequest starts a request for op with a fresh request-id.
func (t *ippTransport) newRequest(op goipp.Op) *goipp.Message {
	return newRequest(op, t.lastID.Add(1), t.uri)
}

// do sends req, followed by doc when it is not nil, and returns the checked response
// (see parseResponse). The document is streamed from memory: nothing is written to
// disk on the way. Failing to get an answer at all (no connection, no answer within
// the time limit) wraps ErrUnavailable; ctx ending first returns ctx's error.
func (t *ippTransport) do(ctx context.Context, req *goipp.Message, doc []byte) (*goipp.Message, error) {
	op := goipp.Op(req.Code)
	head, err := req.EncodeBytes()
	if err != nil {
		return nil, fmt.Errorf("printing: encoding %s request: %w", op, err)
	}
	rctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	body := io.MultiReader(bytes.NewReader(head), bytes.NewReader(doc))
	hreq, err := http.NewRequestWithContext(rctx, http.MethodPost, t.post, body)
	if err != nil {
		return nil, fmt.Errorf("printing: %s %s: %w", op, t.uri, err)
	}
	hreq.ContentLength = int64(len(head) + len(doc))
	hreq.Header.Set("Content-Type", goipp.ContentType)
	hreq.Header.Set("Accept", goipp.ContentType)

	resp, err := t.http.Do(hreq)
	if err != nil {
		return nil, t.sendError(ctx, op, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096)) // lets the connection be reused
		return nil, &ResponseError{URI: t.uri, Op: op, HTTPStatus: resp.StatusCode, Problem: "HTTP status " + resp.Status}
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != goipp.ContentType {
			return nil, &ResponseError{URI: t.uri, Op: op, Problem: fmt.Sprintf("content type %q, want %s", ct, goipp.ContentType)}
		}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, t.max+1))
	if err != nil {
		return nil, t.sendError(ctx, op, err)
	}
	if int64(len(data)) > t.max {
		return nil, &ResponseError{URI: t.uri, Op: op, Problem: fmt.Sprintf("response larger than %d bytes", t.max)}
	}
	return parseResponse(data, req.RequestID, t.uri, op)
}

// sendError classifies a failure to get an answer: ctx's own end is returned as such;
// an untrusted certificate is a configuration matter; anything else (refused, reset,
// unresolved, timed out) means the printer is unavailable for now.
func (t *ippTransport) sendError(ctx context.Context, op goipp.Op, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("printing: %s %s: %w", op, t.uri, ctx.Err())
	}
	if isCertificateError(err) {
		return fmt.Errorf("printing: %s %s: the printer's certificate is not trusted: %w", op, t.uri, err)
	}
	return fmt.Errorf("%w: %s %s: %w", ErrUnavailable, op, t.uri, err)
}

// isCertificateError reports whether err is a certificate the client does not trust.
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
