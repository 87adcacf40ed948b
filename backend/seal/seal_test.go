package seal

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// key returns a master key of KeySize bytes, each b.
func key(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func newSealer(t testing.TB, master []byte, domain string, random io.Reader) *Sealer {
	t.Helper()
	s, err := New(master, domain, random)
	if err != nil {
		t.Fatalf("New(%d bytes, %q) = %v", len(master), domain, err)
	}
	return s
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNew(t *testing.T) {
	tests := []struct {
		name   string
		master []byte
		domain string
		err    error
	}{
		{"ok", key(7), "queue", nil},
		{"short key", key(7)[:31], "queue", ErrKeySize},
		{"long key", append(key(7), 0), "queue", ErrKeySize},
		{"no key", nil, "queue", ErrKeySize},
		{"no domain", key(7), "", ErrBinding},
		{"NUL in domain", key(7), "que\x00ue", ErrBinding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.master, tt.domain, nil)
			if !errors.Is(err, tt.err) {
				t.Errorf("New(%d bytes, %q) = %v, want %v", len(tt.master), tt.domain, err, tt.err)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	s := newSealer(t, key(7), "queue", nil)
	tests := []struct {
		name    string
		plain   []byte
		binding []string
	}{
		{"text", []byte("Mari Tamm"), []string{"K1"}},
		{"empty", nil, []string{"K1"}},
		{"no binding", []byte("Mari Tamm"), nil},
		{"row and column", []byte(`{"name":"Петрова Анна Сергеевна"}`), []string{"12", "person"}},
		{"large", bytes.Repeat([]byte{0xA5}, 1<<20), []string{"K1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := s.Seal(tt.plain, tt.binding...)
			if err != nil {
				t.Fatalf("Seal() = %v", err)
			}
			if want := 1 + 12 + len(tt.plain) + 16; len(sealed) != want || sealed[0] != version {
				t.Errorf("Seal() = %d bytes, version %d; want %d bytes, version %d", len(sealed), sealed[0], want, version)
			}
			if len(tt.plain) > 4 && bytes.Contains(sealed, tt.plain) {
				t.Errorf("Seal(%.20q) holds the plaintext", tt.plain)
			}
			got, err := s.Open(sealed, tt.binding...)
			if err != nil || !bytes.Equal(got, tt.plain) {
				t.Errorf("Open(Seal(%.20q)) = %.20q, %v; want the same", tt.plain, got, err)
			}
		})
	}
}

func TestFreshNonce(t *testing.T) {
	s := newSealer(t, key(7), "queue", nil)
	a, _ := s.Seal([]byte("Mari Tamm"), "K1")
	b, _ := s.Seal([]byte("Mari Tamm"), "K1")
	if bytes.Equal(a, b) {
		t.Errorf("Seal() twice = the same bytes, want a fresh nonce each")
	}
}

// TestKnownAnswer pins the format: a value sealed by the commission before this
// package existed, and the queue's lookup hash of that time.
func TestKnownAnswer(t *testing.T) {
	master := unhex(t, "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf")
	nonce := unhex(t, "a8afb6bdc4cbd2d9e0e7eef5")
	want := unhex(t, "01a8afb6bdc4cbd2d9e0e7eef5f5168ed0655d66d9f7a3eed3d8f5b5a1")
	s := newSealer(t, master, "commission", bytes.NewReader(nonce))
	got, err := s.Seal(nil, "12", "certificate")
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("Seal() = %x, %v; want %x", got, err, want)
	}
	if _, err := s.Open(want, "12", "certificate"); err != nil {
		t.Errorf("Open(%x) = %v", want, err)
	}
	q := newSealer(t, key(7), "queue", nil)
	wantHash := "1bfaf396cabebdc198593281af959a81d3bf04b4e55f355857ddf2f6b2cc6d45"
	if got := hex.EncodeToString(q.Hash("subject", "a", "b")); got != wantHash {
		t.Errorf(`Hash("subject", "a", "b") = %s, want %s`, got, wantHash)
	}
}

func TestOpenRefuses(t *testing.T) {
	s := newSealer(t, key(7), "commission", nil)
	sealed, err := s.Seal([]byte("Петрова Анна Сергеевна"), "1", "person")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		s       *Sealer
		binding []string
	}{
		{"another key", newSealer(t, key(8), "commission", nil), []string{"1", "person"}},
		{"another domain", newSealer(t, key(7), "queue", nil), []string{"1", "person"}},
		{"another row", s, []string{"2", "person"}},
		{"another column", s, []string{"1", "result"}},
		{"binding joined", s, []string{"1person"}},
		{"binding split", s, []string{"1", "per", "son"}},
		{"binding longer", s, []string{"1", "person", ""}},
		{"no binding", s, nil},
		{"NUL in binding", s, []string{"1\x00person"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := tt.s.Open(sealed, tt.binding...); !errors.Is(err, ErrOpen) {
				t.Errorf("Open(sealed, %q) = %q, %v; want ErrOpen", tt.binding, got, err)
			}
		})
	}
}

func TestTampered(t *testing.T) {
	s := newSealer(t, key(7), "queue", nil)
	sealed, err := s.Seal([]byte("Mari Tamm"), "K1")
	if err != nil {
		t.Fatal(err)
	}
	// Every bit of every byte: the version, the nonce, the ciphertext and the tag.
	for i := range sealed {
		for bit := range 8 {
			bad := bytes.Clone(sealed)
			bad[i] ^= 1 << bit
			if got, err := s.Open(bad, "K1"); !errors.Is(err, ErrOpen) {
				t.Fatalf("Open(sealed with byte %d bit %d flipped) = %q, %v; want ErrOpen", i, bit, got, err)
			}
		}
	}
	for n := range len(sealed) {
		if got, err := s.Open(sealed[:n], "K1"); !errors.Is(err, ErrOpen) {
			t.Errorf("Open(first %d of %d bytes) = %q, %v; want ErrOpen", n, len(sealed), got, err)
		}
	}
	if got, err := s.Open(append(bytes.Clone(sealed), 0), "K1"); !errors.Is(err, ErrOpen) {
		t.Errorf("Open(sealed + a byte) = %q, %v; want ErrOpen", got, err)
	}
}

func TestSealErrors(t *testing.T) {
	s := newSealer(t, key(7), "queue", iotest.ErrReader(errors.New("no entropy")))
	if _, err := s.Seal([]byte("x"), "K1"); err == nil || !strings.Contains(err.Error(), "no entropy") {
		t.Errorf("Seal() with a failing random source = %v, want its error", err)
	}
	s = newSealer(t, key(7), "queue", nil)
	if _, err := s.Seal([]byte("x"), "K\x001"); !errors.Is(err, ErrBinding) {
		t.Errorf("Seal() bound to a string with NUL = %v, want ErrBinding", err)
	}
}

func TestHash(t *testing.T) {
	s := newSealer(t, key(7), "queue", nil)
	h := s.Hash("subject", "urn:ee:isikukood", "46003150224")
	if len(h) != 32 {
		t.Fatalf("Hash() = %d bytes, want 32", len(h))
	}
	if again := newSealer(t, key(7), "queue", nil).Hash("subject", "urn:ee:isikukood", "46003150224"); !bytes.Equal(again, h) {
		t.Errorf("Hash() from a second Sealer on the same key = %x, want %x", again, h)
	}
	differ := []struct {
		name string
		got  []byte
	}{
		{"another key", newSealer(t, key(8), "queue", nil).Hash("subject", "urn:ee:isikukood", "46003150224")},
		{"another domain", newSealer(t, key(7), "commission", nil).Hash("subject", "urn:ee:isikukood", "46003150224")},
		{"another kind", s.Hash("claim", "urn:ee:isikukood", "46003150224")},
		{"another value", s.Hash("subject", "urn:ee:isikukood", "46003150225")},
		{"split elsewhere", s.Hash("subject", "urn:ee:isikukood4", "6003150224")},
		{"parts joined", s.Hash("subject", "urn:ee:isikukood46003150224")},
		{"kind into parts", s.Hash("subjecturn:ee:isikukood", "46003150224")},
	}
	for _, d := range differ {
		if bytes.Equal(d.got, h) {
			t.Errorf("Hash() with %s = %x, the same as the original", d.name, d.got)
		}
	}
}

// FuzzOpen: Open never panics, and opens only the very bytes Seal wrote.
func FuzzOpen(f *testing.F) {
	// A fixed nonce: the fuzzing workers each run this set-up and must seal alike.
	s := newSealer(f, key(7), "queue", bytes.NewReader(make([]byte, 12)))
	sealed, err := s.Seal([]byte("Mari Tamm"), "K1")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sealed, "K1")
	f.Add(sealed[:13], "K1")
	f.Add([]byte{}, "")
	f.Add(append([]byte{2}, sealed[1:]...), "K1")
	f.Fuzz(func(t *testing.T, data []byte, binding string) {
		plain, err := s.Open(data, binding)
		if err != nil {
			if !errors.Is(err, ErrOpen) {
				t.Errorf("Open(%x, %q) = %v, want ErrOpen", data, binding, err)
			}
			return
		}
		if !bytes.Equal(data, sealed) || binding != "K1" || string(plain) != "Mari Tamm" {
			t.Errorf("Open(%x, %q) = %q, want ErrOpen", data, binding, plain)
		}
	})
}
