package registry

// origin.go: comparing URLs by origin (scheme, host, port) and showing them without identifiers.

import (
	"net"
	"net/url"
	"strings"
)

// origin returns u's scheme, host and port, the port made explicit.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// sameOrigin reports whether a and b share scheme, host and port.
func sameOrigin(a, b *url.URL) bool { return origin(a) == origin(b) }

// displayURL returns u for errors and logs: user information dropped, the query
// unescaped for reading, and the value of every identifier parameter, which is a
// person's national identifier, replaced by "***".
func displayURL(u *url.URL) string {
	v := *u
	v.User = nil
	v.RawQuery = ""
	v.Fragment = ""
	s := v.String()
	if u.RawQuery == "" {
		return s
	}
	params := strings.Split(u.RawQuery, "&")
	for i, p := range params {
		key, value, _ := strings.Cut(p, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if val, err := url.QueryUnescape(value); err == nil {
			value = val
		}
		if key == "identifier" {
			if system, _, ok := strings.Cut(value, "|"); ok {
				value = system + "|***"
			} else {
				value = "***"
			}
		}
		params[i] = key + "=" + value
	}
	return s + "?" + strings.Join(params, "&")
}
