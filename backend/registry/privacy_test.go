package registry

import (
	"errors"
	"strings"
	"testing"
)

// TestBundleErrorsHideValues: a malformed date of birth or date of a dose is named by
// its field but not repeated. Such an error from a registry's answer ends up in the
// queue's job and its log (docs/PRIVACY.md).
func TestBundleErrorsHideValues(t *testing.T) {
	tests := []struct{ name, body, secret string }{
		{"birth date", `{"resourceType":"Bundle","type":"collection","entry":[
			{"resource":{"resourceType":"Patient","id":"a","name":[{"family":"Tamm"}],"birthDate":"15.03.1960"}}]}`, "15.03.1960"},
		{"dose date", `{"resourceType":"Bundle","type":"collection","entry":[
			{"resource":{"resourceType":"Patient","id":"a","name":[{"family":"Tamm"}],"birthDate":"1960"}},
			{"resource":{"resourceType":"Immunization","id":"i","status":"completed","vaccineCode":{"coding":[{"code":"CoronaVac"}]},
			 "occurrenceDateTime":"04/05/2021","protocolApplied":[{"doseNumberPositiveInt":1}]}}]}`, "04/05/2021"},
	}
	for _, tt := range tests {
		_, err := ParseBundle([]byte(tt.body))
		if !errors.Is(err, ErrBadBundle) {
			t.Fatalf("ParseBundle(bad %s) = %v, want ErrBadBundle", tt.name, err)
		}
		if strings.Contains(err.Error(), tt.secret) || strings.Contains(err.Error(), "Tamm") {
			t.Errorf("ParseBundle(bad %s) = %q, repeats personal data", tt.name, err)
		}
	}
}
