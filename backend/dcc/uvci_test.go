package dcc

// Tests of UVCI building and checking: the reference example, test-vector UVCIs, single-character errors.

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestNewUVCI(t *testing.T) {
	tests := []struct {
		country, issuer, id string
		want                string
	}{
		// The eu-dcc-schema reference example of the check character.
		{"NL", "187", "37512422923", "URN:UVCI:01:NL:187/37512422923#Z"},
		// A Swedish example published with an independent UVCI parser.
		{"SE", "EHM", "V12916227TFJJ", "URN:UVCI:01:SE:EHM/V12916227TFJJ#Q"},
		// Check characters computed with a separate implementation of Luhn mod 38.
		{"EE", "KIOSK", "ABC123", "URN:UVCI:01:EE:KIOSK/ABC123#S"},
		{"AZ", "ASAN", "0001", "URN:UVCI:01:AZ:ASAN/0001#5"},
		{"RU", "MOW", "7F3K9Q2ZL1", "URN:UVCI:01:RU:MOW/7F3K9Q2ZL1#6"},
		// 50 characters exactly.
		{"EE", "KIOSK", strings.Repeat("9", 27), "URN:UVCI:01:EE:KIOSK/" + strings.Repeat("9", 27) + "#J"},
	}
	for _, tt := range tests {
		got, err := NewUVCI(tt.country, tt.issuer, tt.id)
		if err != nil || got != tt.want {
			t.Errorf("NewUVCI(%q, %q, %q) = %q, %v, want %q", tt.country, tt.issuer, tt.id, got, err, tt.want)
			continue
		}
		if err := CheckUVCI(got); err != nil {
			t.Errorf("CheckUVCI(%q) = %v, want nil", got, err)
		}
	}
}

func TestNewUVCIErrors(t *testing.T) {
	tests := []struct{ country, issuer, id string }{
		{"ee", "KIOSK", "ABC"},
		{"EST", "KIOSK", "ABC"},
		{"", "KIOSK", "ABC"},
		{"EE", "", "ABC"},
		{"EE", "KIOSK", ""},
		{"EE", "kiosk", "ABC"},
		{"EE", "KIOSK", "AB-C"},
		{"EE", "KIOSK", "AB/C"},
		{"EE", "KI:OSK", "ABC"},
		{"EE", "KIOSK", "ÄBC"},
		{"EE", "KIOSK", strings.Repeat("9", 28)}, // 51 characters
	}
	for _, tt := range tests {
		got, err := NewUVCI(tt.country, tt.issuer, tt.id)
		if !errors.Is(err, ErrUVCI) {
			t.Errorf("NewUVCI(%q, %q, %q) = %q, %v, want ErrUVCI", tt.country, tt.issuer, tt.id, got, err)
		}
	}
}

func TestCheckUVCI(t *testing.T) {
	valid := []string{
		"URN:UVCI:01:NL:187/37512422923#Z",
		"URN:UVCI:01:SE:EHM/V12916227TFJJ#Q",
		"URN:UVCI:01:EE:A/B/C#2",
		// From the public test vectors: check characters "/" and ":", and 52 characters.
		"URN:UVCI:01:FR:P4LU2647E8HN#/",
		"URN:UVCI:01:FR:Y4996KBJ4Q3Q#:",
		"URN:UVCI:01:HU:242100001023540659V1T20210614180542#S",
	}
	for _, s := range valid {
		if err := CheckUVCI(s); err != nil {
			t.Errorf("CheckUVCI(%q) = %v, want nil", s, err)
		}
	}
	invalid := []string{
		"",
		"URN:UVCI:01:NL:187/37512422923",    // no check character
		"URN:UVCI:01:NL:187/37512422923#",   // empty check character
		"URN:UVCI:01:NL:187/37512422923#ZZ", // two
		"URN:UVCI:01:NL:187/37512422923#A",  // wrong
		"URN:UVCI:01:NL:187/37512422932#Z",  // digits swapped
		"urn:uvci:01:NL:187/37512422923#Z",  // the check character covers the upper-case prefix
		"01:NL:187/37512422923#T",           // no prefix
		"URN:UVCI:02:NL:187/37512422923#Z",  // unknown version
		"URN:UVCI:01NL/187/37512422923#Z",   // no separator after the version
		"URN:UVCI:01:NLD:187/37512422923#Z", // three-letter country
		"URN:UVCI:01:NL:187//37512422923#Z", // empty block
		"URN:UVCI:01:NL:/37512422923#Z",
		"URN:UVCI:01:NL:#A",
		"URN:UVCI:01:NL:187-37512422923#Z",
		"URN:UVCI:01:EE:" + strings.Repeat("A", 64) + "#A", // 81 characters
	}
	for _, s := range invalid {
		if err := CheckUVCI(s); !errors.Is(err, ErrUVCI) {
			t.Errorf("CheckUVCI(%q) = %v, want ErrUVCI", s, err)
		}
	}
}

