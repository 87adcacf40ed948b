package certlogic

// Edge cases of evaluation beyond the public test suite.

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

type evalCase struct {
	name    string
	expr    string
	data    string // JSON; "" is null
	want    any    // compared with reflect.DeepEqual; a time.Time with Equal
	wantErr error  // when set, the error must match it
	wantOp  string // and name this operation
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var data any
			if tc.data != "" {
				data = decode(t, json.RawMessage(tc.data))
			}
			got, err := Evaluate(json.RawMessage(tc.expr), data)
			if tc.wantErr != nil {
				var e *Error
				if !errors.Is(err, tc.wantErr) || !errors.As(err, &e) || e.Op != tc.wantOp {
					t.Fatalf("Evaluate(%s, %s) = %#v, %v, want an error matching %v from %q", tc.expr, tc.data, got, err, tc.wantErr, tc.wantOp)
				}
				if !strings.HasPrefix(err.Error(), "certlogic: ") {
					t.Errorf("error %q lacks the certlogic: prefix", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Evaluate(%s, %s) error = %v, want %#v", tc.expr, tc.data, err, tc.want)
			}
			if want, ok := tc.want.(time.Time); ok {
				if g, ok := got.(time.Time); !ok || !g.Equal(want) || g.Location() != time.UTC {
					t.Fatalf("Evaluate(%s, %s) = %#v, want %s in UTC", tc.expr, tc.data, got, want)
				}
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Evaluate(%s, %s) = %#v, want %#v", tc.expr, tc.data, got, tc.want)
			}
		})
	}
}

func TestEvaluateLogic(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "if skips the else branch", expr: `{"if": [true, 1, {"plusTime": [{"var": "x"}, 0, "day"]}]}`, data: `{"x": 5}`, want: 1.0},
		{name: "if skips the then branch", expr: `{"if": [false, {"plusTime": [{"var": "x"}, 0, "day"]}, 2]}`, data: `{"x": 5}`, want: 2.0},
		{name: "if guard {} is falsy", expr: `{"if": [{"var": ""}, 1, 2]}`, data: `{}`, want: 2.0},
		{name: "if guard with a fraction", expr: `{"if": [{"var": "x"}, 1, 2]}`, data: `{"x": 1.5}`, wantErr: ErrType, wantOp: "if"},
		{name: "if guard a date-time", expr: `{"if": [{"plusTime": ["2021-01-01", 0, "day"]}, 1, 2]}`, wantErr: ErrType, wantOp: "if"},
		{name: "and stops at the first falsy", expr: `{"and": [{"var": "x"}, {"plusTime": [{"var": "x"}, 0, "day"]}]}`, data: `{"x": 0}`, want: 0.0},
		{name: "and returns the last", expr: `{"and": ["a", [1], {"var": "o"}]}`, data: `{"o": {"k": 1}}`, want: map[string]any{"k": 1.0}},
		{name: "and rejects a neither operand", expr: `{"and": [{"var": "x"}, true]}`, data: `{"x": 0.5}`, wantErr: ErrType, wantOp: "and"},
		{name: "and checks the last operand too", expr: `{"and": [true, {"var": "x"}]}`, data: `{"x": 0.5}`, wantErr: ErrType, wantOp: "and"},
		{name: "not of an object", expr: `{"!": [{"var": ""}]}`, data: `{"a": null}`, want: false},
		{name: "not of a date-time", expr: `{"!": [{"dccDateOfBirth": ["2000"]}]}`, wantErr: ErrType, wantOp: "!"},
		{name: "not of an error", expr: `{"!": [{"in": [1, {"var": "x"}]}]}`, wantErr: ErrType, wantOp: "in"},
	})
}

