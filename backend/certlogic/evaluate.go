package certlogic

// evaluate.go: evaluating a parsed expression against data.

import (
	"time"
)

// maxSteps bounds the work of one evaluation: each operation or literal evaluated and
// each pair of values compared is a step. A business rule takes well under a
// thousand; the bound stops a hostile rule (say, a reduce that doubles its
// accumulator, compared with itself) from holding the kiosk.
const maxSteps = 1_000_000

// Evaluate evaluates the expression against data, the decoded JSON value
// (map[string]any, []any, float64, string, bool or nil), and returns the result in
// the same terms; date-times are time.Time values in UTC. The result may share parts
// of data. The error is an *Error naming the operation at fault.
func (e *Expression) Evaluate(data any) (any, error) {
	if e == nil || e.root == nil {
		return nil, newError("", "", ErrMalformed, "empty expression: use Parse")
	}
	ev := evaluator{steps: maxSteps}
	return ev.eval(e.root, data)
}

// IsTrue evaluates the expression against data and reports whether the result is
// truthy (CertLogic 1.3.3, "Truthy and falsy values"). A result that is neither
// truthy nor falsy, such as a date-time, is an error matching ErrType.
func (e *Expression) IsTrue(data any) (bool, error) {
	v, err := e.Evaluate(data)
	if err != nil {
		return false, err
	}
	truthy, defined := truthiness(v)
	if !defined {
		return false, e.root.fail(ErrType, "the result, %s, is neither truthy nor falsy", describe(v))
	}
	return truthy, nil
}

// evaluator holds the state of one evaluation.
type evaluator struct {
	steps int // steps left
}

func (ev *evaluator) step(n *node) error {
	ev.steps--
	if ev.steps < 0 {
		return n.fail(ErrLimit, "more than %d evaluation steps", maxSteps)
	}
	return nil
}

