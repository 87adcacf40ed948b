// Package dccschema checks payloads against the official EU DCC payload schema
// (DCC.combined-schema.json, read in place from the reference data) with an independent
// JSON Schema validator, github.com/santhosh-tekuri/jsonschema (draft 2020-12). It is
// test support: the kiosk itself validates with dcc.ValidatePayload, and tests use this
// package to confirm that what the kiosk writes passes the official schema too.
//
//	func TestIssuedPayload(t *testing.T) {
//		payload := issueSomething(t)
//		dccschema.Validate(t, payload)
//	}
package dccschema

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"certkiosk/backend/dcc/refdata"
)

// SchemaID is the $id of DCC.combined-schema.json.
const SchemaID = "https://id.uvci.eu/DCC.combined-schema.json"

// Compile loads and compiles the official schema. With assertFormat, the "format"
// keywords (date, date-time) are asserted as RFC 3339; without it they are annotations
// only, the draft 2020-12 default. The test is skipped when the reference data is
// absent, and fails when the schema does not compile.
func Compile(t testing.TB, assertFormat bool) *jsonschema.Schema {
	t.Helper()
	path := refdata.Dir(t, "schema", "DCC.combined-schema.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("dccschema: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("dccschema: %s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if assertFormat {
		c.AssertFormat()
	}
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatalf("dccschema: %v", err)
	}
	sch, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatalf("dccschema: compile %s: %v", path, err)
	}
	return sch
}

// Check validates a JSON payload against a compiled schema and returns the
// validator's error: a *jsonschema.ValidationError for a payload that breaks the
// schema, another error for bytes that are not one JSON value.
func Check(sch *jsonschema.Schema, payload []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("dccschema: not JSON: %w", err)
	}
	return sch.Validate(doc)
}

// Validate fails the test, with the validator's explanation, when payload does not
// pass the official schema with formats asserted (RFC 3339 date and date-time).
func Validate(t testing.TB, payload []byte) {
	t.Helper()
	if err := Check(Compile(t, true), payload); err != nil {
		t.Errorf("payload fails the official DCC schema: %v\npayload: %s", err, payload)
	}
}
