package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	specimenTD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
	eeIDCard    = "IDESTAB1234567146003150224<<<<\n6003151F3005017EST<<<<<<<<<<<9\nTAMM<<MARI<<<<<<<<<<<<<<<<<<<<"
)

func TestIdentify(t *testing.T) {
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string // the JSON printed, or empty
		stderr string // what stderr says, or empty
	}{
		{"EE ID card", "", []string{"--mrz", eeIDCard, "--profile", "EE"}, 0,
			`{"identifier":{"system":"urn:ee:personal-code","value":"46003150224"},"family_name":"TAMM","given_names":["MARI"],"birth_date":"1960-03-15","document":{"type":"ID","number":"AB1234567","issuing_state":"EST","nationality":"EST","expiry":"2030-05-01"},"source":"mrz"}`, ""},
		{"lines separated by spaces", "", []string{"--mrz", strings.ReplaceAll(eeIDCard, "\n", " ")}, 0,
			`{"identifier":{"system":"urn:ee:personal-code","value":"46003150224"},"family_name":"TAMM","given_names":["MARI"],"birth_date":"1960-03-15","document":{"type":"ID","number":"AB1234567","issuing_state":"EST","nationality":"EST","expiry":"2030-05-01"},"source":"mrz"}`, ""},
		{"zone from stdin", strings.ToLower(strings.ReplaceAll(eeIDCard, "\n", "\r\n")) + "\r\n", []string{"--mrz", "-"}, 0,
			`{"identifier":{"system":"urn:ee:personal-code","value":"46003150224"},"family_name":"TAMM","given_names":["MARI"],"birth_date":"1960-03-15","document":{"type":"ID","number":"AB1234567","issuing_state":"EST","nationality":"EST","expiry":"2030-05-01"},"source":"mrz"}`, ""},
		{"bad check digit", "", []string{"--mrz", strings.Replace(specimenTD1, "7408122F", "7408123F", 1)}, 1, "",
			"certkiosk identify: identity: MRZ date of birth check digit is '3', want '2' (line 2, position 7)\n"},
		{"line too short", "", []string{"--mrz", strings.TrimSuffix(specimenTD1, "<")}, 1, "",
			"certkiosk identify: identity: MRZ line 3: 29 characters, want 30 (TD1)\n"},
		{"no identifier in the zone", "", []string{"--mrz", specimenTD1}, 1,
			`{"family_name":"ERIKSSON","given_names":["ANNA","MARIA"],"birth_date":"1974-08-12","document":{"type":"I","number":"D23145890","issuing_state":"UTO","nationality":"UTO","expiry":"2012-04-15"},"source":"mrz"}`,
			"certkiosk identify: identity: no national identifier in the machine-readable zone of this UTO document\n"},
		{"EE card at a Moscow kiosk", "", []string{"--mrz", eeIDCard, "--profile", "RU-MOW"}, 1, "",
			"people are found here by SNILS or OMS policy number"},
		{"SNILS typed in", "", []string{"--id", "urn:ru:snils|112-233-445 95"}, 0,
			`{"identifier":{"system":"urn:ru:snils","value":"11223344595"},"source":"staff"}`, ""},
		{"bare value in the profile's system", "", []string{"--id", "37605030299", "--profile", "EE"}, 0,
			`{"identifier":{"system":"urn:ee:personal-code","value":"37605030299"},"birth_date":"1976-05-03","source":"staff"}`, ""},
		{"bad SNILS", "", []string{"--id", "urn:ru:snils|112-233-445 96"}, 1, "",
			"certkiosk identify: identity: SNILS \"112-233-445 96\": check number is 96, want 95\n"},
		{"bare value without a profile", "", []string{"--id", "37605030299"}, 2, "", "give SYSTEM|VALUE"},
		{"card", "", []string{"--card"}, 1, "", "certkiosk identify: no card reader"},
		{"nothing", "", nil, 2, "", "give one of --mrz TEXT, --id SYSTEM|VALUE or --card"},
		{"two sources", "", []string{"--mrz", specimenTD1, "--id", "urn:ru:snils|11223344595"}, 2, "", "give one of"},
		{"unknown profile", "", []string{"--mrz", specimenTD1, "--profile", "XX"}, 1, "", "XX"},
	}
	for _, tt := range tests {
		r := run(t, tt.stdin, append([]string{"identify"}, tt.args...)...)
		if r.code != tt.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tt.name, r.code, tt.code, r.stderr)
		}
		// A failure may still print the person: stdout is compared when given.
		if tt.stdout != "" && strings.TrimSpace(r.stdout) != tt.stdout {
			t.Errorf("%s: stdout\n%s\nwant\n%s", tt.name, r.stdout, tt.stdout)
		}
		if tt.stderr == "" && r.stderr != "" || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("%s: stderr %q, want it to say %q", tt.name, r.stderr, tt.stderr)
		}
		if tt.code != 2 && strings.Count(r.stderr, "\n") > 1 {
			t.Errorf("%s: stderr %q, want one line", tt.name, r.stderr)
		}
		if r.stdout != "" {
			var v map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
				t.Errorf("%s: stdout %q is not JSON: %v", tt.name, r.stdout, err)
			}
		}
	}
}