func TestEvaluateEqualityAndIn(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "null === null", expr: `{"===": [{"var": "a"}, {"var": "b"}]}`, data: `{}`, want: true},
		{name: "no coercion", expr: `{"===": [1, "1"]}`, want: false},
		{name: "true !== 1", expr: `{"===": [true, 1]}`, want: false},
		{name: "arrays compare deeply", expr: `{"===": [[1, "a", [true]], {"var": "x"}]}`, data: `{"x": [1, "a", [true]]}`, want: true},
		{name: "arrays of other lengths", expr: `{"===": [[1, 2], {"var": "x"}]}`, data: `{"x": [1]}`, want: false},
		{name: "objects compare deeply", expr: `{"===": [{"var": "x"}, {"var": "y"}]}`, data: `{"x": {"a": [1]}, "y": {"a": [1]}}`, want: true},
		{name: "objects with other keys", expr: `{"===": [{"var": "x"}, {"var": "y"}]}`, data: `{"x": {"a": 1}, "y": {"b": 1}}`, want: false},
		{name: "date-times as instants", expr: `{"===": [{"plusTime": ["2021-06-01T02:00:00+02:00", 0, "hour"]}, {"plusTime": ["2021-06-01", 0, "day"]}]}`, want: true},
		{name: "in finds null", expr: `{"in": [{"var": "x"}, [1, {"var": "x"}]]}`, data: `{}`, want: true},
		{name: "in does not coerce", expr: `{"in": [1, ["1", true]]}`, want: false},
		{name: "in is not substring", expr: `{"in": ["a", {"var": "s"}]}`, data: `{"s": "abc"}`, wantErr: ErrType, wantOp: "in"},
		{name: "in finds arrays", expr: `{"in": [[1], [[0], [1]]]}`, want: true},
		{name: "in on null", expr: `{"in": ["a", {"var": "missing"}]}`, data: `{}`, wantErr: ErrType, wantOp: "in"},
	})
}

func TestEvaluateArithmetic(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "plus", expr: `{"+": [{"var": "a"}, -3]}`, data: `{"a": 5}`, want: 2.0},
		{name: "plus a fraction", expr: `{"+": [{"var": "a"}, 1]}`, data: `{"a": 0.5}`, wantErr: ErrType, wantOp: "+"},
		{name: "plus null", expr: `{"+": [{"var": "a"}, 1]}`, wantErr: ErrType, wantOp: "+"},
		{name: "plus overflows", expr: `{"+": [{"var": "a"}, {"var": "a"}]}`, data: `{"a": 1e308}`, wantErr: ErrType, wantOp: "+"},
		{name: "less on strings", expr: `{"<": [{"var": "a"}, {"var": "b"}]}`, data: `{"a": "a", "b": "b"}`, wantErr: ErrType, wantOp: "<"},
		{name: "greater ternary", expr: `{">": [3, 2, 1]}`, want: true},
		{name: "greater ternary fails on the second pair", expr: `{">": [3, 2, 2]}`, want: false},
		{name: ">= ternary", expr: `{">=": [3, 3, 1]}`, want: true},
		{name: "comparisons reject date-times", expr: `{"<": [{"plusTime": ["2021-01-01", 0, "day"]}, 1]}`, wantErr: ErrType, wantOp: "<"},
		{name: "date comparisons reject integers", expr: `{"before": [{"var": "a"}, {"plusTime": ["2021-01-01", 0, "day"]}]}`, data: `{"a": 1}`, wantErr: ErrType, wantOp: "before"},
		{name: "date comparisons reject strings", expr: `{"after": [{"var": "a"}, {"plusTime": ["2021-01-01", 0, "day"]}]}`, data: `{"a": "2022-01-01"}`, wantErr: ErrType, wantOp: "after"},
		{name: "not-after equal", expr: `{"not-after": [{"plusTime": ["2021-01-01T00:00:00Z", 24, "hour"]}, {"plusTime": ["2021-01-02", 0, "day"]}]}`, want: true},
		{name: "after ternary", expr: `{"after": [{"plusTime": ["2021-01-03", 0, "day"]}, {"plusTime": ["2021-01-02", 0, "day"]}, {"plusTime": ["2021-01-01", 0, "day"]}]}`, want: true},
	})
}

