package certlogic

// Fuzzing: no expression and no data may panic, hang or overflow the stack.

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"certkiosk/backend/dcc/refdata"
)

func FuzzEvaluate(f *testing.F) {
	for _, s := range suiteSeeds(f) {
		f.Add(s[0], s[1])
	}
	nested := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "true" + strings.Repeat(close, n)
	}
	for _, s := range [][2]string{
		{fourteenDays, `{"payload": {"v": [{"dt": "2021-05-29"}]}, "external": {"validationClock": "2021-06-20T10:00:00Z"}}`},
		{`{"reduce": [{"var": "xs"}, [{"var": "accumulator"}, {"var": "accumulator"}], 0]}`, `{"xs": [1, 2, 3, 4, 5, 6, 7, 8]}`},
		{`{"plusTime": [{"var": "d"}, 99999, "year"]}`, `{"d": "9999-12-31T23:59:59.999-23:59"}`},
		{`{"extractFromUVCI": [{"var": ""}, 2]}`, `"URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"`},
		{`{"dccDateOfBirth": [{"var": "dob"}]}`, `{"dob": "2004-02"}`},
		{`{"in": [{"var": "a"}, {"var": "b"}]}`, `{"a": {"x": [1]}, "b": [{"x": [1]}]}`},
		{nested(`{"!": [`, `]}`, MaxDepth+10), `null`},
		{nested(`[`, `]`, 20000), `null`},
		{`{"var": "0.0.0.0"}`, nested(`[`, `]`, 3000)},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, expr, dataJSON string) {
		var data any
		if json.Unmarshal([]byte(dataJSON), &data) != nil {
			data = dataJSON // not JSON: take it as a string
		}
		parsed, parseErr := Parse(json.RawMessage(expr))
		if err := Validate(json.RawMessage(expr)); (err == nil) != (parseErr == nil) {
			t.Fatalf("Validate(%q) = %v but Parse error = %v", expr, err, parseErr)
		}
		got, err := Evaluate(json.RawMessage(expr), data)
		if parseErr != nil {
			checkError(t, parseErr)
			if err == nil || err.Error() != parseErr.Error() {
				t.Fatalf("Evaluate(%q) error = %v, want Parse's %v", expr, err, parseErr)
			}
			return
		}
		if err != nil {
			checkError(t, err)
			for _, static := range []error{ErrMalformed, ErrUnknownOperation, ErrArity} {
				if errors.Is(err, static) {
					t.Fatalf("Evaluate(%q) error = %v after Parse accepted it", expr, err)
				}
			}
			return
		}
		again, err := parsed.Evaluate(data)
		if err != nil || !reflect.DeepEqual(got, again) {
			t.Fatalf("Evaluate(%q) = %#v then %#v, %v", expr, got, again, err)
		}
		truthy, err := parsed.IsTrue(data)
		wantTruthy, defined := truthiness(got)
		if defined && (err != nil || truthy != wantTruthy) || !defined && !errors.Is(err, ErrType) {
			t.Fatalf("IsTrue(%q) = %v, %v for result %#v", expr, truthy, err, got)
		}
	})
}

func checkError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Err == nil || !strings.HasPrefix(err.Error(), "certlogic: ") {
		t.Fatalf("error %v (%T) is not a certlogic *Error with a sentinel", err, err)
	}
}

// suiteSeeds returns (expression, data) pairs from the public test suite, or none when
// the reference data is absent.
func suiteSeeds(f *testing.F) [][2]string {
	dir := refdata.Find()
	if dir == "" {
		return nil
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "certlogic-testsuite", "*.json"))
	var seeds [][2]string
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		var suite suiteFile
		if err := json.Unmarshal(raw, &suite); err != nil {
			f.Fatalf("%s: %v", p, err)
		}
		for _, c := range suite.Cases {
			for _, a := range c.Assertions {
				expr := a.Expression
				if expr == nil {
					expr = c.Expression
				}
				seeds = append(seeds, [2]string{string(expr), string(a.Data)})
			}
		}
	}
	return seeds
}
