// Package signer provides the keys that sign certificates and the issuer certificate
// that goes with them.
//
// An Issuer pairs a crypto.Signer with its document signing certificate. The key may
// live anywhere a crypto.Signer can reach — a file for the demo issuer, a hardware
// token through PKCS#11 — and NewCOSESigner turns any of them into the signer that
// go-cose expects, choosing the algorithm from the public key.
//
// The demo issuer (LoadDemo) is created on first use in the kiosk's data folder. Its
// certificate says it is a test issuer, and every certificate signed with it is printed
// with a SPECIMEN mark.
package signer
