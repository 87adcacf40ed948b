package commission

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

// TestFacadeJSON reads what the clerk screens send and writes what they read, as
// the façade passes them through.
func TestFacadeJSON(t *testing.T) {
	var a Application
	if err := json.Unmarshal([]byte(`{"system":"snils","identifier":"112-233-445 95","name":"Петрова Анна","birthDate":"1957-09-02"}`), &a); err != nil ||
		a != (Application{System: "snils", Identifier: testSNILS, Name: "Петрова Анна", BirthDate: testBirth}) {
		t.Errorf("Application = %+v, %v", a, err)
	}

	// The screens send the numbers of a lab result as JSON numbers.
	var r LabResult
	err := json.Unmarshal([]byte(`{"test":"94762-2","value":74.2,"unit":"BAU/mL","referenceLow":0,"referenceHigh":"7.10",
		"laboratory":"КДЛ","date":"2026-11-18"}`), &r)
	if err != nil || r.Value != "74.2" || r.ReferenceLow != "0" || r.ReferenceHigh != "7.10" {
		t.Errorf("LabResult = %+v, %v", r, err)
	}
	if err := json.Unmarshal([]byte(`{"value":true}`), &r); !errors.Is(err, ErrInvalid) {
		t.Errorf("LabResult with value true = %v, want ErrInvalid", err)
	}

	for in, want := range map[string]Query{
		`"Петрова"`:                                 {Text: "Петрова"},
		`{"text":"AK000001","stage":"issued"}`:      {Text: "AK000001", Stage: StageIssued},
		`{"issuedFrom":"2026-11-01","issuedTo":""}`: {IssuedFrom: "2026-11-01"},
	} {
		var q Query
		if err := json.Unmarshal([]byte(in), &q); err != nil || q != want {
			t.Errorf("Query from %s = %+v, %v, want %+v", in, q, err, want)
		}
	}

	e := newEnv(t)
	for _, stage := range []Stage{StageIssued, StageApplied} { // one case open at a time
		c := e.toStage(t, stage)
		raw, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"id", "name", "stage", "approvals", "approvedBy"} {
			if _, ok := m[k]; !ok {
				t.Errorf("Case at %s as JSON lacks %q: %s", stage, k, raw)
			}
		}
		for _, k := range []string{"decision", "issuedAt", "uvci"} {
			if _, ok := m[k]; ok != (stage == StageIssued) {
				t.Errorf("Case at %s as JSON has %q: %v, want %v", stage, k, ok, stage == StageIssued)
			}
		}
		if stage == StageIssued {
			if by, _ := m["approvedBy"].([]any); !slices.Equal(by, []any{"member1", "member2"}) || m["approvals"] != 2.0 {
				t.Errorf("issued Case as JSON: approvals %v by %v", m["approvals"], m["approvedBy"])
			}
		}
	}
	// The search box's string finds the case.
	var q Query
	if err := json.Unmarshal([]byte(`"петрова"`), &q); err != nil {
		t.Fatal(err)
	}
	if got := must[[]Case](t, "Search")(e.svc.Search(context.Background(), clerk, q)); len(got) != 2 {
		t.Errorf("Search(%q) = %d cases, want 2", q.Text, len(got))
	}
}
