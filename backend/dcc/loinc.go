package dcc

// loinc.go: the registry's LOINC test codes mapped to the DCC test-type value set.

// The registry (FHIR Observation.code, DESIGN §3a) names a test by its LOINC observation
// code, while the DCC's tt field takes a LOINC part code from value set test-type
// (eHN value sets v1.14 §2.7). The two are not interchangeable: writing 94309-2 into
// tt gives a payload that verifiers cannot display or apply rules to.
const (
	LOINCNAAT         = "94309-2" // SARS-CoV-2 RNA, NAA with probe detection (PCR)
	LOINCRapidAntigen = "94558-4" // SARS-CoV-2 Ag, rapid immunoassay
)

// DCC test-type codes (value set test-type).
const (
	TestTypeNAAT = "LP6464-4"   // Nucleic acid amplification with probe detection
	TestTypeRAT  = "LP217198-3" // Rapid immunoassay
)

// TestTypeForLOINC returns the DCC test-type code for a registry observation code, and
// false for a code with no DCC test type. Antibody tests (94504-8, 94762-2) have none:
// the DCC has no antibody certificate, so they can only back a national certificate.
func TestTypeForLOINC(loinc string) (string, bool) {
	switch loinc {
	case LOINCNAAT:
		return TestTypeNAAT, true
	case LOINCRapidAntigen:
		return TestTypeRAT, true
	}
	return "", false
}
