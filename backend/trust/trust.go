// Package trust says which servers the kiosk trusts when it connects out over TLS:
// the system's roots, and the certificates of a CA file the configuration names (a
// registry or printer behind a private CA).
package trust

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// ClientConfig returns the TLS configuration for outgoing connections: TLS 1.2 at
// least, and the certificates in caFile (PEM) trusted besides the system's roots. An
// empty caFile trusts the system's roots alone.
func ClientConfig(caFile string) (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return conf, nil
	}
	pemData, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("trust: CA file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pemData) {
		return nil, fmt.Errorf("trust: CA file %s holds no PEM certificate", caFile)
	}
	conf.RootCAs = pool
	return conf, nil
}
