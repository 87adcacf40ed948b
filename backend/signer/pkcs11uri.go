package signer

// pkcs11uri.go: PKCS#11 URIs (RFC 7512), the address of a key in a hardware token.

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrURI is matched (errors.Is) by every *URIError.
var ErrURI = errors.New("signer: invalid PKCS#11 URI")

// URIError reports a PKCS#11 URI that cannot be parsed or used, naming the attribute
// at fault. It never quotes a PIN.
type URIError struct {
	// Attr is the attribute at fault ("id", "module-path"…); empty when the fault
	// lies with the URI as a whole.
	Attr   string
	Reason string
	// Err is the underlying error, if any (a pin-source file that cannot be read).
	Err error
}

func (e *URIError) Error() string {
	msg := "signer: PKCS#11 URI: " + e.Reason
	if e.Attr != "" {
		msg = "signer: PKCS#11 URI attribute " + e.Attr + ": " + e.Reason
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap makes every URIError match ErrURI, and the underlying error.
func (e *URIError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrURI}
	}
	return []error{ErrURI, e.Err}
}

func uriErrorf(attr, format string, args ...any) error {
	return &URIError{Attr: attr, Reason: fmt.Sprintf(format, args...)}
}

// PKCS11URI is a parsed PKCS#11 URI (RFC 7512), such as
//
//	pkcs11:token=kiosk;object=dcc-signer;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/etc/certkiosk/pin
//
// Values are held percent-decoded. An attribute given with an empty value is treated
// as absent.
type PKCS11URI struct {
	// Path attributes (RFC 7512 §2.3): which token, and which object in it.
	Token        string // the token's label (CK_TOKEN_INFO label)
	Manufacturer string // the token's manufacturerID
	Model        string // the token's model
	Serial       string // the token's serialNumber
	Object       string // the object's CKA_LABEL
	ID           []byte // the object's CKA_ID, raw bytes
	Type         string // the object's class: public, private, cert, secret-key or data

	// Query attributes: which library, and the PIN.
	ModulePath string // absolute path of the PKCS#11 library
	ModuleName string // library name without "lib" and extension, e.g. softhsm2
	PINSource  string // where to read the PIN: file:/path (preferred in production)
	PINValue   string // the PIN itself; keep it out of files others can read
}

// uriScheme is the URI scheme, compared without regard to case (RFC 3986 §3.1).
const uriScheme = "pkcs11:"

// validType reports whether t is an object class RFC 7512 §2.3 names (pk11-type).
func validType(t string) bool {
	switch t {
	case "public", "private", "cert", "secret-key", "data":
		return true
	}
	return false
}

// ParsePKCS11URI parses a PKCS#11 URI following the grammar of RFC 7512 §2.3: path
// attributes token, manufacturer, model, serial, object, id and type separated by
// ";", then after "?" query attributes module-path, module-name, pin-source and
// pin-value separated by "&". Characters outside the grammar must be
// percent-encoded; no attribute may appear twice; pin-source and pin-value exclude
// each other. The other attributes RFC 7512 defines (library-*, slot-*) and
// vendor attributes are refused, so that a URI never selects something else than
// what it says. Errors are *URIError, naming the attribute at fault.
func ParsePKCS11URI(s string) (*PKCS11URI, error) {
	if len(s) < len(uriScheme) || !strings.EqualFold(s[:len(uriScheme)], uriScheme) {
		return nil, uriErrorf("", "does not start with %q", uriScheme)
	}
	rest := s[len(uriScheme):]
	path, query, _ := strings.Cut(rest, "?")
	u := &PKCS11URI{}
	seen := make(map[string]bool)
	if path != "" {
		for _, attr := range strings.Split(path, ";") {
			if err := u.setAttr(attr, false, seen); err != nil {
				return nil, err
			}
		}
	}
	if query != "" {
		for _, attr := range strings.Split(query, "&") {
			if err := u.setAttr(attr, true, seen); err != nil {
				return nil, err
			}
		}
	}
	if u.PINSource != "" && u.PINValue != "" {
		return nil, uriErrorf("pin-value", "give either pin-source or pin-value, not both")
	}
	return u, nil
}

