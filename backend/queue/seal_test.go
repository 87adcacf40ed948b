package queue

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"certkiosk/backend/registry"
	"certkiosk/backend/seal"
)

// sealedV1 is testdata/sealed-v1.json: values and lookup hashes written by the
// queue's own sealing code before package seal existed. It is never regenerated:
// a queue.sqlite written then must keep opening.
type sealedV1 struct {
	Master string `json:"master"`
	Sealed []struct {
		Key    string `json:"key"`
		Plain  string `json:"plain"`
		Sealed string `json:"sealed"`
	} `json:"sealed"`
	Hashes []struct {
		Kind  string   `json:"kind"`
		Parts []string `json:"parts"`
		Sum   string   `json:"sum"`
	} `json:"hashes"`
}

func loadSealedV1(t *testing.T) (sealedV1, []byte) {
	t.Helper()
	data, err := os.ReadFile("testdata/sealed-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var v sealedV1
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	master, err := hex.DecodeString(v.Master)
	if err != nil {
		t.Fatal(err)
	}
	return v, master
}

// TestSealV1 opens the values sealed before package seal existed, seals them again
// to the same bytes given the same nonce, and finds the same lookup hashes, each
// through the queue's own call.
func TestSealV1(t *testing.T) {
	v, master := loadSealedV1(t)
	s, err := newSealer(master)
	if err != nil {
		t.Fatal(err)
	}
	q := &Queue{sealer: s}
	for _, c := range v.Sealed {
		t.Run(c.Key, func(t *testing.T) {
			sealed, err := hex.DecodeString(c.Sealed)
			if err != nil {
				t.Fatal(err)
			}
			got, err := q.openFor(c.Key, sealed)
			if err != nil || string(got) != c.Plain {
				t.Errorf("openFor(%q, v1 value) = %q, %v; want %q", c.Key, got, err, c.Plain)
			}
			// The nonce is bytes 1 to 12 of the value.
			again, err := seal.New(master, sealDomain, bytes.NewReader(sealed[1:13]))
			if err != nil {
				t.Fatal(err)
			}
			resealed, err := (&Queue{sealer: again}).sealFor(c.Key, []byte(c.Plain))
			if err != nil || !bytes.Equal(resealed, sealed) {
				t.Errorf("sealFor(%q) with the v1 nonce = %x, %v; want %x", c.Key, resealed, err, sealed)
			}
		})
	}
	for _, h := range v.Hashes {
		var got []byte
		switch {
		case h.Kind == "subject" && len(h.Parts) == 2:
			got = q.subjectHash(registry.Identifier{System: h.Parts[0], Value: h.Parts[1]})
		case h.Kind == "claim" && len(h.Parts) == 1:
			got = q.claimHash(h.Parts[0])
		case h.Kind == "uvci" && len(h.Parts) == 1:
			got = q.uvciHash(h.Parts[0])
		default:
			t.Fatalf("testdata: no lookup of kind %q with %d parts", h.Kind, len(h.Parts))
		}
		if hex.EncodeToString(got) != h.Sum {
			t.Errorf("%s hash of %q = %x, want %s", h.Kind, h.Parts, got, h.Sum)
		}
	}
}

// TestSeal: a job's sealed value opens for that job only, and under the
// queue's key only.
func TestSeal(t *testing.T) {
	s, err := newSealer(testKey())
	if err != nil {
		t.Fatal(err)
	}
	q := &Queue{sealer: s}
	a, err := q.sealFor("K1", []byte("Mari Tamm"))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := q.sealFor("K1", []byte("Mari Tamm")); bytes.Equal(a, b) || bytes.Contains(a, []byte("Mari")) {
		t.Errorf("sealFor() twice = the same bytes or the plaintext, want a fresh nonce and ciphertext")
	}
	if got, err := q.openFor("K1", a); err != nil || string(got) != "Mari Tamm" {
		t.Errorf("openFor(sealFor(x)) = %q, %v; want %q", got, err, "Mari Tamm")
	}
	for _, key := range []string{"K2", reprintSealKey("K1"), ""} {
		if _, err := q.openFor(key, a); !errors.Is(err, ErrSealed) {
			t.Errorf("openFor(%q) of K1's value = %v, want ErrSealed", key, err)
		}
	}
	other, err := newSealer(make([]byte, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&Queue{sealer: other}).openFor("K1", a); !errors.Is(err, ErrSealed) {
		t.Errorf("openFor() under another key = %v, want ErrSealed", err)
	}
	if _, err := newSealer(make([]byte, KeySize-1)); !errors.Is(err, seal.ErrKeySize) {
		t.Errorf("newSealer(%d bytes) = %v, want seal.ErrKeySize", KeySize-1, err)
	}
}