func TestEvaluateDataAccess(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "the whole data", expr: `{"var": ""}`, data: `[1]`, want: []any{1.0}},
		{name: "dotted path", expr: `{"var": "payload.v.0.dt"}`, data: `{"payload": {"v": [{"dt": "2021-06-01"}]}}`, want: "2021-06-01"},
		{name: "index with a leading zero", expr: `{"var": "01"}`, data: `["a", "b"]`, want: "b"},
		{name: "index out of range", expr: `{"var": "x.99999999999999999999"}`, data: `{"x": [1]}`, want: nil},
		{name: "negative index", expr: `{"var": "x.-1"}`, data: `{"x": [1]}`, want: nil},
		{name: "numeric key in an object", expr: `{"var": "x.0"}`, data: `{"x": {"0": "zero"}}`, want: "zero"},
		{name: "into a string", expr: `{"var": "s.length"}`, data: `{"s": "abc"}`, want: nil},
		{name: "into a number", expr: `{"var": "n.0"}`, data: `{"n": 5}`, want: nil},
		{name: "array literal", expr: `[1, {"var": "x"}, [{"var": "y"}]]`, data: `{"x": "a"}`, want: []any{1.0, "a", []any{nil}}},
		{name: "reduce sees only accumulator and current", expr: `{"reduce": [{"var": "xs"}, {"var": ""}, 0]}`, data: `{"xs": [7]}`, want: map[string]any{"accumulator": 0.0, "current": 7.0}},
		{name: "reduce of null", expr: `{"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, 1]}, 5]}`, want: 5.0},
		{name: "reduce of a string", expr: `{"reduce": [{"var": "xs"}, {"var": "current"}, 0]}`, data: `{"xs": "abc"}`, wantErr: ErrType, wantOp: "reduce"},
		{name: "reduce counts", expr: `{"reduce": [{"var": "v"}, {"+": [{"var": "accumulator"}, {"if": [{"===": [{"var": "current.tg"}, "840539006"]}, 1, 0]}]}, 0]}`,
			data: `{"v": [{"tg": "840539006"}, {"tg": "x"}, {"tg": "840539006"}]}`, want: 2.0},
		{name: "reduce with a date-time accumulator", expr: `{"reduce": [{"var": "xs"}, {"plusTime": [{"var": "current"}, 1, "day"]}, {"plusTime": ["2000-01-01", 0, "day"]}]}`,
			data: `{"xs": ["2021-06-01"]}`, want: time.Date(2021, 6, 2, 0, 0, 0, 0, time.UTC)},
	})
}

func TestEvaluateUVCI(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "country", expr: `{"extractFromUVCI": [{"var": "id"}, 1]}`, data: `{"id": "URN:UVCI:01:NL:187/37512422923"}`, want: "NL"},
		{name: "prefix is case-sensitive", expr: `{"extractFromUVCI": [{"var": "id"}, 0]}`, data: `{"id": "urn:uvci:01:NL:187"}`, want: "urn"},
		{name: "prefix only once", expr: `{"extractFromUVCI": [{"var": "id"}, 0]}`, data: `{"id": "URN:UVCI:URN:UVCI:01"}`, want: "URN"},
		{name: "huge index", expr: `{"extractFromUVCI": [{"var": "id"}, 1e300]}`, data: `{"id": "a:b"}`, want: nil},
		{name: "missing UVCI", expr: `{"extractFromUVCI": [{"var": "id"}, 0]}`, data: `{}`, want: nil},
		{name: "number", expr: `{"extractFromUVCI": [{"var": "id"}, 0]}`, data: `{"id": 5}`, wantErr: ErrType, wantOp: "extractFromUVCI"},
	})
}

