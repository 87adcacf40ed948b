package signer

// hardware.go: RequireHardware, the start-up check that outside demo mode the
// signing key is not a file.

import "fmt"

// keyStore is implemented by keys whose private half lives outside the process: a
// PKCS#11 token (tokenKey) or a remote signing service (RemoteSigner). It says
// where, for messages.
type keyStore interface {
	keyStore() string
}

// RequireHardware returns nil when iss may sign in the kiosk's mode: in demo mode
// any issuer; otherwise only a key held outside the process (a PKCS#11 token or a
// remote signing service) with a certificate that is not a test certificate. The
// kiosk calls it at start-up and refuses to start on an error, which matches
// ErrFileKey or ErrTestIssuer.
func RequireHardware(iss *Issuer, demo bool) error {
	if demo {
		return nil
	}
	if iss == nil || iss.Key == nil {
		return fmt.Errorf("%w: no signing key is configured", ErrFileKey)
	}
	if _, ok := iss.Key.(keyStore); !ok {
		return fmt.Errorf("%w: the signing key (%T) is held in memory; configure a key in a hardware token (a pkcs11: URI) or a remote signer",
			ErrFileKey, iss.Key)
	}
	if iss.Certificate == nil {
		return fmt.Errorf("%w: the signing key has no certificate", ErrTestIssuer)
	}
	if iss.Test || selfSigned(iss.Certificate) {
		return fmt.Errorf("%w: the issuer certificate is a test certificate; import the certificate the national CA issued for the key",
			ErrTestIssuer)
	}
	return nil
}