func (ev *evaluator) eval(n *node, data any) (any, error) {
	if err := ev.step(n); err != nil {
		return nil, err
	}
	switch n.code {
	case opLiteral:
		return n.value, nil
	case opArray:
		// A new slice each time: the caller may change the result.
		items := make([]any, len(n.args))
		for i, a := range n.args {
			v, err := ev.eval(a, data)
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		return items, nil
	case opVar:
		return access(data, n.path), nil
	case opIf:
		return ev.evalIf(n, data)
	case opAnd:
		return ev.evalAnd(n, data)
	case opNot:
		truthy, err := ev.condition(n, n.args[0], data, "operand")
		if err != nil {
			return nil, err
		}
		return !truthy, nil
	case opEqual, opIn:
		return ev.evalEqualIn(n, data)
	case opPlus:
		return ev.evalPlus(n, data)
	case opLess, opGreater, opLessEqual, opGreaterEqual, opBefore, opAfter, opNotAfter, opNotBefore:
		return ev.evalCompare(n, data)
	case opPlusTime, opDCCDateOfBirth:
		return ev.evalDateTime(n, data)
	case opReduce:
		return ev.evalReduce(n, data)
	case opExtractFromUVCI:
		return ev.evalExtractFromUVCI(n, data)
	}
	return nil, n.fail(ErrUnknownOperation, "not a CertLogic operation")
}

// access is "var" (CertLogic 1.3.3, "Data access (var)"): each fragment of the path
// drills into an object by key or into an array by 0-based index. Anything missing,
// null or not drillable gives null.
func access(data any, path []pathStep) any {
	for _, s := range path {
		switch c := data.(type) {
		case map[string]any:
			data = c[s.key]
		case []any:
			if s.index < 0 || s.index >= len(c) {
				return nil
			}
			data = c[s.index]
		default:
			return nil
		}
	}
	return data
}

// condition evaluates a that must be truthy or falsy, for op n.
func (ev *evaluator) condition(n, a *node, data any, role string) (bool, error) {
	v, err := ev.eval(a, data)
	if err != nil {
		return false, err
	}
	truthy, defined := truthiness(v)
	if !defined {
		return false, n.fail(ErrType, "the %s, %s, is neither truthy nor falsy", role, describe(v))
	}
	return truthy, nil
}

// evalIf evaluates the guard, then only the branch it selects (CertLogic 1.3.3,
// "If-then-else (if)").
func (ev *evaluator) evalIf(n *node, data any) (any, error) {
	guard, err := ev.condition(n, n.args[0], data, "guard")
	if err != nil {
		return nil, err
	}
	if guard {
		return ev.eval(n.args[1], data)
	}
	return ev.eval(n.args[2], data)
}

// evalAnd evaluates operands in order until one is falsy and returns that one, or the
// last. Every operand evaluated must be truthy or falsy, the last included: the
// specification says so, though certlogic-js returns the last without looking.
func (ev *evaluator) evalAnd(n *node, data any) (any, error) {
	var v any
	for _, a := range n.args {
		var err error
		if v, err = ev.eval(a, data); err != nil {
			return nil, err
		}
		truthy, defined := truthiness(v)
		if !defined {
			return nil, n.fail(ErrType, "operand %s is neither truthy nor falsy", describe(v))
		}
		if !truthy {
			return v, nil
		}
	}
	return v, nil
}

// evalEqualIn evaluates === and in. The right operand of in must be an array, null
// included in "must" (CertLogic 1.3.3, "Operations with infix operators").
func (ev *evaluator) evalEqualIn(n *node, data any) (any, error) {
	left, err := ev.eval(n.args[0], data)
	if err != nil {
		return nil, err
	}
	right, err := ev.eval(n.args[1], data)
	if err != nil {
		return nil, err
	}
	if n.code == opEqual {
		return ev.equal(n, left, right, 0)
	}
	items, ok := right.([]any)
	if !ok {
		return nil, n.fail(ErrType, "the right operand must be an array, not %s", describe(right))
	}
	for _, item := range items {
		if same, err := ev.equal(n, left, item, 0); err != nil || same {
			return same, err
		}
	}
	return false, nil
}

func (ev *evaluator) evalPlus(n *node, data any) (any, error) {
	ints, err := ev.integers(n, data)
	if err != nil {
		return nil, err
	}
	sum := ints[0] + ints[1]
	if !isInteger(sum) {
		return nil, n.fail(ErrType, "the sum overflows")
	}
	return sum, nil
}

// integers evaluates all operands of n, which must be integers.
func (ev *evaluator) integers(n *node, data any) ([]float64, error) {
	out := make([]float64, len(n.args))
	for i, a := range n.args {
		v, err := ev.eval(a, data)
		if err != nil {
			return nil, err
		}
		f, ok := v.(float64)
		if !ok || !isInteger(f) {
			return nil, n.fail(ErrType, "operand %d must be an integer, not %s", i+1, describe(v))
		}
		out[i] = f
	}
	return out, nil
}

// evalCompare evaluates <, >, <=, >= on integers and before, after, not-after,
// not-before on date-times, in the binary form or the ternary one, where a op b op c
// means (a op b) and (b op c).
func (ev *evaluator) evalCompare(n *node, data any) (any, error) {
	order := make([]int, 0, 2)
	switch n.code {
	case opLess, opGreater, opLessEqual, opGreaterEqual:
		ints, err := ev.integers(n, data)
		if err != nil {
			return nil, err
		}
		for i := 1; i < len(ints); i++ {
			order = append(order, compareFloats(ints[i-1], ints[i]))
		}
	default:
		times := make([]time.Time, len(n.args))
		for i, a := range n.args {
			v, err := ev.eval(a, data)
			if err != nil {
				return nil, err
			}
			t, ok := v.(time.Time)
			if !ok {
				return nil, n.fail(ErrType, "operand %d must be a date-time made by plusTime or dccDateOfBirth, not %s", i+1, describe(v))
			}
			times[i] = t
		}
		for i := 1; i < len(times); i++ {
			order = append(order, times[i-1].Compare(times[i]))
		}
	}
	for _, c := range order {
		if !holds(n.code, c) {
			return false, nil
		}
	}
	return true, nil
}

func compareFloats(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// holds reports whether a comparison whose operands compare as c (-1, 0, +1) is true.
// after, before, not-after and not-before are >, <, <= and >= on date-times.
func holds(code opcode, c int) bool {
	switch code {
	case opLess, opBefore:
		return c < 0
	case opGreater, opAfter:
		return c > 0
	case opLessEqual, opNotAfter:
		return c <= 0
	}
	return c >= 0 // >=, not-before
}

// evalDateTime evaluates plusTime and dccDateOfBirth, the only operations that make
// date-times. Both take a string: null is an error, as the specification gives no
// other meaning to it.
func (ev *evaluator) evalDateTime(n *node, data any) (any, error) {
	v, err := ev.eval(n.args[0], data)
	if err != nil {
		return nil, err
	}
	s, ok := v.(string)
	if !ok {
		return nil, n.fail(ErrType, "operand 1 must be a date string, not %s", describe(v))
	}
	if n.code == opDCCDateOfBirth {
		t, ok := parseDateOfBirth(s)
		if !ok {
			return nil, n.fail(ErrDateTime, "%s is not a date of birth (YYYY, YYYY-MM or YYYY-MM-DD)", quote(s))
		}
		return t, nil
	}
	t, ok := parseDateTime(s)
	if !ok {
		return nil, n.fail(ErrDateTime, "%s is not a date-time in a format CertLogic allows", quote(s))
	}
	if t, ok = plusTime(t, n.amount, n.unit); !ok {
		return nil, n.fail(ErrDateTime, "%s offset by %v leaves the range of date-times", quote(s), n.amount)
	}
	return t, nil
}

// evalReduce is a left fold (CertLogic 1.3.3, "Reduction (reduce)"): the lambda sees
// exactly {"accumulator": …, "current": …}. A null operand gives the initial value, as
// in certlogic-js and the JsonLogic suite; any other non-array is an error.
func (ev *evaluator) evalReduce(n *node, data any) (any, error) {
	operand, err := ev.eval(n.args[0], data)
	if err != nil {
		return nil, err
	}
	if operand == nil {
		return ev.eval(n.args[2], data)
	}
	items, ok := operand.([]any)
	if !ok {
		return nil, n.fail(ErrType, "operand 1 must be an array or null, not %s", describe(operand))
	}
	acc, err := ev.eval(n.args[2], data)
	if err != nil {
		return nil, err
	}
	for _, item := range items {
		// A fresh context each time: the lambda may return it as the accumulator.
		if acc, err = ev.eval(n.args[1], map[string]any{"accumulator": acc, "current": item}); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

// evalExtractFromUVCI returns a fragment of a UCI string, or null for a null operand
// or a fragment that does not exist.
func (ev *evaluator) evalExtractFromUVCI(n *node, data any) (any, error) {
	v, err := ev.eval(n.args[0], data)
	if err != nil {
		return nil, err
	}
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		if fragment, ok := uvciFragment(v, n.amount); ok {
			return fragment, nil
		}
		return nil, nil
	}
	return nil, n.fail(ErrType, "operand 1 must be a string or null, not %s", describe(v))
}
