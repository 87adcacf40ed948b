package certlogic

// expression.go: parsing an expression and checking it before it meets any data.

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// MaxDepth is how deeply operations and array literals may nest in an expression.
// Business rules nest a dozen levels or so, a long else-if chain a few dozen; the
// limit keeps a hostile expression from exhausting the stack.
const MaxDepth = 256

// Expression is a parsed CertLogic expression that has passed Validate's checks.
// It is immutable and may be evaluated by several goroutines at once.
type Expression struct {
	root *node
}

// Parse reads a CertLogic expression and checks it without data: every operation
// must exist and have its number of operands, every literal must be a boolean, an
// integer, a string or an array of expressions, and literal operands must be of a type
// their operation can accept (CertLogic 1.3.3, "Introduction": the evaluator checks
// the expression before evaluating any of its operands). The error is an *Error.
func Parse(expr json.RawMessage) (*Expression, error) {
	var v any
	if err := json.Unmarshal(expr, &v); err != nil {
		return nil, newError("", "", ErrMalformed, "not JSON: %v", err)
	}
	root, err := compile(v, "", "", 0)
	if err != nil {
		return nil, err
	}
	return &Expression{root: root}, nil
}

// Validate reports whether expr is well-formed CertLogic, as Parse checks it: unknown
// operations, wrong arity, malformed operands and literal operands of the wrong type.
// It needs no data, so it suits checking rules when they are loaded.
func Validate(expr json.RawMessage) error {
	_, err := Parse(expr)
	return err
}

// Evaluate parses expr and evaluates it against data, the decoded JSON value
// (map[string]any, []any, float64, string, bool or nil). See Expression.Evaluate.
func Evaluate(expr json.RawMessage, data any) (any, error) {
	e, err := Parse(expr)
	if err != nil {
		return nil, err
	}
	return e.Evaluate(data)
}

// IsTrue parses expr, evaluates it against data and applies CertLogic's truthiness to
// the result. See Expression.IsTrue.
func IsTrue(expr json.RawMessage, data any) (bool, error) {
	e, err := Parse(expr)
	if err != nil {
		return false, err
	}
	return e.IsTrue(data)
}

// opcode says what a node of a parsed expression does.
type opcode uint8

const (
	opLiteral opcode = iota // a boolean, integer or string
	opArray                 // an array literal, each item an expression
	opVar
	opIf
	opAnd
	opNot
	opEqual
	opIn
	opPlus
	opLess
	opGreater
	opLessEqual
	opGreaterEqual
	opBefore
	opAfter
	opNotAfter
	opNotBefore
	opPlusTime
	opDCCDateOfBirth
	opReduce
	opExtractFromUVCI
)

// unbounded is the maximum operand count of "and".
const unbounded = math.MaxInt

// lookup returns the operation with the given name and its least and greatest number
// of operands (CertLogic 1.3.3, "Operations").
func lookup(name string) (code opcode, least, most int, ok bool) {
	switch name {
	case "if":
		return opIf, 3, 3, true
	case "and":
		return opAnd, 2, unbounded, true
	case "!":
		return opNot, 1, 1, true
	case "===":
		return opEqual, 2, 2, true
	case "in":
		return opIn, 2, 2, true
	case "+":
		return opPlus, 2, 2, true
	case "<":
		return opLess, 2, 3, true
	case ">":
		return opGreater, 2, 3, true
	case "<=":
		return opLessEqual, 2, 3, true
	case ">=":
		return opGreaterEqual, 2, 3, true
	case "before":
		return opBefore, 2, 3, true
	case "after":
		return opAfter, 2, 3, true
	case "not-after":
		return opNotAfter, 2, 3, true
	case "not-before":
		return opNotBefore, 2, 3, true
	case "plusTime":
		return opPlusTime, 3, 3, true
	case "dccDateOfBirth":
		return opDCCDateOfBirth, 1, 1, true
	case "reduce":
		return opReduce, 3, 3, true
	case "extractFromUVCI":
		return opExtractFromUVCI, 2, 2, true
	}
	return 0, 0, 0, false
}

// node is one operation or literal of a parsed expression.
type node struct {
	code opcode
	name string // the operation as written; "" for literals
	at   string // JSON Pointer (RFC 6901) of the node within the expression
	args []*node

	value  any        // opLiteral
	path   []pathStep // opVar; nil for the whole data context
	amount float64    // opPlusTime: the amount; opExtractFromUVCI: the index
	unit   timeUnit   // opPlusTime
}

// pathStep is one fragment of a "var" path.
type pathStep struct {
	key   string
	index int // the fragment as an array index, or -1 when it is not one
}

// fail returns an *Error blaming n.
func (n *node) fail(sentinel error, format string, args ...any) *Error {
	return newError(n.name, n.at, sentinel, format, args...)
}

// compile turns the decoded JSON v into a node. op is the innermost enclosing
// operation, blamed for a bad literal.
func compile(v any, at, op string, depth int) (*node, error) {
	if depth > MaxDepth {
		return nil, newError(op, at, ErrTooDeep, "expression nested deeper than %d levels", MaxDepth)
	}
	switch v := v.(type) {
	case bool, string:
		return &node{code: opLiteral, at: at, value: v}, nil
	case float64:
		if !isInteger(v) {
			return nil, newError(op, at, ErrMalformed, "number literal %v is not an integer", v)
		}
		return &node{code: opLiteral, at: at, value: v}, nil
	case nil:
		return nil, newError(op, at, ErrMalformed, "null is not a CertLogic literal")
	case []any:
		n := &node{code: opArray, at: at, args: make([]*node, len(v))}
		for i, item := range v {
			c, err := compile(item, at+"/"+strconv.Itoa(i), op, depth+1)
			if err != nil {
				return nil, err
			}
			n.args[i] = c
		}
		return n, nil
	case map[string]any:
		return compileOperation(v, at, op, depth)
	}
	return nil, newError(op, at, ErrMalformed, "unexpected value of Go type %T", v)
}

