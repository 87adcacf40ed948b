package signer

// token.go: the PKCS#11 key source — a signing key that lives in a hardware token,
// reached through crypto11, and its certificate stored next to it.

import (
	"bytes"
	"crypto"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ThalesGroup/crypto11"
	"github.com/miekg/pkcs11"
)

// TestSubjectSuffix ends the common name of a self-signed token certificate that
// does not already say it is a test.
const TestSubjectSuffix = " - TEST ISSUER, NOT VALID"

// newKeyIDSize is the length of the random CKA_ID given to a new key when the URI
// names none.
const newKeyIDSize = 16

// OpenToken opens the key a PKCS#11 URI names, such as
//
//	pkcs11:token=kiosk;object=dcc-signer;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/etc/certkiosk/pin
//
// and returns it as an Issuer: Key signs inside the token, whose private key never
// leaves it; Certificate is the X.509 certificate stored in the token with the key's
// CKA_ID (or, failing that, its label). The token is chosen by token (label) or
// serial, and checked against manufacturer and model when given; the key by object
// (CKA_LABEL) and/or id (CKA_ID); type, when given, must be private. A key that the
// token would let out (CKA_SENSITIVE false or CKA_EXTRACTABLE true) is refused.
//
// The issuer is a test issuer (Test) when its certificate is self-signed: a national
// CA issues the real ones. Close the returned Closer when done with the key; signing
// fails afterwards.
func OpenToken(uri string) (*Issuer, io.Closer, error) {
	u, err := ParsePKCS11URI(uri)
	if err != nil {
		return nil, nil, err
	}
	if err := u.checkKeyRef(); err != nil {
		return nil, nil, err
	}
	s, err := openSession(u)
	if err != nil {
		return nil, nil, err
	}
	iss, err := s.issuer()
	if err != nil {
		s.ctx.Close()
		return nil, nil, err
	}
	return iss, s.ctx, nil
}

// GenerateInToken creates a P-256 key pair in the token the URI names, under the
// URI's object (required) and id (random when the URI has none), and returns a
// PKCS#10 certificate signing request for it in PEM, with subject as the common
// name, for the national CA. Install the certificate it issues with
// ImportCertificate. It refuses to overwrite: a key or certificate with that label
// or id must not exist yet.
func GenerateInToken(uri, subject string) ([]byte, error) {
	s, key, err := generate(uri, subject)
	if err != nil {
		return nil, err
	}
	defer s.ctx.Close()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: subject},
	}, key)
	if err != nil {
		return nil, s.discard(key, fmt.Errorf("signer: %s: certificate signing request: %w", s.name, err))
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), nil
}

