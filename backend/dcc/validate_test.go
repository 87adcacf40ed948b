package dcc

// Tests of ValidatePayload: the schema tests, rule by rule, and a cross-check with an independent JSON Schema validator.

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"certkiosk/backend/dcc/dccschema"
	"certkiosk/backend/dcc/refdata"
)

// schemaTestFailures names the field each payload of the schema repository's
// test/invalid folder breaks.
var schemaTestFailures = map[string]string{
	"empty.json":           "v",       // "v": [] breaks minItems 1
	"invalid_dob.json":     "dob",     // 1809 is before 1900
	"invalid_dob2.json":    "dob",     // 2100 is after 2099
	"invalid_vac.json":     "v[0].dn", // dose number 0
	"missing_dob.json":     "dob",     // dob is required
	"missing_fnt_gnt.json": "nam",     // neither fnt nor gnt
}

func TestValidatePayloadSchemaTests(t *testing.T) {
	for _, f := range schemaTestFiles(t, "valid") {
		if err := ValidatePayload(readFile(t, f)); err != nil {
			t.Errorf("ValidatePayload(valid/%s) = %v, want nil", filepath.Base(f), err)
		}
	}
	for _, f := range schemaTestFiles(t, "invalid") {
		name := filepath.Base(f)
		err := ValidatePayload(readFile(t, f))
		var se *SchemaError
		if !errors.Is(err, ErrSchema) || !errors.As(err, &se) {
			t.Errorf("ValidatePayload(invalid/%s) = %v, want a *SchemaError matching ErrSchema", name, err)
			continue
		}
		if want, ok := schemaTestFailures[name]; ok && se.Path != want {
			t.Errorf("ValidatePayload(invalid/%s) = %v, want an error at %s", name, err, want)
		}
		t.Logf("invalid/%s: %v", name, err)
	}
}

// validPayload returns a vaccination payload that passes the schema, as a tree that
// a test can change before encoding it.
func validPayload(group string) map[string]any {
	p := map[string]any{
		"ver": "1.3.0",
		"nam": map[string]any{"fn": "Õunapuu", "fnt": "OUNAPUU", "gn": "Jüri", "gnt": "JUERI"},
		"dob": "1964-08-12",
	}
	common := map[string]any{"tg": "840539006", "co": "EE", "is": "Terviseamet", "ci": "URN:UVCI:01:EE:KIOSK/ABC123#Q"}
	var entry map[string]any
	switch group {
	case "v":
		entry = map[string]any{"vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215", "dn": 2, "sd": 2, "dt": "2021-06-11"}
	case "t":
		entry = map[string]any{"tt": "LP6464-4", "nm": "PCR", "sc": "2021-06-11T17:30:00Z", "tr": "260415000", "tc": "Synlab"}
	case "r":
		entry = map[string]any{"fr": "2021-06-01", "df": "2021-06-12", "du": "2021-11-28"}
	}
	for k, v := range common {
		entry[k] = v
	}
	p[group] = []any{entry}
	return p
}