// setAttr parses one name=value attribute of the path (inQuery false) or the query.
func (u *PKCS11URI) setAttr(attr string, inQuery bool, seen map[string]bool) error {
	part := "path"
	if inQuery {
		part = "query"
	}
	name, raw, ok := strings.Cut(attr, "=")
	switch {
	case attr == "":
		return uriErrorf("", "empty attribute in the %s", part)
	case !ok:
		// Nothing is quoted: the text may be a mistyped PIN.
		if known := knownPrefix(attr); known != "" {
			return uriErrorf(known, "has no '=' and value")
		}
		return uriErrorf("", "an attribute in the %s has no '=' and value", part)
	case name == "":
		return uriErrorf("", "attribute without a name in the %s", part)
	case !isAttrName(name):
		return uriErrorf(knownPrefix(name), "an attribute name in the %s holds characters other than letters, digits and '-'", part)
	}
	key := strings.ToLower(name)
	if !knownAttr(key, inQuery) {
		return unknownAttr(name, key, inQuery)
	}
	if seen[key] {
		return uriErrorf(key, "appears more than once")
	}
	seen[key] = true
	value, err := decodeValue(key, raw, inQuery)
	if err != nil {
		return err
	}
	if key != "id" && !utf8.ValidString(value) {
		return uriErrorf(key, "value is not UTF-8")
	}
	switch key {
	case "token":
		u.Token = value
	case "manufacturer":
		u.Manufacturer = value
	case "model":
		u.Model = value
	case "serial":
		u.Serial = value
	case "object":
		u.Object = value
	case "id":
		if value != "" {
			u.ID = []byte(value)
		}
	case "type":
		if value != "" && !validType(value) {
			return uriErrorf(key, "%q is not one of public, private, cert, secret-key, data", printable(value))
		}
		u.Type = value
	case "module-path":
		u.ModulePath = value
	case "module-name":
		u.ModuleName = value
	case "pin-source":
		u.PINSource = value
	case "pin-value":
		u.PINValue = value
	}
	return nil
}

// knownAttr reports whether name (lower case) is an attribute this parser supports
// in that part of the URI.
func knownAttr(name string, inQuery bool) bool {
	if inQuery {
		switch name {
		case "module-path", "module-name", "pin-source", "pin-value":
			return true
		}
		return false
	}
	switch name {
	case "token", "manufacturer", "model", "serial", "object", "id", "type":
		return true
	}
	return false
}

// unknownAttr explains why an attribute is refused.
func unknownAttr(name, key string, inQuery bool) error {
	switch {
	case knownAttr(key, !inQuery) && inQuery:
		return uriErrorf(key, "belongs in the path (before '?'), not the query")
	case knownAttr(key, !inQuery):
		return uriErrorf(key, "belongs in the query (after '?'), not the path")
	case strings.HasPrefix(key, "library-") || strings.HasPrefix(key, "slot-"):
		return uriErrorf(key, "is not supported here; select the token with token, serial, manufacturer or model")
	}
	return uriErrorf(printable(name), "unknown attribute")
}

// isAttrName reports whether s is made of the characters of attribute names:
// letters, digits and '-' (RFC 7512 §2.3, pk11-v-attr-nm-char).
func isAttrName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// knownPrefix returns the longest supported attribute name that s starts with,
// ignoring case; "" when none.
func knownPrefix(s string) string {
	lower := strings.ToLower(s)
	best := ""
	for _, name := range []string{
		"token", "manufacturer", "model", "serial", "object", "id", "type",
		"module-path", "module-name", "pin-source", "pin-value",
	} {
		if strings.HasPrefix(lower, name) && len(name) > len(best) {
			best = name
		}
	}
	return best
}

