// Package certlogic evaluates CertLogic, the subset of JsonLogic in which the business
// rules of the EU Digital COVID Certificate are written (CertLogic specification
// 1.3.3, in ehn-dcc-development/eu-dcc-business-rules, certlogic/specification).
//
// A rule is parsed and checked once, then evaluated against the data of each
// certificate:
//
//	rule, err := certlogic.Parse(json.RawMessage(`{"not-before": [
//		{"plusTime": [{"var": "external.validationClock"}, 0, "day"]},
//		{"plusTime": [{"var": "payload.v.0.dt"}, 14, "day"]}
//	]}`))
//	if err != nil {
//		return err // unknown operation, wrong arity, malformed operand
//	}
//	passed, err := rule.IsTrue(data) // data: the decoded {"payload": …, "external": …}
//
// Evaluate and IsTrue do both steps in one call; Validate does only the first.
// Errors are *Error values naming the operation at fault and where it sits in the
// expression; they match the sentinels of errors.go with errors.Is. The specification
// advises treating an error as a failed rule.
//
// # Values
//
// Data is a decoded JSON value: map[string]any, []any, float64, string, bool or nil.
// Literals in an expression are booleans, integers, strings and arrays of
// expressions; null, objects and numbers with a fraction are not literals. Date-times
// exist only as results of plusTime and dccDateOfBirth, and appear as time.Time
// values in UTC, to the millisecond.
//
// Falsy are false, null, "", 0, [] and {}; truthy are true, non-empty strings,
// non-zero integers, non-empty arrays and non-empty objects. Other values (a number
// with a fraction, a date-time) are neither, and if, and, ! and IsTrue reject them
// with ErrType rather than guess.
//
// # Operations
//
//   - var: a path of fragments separated by periods; an integer fragment indexes an
//     array; anything missing gives null; "" is the whole data.
//   - if (3 operands) and and (2 or more) evaluate lazily: the branch not taken, and
//     the operands after the first falsy one, are never evaluated. and returns the
//     first falsy operand or the last.
//   - ! (1 operand) negates a truthy or falsy value.
//   - === (2) compares without coercion: the specification speaks for strings and
//     integers; other values compare as JSON, date-times as instants.
//   - in (2): whether the left operand is === to an item of the right, which must be
//     an array; null there is an error, as the specification has it.
//   - + (2) adds two integers; <, >, <=, >= (2 or 3) compare integers, and
//     before, after, not-after, not-before (2 or 3) compare date-times; the 3-operand
//     form a op b op c means (a op b) and (b op c).
//   - plusTime (date string, integer literal, "year"|"month"|"day"|"hour"): parses the
//     string (YYYY, YYYY-MM, YYYY-MM-DD, or a date-time with an optional fraction
//     and offset, none meaning Z) and offsets it in UTC as JavaScript's setUTC…
//     methods do, so 2020-02-29 plus one year is 2021-03-01.
//   - dccDateOfBirth (1): a DCC date of birth, taking the last day the data allows:
//     2004 is 2004-12-31, 2004-02 is 2004-02-29.
//   - reduce (array, lambda, initial): a left fold whose lambda sees exactly
//     {"accumulator", "current"}; a null array gives the initial value.
//   - extractFromUVCI (string or null, integer literal): a fragment of a UCI split at
//     '/', '#' and ':', without its optional URN:UVCI: prefix; null when absent.
//
// # The public test suite
//
// The package passes the specification's test suite except eight assertions, all of
// which the suite itself marks "skip": four expect in with a null or missing right
// operand to be false, where the specification calls that an error; four expect a
// reduce lambda to see the outer data as "data", which the specification only says
// CertLogic may add one day. The test lists them and checks what happens instead.
//
// # Why not a JsonLogic library
//
// github.com/diegoholiveira/jsonlogic/v3 v3.5.1 with CertLogic's operations added
// was the first choice, and was measured against the test suite: as shipped it passes
// 152 of the 232 assertions, and the rest cannot be added cleanly. It evaluates every
// operand before an operation sees it, so and and if cannot be lazy, as CertLogic
// requires; it dispatches reduce before custom operations, so reduce cannot be
// replaced; its own and and in disagree with CertLogic (null and true gives true;
// 0 in ["foo","bar"] is true; null in [null] is false); its if fails when the guard
// evaluates to an object; and custom operations live in a map shared by the whole
// program and can report errors only by panicking. CertLogic is small and fully
// specified, so this package implements exactly that subset, with errors instead of
// panics.
//
// # Limits
//
// An expression may nest MaxDepth levels; one evaluation may take a million steps
// (ErrLimit); === and in compare values nested at most 10000 levels (ErrTooDeep).
// A plusTime result outside the range of JavaScript's Date is an ErrDateTime.
package certlogic
