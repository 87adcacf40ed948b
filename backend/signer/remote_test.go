package signer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/dcc"
)

const testBearer = "k1osk-t0ken.abc~"

// signingService is a stand-in for the registry's issuance service: it holds a key
// and signs the hashes it is sent, as remote.go documents.
type signingService struct {
	key crypto.Signer
	// answer, when set, replaces the normal answer.
	answer func(w http.ResponseWriter, r *http.Request) bool
	// seen records the last request's body.
	seen remoteRequest
}

func (s *signingService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.answer != nil && s.answer(w, r) {
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Authorization") != "Bearer "+testBearer {
		http.Error(w, "invalid bearer token", http.StatusUnauthorized)
		return
	}
	if err := json.NewDecoder(r.Body).Decode(&s.seen); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	hash, err := base64.StdEncoding.DecodeString(s.seen.Hash)
	if err != nil || len(hash) != sha256.Size {
		http.Error(w, "bad hash", http.StatusBadRequest)
		return
	}
	sig, err := rawSign(s.key, hash)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(remoteAnswer{Signature: base64.StdEncoding.EncodeToString(sig)})
}

// rawSign signs a hash the way the service returns it: r||s or RSASSA-PSS.
func rawSign(key crypto.Signer, hash []byte) ([]byte, error) {
	if _, ok := key.(*rsa.PrivateKey); ok {
		return key.Sign(rand.Reader, hash, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: crypto.SHA256})
	}
	der, err := key.Sign(rand.Reader, hash, crypto.SHA256)
	if err != nil {
		return nil, err
	}
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &rs); err != nil {
		return nil, err
	}
	out := make([]byte, 64)
	rs.R.FillBytes(out[:32])
	rs.S.FillBytes(out[32:])
	return out, nil
}

// selfSignedFor makes a document signing certificate for key.
func selfSignedFor(t *testing.T, key crypto.Signer) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject:      pkix.Name{Country: []string{"EE"}, CommonName: "Registry DSC"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// startService serves svc over TLS and returns a signer for it with cert.
func startService(t *testing.T, svc *signingService, cert *x509.Certificate, timeout time.Duration) *RemoteSigner {
	t.Helper()
	srv := httptest.NewTLSServer(svc)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	rs, err := NewRemoteSigner(srv.URL+"/sign", testBearer, cert, RemoteOptions{RootCAs: pool, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestRemoteSignerSignsDCC(t *testing.T) {
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsa2048, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		alg string
		key crypto.Signer
	}{{"ES256", p256}, {"PS256", rsa2048}} {
		t.Run(tt.alg, func(t *testing.T) {
			cert := selfSignedFor(t, tt.key)
			svc := &signingService{key: tt.key}
			rs := startService(t, svc, cert, 0)
			signAndVerify(t, &Issuer{Key: rs, Certificate: cert})
			if svc.seen.Alg != tt.alg {
				t.Errorf("request alg = %q, want %q", svc.seen.Alg, tt.alg)
			}
			if kid := base64.StdEncoding.EncodeToString(dcc.KeyID(cert.Raw)); svc.seen.KID != kid {
				t.Errorf("request kid = %q, want %q", svc.seen.KID, kid)
			}
		})
	}
}

func TestRemoteSignerErrors(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cert := selfSignedFor(t, key)
	reply := func(contentType, body string) func(http.ResponseWriter, *http.Request) bool {
		return func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("Content-Type", contentType)
			w.Write([]byte(body))
			return true
		}
	}
	tests := []struct {
		name    string
		svc     *signingService
		status  int    // for a *RemoteStatusError
		mention string // in the message
	}{
		{"wrong token", &signingService{key: key, answer: func(w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, "invalid bearer token\nfor this kiosk", http.StatusUnauthorized)
			return true
		}}, 401, "invalid bearer token for this kiosk"},
		{"server error", &signingService{key: key, answer: func(w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, strings.Repeat("x", 5000), http.StatusServiceUnavailable)
			return true
		}}, 503, "xxx…"},
		{"redirect", &signingService{key: key, answer: func(w http.ResponseWriter, r *http.Request) bool {
			http.Redirect(w, r, "https://elsewhere.example/sign", http.StatusTemporaryRedirect)
			return true
		}}, 307, "not followed"},
		{"slow", &signingService{key: key, answer: func(w http.ResponseWriter, r *http.Request) bool {
			io.Copy(io.Discard, r.Body) // lets the server notice the client leaving
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			panic(http.ErrAbortHandler) // no answer at all, whatever happened

		}}, 0, "no answer from https://127.0.0.1"},
		{"huge answer", &signingService{key: key, answer: reply("application/json", `{"signature":"`+strings.Repeat("A", 20000)+`"}`)}, 0, "larger than"},
		{"not JSON", &signingService{key: key, answer: reply("text/html", "<html>login</html>")}, 0, "not application/json"},
		{"bad JSON", &signingService{key: key, answer: reply("application/json", `{"signature":`)}, 0, "not the expected JSON"},
		{"no signature", &signingService{key: key, answer: reply("application/json", `{"sig":"abc"}`)}, 0, "no base64 signature"},
		{"bad base64", &signingService{key: key, answer: reply("application/json", `{"signature":"!!!"}`)}, 0, "no base64 signature"},
		{"DER instead of r||s", &signingService{key: key, answer: func(w http.ResponseWriter, r *http.Request) bool {
			der, _ := key.Sign(rand.Reader, make([]byte, 32), crypto.SHA256)
			reply("application/json", `{"signature":"`+base64.StdEncoding.EncodeToString(der)+`"}`)(w, r)
			return true
		}}, 0, "want the 64 bytes of r||s"},
		{"another key", &signingService{key: other}, 0, "does not verify"},
	}
	digest := sha256.Sum256([]byte("Sig_structure"))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			timeout := 10 * time.Second
			if tt.name == "slow" {
				timeout = 300 * time.Millisecond
			}
			rs := startService(t, tt.svc, cert, timeout)
			sig, err := rs.Sign(rand.Reader, digest[:], crypto.SHA256)
			if !errors.Is(err, ErrRemote) {
				t.Fatalf("Sign = %x, %v; want ErrRemote", sig, err)
			}
			var se *RemoteStatusError
			if tt.status != 0 && (!errors.As(err, &se) || se.StatusCode != tt.status) {
				t.Errorf("Sign = %v, want a RemoteStatusError %d", err, tt.status)
			}
			if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(tt.mention)) {
				t.Errorf("Sign = %q, want it to mention %q", err, tt.mention)
			}
			if len(err.Error()) > 600 {
				t.Errorf("Sign error is %d bytes long", len(err.Error()))
			}
			if strings.Contains(err.Error(), testBearer) {
				t.Errorf("Sign error %q quotes the bearer token", err)
			}
		})
	}
}