// decodeValue percent-decodes an attribute value, refusing characters the grammar
// of RFC 7512 §2.3 does not allow unencoded (pk11-pchar in the path, pk11-qchar in
// the query). A PIN is never quoted in an error.
func decodeValue(attr, raw string, inQuery bool) (string, error) {
	secret := attr == "pin-value"
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '%':
			if i+2 >= len(raw) {
				return "", truncatedEscape(attr, raw[i:], secret)
			}
			hi, ok1 := unhex(raw[i+1])
			lo, ok2 := unhex(raw[i+2])
			if !ok1 || !ok2 {
				if secret {
					return "", uriErrorf(attr, "invalid percent-encoding")
				}
				return "", uriErrorf(attr, "invalid percent-encoding %q", raw[i:i+3])
			}
			b.WriteByte(hi<<4 | lo)
			i += 2
		case allowedChar(c, inQuery):
			b.WriteByte(c)
		default:
			if secret {
				return "", uriErrorf(attr, "a character must be percent-encoded")
			}
			return "", uriErrorf(attr, "character %q must be percent-encoded", string(rune(c)))
		}
	}
	return b.String(), nil
}

func truncatedEscape(attr, tail string, secret bool) error {
	if secret {
		return uriErrorf(attr, "truncated percent-encoding")
	}
	return uriErrorf(attr, "truncated percent-encoding %q", tail)
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// allowedChar reports whether c may appear unencoded in a value: unreserved
// characters (RFC 3986 §2.3) and the reserved ones RFC 7512 §2.3 leaves free, which
// are "&" in the path and "/", "?" and "|" in the query.
func allowedChar(c byte, inQuery bool) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '-', '.', '_', '~', // unreserved
		':', '[', ']', '@', '!', '$', '\'', '(', ')', '*', '+', ',', '=': // pk11-res-avail
		return true
	case '&':
		return !inQuery
	case '/', '?', '|':
		return inQuery
	}
	return false
}

// printable shortens text from a URI for an error message, which quotes it with %q.
func printable(s string) string {
	const max = 40
	if len(s) > max {
		return strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}

// String returns the URI in a canonical form that ParsePKCS11URI reads back to the
// same value: attributes in a fixed order, the id percent-encoded byte by byte,
// other values with every character outside a conservative set percent-encoded.
// It includes pin-value; use Redacted for anything that is logged or shown.
func (u *PKCS11URI) String() string {
	var b strings.Builder
	b.WriteString(uriScheme)
	sep := ""
	path := func(name, value string) {
		if value == "" {
			return
		}
		b.WriteString(sep + name + "=" + encodeValue(value, false))
		sep = ";"
	}
	path("token", u.Token)
	path("manufacturer", u.Manufacturer)
	path("model", u.Model)
	path("serial", u.Serial)
	path("object", u.Object)
	path("type", u.Type)
	if len(u.ID) > 0 {
		b.WriteString(sep + "id=")
		for _, c := range u.ID {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	sep = "?"
	query := func(name, value string) {
		if value == "" {
			return
		}
		b.WriteString(sep + name + "=" + encodeValue(value, true))
		sep = "&"
	}
	query("module-path", u.ModulePath)
	query("module-name", u.ModuleName)
	query("pin-source", u.PINSource)
	query("pin-value", u.PINValue)
	return b.String()
}

// Redacted is String with the PIN value replaced by "xxxxx".
func (u *PKCS11URI) Redacted() string {
	if u.PINValue == "" {
		return u.String()
	}
	r := *u
	r.PINValue = "xxxxx"
	return r.String()
}

// objectRef names the object the URI selects, for messages: "object=dcc-signer;id=%01".
func (u *PKCS11URI) objectRef() string {
	r := PKCS11URI{Object: u.Object, ID: u.ID}
	return strings.TrimPrefix(r.String(), uriScheme)
}

// encodeValue percent-encodes every byte except unreserved characters and a few
// reserved ones that read well and are free in both parts ("/" only in the query).
func encodeValue(s string, inQuery bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == ':', c == '@', c == ',',
			c == '/' && inQuery:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