// TestCheckUVCIDetectsSubstitutions changes each character of valid UVCIs into each
// other character of the alphabet: Luhn mod N catches every such single change.
func TestCheckUVCIDetectsSubstitutions(t *testing.T) {
	for _, id := range []string{"37512422923", "ABC123", "ZZZZ9999"} {
		uvci, err := NewUVCI("EE", "KIOSK", id)
		if err != nil {
			t.Fatal(err)
		}
		body := strings.TrimPrefix(uvci[:strings.IndexByte(uvci, '#')], UVCIPrefix)
		for i := 0; i < len(body); i++ {
			for _, c := range []byte(UVCIAlphabet) {
				if c == body[i] {
					continue
				}
				changed := UVCIPrefix + body[:i] + string(c) + body[i+1:] + uvci[strings.IndexByte(uvci, '#'):]
				if err := CheckUVCI(changed); err == nil {
					t.Errorf("CheckUVCI(%q) = nil after changing %q at %d, want an error", changed, body[i], i)
				}
			}
		}
	}
}

// TestCheckUVCITestVectors checks the UVCIs of the public test vectors written in the
// form NewUVCI writes (upper-case prefix, version 01, ":" separators, a check
// character). Issuers differ in how they compute the check character, so only those
// whose check characters agree with this implementation are named here; the rest are
// counted.
func TestCheckUVCITestVectors(t *testing.T) {
	agreeing := map[string]bool{
		"URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B": true,
		"URN:UVCI:01:DK:B986830007345F99AE898FB82C6C61F2#A": true,
		"URN:UVCI:01:GR:7UXL2ZTSS6KUZAF2XAAA3A4C4I#E":       true,
		"URN:UVCI:01:LT:199Q1MHH8XKRQSDXIFBM0#B":            true,
		"URN:UVCI:01:SI:C5A831C188A043AEE053#8":             true,
		"URN:UVCI:01:SM:112#N":                              true,
		"URN:UVCI:01:IS:VERA3333#D":                         true,
	}
	seen := map[string]bool{}
	var withCheck, pass int
	for _, s := range testVectorPayloads(t) {
		var p HealthCertificate
		if json.Unmarshal(s.raw, &p) != nil || p.Kind() == "" {
			continue
		}
		ci := p.CertificateID()
		if seen[ci] || !strings.HasPrefix(ci, UVCIPrefix+UVCIVersion+":") || !strings.Contains(ci, "#") {
			continue
		}
		seen[ci] = true
		withCheck++
		err := CheckUVCI(ci)
		if err == nil {
			pass++
		}
		if agreeing[ci] && err != nil {
			t.Errorf("CheckUVCI(%q) = %v, want nil", ci, err)
		}
		delete(agreeing, ci)
	}
	for ci := range agreeing {
		t.Errorf("test vector UVCI %q not found", ci)
	}
	t.Logf("test vector UVCIs in URN:UVCI:01: form with a check character: %d; CheckUVCI accepts %d", withCheck, pass)
}
