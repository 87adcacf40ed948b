package signer

// issuer.go: the Issuer, a signing key with its document signing certificate.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/veraison/go-cose"

	"certkiosk/backend/dcc"
)

// ErrUnsupportedKey is returned for keys that cannot sign a DCC: the DCC allows ES256
// (P-256) and PS256 (RSA, 2048 bits or more).
var ErrUnsupportedKey = errors.New("signer: unsupported key")

// Issuer is a key that signs certificates, with the document signing certificate that
// verifiers use to check them.
type Issuer struct {
	Key         crypto.Signer
	Certificate *x509.Certificate
	// Test marks an issuer whose certificates are not valid: the demo issuer. Every
	// certificate it signs is printed with a SPECIMEN mark.
	Test bool
}

// KeyID is the COSE key identifier of the issuer: the first 8 bytes of the SHA-256
// of the signing certificate's DER encoding (eHealth Network, DCC technical
// specifications, volume 1, §3.3.1).
func (i *Issuer) KeyID() []byte {
	return dcc.KeyID(i.Certificate.Raw)
}

// CertificatePEM returns the issuer certificate in PEM form.
func (i *Issuer) CertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: i.Certificate.Raw})
}

// COSESigner returns the go-cose signer for the issuer's key.
func (i *Issuer) COSESigner() (cose.Signer, error) {
	return NewCOSESigner(i.Key)
}

// NewCOSESigner wraps any crypto.Signer — a file key, a PKCS#11 token's key, a remote
// signer — as a go-cose Signer: ES256 for a P-256 key, PS256 for an RSA key.
func NewCOSESigner(key crypto.Signer) (cose.Signer, error) {
	alg, err := Algorithm(key.Public())
	if err != nil {
		return nil, err
	}
	s, err := cose.NewSigner(alg, key)
	if err != nil {
		return nil, fmt.Errorf("signer: %w", err)
	}
	return s, nil
}

// Algorithm returns the COSE algorithm the DCC uses for a public key.
func Algorithm(pub crypto.PublicKey) (cose.Algorithm, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return 0, fmt.Errorf("%w: ECDSA key on %s, want P-256", ErrUnsupportedKey, k.Curve.Params().Name)
		}
		return cose.AlgorithmES256, nil
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return 0, fmt.Errorf("%w: RSA key of %d bits, want 2048 or more", ErrUnsupportedKey, k.N.BitLen())
		}
		return cose.AlgorithmPS256, nil
	}
	return 0, fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
}