// GenerateSelfSignedInToken creates a P-256 key pair in the token as GenerateInToken
// does, and at once a self-signed test certificate for it, which it stores next to
// the key and returns in PEM. The certificate's common name is subject, followed by
// TestSubjectSuffix unless it already says TEST; it is valid from an hour before now
// for ten years. Certificates signed with it are not valid: it is for demos and
// tests.
func GenerateSelfSignedInToken(uri, subject string, now time.Time) ([]byte, error) {
	s, key, err := generate(uri, subject)
	if err != nil {
		return nil, err
	}
	defer s.ctx.Close()
	cn := subject
	if !strings.Contains(strings.ToUpper(cn), "TEST") {
		cn += TestSubjectSuffix
	}
	tmpl, err := testIssuerTemplate(cn, now)
	if err != nil {
		return nil, s.discard(key, err)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, s.discard(key, fmt.Errorf("signer: %s: self-signed certificate: %w", s.name, err))
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, s.discard(key, fmt.Errorf("signer: self-signed certificate: %w", err))
	}
	if err := s.storeCertificate(key, cert); err != nil {
		return nil, s.discard(key, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// ImportCertificate stores the certificate in certPEM (the first CERTIFICATE block)
// in the token, next to the key the URI names: with the key's CKA_ID and label. The
// certificate must be for that key. A certificate the key had before is replaced;
// importing the same certificate again changes nothing.
func ImportCertificate(uri string, certPEM []byte) error {
	cert, err := ParseCertificatePEM(certPEM)
	if err != nil {
		return err
	}
	if _, err := Algorithm(cert.PublicKey); err != nil {
		return err
	}
	u, err := ParsePKCS11URI(uri)
	if err != nil {
		return err
	}
	if err := u.checkKeyRef(); err != nil {
		return err
	}
	s, err := openSession(u)
	if err != nil {
		return err
	}
	defer s.ctx.Close()
	key, err := s.findKey()
	if err != nil {
		return err
	}
	if !samePublicKey(key.Public(), cert.PublicKey) {
		return fmt.Errorf("%w: the certificate %q is not for the key %s in %s",
			ErrCertificateMismatch, cert.Subject.CommonName, u.objectRef(), s.name)
	}
	return s.storeCertificate(key, cert)
}

// tokenKey is a private key in a token: a crypto.Signer whose Sign runs inside it.
type tokenKey struct {
	signer crypto11.Signer
	ctx    *crypto11.Context
	token  string // names the token and object in errors
}

var _ crypto.Signer = (*tokenKey)(nil)

// Public returns the key's public half, read from the token when it was opened.
func (k *tokenKey) Public() crypto.PublicKey { return k.signer.Public() }

// Sign signs digest inside the token; rand is not used (the token has its own).
func (k *tokenKey) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	sig, err := k.signer.Sign(rand, digest, opts)
	if err != nil {
		return nil, fmt.Errorf("signer: %s: sign: %w", k.token, err)
	}
	return sig, nil
}

// keyStore says where the key lives (see RequireHardware).
func (k *tokenKey) keyStore() string { return k.token }

// session is an open, logged-in connection to the token a URI names.
type session struct {
	ctx  *crypto11.Context
	uri  *PKCS11URI
	name string // names the token in messages: `token "kiosk"`
}

// checkKeyRef checks that the URI names a private key.
func (u *PKCS11URI) checkKeyRef() error {
	if u.Type != "" && u.Type != "private" {
		return uriErrorf("type", "%q names no private key; use type=private or leave type out", u.Type)
	}
	if u.Object == "" && len(u.ID) == 0 {
		return uriErrorf("object", "missing: name the key with object (its label) or id")
	}
	return nil
}

// openSession loads the module, finds the token and logs in.
func openSession(u *PKCS11URI) (*session, error) {
	if u.Token == "" && u.Serial == "" {
		return nil, uriErrorf("token", "missing: name the token with token (its label) or serial")
	}
	module, err := u.modulePath(defaultModuleSearch())
	if err != nil {
		return nil, err
	}
	pin, err := u.pin()
	if err != nil {
		return nil, err
	}
	name := tokenName(u)
	cfg := &crypto11.Config{Path: module, Pin: pin}
	if u.Serial != "" {
		cfg.TokenSerial = u.Serial
	} else {
		cfg.TokenLabel = u.Token
	}
	ctx, err := crypto11.Configure(cfg)
	if err != nil {
		return nil, openError(err, u, name, module)
	}
	if err := checkToken(module, u, name); err != nil {
		ctx.Close()
		return nil, err
	}
	return &session{ctx: ctx, uri: u, name: name}, nil
}

// tokenName names the token a URI selects, for messages.
func tokenName(u *PKCS11URI) string {
	if u.Token != "" {
		return fmt.Sprintf("token %q", u.Token)
	}
	return fmt.Sprintf("token with serial %q", u.Serial)
}

// openError turns a failure of crypto11.Configure into one of this package's errors.
func openError(err error, u *PKCS11URI, name, module string) error {
	var rv pkcs11.Error
	if errors.As(err, &rv) {
		switch rv {
		case pkcs11.CKR_PIN_INCORRECT, pkcs11.CKR_PIN_INVALID, pkcs11.CKR_PIN_LEN_RANGE:
			return fmt.Errorf("%w: %s refused the PIN given by %s", ErrWrongPIN, name, pinOrigin(u))
		case pkcs11.CKR_PIN_LOCKED:
			return fmt.Errorf("%w: the PIN of %s is locked; unlock it with the SO PIN", ErrWrongPIN, name)
		case pkcs11.CKR_PIN_EXPIRED:
			return fmt.Errorf("%w: the PIN of %s has expired; set a new one", ErrWrongPIN, name)
		}
		return fmt.Errorf("signer: %s: %w", name, err)
	}
	// crypto11 reports a missing token with an unexported error; its text is all
	// there is to recognise it by.
	if strings.Contains(err.Error(), "could not find PKCS#11 token") {
		return fmt.Errorf("%w: module %s has no %s", ErrTokenNotFound, module, tokenSelector(u))
	}
	if strings.Contains(err.Error(), "failed to create module context") {
		return fmt.Errorf("%w: %s cannot be loaded: %w", ErrModule, module, err)
	}
	return fmt.Errorf("signer: %s: %w", name, err)
}

// pinOrigin says where the PIN came from, never what it is.
func pinOrigin(u *PKCS11URI) string {
	if u.PINSource != "" {
		return "pin-source " + u.PINSource
	}
	return "pin-value"
}

// tokenSelector describes the token attributes of a URI: `token "kiosk" (serial "…")`.
func tokenSelector(u *PKCS11URI) string {
	var parts []string
	for _, a := range []struct{ name, value string }{
		{"token", u.Token}, {"serial", u.Serial}, {"manufacturer", u.Manufacturer}, {"model", u.Model},
	} {
		if a.value != "" {
			parts = append(parts, fmt.Sprintf("%s=%q", a.name, a.value))
		}
	}
	return "token with " + strings.Join(parts, ", ")
}

// checkToken checks the token crypto11 chose against the attributes it does not
// match on itself (manufacturer, model, and the label when chosen by serial), and
// that the choice was not ambiguous. crypto11 takes the first slot whose token has
// the serial (or label) asked for; this does the same on a second handle to the
// module, which crypto11 has already initialised.
func checkToken(module string, u *PKCS11URI, name string) error {
	p := pkcs11.New(module)
	if p == nil {
		return fmt.Errorf("%w: %s cannot be loaded", ErrModule, module)
	}
	// Destroy only unloads this handle: the module stays initialised for crypto11.
	defer p.Destroy()
	slots, err := p.GetSlotList(true)
	if err != nil {
		return fmt.Errorf("signer: %s: listing slots: %w", name, err)
	}
	var chosen *pkcs11.TokenInfo
	matches := 0
	for _, slot := range slots {
		info, err := p.GetTokenInfo(slot)
		if err != nil {
			return fmt.Errorf("signer: %s: reading token information: %w", name, err)
		}
		selected := info.Label == u.Token
		if u.Serial != "" {
			selected = info.SerialNumber == u.Serial
		}
		if !selected {
			continue
		}
		matches++
		if chosen == nil {
			chosen = &info
		}
	}
	switch {
	case chosen == nil:
		return fmt.Errorf("%w: module %s has no %s", ErrTokenNotFound, module, tokenSelector(u))
	case matches > 1 && u.Serial == "":
		return fmt.Errorf("%w: %d tokens are labelled %q; add serial to the URI to choose one", ErrTokenNotFound, matches, u.Token)
	case matches > 1:
		return fmt.Errorf("%w: %d tokens have serial %q", ErrTokenNotFound, matches, u.Serial)
	}
	for _, a := range []struct{ attr, want, got string }{
		{"token", u.Token, chosen.Label},
		{"manufacturer", u.Manufacturer, chosen.ManufacturerID},
		{"model", u.Model, chosen.Model},
	} {
		if a.want != "" && a.want != a.got {
			return fmt.Errorf("%w: %s has %s %q, not %q as the URI says", ErrTokenNotFound, name, a.attr, a.got, a.want)
		}
	}
	return nil
}

// findKey returns the one private key that the URI's object and id select.
func (s *session) findKey() (crypto11.Signer, error) {
	keys, err := s.ctx.FindKeyPairs(s.uri.ID, []byte(s.uri.Object))
	if err != nil {
		return nil, fmt.Errorf("signer: %s: looking up the key %s: %w", s.name, s.uri.objectRef(), err)
	}
	switch len(keys) {
	case 0:
		return nil, fmt.Errorf("%w: %s holds no private key %s", ErrKeyNotFound, s.name, s.uri.objectRef())
	case 1:
		return keys[0], nil
	}
	return nil, fmt.Errorf("%w: %s holds %d private keys %s; add id to the URI to choose one",
		ErrKeyNotFound, s.name, len(keys), s.uri.objectRef())
}

// issuer opens the key and its certificate as an Issuer.
func (s *session) issuer() (*Issuer, error) {
	key, err := s.findKey()
	if err != nil {
		return nil, err
	}
	if err := s.checkNotExtractable(key); err != nil {
		return nil, err
	}
	if _, err := Algorithm(key.Public()); err != nil {
		return nil, fmt.Errorf("signer: %s: key %s: %w", s.name, s.uri.objectRef(), err)
	}
	cert, err := s.certificateOf(key)
	if err != nil {
		return nil, err
	}
	if cert == nil {
		return nil, fmt.Errorf("%w: %s holds the key %s but no certificate for it; import the certificate the CA issued",
			ErrCertificateNotFound, s.name, s.uri.objectRef())
	}
	if !samePublicKey(key.Public(), cert.PublicKey) {
		return nil, fmt.Errorf("%w: the certificate stored with the key %s in %s is for another key",
			ErrCertificateMismatch, s.uri.objectRef(), s.name)
	}
	return &Issuer{
		Key:         &tokenKey{signer: key, ctx: s.ctx, token: s.name + " key " + s.uri.objectRef()},
		Certificate: cert,
		Test:        selfSigned(cert),
	}, nil
}

// checkNotExtractable refuses a private key that the token would reveal or export.
func (s *session) checkNotExtractable(key crypto11.Signer) error {
	attrs, err := s.ctx.GetAttributes(key, []crypto11.AttributeType{crypto11.CkaSensitive, crypto11.CkaExtractable})
	if err != nil {
		return fmt.Errorf("signer: %s: reading the attributes of the key %s: %w", s.name, s.uri.objectRef(), err)
	}
	if !attrTrue(attrs[crypto11.CkaSensitive]) {
		return fmt.Errorf("%w: the key %s in %s is not sensitive (CKA_SENSITIVE false)", ErrExtractable, s.uri.objectRef(), s.name)
	}
	if attrTrue(attrs[crypto11.CkaExtractable]) {
		return fmt.Errorf("%w: the key %s in %s is extractable (CKA_EXTRACTABLE true)", ErrExtractable, s.uri.objectRef(), s.name)
	}
	return nil
}

// attrTrue reads a CK_BBOOL attribute.
func attrTrue(a *crypto11.Attribute) bool {
	return a != nil && len(a.Value) == 1 && a.Value[0] != 0
}

// keyLabels returns the key's CKA_ID and CKA_LABEL.
func (s *session) keyLabels(key crypto11.Signer) (id, label []byte, err error) {
	attrs, err := s.ctx.GetAttributes(key, []crypto11.AttributeType{crypto11.CkaId, crypto11.CkaLabel})
	if err != nil {
		return nil, nil, fmt.Errorf("signer: %s: reading the key's id and label: %w", s.name, err)
	}
	if a := attrs[crypto11.CkaId]; a != nil && len(a.Value) > 0 {
		id = a.Value
	}
	if a := attrs[crypto11.CkaLabel]; a != nil && len(a.Value) > 0 {
		label = a.Value
	}
	return id, label, nil
}

// certificateOf returns the certificate stored with the key: the one with the key's
// CKA_ID, or else the one with its label; nil when there is none.
func (s *session) certificateOf(key crypto11.Signer) (*x509.Certificate, error) {
	id, label, err := s.keyLabels(key)
	if err != nil {
		return nil, err
	}
	for _, q := range []struct{ id, label []byte }{{id, nil}, {nil, label}} {
		if q.id == nil && q.label == nil {
			continue
		}
		cert, err := s.ctx.FindCertificate(q.id, q.label, nil)
		if err != nil {
			return nil, fmt.Errorf("signer: %s: looking up the certificate of the key %s: %w", s.name, s.uri.objectRef(), err)
		}
		if cert != nil {
			return cert, nil
		}
	}
	return nil, nil
}

// storeCertificate stores cert with the key's CKA_ID and label, replacing the
// certificate stored there before.
func (s *session) storeCertificate(key crypto11.Signer, cert *x509.Certificate) error {
	id, label, err := s.keyLabels(key)
	if err != nil {
		return err
	}
	old, err := s.certificateOf(key)
	if err != nil {
		return err
	}
	if old != nil && bytes.Equal(old.Raw, cert.Raw) {
		return nil
	}
	// The old certificate goes after the new one is in, so that a failure leaves
	// the key with a certificate; first only when both have one serial number,
	// which is what tells them apart.
	oldFirst := old != nil && old.SerialNumber.Cmp(cert.SerialNumber) == 0
	if oldFirst {
		if err := s.ctx.DeleteCertificate(id, label, old.SerialNumber); err != nil {
			return fmt.Errorf("signer: %s: removing the old certificate: %w", s.name, err)
		}
	}
	template := crypto11.NewAttributeSet()
	if id != nil {
		if err := template.Set(crypto11.CkaId, id); err != nil {
			return err
		}
	}
	if label != nil {
		if err := template.Set(crypto11.CkaLabel, label); err != nil {
			return err
		}
	}
	if err := s.ctx.ImportCertificateWithAttributes(template, cert); err != nil {
		return fmt.Errorf("signer: %s: storing the certificate: %w", s.name, err)
	}
	if old != nil && !oldFirst {
		if err := s.ctx.DeleteCertificate(id, label, old.SerialNumber); err != nil {
			return fmt.Errorf("signer: %s: removing the old certificate: %w", s.name, err)
		}
	}
	return nil
}

// generate opens the token and creates a P-256 key pair under the URI's object and
// id; the caller closes s.ctx.
func generate(uri, subject string) (*session, crypto11.Signer, error) {
	if strings.TrimSpace(subject) == "" {
		return nil, nil, errors.New("signer: empty subject for the new key's certificate")
	}
	u, err := ParsePKCS11URI(uri)
	if err != nil {
		return nil, nil, err
	}
	if u.Type != "" && u.Type != "private" {
		return nil, nil, uriErrorf("type", "%q names no private key; use type=private or leave type out", u.Type)
	}
	if u.Object == "" {
		return nil, nil, uriErrorf("object", "missing: give the new key a label with object")
	}
	s, err := openSession(u)
	if err != nil {
		return nil, nil, err
	}
	key, err := s.generateKey()
	if err != nil {
		s.ctx.Close()
		return nil, nil, err
	}
	return s, key, nil
}

// generateKey creates the key pair, after checking that nothing in the token has
// its label or id: two keys under one name would make OpenToken ambiguous.
func (s *session) generateKey() (crypto11.Signer, error) {
	u := s.uri
	label := []byte(u.Object)
	for _, q := range []struct{ id, label []byte }{{nil, label}, {u.ID, nil}} {
		if q.id == nil && q.label == nil {
			continue
		}
		keys, err := s.ctx.FindKeyPairs(q.id, q.label)
		if err != nil {
			return nil, fmt.Errorf("signer: %s: looking for keys %s: %w", s.name, u.objectRef(), err)
		}
		cert, err := s.ctx.FindCertificate(q.id, q.label, nil)
		if err != nil {
			return nil, fmt.Errorf("signer: %s: looking for certificates %s: %w", s.name, u.objectRef(), err)
		}
		if len(keys) > 0 || cert != nil {
			return nil, fmt.Errorf("%w: %s already holds a key or certificate %s; choose another object, or delete it first",
				ErrObjectExists, s.name, u.objectRef())
		}
	}
	id := u.ID
	if len(id) == 0 {
		id = make([]byte, newKeyIDSize)
		if _, err := rand.Read(id); err != nil {
			return nil, fmt.Errorf("signer: key id: %w", err)
		}
	}
	public, err := crypto11.NewAttributeSetWithIDAndLabel(id, label)
	if err != nil {
		return nil, err
	}
	private, err := crypto11.NewAttributeSetWithIDAndLabel(id, label)
	if err != nil {
		return nil, err
	}
	// Said explicitly rather than left to crypto11's defaults: the key is kept in
	// the token, needs the login, and can neither be read nor exported.
	for _, a := range []struct {
		t crypto11.AttributeType
		v bool
	}{
		{crypto11.CkaToken, true},
		{crypto11.CkaPrivate, true},
		{crypto11.CkaSensitive, true},
		{crypto11.CkaExtractable, false},
		{crypto11.CkaSign, true},
	} {
		if err := private.Set(a.t, a.v); err != nil {
			return nil, err
		}
	}
	key, err := s.ctx.GenerateECDSAKeyPairWithAttributes(public, private, elliptic.P256())
	if err != nil {
		return nil, fmt.Errorf("signer: %s: generating a P-256 key: %w", s.name, err)
	}
	return key, nil
}

// discard deletes a key just generated when what it was generated for failed, so
// that the next attempt does not find its label taken; it returns err.
func (s *session) discard(key crypto11.Signer, err error) error {
	if derr := key.Delete(); derr != nil {
		return errors.Join(err, fmt.Errorf("signer: %s: deleting the new key again: %w", s.name, derr))
	}
	return err
}

// samePublicKey reports whether two public keys are equal.
func samePublicKey(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// selfSigned reports whether cert is signed by its own key: a test certificate,
// since a document signing certificate is issued by a national CA.
func selfSigned(cert *x509.Certificate) bool {
	return bytes.Equal(cert.RawIssuer, cert.RawSubject) &&
		cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature) == nil
}
