package signer

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/veraison/go-cose"
)

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func TestLoadDemoCreatesThenReuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	first, err := LoadDemo(dir, now)
	if err != nil {
		t.Fatalf("LoadDemo (create) = %v", err)
	}
	if !first.Test {
		t.Error("demo issuer is not marked as a test issuer")
	}
	if !strings.Contains(first.Certificate.Subject.CommonName, "TEST ISSUER") {
		t.Errorf("subject %q does not say it is a test issuer", first.Certificate.Subject.CommonName)
	}
	fi, err := os.Stat(filepath.Join(dir, DemoFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	second, err := LoadDemo(dir, now.Add(time.Hour))
	if err != nil {
		t.Fatalf("LoadDemo (reuse) = %v", err)
	}
	if !bytes.Equal(first.Certificate.Raw, second.Certificate.Raw) {
		t.Error("second LoadDemo made a new certificate instead of reusing the first")
	}
	if got := len(first.KeyID()); got != 8 {
		t.Errorf("len(KeyID()) = %d, want 8", got)
	}
}

func TestLoadDemoRejectsMismatchedPair(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if _, err := LoadDemo(a, now); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDemo(b, now); err != nil {
		t.Fatal(err)
	}
	// a's key with b's certificate.
	pa, _ := os.ReadFile(filepath.Join(a, DemoFile))
	pb, _ := os.ReadFile(filepath.Join(b, DemoFile))
	keyA := pa[:bytes.Index(pa, []byte("-----BEGIN CERTIFICATE"))]
	certB := pb[bytes.Index(pb, []byte("-----BEGIN CERTIFICATE")):]
	if err := os.WriteFile(filepath.Join(a, DemoFile), append(keyA, certB...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDemo(a, now); err == nil || !strings.Contains(err.Error(), "does not belong") {
		t.Errorf("LoadDemo with a foreign certificate = %v, want a mismatch error", err)
	}
}

// TestLoadDemoConcurrentFirstUse starts several first uses at once: all must come out
// with the same issuer, the one on disk.
func TestLoadDemoConcurrentFirstUse(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	issuers := make([]*Issuer, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			issuers[i], errs[i] = LoadDemo(dir, now)
		}()
	}
	wg.Wait()
	onDisk, err := LoadDemo(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("LoadDemo #%d = %v", i, errs[i])
		}
		if !bytes.Equal(issuers[i].Certificate.Raw, onDisk.Certificate.Raw) {
			t.Errorf("LoadDemo #%d returned an issuer that is not the one on disk", i)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data folder holds %d entries, want only %s", len(entries), DemoFile)
	}
}

func TestCOSESignerSignsAndVerifies(t *testing.T) {
	iss, err := LoadDemo(t.TempDir(), now)
	if err != nil {
		t.Fatal(err)
	}
	s, err := iss.COSESigner()
	if err != nil {
		t.Fatal(err)
	}
	if s.Algorithm() != cose.AlgorithmES256 {
		t.Fatalf("Algorithm() = %v, want ES256", s.Algorithm())
	}
	msg := cose.NewSign1Message()
	msg.Payload = []byte("payload")
	msg.Headers.Protected.SetAlgorithm(cose.AlgorithmES256)
	if err := msg.Sign(rand.Reader, nil, s); err != nil {
		t.Fatal(err)
	}
	v, err := cose.NewVerifier(cose.AlgorithmES256, iss.Certificate.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := msg.Verify(nil, v); err != nil {
		t.Errorf("signature from the demo key does not verify against its certificate: %v", err)
	}
}

func TestAlgorithm(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	rsa2048, _ := rsa.GenerateKey(rand.Reader, 2048)
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	tests := []struct {
		name string
		key  any
		want cose.Algorithm
		err  bool
	}{
		{"P-256", &p256.PublicKey, cose.AlgorithmES256, false},
		{"RSA-2048", &rsa2048.PublicKey, cose.AlgorithmPS256, false},
		{"P-384", &p384.PublicKey, 0, true},
		{"RSA-1024", &rsa1024.PublicKey, 0, true},
		{"not a key", "x", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Algorithm(tt.key)
			if tt.err {
				if !errors.Is(err, ErrUnsupportedKey) {
					t.Errorf("Algorithm(%s) error = %v, want ErrUnsupportedKey", tt.name, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Algorithm(%s) = %v, %v, want %v", tt.name, got, err, tt.want)
			}
		})
	}
}
