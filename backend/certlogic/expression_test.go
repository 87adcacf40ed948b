package certlogic

// Parse and Validate: what makes an expression malformed, before any data.

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		expr    string
		wantErr error  // nil: valid
		wantOp  string // the operation the error names
		wantAt  string // and where
	}{
		{expr: `true`},
		{expr: `[1, "a", [false]]`},
		{expr: `{"var": "a.b.0"}`},
		{expr: `{"and": [1, 2, 3, 4, 5]}`},
		{expr: `{"<": [1, 2, 3]}`},
		{expr: `{"plusTime": [{"var": "d"}, -3, "month"]}`},
		{expr: `{"extractFromUVCI": [{"var": "u"}, -1]}`},
		{expr: `{"reduce": [[1, 2], {"var": "accumulator"}, {"var": "x"}]}`},
		{expr: `{"in": ["a", {"var": "list"}]}`},
		{expr: `{"+": [1.0, 2]}`},
		{expr: ``, wantErr: ErrMalformed},
		{expr: `{"var": "a"`, wantErr: ErrMalformed},
		{expr: `null`, wantErr: ErrMalformed},
		{expr: `1.5`, wantErr: ErrMalformed},
		{expr: `{"and": [true, null]}`, wantErr: ErrMalformed, wantOp: "and", wantAt: "/and/1"},
		{expr: `{}`, wantErr: ErrMalformed},
		{expr: `{"var": "a", "if": []}`, wantErr: ErrMalformed},
		{expr: `{"var": 1}`, wantErr: ErrMalformed, wantOp: "var"},
		{expr: `{"var": ["a", 0]}`, wantErr: ErrMalformed, wantOp: "var"},
		{expr: `{"var": "a..b"}`, wantErr: ErrMalformed, wantOp: "var"},
		{expr: `{"var": ".a"}`, wantErr: ErrMalformed, wantOp: "var"},
		{expr: `{"if": true}`, wantErr: ErrMalformed, wantOp: "if"},
		{expr: `{"!": true}`, wantErr: ErrMalformed, wantOp: "!"},
		{expr: `{"or": [true, false]}`, wantErr: ErrUnknownOperation, wantOp: "or"},
		{expr: `{"!==": [1, 2]}`, wantErr: ErrUnknownOperation, wantOp: "!=="},
		{expr: `{"==": [1, 2]}`, wantErr: ErrUnknownOperation, wantOp: "=="},
		{expr: `{"extractFromUCI": ["a", 0]}`, wantErr: ErrUnknownOperation, wantOp: "extractFromUCI"},
		{expr: `{"if": [{"var": "x"}, {"max": [1, 2]}, 3]}`, wantErr: ErrUnknownOperation, wantOp: "max", wantAt: "/if/1"},
		{expr: `{"if": [true, 1]}`, wantErr: ErrArity, wantOp: "if"},
		{expr: `{"if": [true, 1, 2, 3]}`, wantErr: ErrArity, wantOp: "if"},
		{expr: `{"and": [true]}`, wantErr: ErrArity, wantOp: "and"},
		{expr: `{"!": []}`, wantErr: ErrArity, wantOp: "!"},
		{expr: `{"!": [true, false]}`, wantErr: ErrArity, wantOp: "!"},
		{expr: `{"===": [1, 1, 1]}`, wantErr: ErrArity, wantOp: "==="},
		{expr: `{"in": ["a"]}`, wantErr: ErrArity, wantOp: "in"},
		{expr: `{"+": [1, 2, 3]}`, wantErr: ErrArity, wantOp: "+"},
		{expr: `{"<": [1]}`, wantErr: ErrArity, wantOp: "<"},
		{expr: `{"not-before": [1, 2, 3, 4]}`, wantErr: ErrArity, wantOp: "not-before"},
		{expr: `{"plusTime": ["2021-01-01", 1]}`, wantErr: ErrArity, wantOp: "plusTime"},
		{expr: `{"reduce": [[], {"var": "current"}]}`, wantErr: ErrArity, wantOp: "reduce"},
		{expr: `{"extractFromUVCI": ["a"]}`, wantErr: ErrArity, wantOp: "extractFromUVCI"},
		{expr: `{"dccDateOfBirth": []}`, wantErr: ErrArity, wantOp: "dccDateOfBirth"},
		{expr: `{"plusTime": ["2021-01-01", {"var": "n"}, "day"]}`, wantErr: ErrMalformed, wantOp: "plusTime"},
		{expr: `{"plusTime": ["2021-01-01", 1.5, "day"]}`, wantErr: ErrMalformed, wantOp: "plusTime"},
		{expr: `{"plusTime": ["2021-01-01", 1, "minute"]}`, wantErr: ErrMalformed, wantOp: "plusTime"},
		{expr: `{"plusTime": ["2021-01-01", 1, "days"]}`, wantErr: ErrMalformed, wantOp: "plusTime"},
		{expr: `{"extractFromUVCI": ["a", "1"]}`, wantErr: ErrMalformed, wantOp: "extractFromUVCI"},
		{expr: `{"+": ["1", 2]}`, wantErr: ErrType, wantOp: "+"},
		{expr: `{"<=": [1, [2]]}`, wantErr: ErrType, wantOp: "<="},
		{expr: `{"after": ["2021-01-01", {"plusTime": ["2021-01-01", 0, "day"]}]}`, wantErr: ErrType, wantOp: "after"},
		{expr: `{"in": ["a", "abc"]}`, wantErr: ErrType, wantOp: "in"},
		{expr: `{"plusTime": [20210101, 0, "day"]}`, wantErr: ErrType, wantOp: "plusTime"},
		{expr: `{"dccDateOfBirth": [true]}`, wantErr: ErrType, wantOp: "dccDateOfBirth"},
		{expr: `{"reduce": ["abc", {"var": "current"}, 0]}`, wantErr: ErrType, wantOp: "reduce"},
		{expr: strings.Repeat(`{"!": [`, MaxDepth+1) + "true" + strings.Repeat("]}", MaxDepth+1), wantErr: ErrTooDeep, wantOp: "!"},
		{expr: strings.Repeat(`[`, 5000) + strings.Repeat("]", 5000), wantErr: ErrTooDeep},
		{expr: strings.Repeat(`[`, 100000) + strings.Repeat("]", 100000), wantErr: ErrMalformed},
	} {
		name := tc.expr
		if len(name) > 60 {
			name = name[:60] + "…"
		}
		t.Run(name, func(t *testing.T) {
			err := Validate(json.RawMessage(tc.expr))
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("Validate(%s) = %v, want nil", name, err)
				}
				return
			}
			var e *Error
			if !errors.Is(err, tc.wantErr) || !errors.As(err, &e) {
				t.Fatalf("Validate(%s) = %v, want an *Error matching %v", name, err, tc.wantErr)
			}
			if e.Op != tc.wantOp || (tc.wantAt != "" && e.At != tc.wantAt) {
				t.Errorf("Validate(%s) blames %q at %q, want %q at %q", name, e.Op, e.At, tc.wantOp, tc.wantAt)
			}
			// Evaluate refuses the same expression with the same error, whatever the data.
			if _, evalErr := Evaluate(json.RawMessage(tc.expr), nil); evalErr == nil || evalErr.Error() != err.Error() {
				t.Errorf("Evaluate(%s) error = %v, want %v", name, evalErr, err)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		expr, data, want string
	}{
		{
			expr: `{"and": [true, {"after": [{"plusTime": [{"var": "d"}, 0, "day"]}, {"plusTime": ["2021-01-01", 0, "day"]}]}]}`,
			data: `{"d": "2021-02-30"}`,
			want: `certlogic: plusTime at /and/1/after/0: "2021-02-30" is not a date-time in a format CertLogic allows`,
		},
		{expr: `{"in": [1, {"var": "x"}]}`, data: `{}`, want: `certlogic: in: the right operand must be an array, not null`},
		{expr: `{"frob": []}`, want: `certlogic: frob: not a CertLogic operation`},
		{expr: `[null]`, want: `certlogic: at /0: null is not a CertLogic literal`},
		{expr: `{"if": [{"var": "s"}, 1, 2]}`, data: `{"s": 0.25}`, want: `certlogic: if: the guard, number 0.25, is neither truthy nor falsy`},
	} {
		var data any
		if tc.data != "" {
			data = decode(t, json.RawMessage(tc.data))
		}
		_, err := Evaluate(json.RawMessage(tc.expr), data)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Evaluate(%s, %s) error = %v, want %s", tc.expr, tc.data, err, tc.want)
		}
	}
}

func TestDescribeCutsLongStrings(t *testing.T) {
	long := strings.Repeat("é", 30) // 60 bytes
	if got, want := describe(long), `string "`+strings.Repeat("é", 20)+`"…`; got != want {
		t.Errorf("describe(%q) = %s, want %s", long, got, want)
	}
	if got, want := describe("short"), `string "short"`; got != want {
		t.Errorf("describe(%q) = %s, want %s", "short", got, want)
	}
}