func TestValidatePayloadRules(t *testing.T) {
	entry := func(p map[string]any, g string) map[string]any { return p[g].([]any)[0].(map[string]any) }
	set := func(g, key string, v any) func(map[string]any) {
		return func(p map[string]any) { entry(p, g)[key] = v }
	}
	del := func(g, key string) func(map[string]any) {
		return func(p map[string]any) { delete(entry(p, g), key) }
	}
	setRoot := func(key string, v any) func(map[string]any) { return func(p map[string]any) { p[key] = v } }
	setName := func(key string, v any) func(map[string]any) {
		return func(p map[string]any) { p["nam"].(map[string]any)[key] = v }
	}
	long := func(r string, n int) string { return strings.Repeat(r, n) }
	tests := []struct {
		name   string
		group  string
		change func(map[string]any)
		path   string // "-" when the payload is valid
	}{
		{"vaccination", "v", nil, "-"},
		{"test", "t", nil, "-"},
		{"recovery", "r", nil, "-"},
		{"missing ver", "v", func(p map[string]any) { delete(p, "ver") }, "ver"},
		{"missing nam", "v", func(p map[string]any) { delete(p, "nam") }, "nam"},
		{"missing dob", "t", func(p map[string]any) { delete(p, "dob") }, "dob"},
		{"no group", "v", func(p map[string]any) { delete(p, "v") }, ""},
		{"two groups", "v", func(p map[string]any) { p["r"] = validPayload("r")["r"] }, ""},
		{"extra properties", "v", func(p map[string]any) {
			p["x"] = 1
			p["nam"].(map[string]any)["x"] = true
			entry(p, "v")["x"] = "y"
		}, "-"},

		{"ver 1.3", "v", setRoot("ver", "1.3"), "ver"},
		{"ver number", "v", setRoot("ver", 1.3), "ver"},
		{"ver any separator", "v", setRoot("ver", "1x3y0"), "-"},
		{"ver digits only", "v", setRoot("ver", "12345"), "-"},
		{"ver line break", "v", setRoot("ver", "1\n3\n0"), "ver"},
		{"ver trailing newline", "v", setRoot("ver", "1.3.0\n"), "ver"},

		{"dob empty", "v", setRoot("dob", ""), "-"},
		{"dob year", "v", setRoot("dob", "1900"), "-"},
		{"dob year month", "v", setRoot("dob", "2099-12"), "-"},
		{"dob 1899", "v", setRoot("dob", "1899-12-31"), "dob"},
		{"dob 2100", "v", setRoot("dob", "2100"), "dob"},
		{"dob short month", "v", setRoot("dob", "1964-8-12"), "dob"},
		{"dob month 13 passes the pattern", "v", setRoot("dob", "1964-13"), "-"},
		{"dob null", "v", setRoot("dob", nil), "dob"},

		{"nam not an object", "v", setRoot("nam", "OUNAPUU"), "nam"},
		{"nam without fnt and gnt", "v", setRoot("nam", map[string]any{"fn": "Õunapuu"}), "nam"},
		{"nam gnt only", "v", setRoot("nam", map[string]any{"gnt": "JUERI"}), "-"},
		{"fnt empty", "v", setName("fnt", ""), "-"},
		{"fnt lower case", "v", setName("fnt", "Ounapuu"), "nam.fnt"},
		{"gnt space", "v", setName("gnt", "JUERI MART"), "nam.gnt"},
		{"fnt 80", "v", setName("fnt", long("A", 80)), "-"},
		{"fnt 81", "v", setName("fnt", long("A", 81)), "nam.fnt"},
		{"fn 80 characters, 160 bytes", "v", setName("fn", long("ä", 80)), "-"},
		{"fn 81 characters", "v", setName("fn", long("ä", 81)), "nam.fn"},
		{"gn number", "v", setName("gn", 5), "nam.gn"},

		{"v empty", "v", setRoot("v", []any{}), "v"},
		{"v two entries", "v", func(p map[string]any) { p["v"] = append(p["v"].([]any), entry(p, "v")) }, "v"},
		{"v object", "v", func(p map[string]any) { p["v"] = entry(p, "v") }, "v"},
		{"v entry string", "v", setRoot("v", []any{"x"}), "v[0]"},
		{"missing tg", "v", del("v", "tg"), "v[0].tg"},
		{"missing ci", "v", del("v", "ci"), "v[0].ci"},
		{"mp number", "v", set("v", "mp", 1528), "v[0].mp"},
		{"unknown product code is still a string", "v", set("v", "mp", "Unknown-Vaccine"), "-"},

		{"dn 0", "v", set("v", "dn", 0), "v[0].dn"},
		{"dn -1", "v", set("v", "dn", -1), "v[0].dn"},
		{"dn 10", "v", set("v", "dn", 10), "-"},
		{"dn 1.0", "v", set("v", "dn", json.Number("1.0")), "-"},
		{"dn 1e0", "v", set("v", "dn", json.Number("1e0")), "-"},
		{"dn 150e-2", "v", set("v", "dn", json.Number("150e-2")), "v[0].dn"},
		{"dn 0.5e1", "v", set("v", "dn", json.Number("0.5e1")), "-"},
		{"dn 1.5", "v", set("v", "dn", 1.5), "v[0].dn"},
		{"dn huge exponent", "v", set("v", "dn", json.Number("1e99999999999999999999")), "-"},
		{"dn tiny exponent", "v", set("v", "dn", json.Number("1e-99999999999999999999")), "v[0].dn"},
		{"dn string", "v", set("v", "dn", "1"), "v[0].dn"},
		{"sd 0", "v", set("v", "sd", 0), "v[0].sd"},

		{"dt leap day", "v", set("v", "dt", "2020-02-29"), "-"},
		{"dt no leap day", "v", set("v", "dt", "2021-02-29"), "v[0].dt"},
		{"dt 1900 no leap day", "v", set("v", "dt", "1900-02-29"), "v[0].dt"},
		{"dt day 31 in June", "v", set("v", "dt", "2021-06-31"), "v[0].dt"},
		{"dt with time", "v", set("v", "dt", "2021-06-11T00:00:00"), "v[0].dt"},
		{"dt short", "v", set("v", "dt", "2021-6-11"), "v[0].dt"},

		{"co lower case", "v", set("v", "co", "ee"), "v[0].co"},
		{"co empty", "v", set("v", "co", ""), "v[0].co"},
		{"co UNHCR", "v", set("v", "co", "UNHCR"), "-"},
		{"co unanchored", "v", set("v", "co", "x-EE-1"), "-"},
		{"is 80", "v", set("v", "is", long("x", 80)), "-"},
		{"is 81", "v", set("v", "is", long("x", 81)), "v[0].is"},
		{"ci 81", "v", set("v", "ci", long("X", 81)), "v[0].ci"},

		{"test without optional fields", "t", func(p map[string]any) {
			for _, k := range []string{"nm", "ma", "tc"} {
				delete(entry(p, "t"), k)
			}
		}, "-"},
		{"missing sc", "t", del("t", "sc"), "t[0].sc"},
		{"nm 81", "t", set("t", "nm", long("n", 81)), "t[0].nm"},
		{"tc 81", "t", set("t", "tc", long("n", 81)), "t[0].tc"},
		{"sc offset", "t", set("t", "sc", "2021-06-11T17:30:00+02:00"), "-"},
		{"sc offset without colon", "t", set("t", "sc", "2021-06-11T17:30:00+0200"), "-"},
		{"sc offset hours", "t", set("t", "sc", "2021-06-11T17:30:00-02"), "-"},
		{"sc fraction", "t", set("t", "sc", "2021-06-11T17:30:00.123456Z"), "-"},
		{"sc lower case", "t", set("t", "sc", "2021-06-11t17:30:00z"), "-"},
		{"sc leap second", "t", set("t", "sc", "2016-12-31T23:59:60Z"), "-"},
		{"sc leap second with offset", "t", set("t", "sc", "2017-01-01T01:59:60+02:00"), "-"},
		{"sc leap second midday", "t", set("t", "sc", "2016-12-31T12:59:60Z"), "t[0].sc"},
		{"sc no offset", "t", set("t", "sc", "2021-06-11T17:30:00"), "t[0].sc"},
		{"sc no seconds", "t", set("t", "sc", "2021-06-11T17:30Z"), "t[0].sc"},
		{"sc space", "t", set("t", "sc", "2021-06-11 17:30:00Z"), "t[0].sc"},
		{"sc hour 24", "t", set("t", "sc", "2021-06-11T24:00:00Z"), "t[0].sc"},
		{"sc empty fraction", "t", set("t", "sc", "2021-06-11T17:30:00.Z"), "t[0].sc"},
		{"sc offset 24", "t", set("t", "sc", "2021-06-11T17:30:00+24:00"), "t[0].sc"},
		{"sc date only", "t", set("t", "sc", "2021-06-11"), "t[0].sc"},

		{"missing du", "r", del("r", "du"), "r[0].du"},
		{"fr invalid", "r", set("r", "fr", "2021-13-01"), "r[0].fr"},
		{"df number", "r", set("r", "df", 20210612), "r[0].df"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPayload(tt.group)
			if tt.change != nil {
				tt.change(p)
			}
			raw, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			err = ValidatePayload(raw)
			if tt.path == "-" {
				if err != nil {
					t.Errorf("ValidatePayload(%s) = %v, want nil", raw, err)
				}
				return
			}
			var se *SchemaError
			if !errors.As(err, &se) || !errors.Is(err, ErrSchema) || se.Path != tt.path {
				t.Errorf("ValidatePayload(%s) = %v, want an error at %q", raw, err, tt.path)
			}
		})
	}
}

