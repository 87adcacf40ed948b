package printing

// ippmessage.go: building IPP requests and reading IPP responses (RFC 8010 encoding
// through goipp; RFC 8011 operations): the checks every response passes and the
// attributes the client reads from them.

import (
	"fmt"
	"slices"

	"github.com/OpenPrinting/goipp"
)

// userName is the requesting-user-name of every request. CUPS shows a completed
// job's name only to the user who sent it, so Get-Jobs must name the same user as
// Print-Job did.
const userName = "certkiosk"

// newRequest starts a request for op on the printer with the operation attributes
// every request carries, in the order RFC 8011 §4.1.4 and §4.1.5 require.
func newRequest(op goipp.Op, id uint32, printerURI string) *goipp.Message {
	m := goipp.NewRequest(goipp.DefaultVersion, op, id)
	m.Operation.Add(goipp.MakeAttribute("attributes-charset", goipp.TagCharset, goipp.String("utf-8")))
	m.Operation.Add(goipp.MakeAttribute("attributes-natural-language", goipp.TagLanguage, goipp.String("en")))
	m.Operation.Add(goipp.MakeAttribute("printer-uri", goipp.TagURI, goipp.String(printerURI)))
	m.Operation.Add(goipp.MakeAttribute("requesting-user-name", goipp.TagName, goipp.String(userName)))
	return m
}

// keywords makes a 1setOf keyword attribute.
func keywords(name string, values ...string) goipp.Attribute {
	a := goipp.Attribute{Name: name}
	for _, v := range values {
		a.Values.Add(goipp.TagKeyword, goipp.String(v))
	}
	return a
}

// parseResponse decodes an IPP response to request id and checks it: a known
// protocol version, the same request-id, and a successful status code. A response
// the decoder refuses, or one that fails the checks, is a *ResponseError; an
// unsuccessful status is a *StatusError.
func parseResponse(data []byte, id uint32, uri string, op goipp.Op) (msg *goipp.Message, err error) {
	bad := func(format string, args ...any) error {
		return &ResponseError{URI: uri, Op: op, Problem: fmt.Sprintf(format, args...)}
	}
	// The decoder has not been seen to panic (FuzzDecodeIPPResponse), but the bytes
	// come from the network and one printer's answer must not take the kiosk down.
	defer func() {
		if p := recover(); p != nil {
			msg, err = nil, bad("the IPP decoder failed: %v", p)
		}
	}()
	var m goipp.Message
	if err := m.DecodeBytes(data); err != nil {
		return nil, &ResponseError{URI: uri, Op: op, Problem: fmt.Sprintf("not an IPP message (%d bytes)", len(data)), Err: err}
	}
	if v := m.Version.Major(); v != 1 && v != 2 {
		return nil, bad("IPP version %s, want 1.x or 2.x", m.Version)
	}
	if m.RequestID != id {
		return nil, bad("request-id %d, want %d", m.RequestID, id)
	}
	if st := goipp.Status(m.Code); st > 0x00ff { // RFC 8011 §4.1.6.1: 0x0000–0x00FF are successful
		msg, _ := firstString(m.Operation, "status-message")
		return nil, &StatusError{URI: uri, Op: op, Status: st, Message: msg}
	}
	return &m, nil
}

// find returns the attribute named name and true, or false when attrs lacks it or it
// has no value.
func find(attrs goipp.Attributes, name string) (goipp.Attribute, bool) {
	i := slices.IndexFunc(attrs, func(a goipp.Attribute) bool { return a.Name == name })
	if i < 0 || len(attrs[i].Values) == 0 {
		return goipp.Attribute{}, false
	}
	return attrs[i], true
}

// firstInt returns the first value of an integer or enum attribute.
func firstInt(attrs goipp.Attributes, name string) (int, bool) {
	a, ok := find(attrs, name)
	if !ok {
		return 0, false
	}
	v, ok := a.Values[0].V.(goipp.Integer)
	return int(v), ok
}

// firstBool returns the first value of a boolean attribute.
func firstBool(attrs goipp.Attributes, name string) (bool, bool) {
	a, ok := find(attrs, name)
	if !ok {
		return false, false
	}
	v, ok := a.Values[0].V.(goipp.Boolean)
	return bool(v), ok
}

// allStrings returns every value of a keyword, name, text, URI or MIME type
// attribute; values of other types are skipped.
func allStrings(attrs goipp.Attributes, name string) []string {
	a, ok := find(attrs, name)
	if !ok {
		return nil
	}
	var out []string
	for _, v := range a.Values {
		switch s := v.V.(type) {
		case goipp.String:
			out = append(out, string(s))
		case goipp.TextWithLang:
			out = append(out, s.Text)
		}
	}
	return out
}

// firstString returns the first string value of an attribute.
func firstString(attrs goipp.Attributes, name string) (string, bool) {
	s := allStrings(attrs, name)
	if len(s) == 0 {
		return "", false
	}
	return s[0], true
}

// jobGroups returns the attributes of every job in a response, one entry per job
// attributes group (a Get-Jobs response has one per job, RFC 8011 §4.2.6.2).
func jobGroups(m *goipp.Message) []goipp.Attributes {
	var out []goipp.Attributes
	for _, g := range m.Groups {
		if g.Tag == goipp.TagJobGroup {
			out = append(out, g.Attrs)
		}
	}
	return out
}
