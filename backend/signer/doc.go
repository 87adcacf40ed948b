// Package signer provides the keys that sign certificates and the issuer certificate
// that goes with them.
//
// An Issuer pairs a crypto.Signer with its document signing certificate. The key may
// live anywhere a crypto.Signer can reach, and NewCOSESigner turns any of them into
// the signer that go-cose expects, choosing the algorithm from the public key. There
// are three key sources:
//
//   - A hardware token, through PKCS#11 (token.go). OpenToken opens the key that a
//     PKCS#11 URI (RFC 7512, pkcs11uri.go) names, such as
//     pkcs11:token=kiosk;object=dcc-signer;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/etc/certkiosk/pin,
//     with the certificate stored next to it. The private key is generated in the
//     token (GenerateInToken, which returns a certificate signing request for the
//     national CA; GenerateSelfSignedInToken for tests) and never leaves it; the
//     CA's certificate goes in with ImportCertificate.
//   - A remote signing service (remote.go): RemoteSigner sends the SHA-256 hash of
//     the COSE Sig_structure to the registry's issuance service over HTTPS and
//     checks the signature it gets back.
//   - The demo issuer (demo.go), a file key created on first use in the kiosk's data
//     folder. Its certificate says it is a test issuer, and every certificate signed
//     with it is printed with a SPECIMEN mark.
//
// Outside demo mode the kiosk refuses to start with a file key or a test
// certificate: RequireHardware (hardware.go) is that check.
//
// The package softhsmtest gives tests a SoftHSM2 token to run the PKCS#11 source
// against.
package signer
