package trust

import (
	"crypto/tls"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClientConfig(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemData, 0o644); err != nil {
		t.Fatal(err)
	}
	get := func(conf *tls.Config) error {
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: conf}}
		resp, err := c.Get(srv.URL)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}

	conf, err := ClientConfig("")
	if err != nil || conf.MinVersion != tls.VersionTLS12 {
		t.Fatalf("ClientConfig(\"\") = %v, %v; want TLS 1.2 at least", conf, err)
	}
	if err := get(conf); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("the system roots alone trusted the test server's certificate: %v", err)
	}
	conf, err = ClientConfig(caFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := get(conf); err != nil {
		t.Errorf("with the CA file, the connection failed: %v", err)
	}

	notPEM := filepath.Join(t.TempDir(), "x.pem")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o644)
	for _, f := range []string{notPEM, filepath.Join(t.TempDir(), "missing.pem")} {
		if _, err := ClientConfig(f); err == nil {
			t.Errorf("ClientConfig(%s) accepted it", filepath.Base(f))
		}
	}
}
