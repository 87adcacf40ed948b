package signer

// remote.go: remote signing — a crypto.Signer whose private key is held by the
// registry's issuance service, which signs the hash of the COSE Sig_structure.

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/veraison/go-cose"

	"certkiosk/backend/dcc"
)

const (
	// defaultRemoteTimeout bounds one signing request when RemoteOptions has none.
	defaultRemoteTimeout = 10 * time.Second
	// maxRemoteResponse caps the service's answer: a signature in JSON is a few
	// hundred bytes, an RSA-4096 one under a kilobyte.
	maxRemoteResponse = 16 << 10
	// maxErrorBody is how much of an error answer is quoted in the error.
	maxErrorBody = 200
)

// RemoteOptions tune a RemoteSigner.
type RemoteOptions struct {
	// RootCAs verifies the service's TLS certificate; nil means the system's roots.
	RootCAs *x509.CertPool
	// Timeout bounds one signing request, from connecting to the last byte of the
	// answer; zero means 10 seconds.
	Timeout time.Duration
}

// RemoteSigner is a crypto.Signer whose private key is held by a signing service —
// the registry's issuance service — which signs the SHA-256 hash of the COSE
// Sig_structure that the kiosk computes, as the EU reference issuance service does.
//
// The exchange, over HTTPS only:
//
//	POST <endpoint>
//	Authorization: Bearer <token>
//	Content-Type: application/json
//
//	{"alg": "ES256", "kid": "<base64>", "hash": "<base64 of the 32-byte SHA-256 digest>"}
//
// answered with 200 and
//
//	Content-Type: application/json
//
//	{"signature": "<base64>"}
//
// alg is ES256 or PS256, after the certificate's key; kid is the DCC key identifier
// of the certificate (dcc.KeyID), so that the service can check it signs with the
// key the kiosk expects. Base64 is RFC 4648 §4 (standard alphabet, padded); the
// URL-safe alphabet and missing padding are accepted in the answer.
//
// The signature is returned in the form COSE carries it (RFC 9053 §2.1, §2.2): for
// ES256 the 64 bytes r||s, each a 32-byte big-endian integer; for PS256 the
// RSASSA-PSS signature (SHA-256, MGF1 with SHA-256, 32-byte salt). A service that
// signs COSE then returns what it has with no conversion, and the length says
// plainly what went wrong when it does not. Sign converts r||s to the ASN.1 DER
// that crypto.Signer returns for ECDSA keys, and checks every signature against the
// certificate's key before returning it, so that a wrong key or a corrupted answer
// never reaches a printed certificate.
//
// Redirects are not followed, answers are capped at 16 KiB, and each request is
// bounded by RemoteOptions.Timeout. Errors match ErrRemote; an answer other than
// 200 is a *RemoteStatusError. The token never appears in an error.
type RemoteSigner struct {
	endpoint string
	token    string
	pub      crypto.PublicKey
	alg      cose.Algorithm
	kid      []byte
	timeout  time.Duration
	client   *http.Client
}

var _ crypto.Signer = (*RemoteSigner)(nil)

// RemoteStatusError is an answer of the signing service other than 200 OK.
type RemoteStatusError struct {
	Endpoint   string
	StatusCode int
	// Body is the start of the answer, on one line, for the operator.
	Body string
}