func TestEvaluateDateTimes(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min, s, ms int) time.Time {
		return time.Date(y, m, d, h, min, s, ms*int(time.Millisecond), time.UTC)
	}
	plus := func(s string, amount, unit string) string {
		return `{"plusTime": ["` + s + `", ` + amount + `, "` + unit + `"]}`
	}
	runEvalCases(t, []evalCase{
		// The leap-day table of CertLogic 1.3.3, "Offset date-time (plusTime)".
		{name: "leap day plus a day", expr: plus("2020-02-29", "1", "day"), want: utc(2020, 3, 1, 0, 0, 0, 0)},
		{name: "leap day plus a month", expr: plus("2020-02-29", "1", "month"), want: utc(2020, 3, 29, 0, 0, 0, 0)},
		{name: "leap day plus a year", expr: plus("2020-02-29", "1", "year"), want: utc(2021, 3, 1, 0, 0, 0, 0)},
		{name: "leap day plus four years", expr: plus("2020-02-29", "4", "year"), want: utc(2024, 2, 29, 0, 0, 0, 0)},
		{name: "end of January plus a month", expr: plus("2021-01-31", "1", "month"), want: utc(2021, 3, 3, 0, 0, 0, 0)},
		{name: "minus months across a year", expr: plus("2021-02-15", "-14", "month"), want: utc(2019, 12, 15, 0, 0, 0, 0)},
		{name: "hours across DST in Europe", expr: plus("2021-03-28T00:30:00+01:00", "3", "hour"), want: utc(2021, 3, 28, 2, 30, 0, 0)},
		{name: "many hours", expr: plus("2021-01-01", "-49", "hour"), want: utc(2020, 12, 29, 23, 0, 0, 0)},
		{name: "month offset works in UTC", expr: plus("2021-01-31T23:00:00-02:00", "1", "month"), want: utc(2021, 3, 1, 1, 0, 0, 0)},
		{name: "partial date YYYY", expr: plus("2004", "0", "day"), want: utc(2004, 12, 31, 0, 0, 0, 0)},
		{name: "partial date YYYY-MM in a leap year", expr: plus("2004-02", "0", "day"), want: utc(2004, 2, 29, 0, 0, 0, 0)},
		{name: "no offset means Z", expr: plus("2021-06-01T12:00:00", "0", "hour"), want: utc(2021, 6, 1, 12, 0, 0, 0)},
		{name: "offset h", expr: plus("2021-06-01T12:00:00+2", "0", "hour"), want: utc(2021, 6, 1, 10, 0, 0, 0)},
		{name: "offset hh", expr: plus("2021-06-01T12:00:00-11", "0", "hour"), want: utc(2021, 6, 1, 23, 0, 0, 0)},
		{name: "offset hmm", expr: plus("2021-06-01T12:00:00+130", "0", "hour"), want: utc(2021, 6, 1, 10, 30, 0, 0)},
		{name: "offset hhmm", expr: plus("2021-06-01T12:00:00+1030", "0", "hour"), want: utc(2021, 6, 1, 1, 30, 0, 0)},
		{name: "offset h:mm", expr: plus("2021-06-01T12:00:00-5:45", "0", "hour"), want: utc(2021, 6, 1, 17, 45, 0, 0)},
		{name: "offset hh:mm", expr: plus("2021-06-01T00:00:00+05:30", "0", "hour"), want: utc(2021, 5, 31, 18, 30, 0, 0)},
		{name: "fraction of one digit", expr: plus("2021-06-01T12:00:00.5Z", "0", "hour"), want: utc(2021, 6, 1, 12, 0, 0, 500)},
		{name: "fraction rounded down", expr: plus("2021-06-01T12:00:00.123999999+00:00", "0", "hour"), want: utc(2021, 6, 1, 12, 0, 0, 123)},
		{name: "date of birth YYYY", expr: `{"dccDateOfBirth": ["2004"]}`, want: utc(2004, 12, 31, 0, 0, 0, 0)},
		{name: "date of birth February", expr: `{"dccDateOfBirth": ["2003-02"]}`, want: utc(2003, 2, 28, 0, 0, 0, 0)},
		{name: "date of birth April", expr: `{"dccDateOfBirth": ["2004-04"]}`, want: utc(2004, 4, 30, 0, 0, 0, 0)},
		{name: "date of birth December", expr: `{"dccDateOfBirth": ["2004-12"]}`, want: utc(2004, 12, 31, 0, 0, 0, 0)},
		{name: "date of birth in full", expr: `{"dccDateOfBirth": ["2004-03-05"]}`, want: utc(2004, 3, 5, 0, 0, 0, 0)},
		{name: "year 9999 plus a year", expr: plus("9999-12-31", "1", "year"), want: utc(10000, 12, 31, 0, 0, 0, 0)},
		{name: "largest amount in range", expr: plus("1970-01-01", "100000000", "day"), want: time.UnixMilli(maxTimeMillis).UTC()},
		{name: "beyond JavaScript's range", expr: plus("1970-01-01", "100000001", "day"), wantErr: ErrDateTime, wantOp: "plusTime"},
		{name: "far beyond", expr: plus("2021-01-01", "1e300", "year"), wantErr: ErrDateTime, wantOp: "plusTime"},
		{name: "null date", expr: `{"plusTime": [{"var": "d"}, 0, "day"]}`, wantErr: ErrType, wantOp: "plusTime"},
		{name: "date of birth null", expr: `{"dccDateOfBirth": [{"var": "d"}]}`, wantErr: ErrType, wantOp: "dccDateOfBirth"},
		{name: "date of birth with a time", expr: `{"dccDateOfBirth": ["2004-01-01T00:00:00Z"]}`, wantErr: ErrDateTime, wantOp: "dccDateOfBirth"},
		{name: "date of birth empty", expr: `{"dccDateOfBirth": [""]}`, wantErr: ErrDateTime, wantOp: "dccDateOfBirth"},
	})
	for _, bad := range []string{
		"", "2021", "20210601", "2021-6-1", "2021-02-30", "2021-13-01", "2021-00-10", "2021-1",
		"2021-06-01T24:00:00", "2021-06-01T12:60:00", "2021-06-01T12:00:60", "2021-06-01 12:00:00",
		"2021-06-01T12:00", "2021-06-01T12:00:00.", "2021-06-01T12:00:00.Z", "2021-06-01T12:00:00+24:00",
		"2021-06-01T12:00:00+1:60", "2021-06-01T12:00:00+", "2021-06-01T12:00:00+12345", "2021-06-01T12:00:00z",
		"2021-06-01t12:00:00Z", "2021-06-01T12:00:00Z ", " 2021-06-01", "२०२१-06-01", "2021-06-01T12:00:00+:30",
	} {
		if bad == "2021" {
			continue // a valid partial date
		}
		t.Run("refuses "+bad, func(t *testing.T) {
			expr := `{"plusTime": [{"var": "d"}, 0, "day"]}`
			got, err := Evaluate(json.RawMessage(expr), map[string]any{"d": bad})
			if !errors.Is(err, ErrDateTime) {
				t.Errorf("Evaluate(%s, d=%q) = %v, %v, want ErrDateTime", expr, bad, got, err)
			}
		})
	}
}

