package dccschema

// Tests of the official-schema helper on the schema repository's test payloads.

import (
	"os"
	"path/filepath"
	"testing"

	"certkiosk/backend/dcc/refdata"
)

func TestSchemaTestsPass(t *testing.T) {
	sch := Compile(t, false)
	for _, dir := range []string{"valid", "invalid"} {
		files, err := filepath.Glob(filepath.Join(refdata.Dir(t, "schema-tests", dir), "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no schema tests in %s: %v", dir, err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			err = Check(sch, data)
			if got, want := err == nil, dir == "valid"; got != want {
				t.Errorf("Check(%s/%s) = %v, want valid %v", dir, filepath.Base(f), err, want)
			}
		}
	}
}

func TestValidateStrictFormats(t *testing.T) {
	payload := []byte(`{"ver":"1.3.0","nam":{"fnt":"TAMM","gnt":"MARI"},"dob":"1970-01-01",
		"t":[{"tg":"840539006","tt":"LP6464-4","sc":"2021-06-11T17:30:00Z","tr":"260415000",
		"co":"EE","is":"Terviseamet","ci":"URN:UVCI:01:EE:KIOSK/ABC#1"}]}`)
	Validate(t, payload)

	lenient := []byte(`{"ver":"1.3.0","nam":{"fnt":"TAMM"},"dob":"1970",
		"r":[{"tg":"840539006","fr":"2021-06-11T00:00:00","co":"EE","is":"X","df":"2021-06-22",
		"du":"2021-12-08","ci":"X"}]}`)
	if err := Check(Compile(t, true), lenient); err == nil {
		t.Errorf("Check(fr with a time) = nil, want a format error")
	}
	if err := Check(Compile(t, false), lenient); err != nil {
		t.Errorf("Check(fr with a time, formats as annotations) = %v, want nil", err)
	}
}
