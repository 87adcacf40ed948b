package registry

// client_test.go: NewClient's settings, TLS trust, and Ping.

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestNewClient(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, base string
		o          Options
		wantErr    string // "" for success
	}{
		{"defaults", "https://registry.example/fhir/", Options{}, ""},
		{"federal", "http://127.0.0.1:8080/federal/fhir", Options{Source: SourceFederal}, ""},
		{"no scheme", "registry.example/fhir", Options{}, `scheme is "", want http or https`},
		{"ftp", "ftp://registry.example/fhir", Options{}, `scheme is "ftp"`},
		{"no host", "https:///fhir", Options{}, "no host"},
		{"query", "https://registry.example/fhir?x=1", Options{}, "query or fragment"},
		{"credentials", "https://u:secret@registry.example/fhir", Options{}, "user information"},
		{"unknown source", "https://registry.example/fhir", Options{Source: "regional"}, `option Source is "regional"`},
		{"negative timeout", "https://registry.example/fhir", Options{Timeout: -time.Second}, "option Timeout is -1s"},
		{"negative size", "https://registry.example/fhir", Options{MaxResponseBytes: -1}, "option MaxResponseBytes"},
		{"missing CA file", "https://registry.example/fhir", Options{CAFile: filepath.Join(dir, "none.pem")}, "CA file"},
		{"CA file without PEM", "https://registry.example/fhir", Options{CAFile: notPEM}, "holds no PEM certificate"},
		{"CA file and HTTP client", "https://registry.example/fhir", Options{CAFile: notPEM, HTTPClient: http.DefaultClient}, "cannot be combined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.base, tt.o)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("NewClient(%q) = %v, want a client", tt.base, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "registry: ")):
				t.Errorf("NewClient(%q) = %v, want an error with %q", tt.base, err, tt.wantErr)
			case tt.wantErr != "" && strings.Contains(err.Error(), "secret"):
				t.Errorf("NewClient(%q) = %v, which shows the password", tt.base, err)
			}
			if c != nil && strings.HasSuffix(c.BaseURL(), "/") {
				t.Errorf("NewClient(%q).BaseURL() = %q, want no trailing slash", tt.base, c.BaseURL())
			}
		})
	}
}

func TestNewClientDefaults(t *testing.T) {
	c, err := NewClient("https://registry.example/fhir", Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := c.opts
	if o.Timeout != 15*time.Second || o.ConnectTimeout != 3*time.Second || o.Retries != 3 ||
		o.BackoffBase != 200*time.Millisecond || o.BackoffCap != 3*time.Second ||
		o.MaxResponseBytes != 4<<20 || o.Source != SourceLocal || o.Sleep == nil {
		t.Errorf("NewClient(Options{}) settings = %+v, want the documented defaults", o)
	}
	// A caller's HTTP client keeps its transport but gets the redirect policy.
	hc := &http.Client{Timeout: time.Minute}
	c, err = NewClient("https://registry.example/fhir", Options{HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	if c.http == hc || c.http.Timeout != time.Minute || c.http.CheckRedirect == nil || hc.CheckRedirect != nil {
		t.Errorf("NewClient(HTTPClient) = %+v, want a copy of the caller's client with the redirect policy", c.http)
	}
}

// tlsRegistry starts the fake registry over TLS with httptest's own certificate, and
// returns it with a PEM file of that certificate.
func tlsRegistry(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(petrov())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "registry-ca.pem")
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, caFile
}

func TestTLS(t *testing.T) {
	srv, caFile := tlsRegistry(t)

	t.Run("untrusted", func(t *testing.T) {
		c, waits := newTestClient(t, srv.URL+"/fhir", Options{})
		_, err := c.Find(context.Background(), Identifier{SystemSNILS, "11223344595"})
		if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("Find(untrusted server) = %v, want ErrUnreachable mentioning the certificate", err)
		}
		t.Logf("Find(untrusted server) = %v", err)
		if w := waits.recorded(); len(w) != 0 {
			t.Errorf("Find(untrusted server) waited %v, want no retry", w)
		}
	})

	t.Run("trusted through CAFile", func(t *testing.T) {
		c, _ := newTestClient(t, srv.URL+"/fhir", Options{CAFile: caFile})
		if err := c.Ping(context.Background()); err != nil {
			t.Fatalf("Ping() = %v, want nil", err)
		}
		rec, err := c.Find(context.Background(), Identifier{SystemSNILS, "112-233-445 95"})
		if err != nil || rec.Patient.FamilyName != "Петров" || len(rec.Immunizations) != 3 {
			t.Errorf("Find(trusted server) = %+v, %v, want Петров with 3 doses", rec, err)
		}
	})

	t.Run("wrong name", func(t *testing.T) {
		// httptest's certificate names 127.0.0.1 and example.com, not localhost.
		base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/fhir"
		c, _ := newTestClient(t, base, Options{CAFile: caFile})
		err := c.Ping(context.Background())
		if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("Ping(%s) = %v, want ErrUnreachable mentioning the certificate", base, err)
		}
		t.Logf("Ping(%s) = %v", base, err)
	})

	t.Run("TLS 1.1 refused", func(t *testing.T) {
		old := httptest.NewUnstartedServer(petrov())
		old.Config.ErrorLog = log.New(io.Discard, "", 0)
		old.TLS = &tls.Config{MaxVersion: tls.VersionTLS11}
		old.StartTLS()
		defer old.Close()
		c, _ := newTestClient(t, old.URL+"/fhir", Options{Retries: -1, CAFile: caFile})
		err := c.Ping(context.Background())
		if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "protocol version") {
			t.Errorf("Ping(TLS 1.1 server) = %v, want ErrUnreachable naming the protocol version", err)
		}
		t.Logf("Ping(TLS 1.1 server) = %v", err)
	})
}

func TestPing(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		problem string // "" when Ping must succeed
	}{
		{"R4", 200, capability, ""},
		{"R4 patch", 200, `{"resourceType":"CapabilityStatement","fhirVersion":"4.0.0"}`, ""},
		{"STU3", 200, `{"resourceType":"CapabilityStatement","fhirVersion":"3.0.2"}`, `fhirVersion is "3.0.2", want 4.0.x`},
		{"R5", 200, `{"resourceType":"CapabilityStatement","fhirVersion":"5.0.0"}`, `fhirVersion is "5.0.0"`},
		{"not a capability statement", 200, `{"resourceType":"Conformance","fhirVersion":"1.0.2"}`, `resourceType is "Conformance"`},
		{"not JSON", 200, `fhirVersion=4.0.1`, "not FHIR JSON"},
		{"404", 404, outcome("no metadata here"), "HTTP 404 Not Found: no metadata here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/fhir/metadata" {
					t.Errorf("Ping() asked for %s, want /fhir/metadata", r.URL.Path)
				}
				serveFHIR(w, tt.status, tt.body)
			}))
			defer srv.Close()
			c, _ := newTestClient(t, srv.URL+"/fhir", Options{})
			err := c.Ping(context.Background())
			if tt.problem == "" {
				if err != nil {
					t.Errorf("Ping() = %v, want nil", err)
				}
				return
			}
			var bad *BadResponseError
			if !errors.As(err, &bad) || !strings.Contains(bad.Problem, tt.problem) {
				t.Errorf("Ping() = %v, want a bad response with %q", err, tt.problem)
			}
		})
	}
}