func TestIsTrue(t *testing.T) {
	for _, tc := range []struct {
		expr    string
		want    bool
		wantErr error
	}{
		{expr: `true`, want: true},
		{expr: `[]`, want: false},
		{expr: `"x"`, want: true},
		{expr: `0`, want: false},
		{expr: `{"var": "missing"}`, want: false},
		{expr: `{"plusTime": ["2021-01-01", 0, "day"]}`, wantErr: ErrType},
		{expr: `{"var": "f"}`, wantErr: ErrType},
		{expr: `{"unknown": []}`, wantErr: ErrUnknownOperation},
	} {
		got, err := IsTrue(json.RawMessage(tc.expr), map[string]any{"f": 2.5})
		if got != tc.want || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
			t.Errorf("IsTrue(%s) = %v, %v, want %v, %v", tc.expr, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestEvaluateLimits checks that a costly or deep evaluation stops with an error.
func TestEvaluateLimits(t *testing.T) {
	// Each step doubles the accumulator, sharing its halves; comparing the result
	// with itself would take 2^60 steps.
	doubling := `{"reduce": [{"var": "xs"}, [{"var": "accumulator"}, {"var": "accumulator"}], 0]}`
	xs := make([]any, 60)
	data := map[string]any{"xs": xs}
	_, err := Evaluate(json.RawMessage(`{"===": [`+doubling+`, `+doubling+`]}`), data)
	if !errors.Is(err, ErrLimit) {
		t.Errorf("comparing doubled accumulators: error = %v, want ErrLimit", err)
	}

	// Nesting the accumulator 20000 levels deep, then comparing it.
	nesting := `{"reduce": [{"var": "xs"}, [{"var": "accumulator"}], 0]}`
	data = map[string]any{"xs": make([]any, 20000)}
	_, err = Evaluate(json.RawMessage(`{"===": [`+nesting+`, `+nesting+`]}`), data)
	if !errors.Is(err, ErrTooDeep) {
		t.Errorf("comparing deeply nested accumulators: error = %v, want ErrTooDeep", err)
	}

	// A long reduce is fine as long as it stays under the step limit.
	data = map[string]any{"xs": make([]any, 100000)}
	got, err := Evaluate(json.RawMessage(`{"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, 1]}, 0]}`), data)
	if err != nil || got != 100000.0 {
		t.Errorf("counting 100000 items = %v, %v, want 100000", got, err)
	}
}

// TestResultsAreFresh checks that a caller changing a result cannot change the
// expression.
func TestResultsAreFresh(t *testing.T) {
	e, err := Parse(json.RawMessage(`[1, [2]]`))
	if err != nil {
		t.Fatal(err)
	}
	first, _ := e.Evaluate(nil)
	first.([]any)[1].([]any)[0] = "changed"
	second, _ := e.Evaluate(nil)
	if want := []any{1.0, []any{2.0}}; !reflect.DeepEqual(second, want) {
		t.Errorf("second Evaluate = %#v, want %#v", second, want)
	}
}

func TestZeroExpression(t *testing.T) {
	var zero Expression
	if _, err := zero.Evaluate(nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("Expression{}.Evaluate(nil) error = %v, want ErrMalformed", err)
	}
	if _, err := (*Expression)(nil).IsTrue(nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("(*Expression)(nil).IsTrue(nil) error = %v, want ErrMalformed", err)
	}
}

// TestConcurrentEvaluation shares one Expression between goroutines (run with -race).
func TestConcurrentEvaluation(t *testing.T) {
	e, err := Parse(json.RawMessage(fourteenDays))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			day := 10 + i // days 10..17 after the dose
			data := vaccinationData("2021-05-01", time.Date(2021, 5, 1+day, 9, 0, 0, 0, time.UTC))
			got, err := e.IsTrue(data)
			if want := day >= 14; err != nil || got != want {
				t.Errorf("day %d: IsTrue = %v, %v, want %v", day, got, err, want)
			}
		})
	}
	wg.Wait()
}