func (e *RemoteStatusError) Error() string {
	msg := fmt.Sprintf("signer: remote signing: %s answered %d %s", e.Endpoint, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Unwrap makes a RemoteStatusError match ErrRemote.
func (e *RemoteStatusError) Unwrap() error { return ErrRemote }

// NewRemoteSigner returns a signer that asks the service at endpoint (an https URL)
// to sign, authenticated by the bearer token, with the key of cert, the document
// signing certificate the service's key belongs to.
func NewRemoteSigner(endpoint, token string, cert *x509.Certificate, opts RemoteOptions) (*RemoteSigner, error) {
	u, err := url.Parse(endpoint)
	switch {
	case err != nil:
		// The URL is not quoted back: it may hold credentials.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w: endpoint is not a URL: %w", ErrRemote, err)
	case u.Scheme != "https":
		return nil, fmt.Errorf("%w: endpoint %s: only https is allowed", ErrRemote, u.Redacted())
	case u.Host == "":
		return nil, fmt.Errorf("%w: endpoint %s has no host", ErrRemote, u.Redacted())
	case u.User != nil:
		return nil, fmt.Errorf("%w: endpoint %s carries credentials; give them as the token", ErrRemote, u.Redacted())
	case u.Fragment != "":
		return nil, fmt.Errorf("%w: endpoint %s has a fragment", ErrRemote, u.Redacted())
	}
	if err := checkToken68(token); err != nil {
		return nil, err
	}
	if cert == nil {
		return nil, fmt.Errorf("%w: no certificate for the remote key", ErrRemote)
	}
	alg, err := Algorithm(cert.PublicKey)
	if err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = defaultRemoteTimeout
	}
	transport := &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		TLSClientConfig:        &tls.Config{RootCAs: opts.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    timeout,
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      true,
	}
	return &RemoteSigner{
		endpoint: u.String(),
		token:    token,
		pub:      cert.PublicKey,
		alg:      alg,
		kid:      dcc.KeyID(cert.Raw),
		timeout:  timeout,
		client: &http.Client{
			Transport: transport,
			Timeout:   timeout,
			// A redirect could carry the request, and its hash, elsewhere.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}, nil
}

// checkToken68 checks a bearer token against RFC 6750 §2.1 (b64token), which also
// keeps line breaks out of the header.
func checkToken68(token string) error {
	if token == "" {
		return fmt.Errorf("%w: empty bearer token", ErrRemote)
	}
	for i := 0; i < len(token); i++ {
		c := token[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("-._~+/=", c) >= 0
		if !ok {
			return fmt.Errorf("%w: the bearer token holds a character outside RFC 6750's b64token", ErrRemote)
		}
	}
	return nil
}

// Public returns the public key of the certificate given to NewRemoteSigner.
func (r *RemoteSigner) Public() crypto.PublicKey { return r.pub }

// keyStore says where the key lives (see RequireHardware).
func (r *RemoteSigner) keyStore() string { return "remote signer " + r.endpoint }

// Sign has the service sign a SHA-256 digest; rand is not used. opts may be nil
// for an ECDSA key (go-cose passes none); for an RSA key it must be
// *rsa.PSSOptions with the salt as long as the hash, as PS256 has it.
// The request is bounded by the signer's timeout.
func (r *RemoteSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return r.SignContext(context.Background(), digest, opts)
}

// SignContext is Sign bounded by ctx as well as by the signer's timeout.
func (r *RemoteSigner) SignContext(ctx context.Context, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	// go-cose passes no options for ECDSA: the digest's length says the hash.
	if (opts != nil && opts.HashFunc() != crypto.SHA256) || len(digest) != sha256.Size {
		return nil, fmt.Errorf("%w: only SHA-256 digests are signed remotely", ErrRemote)
	}
	if r.alg == cose.AlgorithmPS256 {
		pss, ok := opts.(*rsa.PSSOptions)
		if !ok || (pss.SaltLength != rsa.PSSSaltLengthEqualsHash && pss.SaltLength != sha256.Size) {
			return nil, fmt.Errorf("%w: PS256 needs RSASSA-PSS with a %d-byte salt", ErrRemote, sha256.Size)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	body, err := json.Marshal(remoteRequest{
		Alg:  r.alg.String(),
		KID:  base64.StdEncoding.EncodeToString(r.kid),
		Hash: base64.StdEncoding.EncodeToString(digest),
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRemote, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRemote, err)
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
			return nil, fmt.Errorf("%w: no answer from %s within %v: %w", ErrRemote, r.endpoint, r.timeout, err)
		}
		return nil, fmt.Errorf("%w: %w", ErrRemote, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxRemoteResponse+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the answer of %s: %w", ErrRemote, r.endpoint, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &RemoteStatusError{Endpoint: r.endpoint, StatusCode: resp.StatusCode, Body: errorBody(resp, data)}
	}
	if len(data) > maxRemoteResponse {
		return nil, fmt.Errorf("%w: the answer of %s is larger than %d bytes", ErrRemote, r.endpoint, maxRemoteResponse)
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return nil, fmt.Errorf("%w: %s answered %q, not application/json", ErrRemote, r.endpoint, resp.Header.Get("Content-Type"))
	}
	var answer remoteAnswer
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&answer); err != nil {
		return nil, fmt.Errorf("%w: the answer of %s is not the expected JSON: %w", ErrRemote, r.endpoint, err)
	}
	raw, err := decodeBase64(answer.Signature)
	if err != nil || len(raw) == 0 {
		return nil, fmt.Errorf("%w: the answer of %s holds no base64 signature", ErrRemote, r.endpoint)
	}
	return r.checkSignature(digest, raw, opts)
}

// checkSignature converts the service's signature to what crypto.Signer returns and
// verifies it with the certificate's key.
func (r *RemoteSigner) checkSignature(digest, raw []byte, opts crypto.SignerOpts) ([]byte, error) {
	switch pub := r.pub.(type) {
	case *ecdsa.PublicKey:
		size := (pub.Curve.Params().BitSize + 7) / 8
		if len(raw) != 2*size {
			return nil, fmt.Errorf("%w: %s returned %d bytes, want the %d bytes of r||s", ErrRemote, r.endpoint, len(raw), 2*size)
		}
		der, err := asn1.Marshal(struct{ R, S *big.Int }{
			new(big.Int).SetBytes(raw[:size]), new(big.Int).SetBytes(raw[size:]),
		})
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrRemote, err)
		}
		if !ecdsa.VerifyASN1(pub, digest, der) {
			return nil, fmt.Errorf("%w: the signature from %s does not verify with the certificate's key", ErrRemote, r.endpoint)
		}
		return der, nil
	case *rsa.PublicKey:
		if err := rsa.VerifyPSS(pub, crypto.SHA256, digest, raw, opts.(*rsa.PSSOptions)); err != nil {
			return nil, fmt.Errorf("%w: the signature from %s does not verify with the certificate's key", ErrRemote, r.endpoint)
		}
		return raw, nil
	}
	return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, r.pub)
}

type remoteRequest struct {
	Alg  string `json:"alg"`
	KID  string `json:"kid"`
	Hash string `json:"hash"`
}

type remoteAnswer struct {
	Signature string `json:"signature"`
}

// decodeBase64 reads standard or URL-safe base64, padded or not.
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	s = strings.NewReplacer("-", "+", "_", "/").Replace(s)
	return base64.RawStdEncoding.DecodeString(s)
}

// errorBody returns the start of an error answer on one printable line.
func errorBody(resp *http.Response, data []byte) string {
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if loc := resp.Header.Get("Location"); loc != "" {
			return "redirect to " + oneLineText(loc) + " not followed"
		}
	}
	return oneLineText(string(data))
}

// oneLineText keeps printable characters, folds white space, and cuts at
// maxErrorBody bytes.
func oneLineText(s string) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxErrorBody {
		s = strings.ToValidUTF8(s[:maxErrorBody], "") + "…"
	}
	return s
}