func TestValidatePayloadNotAPayload(t *testing.T) {
	for _, raw := range []string{``, `[]`, `"v"`, `null`, `{"ver":`, `{} {}`, `{"ver":"1.3.0"} x`} {
		err := ValidatePayload([]byte(raw))
		var se *SchemaError
		if !errors.As(err, &se) || !errors.Is(err, ErrSchema) || se.Path != "" {
			t.Errorf("ValidatePayload(%q) = %v, want a *SchemaError for the whole payload", raw, err)
		}
	}
}

func TestValidatePayloadMessage(t *testing.T) {
	p := validPayload("v")
	p["v"].([]any)[0].(map[string]any)["dn"] = 0
	raw, _ := json.Marshal(p)
	want := "dcc: payload v[0].dn: must be an integer of at least 1"
	if err := ValidatePayload(raw); err == nil || err.Error() != want {
		t.Errorf("ValidatePayload(dn 0) = %v, want %q", err, want)
	}
}

// payloadSample is a payload from the reference data with where it came from.
type payloadSample struct {
	name     string
	raw      []byte
	expected *bool // the vector's EXPECTEDSCHEMAVALIDATION, when it has one
}

// schemaTestFiles lists the schema repository's test payloads in valid or invalid.
func schemaTestFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(refdata.Dir(t, "schema-tests", dir), "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no schema test payloads in schema-tests/%s: %v", dir, err)
	}
	return files
}