// compileOperation compiles an object, which must be exactly one operation.
func compileOperation(obj map[string]any, at, outer string, depth int) (*node, error) {
	if len(obj) != 1 {
		return nil, newError(outer, at, ErrMalformed, "an object must be one operation, with exactly one key; this one has %d", len(obj))
	}
	var name string
	var operands any
	for name, operands = range obj {
	}
	if name == "var" {
		return compileVar(operands, at)
	}
	code, least, most, ok := lookup(name)
	if !ok {
		return nil, newError(name, at, ErrUnknownOperation, "not a CertLogic operation")
	}
	n := &node{code: code, name: name, at: at}
	list, ok := operands.([]any)
	if !ok {
		return nil, n.fail(ErrMalformed, "operands must be an array, as in {%q: [ … ]}", name)
	}
	if len(list) < least || len(list) > most {
		return nil, n.fail(ErrArity, "takes %s, not %d", operandCount(least, most), len(list))
	}
	compiled := len(list)
	switch code {
	case opPlusTime:
		// The amount and the unit are literals, never evaluated (CertLogic 1.3.3,
		// "Offset date-time (plusTime)").
		amount, ok := list[1].(float64)
		if !ok || !isInteger(amount) {
			return nil, n.fail(ErrMalformed, "the amount (operand 2) must be an integer literal")
		}
		unit, _ := list[2].(string)
		if n.unit, ok = parseTimeUnit(unit); !ok {
			return nil, n.fail(ErrMalformed, `the unit (operand 3) must be "year", "month", "day" or "hour"`)
		}
		n.amount = amount
		compiled = 1
	case opExtractFromUVCI:
		index, ok := list[1].(float64)
		if !ok || !isInteger(index) {
			return nil, n.fail(ErrMalformed, "the index (operand 2) must be an integer literal")
		}
		n.amount = index
		compiled = 1
	}
	n.args = make([]*node, compiled)
	for i := range compiled {
		c, err := compile(list[i], at+"/"+name+"/"+strconv.Itoa(i), name, depth+1)
		if err != nil {
			return nil, err
		}
		n.args[i] = c
	}
	if err := checkLiterals(n); err != nil {
		return nil, err
	}
	return n, nil
}

func operandCount(least, most int) string {
	switch {
	case most == unbounded:
		return "at least " + strconv.Itoa(least) + " operands"
	case least == most && least == 1:
		return "1 operand"
	case least == most:
		return strconv.Itoa(least) + " operands"
	}
	return strconv.Itoa(least) + " or " + strconv.Itoa(most) + " operands"
}

// compileVar compiles {"var": "<path>"}. The path is "" (the whole data context) or
// non-empty fragments separated by periods (CertLogic 1.3.3, "Data access (var)").
func compileVar(operand any, at string) (*node, error) {
	n := &node{code: opVar, name: "var", at: at}
	path, ok := operand.(string)
	if !ok {
		return nil, n.fail(ErrMalformed, `the path must be a string, as in {"var": "payload.v.0.dt"}`)
	}
	if path == "" {
		return n, nil
	}
	for fragment := range strings.SplitSeq(path, ".") {
		if fragment == "" {
			return nil, n.fail(ErrMalformed, "path %s has an empty fragment", quote(path))
		}
		n.path = append(n.path, pathStep{key: fragment, index: arrayIndex(fragment)})
	}
	return n, nil
}

// arrayIndex returns fragment as a 0-based array index, or -1 when it is not one.
func arrayIndex(fragment string) int {
	for i := 0; i < len(fragment); i++ {
		if fragment[i] < '0' || fragment[i] > '9' {
			return -1
		}
	}
	i, err := strconv.Atoi(fragment)
	if err != nil {
		return -1 // too large to index anything
	}
	return i
}

// checkLiterals rejects literal operands that no evaluation could accept, so that a
// rule such as {"+": ["1", 2]} fails when loaded rather than when a certificate
// happens to reach it.
func checkLiterals(n *node) error {
	for i, a := range n.args {
		if a.code != opLiteral && a.code != opArray {
			continue
		}
		var want string
		switch n.code {
		case opPlus, opLess, opGreater, opLessEqual, opGreaterEqual:
			if _, ok := a.value.(float64); !ok {
				want = "an integer"
			}
		case opBefore, opAfter, opNotAfter, opNotBefore:
			want = "a date-time, made by plusTime or dccDateOfBirth"
		case opIn:
			if i == 1 && a.code != opArray {
				want = "an array"
			}
		case opPlusTime, opDCCDateOfBirth, opExtractFromUVCI:
			if _, ok := a.value.(string); !ok {
				want = "a string"
			}
		case opReduce:
			if i == 0 && a.code != opArray {
				want = "an array"
			}
		}
		if want != "" {
			return n.fail(ErrType, "operand %d must be %s, not the literal %s", i+1, want, describeLiteral(a))
		}
	}
	return nil
}

func describeLiteral(n *node) string {
	if n.code == opArray {
		return "array"
	}
	return describe(n.value)
}
