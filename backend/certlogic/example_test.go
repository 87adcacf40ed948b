package certlogic_test

import (
	"encoding/json"
	"fmt"

	"certkiosk/backend/certlogic"
)

// A rule is parsed once and then evaluated against each certificate's data.
func ExampleParse() {
	rule, err := certlogic.Parse(json.RawMessage(`{
		"not-before": [
			{"plusTime": [{"var": "external.validationClock"}, 0, "day"]},
			{"plusTime": [{"var": "payload.v.0.dt"}, 14, "day"]}
		]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, clock := range []string{"2021-06-11T09:00:00Z", "2021-06-12T00:00:00+00:00"} {
		var data any
		_ = json.Unmarshal([]byte(`{
			"payload": {"v": [{"dt": "2021-05-29"}]},
			"external": {"validationClock": "`+clock+`"}
		}`), &data)
		ok, err := rule.IsTrue(data)
		fmt.Println(clock, ok, err)
	}
	// Output:
	// 2021-06-11T09:00:00Z false <nil>
	// 2021-06-12T00:00:00+00:00 true <nil>
}

func ExampleEvaluate() {
	country, err := certlogic.Evaluate(
		json.RawMessage(`{"extractFromUVCI": [{"var": "payload.v.0.ci"}, 1]}`),
		map[string]any{"payload": map[string]any{"v": []any{
			map[string]any{"ci": "URN:UVCI:01:NL:187/37512422923"},
		}}},
	)
	fmt.Println(country, err)
	// Output: NL <nil>
}

func ExampleValidate() {
	fmt.Println(certlogic.Validate(json.RawMessage(`{"if": [{"var": "payload.v.0"}, true]}`)))
	fmt.Println(certlogic.Validate(json.RawMessage(`{"plusTime": [{"var": "payload.dob"}, 18, "years"]}`)))
	// Output:
	// certlogic: if: takes 3 operands, not 2
	// certlogic: plusTime: the unit (operand 3) must be "year", "month", "day" or "hour"
}