func TestRemoteSignerRefusesUntrustedTLS(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cert := selfSignedFor(t, key)
	srv := httptest.NewUnstartedServer(&signingService{key: key})
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	defer srv.Close()
	rs, err := NewRemoteSigner(srv.URL, testBearer, cert, RemoteOptions{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("x"))
	var uerr x509.UnknownAuthorityError
	if _, err := rs.Sign(rand.Reader, digest[:], crypto.SHA256); !errors.Is(err, ErrRemote) || !errors.As(err, &uerr) {
		t.Errorf("Sign to a server with an unknown certificate = %v, want an unknown authority error", err)
	}
}

func TestRemoteSignerRefusesBadUse(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cert := selfSignedFor(t, key)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	tests := []struct {
		name, endpoint, token string
		cert                  *x509.Certificate
		want                  error
	}{
		{"http", "http://registry.example/sign", testBearer, cert, ErrRemote},
		{"no host", "https:///sign", testBearer, cert, ErrRemote},
		{"credentials in URL", "https://user:pw@registry.example/sign", testBearer, cert, ErrRemote},
		{"empty token", "https://registry.example/sign", "", cert, ErrRemote},
		{"token with a line break", "https://registry.example/sign", "abc\r\nX-Evil: 1", cert, ErrRemote},
		{"no certificate", "https://registry.example/sign", testBearer, nil, ErrRemote},
		{"P-384 certificate", "https://registry.example/sign", testBearer, selfSignedFor(t, p384), ErrUnsupportedKey},
	}
	for _, tt := range tests {
		if _, err := NewRemoteSigner(tt.endpoint, tt.token, tt.cert, RemoteOptions{}); !errors.Is(err, tt.want) {
			t.Errorf("NewRemoteSigner(%s) = %v, want %v", tt.name, err, tt.want)
		}
	}
	rs, err := NewRemoteSigner("https://registry.example/sign", testBearer, cert, RemoteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Sign(rand.Reader, make([]byte, 48), crypto.SHA384); !errors.Is(err, ErrRemote) {
		t.Errorf("Sign(SHA-384 digest) = %v, want ErrRemote", err)
	}
	if _, err := rs.Sign(rand.Reader, make([]byte, 20), crypto.SHA256); !errors.Is(err, ErrRemote) {
		t.Errorf("Sign(short digest) = %v, want ErrRemote", err)
	}
}
