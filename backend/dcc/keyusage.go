package dcc

// keyusage.go: the extended key usages that restrict a document signing certificate
// to some certificate types (eHealth Network, DCC technical specifications volume 1,
// §5.1.1: a DSC without them may sign every type).

import (
	"crypto/x509"
	"fmt"
	"strings"
)

// keyUsageKinds maps each DCC extended key usage OID to the certificate type it
// allows. Both arcs are in use: 1.3.6.1.4.1.1847.2021.1.x as specified, and
// 1.3.6.1.4.1.0.1847.2021.1.x as several member states issued them.
func keyUsageKinds() map[string]Kind {
	return map[string]Kind{
		"1.3.6.1.4.1.1847.2021.1.1":   KindTest,
		"1.3.6.1.4.1.1847.2021.1.2":   KindVaccination,
		"1.3.6.1.4.1.1847.2021.1.3":   KindRecovery,
		"1.3.6.1.4.1.0.1847.2021.1.1": KindTest,
		"1.3.6.1.4.1.0.1847.2021.1.2": KindVaccination,
		"1.3.6.1.4.1.0.1847.2021.1.3": KindRecovery,
	}
}

// checkKeyUsage returns an error when cert carries DCC key usages and none of them
// allows kind.
func checkKeyUsage(cert *x509.Certificate, kind Kind) error {
	if cert == nil || kind == "" {
		return nil
	}
	usages := keyUsageKinds()
	var allowed []string
	for _, oid := range cert.UnknownExtKeyUsage {
		k, ok := usages[oid.String()]
		if !ok {
			continue
		}
		if k == kind {
			return nil
		}
		allowed = append(allowed, string(k))
	}
	if len(allowed) == 0 {
		return nil // no DCC key usage: the certificate may sign every type
	}
	return fmt.Errorf("%w: the signing certificate allows %s certificates, not %s",
		ErrKeyUsage, strings.Join(allowed, " and "), kind)
}