// testVectorPayloads returns the JSON field of every test vector under a raw folder
// (dgc-testdata's 2DCode/raw; Ireland spells it Raw).
func testVectorPayloads(t *testing.T) []payloadSample {
	t.Helper()
	root := refdata.Dir(t, "testvectors")
	var out []payloadSample
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" || !strings.EqualFold(filepath.Base(filepath.Dir(path)), "raw") {
			return err
		}
		var v struct {
			JSON     json.RawMessage
			Expected struct {
				Schema *bool `json:"EXPECTEDSCHEMAVALIDATION"`
			} `json:"EXPECTEDRESULTS"`
		}
		if json.Unmarshal(readFile(t, path), &v) != nil || len(v.JSON) == 0 {
			return nil // not a vector, or one without a payload
		}
		rel, _ := filepath.Rel(root, path)
		out = append(out, payloadSample{name: filepath.ToSlash(rel), raw: v.JSON, expected: v.Expected.Schema})
		return nil
	})
	if err != nil || len(out) == 0 {
		t.Fatalf("no test vector payloads under %s: %v", root, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// onlyFormatErrors reports whether every leaf of a validation error is a format
// assertion.
func onlyFormatErrors(err error) bool {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	var walk func(*jsonschema.ValidationError) bool
	walk = func(e *jsonschema.ValidationError) bool {
		if len(e.Causes) == 0 {
			_, ok := e.ErrorKind.(*kind.Format)
			return ok
		}
		for _, c := range e.Causes {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	return walk(ve)
}

// TestValidatePayloadAgreesWithJSONSchema runs ValidatePayload and an independent
// JSON Schema validator over the schema tests and the test vectors' payloads. With
// formats as annotations (the draft 2020-12 default) the two may differ only where
// ValidatePayload rejects a date or date-time; with formats asserted as strict RFC
// 3339 they may differ only where the library rejects a date-time offset written
// ±hh or ±hhmm, which ValidatePayload accepts.
func TestValidatePayloadAgreesWithJSONSchema(t *testing.T) {
	annotating := dccschema.Compile(t, false)
	asserting := dccschema.Compile(t, true)

	var samples []payloadSample
	for _, dir := range []string{"valid", "invalid"} {
		for _, f := range schemaTestFiles(t, dir) {
			samples = append(samples, payloadSample{name: "schema-tests/" + dir + "/" + filepath.Base(f), raw: readFile(t, f)})
		}
	}
	vectors := testVectorPayloads(t)
	samples = append(samples, vectors...)

	var agreeAnnotating, agreeAsserting, goValid, matchesExpected, haveExpected int
	for _, s := range samples {
		ours := ValidatePayload(s.raw)
		lenient := dccschema.Check(annotating, s.raw)
		strict := dccschema.Check(asserting, s.raw)
		if ours == nil {
			goValid++
		}
		if s.expected != nil {
			haveExpected++
			if (ours == nil) == *s.expected {
				matchesExpected++
			}
		}

		var se *SchemaError
		switch {
		case (ours == nil) == (lenient == nil):
			agreeAnnotating++
		case ours != nil && errors.As(ours, &se) && se.format:
			t.Logf("%s: formats as annotations: library accepts, ValidatePayload: %v", s.name, ours)
		default:
			t.Errorf("%s: ValidatePayload = %v, library (formats as annotations) = %v", s.name, ours, lenient)
		}

		switch {
		case (ours == nil) == (strict == nil):
			agreeAsserting++
		case ours == nil && onlyFormatErrors(strict):
			t.Logf("%s: formats asserted: ValidatePayload accepts, library: %v", s.name, strict)
		default:
			t.Errorf("%s: ValidatePayload = %v, library (formats asserted) = %v", s.name, ours, strict)
		}
	}
	t.Logf("%d payloads (%d schema tests, %d test vectors); ValidatePayload accepts %d", len(samples), len(samples)-len(vectors), len(vectors), goValid)
	t.Logf("agreement with jsonschema, formats as annotations: %d/%d", agreeAnnotating, len(samples))
	t.Logf("agreement with jsonschema, formats asserted (RFC 3339): %d/%d", agreeAsserting, len(samples))
	t.Logf("agreement with the vectors' EXPECTEDSCHEMAVALIDATION: %d/%d", matchesExpected, haveExpected)
}

func FuzzValidatePayload(f *testing.F) {
	for _, dir := range []string{"valid", "invalid"} {
		dirPath := filepath.Join(refdata.Find(), "schema-tests", dir)
		files, _ := filepath.Glob(filepath.Join(dirPath, "*.json"))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(`{"ver":"1.3.0","nam":{"fnt":"A"},"dob":"","t":[{"sc":"2021-06-11T17:30:00+02"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := ValidatePayload(data)
		if err != nil && !errors.Is(err, ErrSchema) {
			t.Fatalf("ValidatePayload(%q) = %v, want nil or ErrSchema", data, err)
		}
		if again := ValidatePayload(data); (again == nil) != (err == nil) {
			t.Fatalf("ValidatePayload(%q) is not deterministic: %v, then %v", data, err, again)
		}
	})
}
