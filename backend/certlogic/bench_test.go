package certlogic

// Benchmarks on a typical business rule.

import (
	"encoding/json"
	"testing"
	"time"
)

// fourteenDays is a typical acceptance rule: at least 14 days since the last dose.
const fourteenDays = `{
	"not-before": [
		{"plusTime": [{"var": "external.validationClock"}, 0, "day"]},
		{"plusTime": [{"var": "payload.v.0.dt"}, 14, "day"]}
	]
}`

// vaccinationData is the data context of a rule for a vaccination certificate with
// one dose given on dt, validated at clock.
func vaccinationData(dt string, clock time.Time) map[string]any {
	return map[string]any{
		"payload": map[string]any{
			"ver": "1.3.0",
			"nam": map[string]any{"fn": "Musterfrau", "fnt": "MUSTERFRAU", "gn": "Erika", "gnt": "ERIKA"},
			"dob": "1964-08-12",
			"v": []any{map[string]any{
				"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
				"dn": 2.0, "sd": 2.0, "dt": dt, "co": "DE", "is": "Robert Koch-Institut",
				"ci": "URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W",
			}},
		},
		"external": map[string]any{
			"validationClock": clock.Format(time.RFC3339),
			"valueSets":       map[string]any{},
			"countryCode":     "DE",
		},
	}
}

func BenchmarkRule14Days(b *testing.B) {
	data := vaccinationData("2021-05-29", time.Date(2021, 6, 20, 10, 0, 0, 0, time.UTC))
	b.Run("parsed once", func(b *testing.B) {
		e, err := Parse(json.RawMessage(fourteenDays))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if ok, err := e.IsTrue(data); err != nil || !ok {
				b.Fatalf("IsTrue = %v, %v, want true", ok, err)
			}
		}
	})
	b.Run("parsed each time", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if ok, err := IsTrue(json.RawMessage(fourteenDays), data); err != nil || !ok {
				b.Fatalf("IsTrue = %v, %v, want true", ok, err)
			}
		}
	})
}
