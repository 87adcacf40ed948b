package commission

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
)

// sealedV1 is testdata/sealed-v1.json: values and lookup hashes written by the
// commission's own sealing code before package seal existed, with the nonces it
// was given. It is never regenerated: a commission.sqlite written then must keep
// opening.
type sealedV1 struct {
	Master string `json:"master"`
	Sealed []struct {
		Row    int64  `json:"row"`
		Column string `json:"column"`
		Nonce  string `json:"nonce"`
		Plain  string `json:"plain"`
		Sealed string `json:"sealed"`
	} `json:"sealed"`
	Subjects []struct {
		System string `json:"system"`
		Value  string `json:"value"`
		Sum    string `json:"sum"`
	} `json:"subjects"`
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSealV1 opens the values sealed before package seal existed, seals them again
// to the same bytes with the same nonces, and finds the same subject hashes.
func TestSealV1(t *testing.T) {
	data, err := os.ReadFile("testdata/sealed-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var v sealedV1
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	master := unhex(t, v.Master)
	var nonces []byte
	for _, c := range v.Sealed {
		nonces = append(nonces, unhex(t, c.Nonce)...)
	}
	sealer, err := newSealer(master, bytes.NewReader(nonces))
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{sealer: sealer}
	for _, c := range v.Sealed {
		t.Run(fmt.Sprintf("%d/%s", c.Row, c.Column), func(t *testing.T) {
			sealed := unhex(t, c.Sealed)
			got, err := s.openColumn(c.Row, c.Column, sealed)
			if err != nil || string(got) != c.Plain {
				t.Errorf("openColumn(%d, %q, v1 value) = %q, %v; want %q", c.Row, c.Column, got, err, c.Plain)
			}
			resealed, err := s.sealColumn(c.Row, c.Column, []byte(c.Plain))
			if err != nil || !bytes.Equal(resealed, sealed) {
				t.Errorf("sealColumn(%d, %q) with the v1 nonce = %x, %v; want %x", c.Row, c.Column, resealed, err, sealed)
			}
			if _, err := s.openColumn(c.Row+1, c.Column, sealed); !errors.Is(err, ErrSealed) {
				t.Errorf("openColumn(%d, %q) of row %d's value = %v, want ErrSealed", c.Row+1, c.Column, c.Row, err)
			}
		})
	}
	for _, h := range v.Subjects {
		if got := hex.EncodeToString(s.subject(h.System, h.Value)); got != h.Sum {
			t.Errorf("subject(%q, %q) = %s, want %s", h.System, h.Value, got, h.Sum)
		}
	}
}

// TestSealBoundToColumn: a case's sealed value opens in its own column only, under
// the register's key only.
func TestSealBoundToColumn(t *testing.T) {
	sealer, err := newSealer(bytes.Repeat([]byte{7}, 32), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{sealer: sealer}
	sealed, err := s.sealColumn(1, "person", []byte(testName))
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range []string{"result", "certificate", ""} {
		if _, err := s.openColumn(1, col, sealed); !errors.Is(err, ErrSealed) {
			t.Errorf("openColumn(1, %q) of the person column = %v, want ErrSealed", col, err)
		}
	}
	other, err := newSealer(make([]byte, 32), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&Service{sealer: other}).openColumn(1, "person", sealed); !errors.Is(err, ErrSealed) {
		t.Errorf("openColumn() under another key = %v, want ErrSealed", err)
	}
	if _, err := newSealer(make([]byte, 31), nil); err == nil {
		t.Errorf("newSealer(31 bytes) = nil error, want one")
	}
}
