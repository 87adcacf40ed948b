package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"certkiosk/backend/dcc"
	"certkiosk/backend/registrysim"
)

// demoOutcomes is what the demo registry's people must get (issue 3's table): for a
// certificate its kind, dose n/m for a vaccination, and its source; for a refusal its
// kind and reason code.
var demoOutcomes = map[string][]string{
	"46003150224":    {"vaccination 2/2 local"},
	"34811020330":    {"vaccination 1/1 local"},
	"37506070448":    {"recovery local"},
	"49001010557":    {"test local"},
	"38509120665":    {"vaccination 1/2 local"},
	"49912310774":    {"refused recovery ill-now"},
	"37001010885":    {"vaccination 1/1 local", "refused recovery recovery-expired"},
	"37605030299":    {"refused vaccination no-record"},
	"112-233-445 95": {"vaccination 2/2 local"},
	"223-344-556 39": {"refused vaccination first-component-only"},
	"334-455-667 84": {"vaccination 2/2 federal"},
	"445-566-778 28": {"refused recovery recovery-expired"},
	"556-677-889 73": {"refused recovery ill-now"},
	"667-788-990 07": {"refused vaccination vaccine-not-recognised"},
	"778-899-001 02": {"recovery local"},
	"889-900-112 58": {"test local"},
	"990-011-223 74": {"refused recovery illness-not-confirmed"},
	"5ZJ7K2M":        {"vaccination 2/2 local"},
	"6AB3C9D":        {"recovery local"},
	"7XK4P1Q":        {"refused vaccination first-component-only"},
}

// TestIssueDemoPeople issues for every person of the demo registry, through the
// in-process registry and over HTTP to a registry served apart, and checks each
// outcome against the table.
func TestIssueDemoPeople(t *testing.T) {
	people := registrysim.People()
	if len(people) != len(demoOutcomes) {
		t.Fatalf("the demo registry has %d people, the table %d", len(people), len(demoOutcomes))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served, err := registrysim.Start(ctx, registrysim.Path(t.TempDir()), issueTime)
	if err != nil {
		t.Fatal(err)
	}
	defer served.Close()

	data := t.TempDir()
	verifier := dcc.NewVerifier(mustIssuer(t, data).Certificate)
	modes := []struct {
		name  string
		extra []string
	}{
		{"in-process", nil},
		{"over-http", []string{"--registry", served.LocalURL, "--federal", served.FederalURL}},
	}
	for _, mode := range modes {
		for _, p := range people {
			t.Run(mode.name+"/"+p.Profile+"/"+p.Value, func(t *testing.T) {
				args := append([]string{"issue", "--data", data, "--profile", p.Profile, "--subject", p.Value, "--out", t.TempDir()}, mode.extra...)
				r := run(t, "", args...)
				if r.code != 0 {
					t.Fatalf("issue exit %d: %s", r.code, r.stderr)
				}
				var got []string
				for _, line := range decodeLines[map[string]string](t, r.stdout) {
					if kind, ok := line["refused"]; ok {
						got = append(got, fmt.Sprintf("refused %s %s", kind, line["reason"]))
						continue
					}
					res := verifier.Verify(line["hc1"], issueTime)
					if !res.Valid {
						t.Errorf("%s certificate does not verify: %s: %v", line["kind"], res.Reason, res.Err)
						continue
					}
					desc := line["kind"]
					if v := res.Claims.Certificate.Vaccinations; len(v) == 1 {
						desc += fmt.Sprintf(" %d/%d", v[0].DoseNumber, v[0].TotalDoses)
					}
					got = append(got, desc+" "+line["source"])
				}
				want := demoOutcomes[p.Value]
				if !slices.Equal(got, want) {
					t.Errorf("issue --profile %s --subject %q = %s, want %s", p.Profile, p.Value, strings.Join(got, "; "), strings.Join(want, "; "))
				}
			})
		}
	}
}

func TestIssueSubjectErrors(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad check digit", []string{"--subject", "46003150225"}, 1, "check digit is 5, want 4"},
		{"bad SNILS", []string{"--profile", "RU-MOW", "--subject", "112-233-445 96"}, 1, "check number is 96, want 95"},
		{"foreign system", []string{"--subject", "urn:az:fin|5ZJ7K2M"}, 2, "finds people by urn:ee:personal-code"},
		{"both inputs", []string{"--subject", "46003150224", "--bundle", "x.json"}, 2, "either --bundle FILE or --subject ID"},
		{"registry down", []string{"--subject", "46003150224", "--registry", "http://127.0.0.1:1/fhir"}, 1, "unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			r := run(t, "", append([]string{"issue", "--data", data, "--out", out}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("issue %v = exit %d, %q; want exit %d mentioning %q", tt.args, r.code, r.stderr, tt.code, tt.want)
			}
		})
	}
}
