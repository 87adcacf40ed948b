package certlogic

// values.go: CertLogic's values — truthiness, integers, equality — and how errors show them.

import (
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// maxValueDepth bounds how deeply === and in descend into the values they compare.
// It matches encoding/json's own nesting limit, so any decoded data compares; only
// values built up by a reduce can be deeper.
const maxValueDepth = 10000

// isInteger reports whether f is an integer, as JavaScript's Number.isInteger does.
func isInteger(f float64) bool {
	return !math.IsInf(f, 0) && f == math.Trunc(f)
}

// truthiness applies CertLogic 1.3.3, "Truthy and falsy values": false, null, "", 0,
// [] and {} are falsy; true, a non-empty string, a non-zero integer, a non-empty array
// and a non-empty object are truthy. Anything else (a number with a fraction, a
// date-time) is neither, and defined is false.
func truthiness(v any) (truthy, defined bool) {
	switch v := v.(type) {
	case nil:
		return false, true
	case bool:
		return v, true
	case string:
		return v != "", true
	case float64:
		if !isInteger(v) {
			return false, false
		}
		return v != 0, true
	case []any:
		return len(v) > 0, true
	case map[string]any:
		return len(v) > 0, true
	}
	return false, false
}

// kind is the type of a CertLogic value.
type kind uint8

const (
	kindOther kind = iota // a Go type that decoded JSON does not produce
	kindNull
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
	kindDateTime
)

func kindOf(v any) kind {
	switch v.(type) {
	case nil:
		return kindNull
	case bool:
		return kindBool
	case float64:
		return kindNumber
	case string:
		return kindString
	case []any:
		return kindArray
	case map[string]any:
		return kindObject
	case time.Time:
		return kindDateTime
	}
	return kindOther
}

// equal is CertLogic's ===: equality without type coercion. The specification
// promises it for strings and integers only (1.3.3, "Operations with infix
// operators"); for the rest it is deep equality of JSON values, and date-times are
// equal when they are the same instant. Each pair of values compared takes a step.
func (ev *evaluator) equal(n *node, a, b any, depth int) (bool, error) {
	if err := ev.step(n); err != nil {
		return false, err
	}
	if depth > maxValueDepth {
		return false, n.fail(ErrTooDeep, "values nested deeper than %d levels", maxValueDepth)
	}
	ka, kb := kindOf(a), kindOf(b)
	if ka == kindOther || kb == kindOther {
		return false, n.fail(ErrType, "cannot compare %s with %s", describe(a), describe(b))
	}
	if ka != kb {
		return false, nil
	}
	switch a := a.(type) {
	case nil:
		return true, nil
	case bool:
		return a == b.(bool), nil
	case float64:
		return a == b.(float64), nil
	case string:
		return a == b.(string), nil
	case time.Time:
		return a.Equal(b.(time.Time)), nil
	case []any:
		b := b.([]any)
		if len(a) != len(b) {
			return false, nil
		}
		for i := range a {
			if same, err := ev.equal(n, a[i], b[i], depth+1); err != nil || !same {
				return false, err
			}
		}
		return true, nil
	case map[string]any:
		b := b.(map[string]any)
		if len(a) != len(b) {
			return false, nil
		}
		for k, va := range a {
			vb, ok := b[k]
			if !ok {
				return false, nil
			}
			if same, err := ev.equal(n, va, vb, depth+1); err != nil || !same {
				return false, err
			}
		}
		return true, nil
	}
	return false, nil
}

// describe names a value for an error message, briefly: data can be large, and
// personal.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case float64:
		if isInteger(v) {
			return "integer " + strconv.FormatFloat(v, 'g', -1, 64)
		}
		return "number " + strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return "string " + quote(v)
	case []any:
		return fmt.Sprintf("array of %d", len(v))
	case map[string]any:
		return fmt.Sprintf("object of %d keys", len(v))
	case time.Time:
		return "date-time " + formatDateTime(v)
	}
	return fmt.Sprintf("value of Go type %T", v)
}

// quote quotes s, cut short when long.
func quote(s string) string {
	const limit = 40
	if len(s) <= limit {
		return strconv.Quote(s)
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}
