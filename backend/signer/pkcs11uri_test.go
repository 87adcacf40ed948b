package signer

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// uriVector is one line of testdata/pkcs11-uri: a URI, and for an invalid one the
// attribute its error must name ("" for the URI as a whole).
type uriVector struct {
	uri  string
	attr string
}

// readURIVectors reads testdata/pkcs11-uri/<name>.txt; invalid lines start with the
// attribute and a space.
func readURIVectors(tb testing.TB, name string) []uriVector {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "pkcs11-uri", name+".txt"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var vs []uriVector
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if name == "invalid" {
			attr, uri, _ := strings.Cut(line, " ")
			if attr == "-" {
				attr = ""
			}
			vs = append(vs, uriVector{uri: uri, attr: attr})
			continue
		}
		vs = append(vs, uriVector{uri: line})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return vs
}

func TestParsePKCS11URIVectors(t *testing.T) {
	for _, v := range readURIVectors(t, "valid") {
		u, err := ParsePKCS11URI(v.uri)
		if err != nil {
			t.Errorf("ParsePKCS11URI(%q) = %v, want success", v.uri, err)
			continue
		}
		back, err := ParsePKCS11URI(u.String())
		if err != nil || !reflect.DeepEqual(back, u) {
			t.Errorf("ParsePKCS11URI(%q).String() = %q, which parses to %+v, %v; want %+v", v.uri, u.String(), back, err, u)
		}
	}
	for _, v := range readURIVectors(t, "invalid") {
		u, err := ParsePKCS11URI(v.uri)
		var ue *URIError
		if !errors.As(err, &ue) || !errors.Is(err, ErrURI) {
			t.Errorf("ParsePKCS11URI(%q) = %+v, %v; want a *URIError", v.uri, u, err)
			continue
		}
		if ue.Attr != v.attr {
			t.Errorf("ParsePKCS11URI(%q) = %v, naming %q; want it to name %q", v.uri, err, ue.Attr, v.attr)
		}
	}
}

func TestParsePKCS11URIFields(t *testing.T) {
	tests := []struct {
		uri  string
		want PKCS11URI
	}{
		{
			"pkcs11:token=kiosk;object=dcc-signer;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234",
			PKCS11URI{Token: "kiosk", Object: "dcc-signer", Type: "private", ModulePath: "/usr/lib/softhsm/libsofthsm2.so", PINValue: "1234"},
		},
		{
			"pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91;serial=?pin-source=file:/etc/token_pin",
			PKCS11URI{
				Token: "The Software PKCS#11 Softtoken", Manufacturer: "Snake Oil, Inc.", Model: "1.0",
				Object: "my-certificate", Type: "cert", ID: []byte{0x69, 0x95, 0x3e, 0x5c, 0xf4, 0xbd, 0xec, 0x91},
				PINSource: "file:/etc/token_pin",
			},
		},
		{
			"pkcs11:token=Name%20with%20a%20small%20A%20with%20acute:%20%C3%A1;object=a&b=c",
			PKCS11URI{Token: "Name with a small A with acute: á", Object: "a&b=c"},
		},
		{"pkcs11:serial=58ab6b99af386d67;id=%00?module-name=softhsm2", PKCS11URI{Serial: "58ab6b99af386d67", ID: []byte{0}, ModuleName: "softhsm2"}},
		{"pkcs11:type=data?pin-value=a/b?c|d", PKCS11URI{Type: "data", PINValue: "a/b?c|d"}},
		{"pkcs11:object=;id=", PKCS11URI{}},
		{"pkcs11:", PKCS11URI{}},
	}
	for _, tt := range tests {
		got, err := ParsePKCS11URI(tt.uri)
		if err != nil {
			t.Errorf("ParsePKCS11URI(%q) = %v", tt.uri, err)
			continue
		}
		if !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("ParsePKCS11URI(%q) = %+v, want %+v", tt.uri, *got, tt.want)
		}
	}
}

func TestPKCS11URIString(t *testing.T) {
	u := &PKCS11URI{
		Token: "kiosk 1", Object: "dcc;signer", ID: []byte{0xc0, 0xff, 0xee}, Type: "private",
		ModulePath: "/usr/lib/softhsm/libsofthsm2.so", PINValue: "12&34",
	}
	const want = "pkcs11:token=kiosk%201;object=dcc%3Bsigner;type=private;id=%C0%FF%EE?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=12%2634"
	if got := u.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	red := u.Redacted()
	if strings.Contains(red, "12%2634") || !strings.Contains(red, "pin-value=xxxxx") {
		t.Errorf("Redacted() = %q, want the PIN replaced", red)
	}
	if u.PINValue != "12&34" {
		t.Error("Redacted changed the URI")
	}
	if got := u.objectRef(); got != "object=dcc%3Bsigner;id=%C0%FF%EE" {
		t.Errorf("objectRef() = %q", got)
	}
}

// TestURIErrorsHidePIN: a malformed PIN is never quoted back.
func TestURIErrorsHidePIN(t *testing.T) {
	for _, uri := range []string{
		"pkcs11:token=a?pin-value=S3CR3T%zz",
		"pkcs11:token=a?pin-value=S3CR3T%4",
		"pkcs11:token=a?pin-value=S3CR3T#",
		"pkcs11:token=a?pin-value=S3CR3T;x",
		"pkcs11:token=a?pin-valueS3CR3T",
		"pkcs11:token=a?pin-value:S3CR3T=1",
		"pkcs11:token=a?pin-value=S3CR3T&pin-source=file:/p",
	} {
		_, err := ParsePKCS11URI(uri)
		if err == nil || strings.Contains(err.Error(), "S3CR3T") {
			t.Errorf("ParsePKCS11URI(%q) = %v, want an error that does not quote the PIN", uri, err)
		}
	}
}

func FuzzParsePKCS11URI(f *testing.F) {
	for _, name := range []string{"valid", "invalid"} {
		for _, v := range readURIVectors(f, name) {
			f.Add(v.uri)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParsePKCS11URI(s)
		if err != nil {
			var ue *URIError
			if !errors.As(err, &ue) {
				t.Fatalf("ParsePKCS11URI(%q) = %v, not a *URIError", s, err)
			}
			return
		}
		out := u.String()
		back, err := ParsePKCS11URI(out)
		if err != nil {
			t.Fatalf("ParsePKCS11URI(%q).String() = %q, which does not parse: %v", s, out, err)
		}
		if !reflect.DeepEqual(back, u) {
			t.Fatalf("ParsePKCS11URI(%q) = %+v, but its String %q parses to %+v", s, u, out, back)
		}
		if again := back.String(); again != out {
			t.Fatalf("String() is not stable: %q, then %q", out, again)
		}
		if _, err := ParsePKCS11URI(u.Redacted()); err != nil {
			t.Fatalf("Redacted() = %q does not parse: %v", u.Redacted(), err)
		}
	})
}
