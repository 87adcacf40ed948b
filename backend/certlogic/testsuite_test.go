package certlogic

// The public CertLogic test suite (certlogic/specification/testSuite), read in place.

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"certkiosk/backend/dcc/refdata"
)

// suiteFile is one file of the test suite (schema: CertLogic-testSuite.json). An
// assertion without an expression uses its case's.
type suiteFile struct {
	Name      string `json:"name"`
	Directive string `json:"directive"`
	Cases     []struct {
		Name       string          `json:"name"`
		Directive  string          `json:"directive"`
		Expression json.RawMessage `json:"certLogicExpression"`
		Assertions []struct {
			Directive  string          `json:"directive"`
			Message    string          `json:"message"`
			Expression json.RawMessage `json:"certLogicExpression"`
			Data       json.RawMessage `json:"data"`
			Expected   json.RawMessage `json:"expected"`
		} `json:"assertions"`
	} `json:"cases"`
}

// suiteException is an assertion of the suite this package does not meet, with the
// reason and what it does instead: either an error matching wantErr, or want.
type suiteException struct {
	reason  string
	wantErr error
	want    any
}

// knownExceptions are keyed by file, case name and 1-based assertion number. The
// suite marks every one of them "skip" itself.
func knownExceptions() map[string]suiteException {
	const inNull = "CertLogic 1.3.3, \"Operations with infix operators\": the right operand of in " +
		"must be an array and operating on a non-array is an error; the suite's false is the " +
		"behaviour of JsonLogic, kept as a skipped assertion"
	const reduceData = "CertLogic 1.3.3, \"Reduction (reduce)\": the lambda sees {accumulator, current}; " +
		"a \"data\" key is something CertLogic may add later (the suite file is marked skip), so " +
		"{\"var\": \"data.z\"} is null"
	return map[string]suiteException{
		"ins-with-nulls.json/null-safety#1": {reason: inNull, wantErr: ErrType},
		"ins-with-nulls.json/null-safety#2": {reason: inNull, wantErr: ErrType},
		"ins-with-nulls.json/null-safety#3": {reason: inNull, wantErr: ErrType},
		"ins-with-nulls.json/null-safety#4": {reason: inNull, wantErr: ErrType},
		// x: [null], z: 1 — null === null counts it.
		"patched-reduce.json/patched reduce knows about global data#7": {reason: reduceData, want: 1.0},
		// x: [1], x: [1,2,1,1] — no item is null.
		"patched-reduce.json/patched reduce knows about global data#8":  {reason: reduceData, want: 0.0},
		"patched-reduce.json/patched reduce knows about global data#9":  {reason: reduceData, want: 0.0},
		"patched-reduce.json/patched reduce knows about global data#10": {reason: reduceData, want: 0.0},
	}
}

func TestSuite(t *testing.T) {
	dir := refdata.Dir(t, "certlogic-testsuite")
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test suite files in %s (%v)", dir, err)
	}
	exceptions := knownExceptions()
	seen := map[string]bool{}
	var total, passed, excepted int
	for _, p := range paths {
		file := filepath.Base(p)
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var suite suiteFile
		if err := json.Unmarshal(raw, &suite); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if len(suite.Cases) == 0 {
			t.Errorf("%s: no cases", file)
		}
		t.Run(file, func(t *testing.T) {
			for _, c := range suite.Cases {
				if len(c.Assertions) == 0 {
					t.Errorf("%s: no assertions", c.Name)
				}
				t.Run(c.Name, func(t *testing.T) {
					for i, a := range c.Assertions {
						total++
						key := file + "/" + c.Name + "#" + strconv.Itoa(i+1)
						expr := a.Expression
						if expr == nil {
							expr = c.Expression
						}
						if expr == nil {
							t.Fatalf("assertion %d has no expression", i+1)
						}
						data := decode(t, a.Data)
						got, err := Evaluate(expr, data)
						if ex, ok := exceptions[key]; ok {
							seen[key] = true
							excepted++
							checkException(t, key, ex, expr, a.Data, got, err)
							continue
						}
						want := decode(t, a.Expected)
						if err != nil || !reflect.DeepEqual(got, want) {
							t.Errorf("%s %s: Evaluate(%s, %s) = %#v, %v, want %#v", key, a.Message, expr, a.Data, got, err, want)
							continue
						}
						if b, ok := want.(bool); ok {
							if truth, err := IsTrue(expr, data); err != nil || truth != b {
								t.Errorf("%s: IsTrue(%s, %s) = %v, %v, want %v", key, expr, a.Data, truth, err, b)
								continue
							}
						}
						passed++
					}
				})
			}
		})
	}
	for key := range exceptions {
		if !seen[key] {
			t.Errorf("known exception %s matches no assertion of the suite", key)
		}
	}
	t.Logf("CertLogic test suite: %d of %d assertions pass, %d known exceptions", passed, total, excepted)
	if passed+excepted != total || excepted != len(exceptions) {
		t.Errorf("%d passed + %d known exceptions, want all %d assertions, with all %d exceptions", passed, excepted, total, len(exceptions))
	}
}

func checkException(t *testing.T, key string, ex suiteException, expr, data json.RawMessage, got any, err error) {
	t.Helper()
	if ex.wantErr != nil {
		if !errors.Is(err, ex.wantErr) {
			t.Errorf("%s (known exception: %s): Evaluate(%s, %s) = %#v, %v, want an error matching %v", key, ex.reason, expr, data, got, err, ex.wantErr)
		}
		return
	}
	if err != nil || !reflect.DeepEqual(got, ex.want) {
		t.Errorf("%s (known exception: %s): Evaluate(%s, %s) = %#v, %v, want %#v", key, ex.reason, expr, data, got, err, ex.want)
	}
}

func decode(t testing.TB, raw json.RawMessage) any {
	t.Helper()
	if raw == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	return v
}
