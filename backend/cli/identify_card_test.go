package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"certkiosk/drivers/eid"
	"certkiosk/drivers/eid/eidtest"
	"certkiosk/drivers/pcsc/pcsctest"
)

var eeHolder = eid.PersonalData{Surname: "JÕEORG", GivenNames: "JAAK-KRISTJAN", Sex: "M", Citizenship: "EST",
	BirthDate: "1980-01-08", BirthPlace: "EST", PersonalCode: "38001085718", DocumentNumber: "AB0000001", Expiry: "2028-01-08"}

// identify --card through the real pcscd and vpcd, the ID card a Go virtual
// card: no card, the card read, cards in two readers, a card of the wrong
// country for the profile; and without pcscd, back to the USB bus.
func TestIdentifyCardPCSC(t *testing.T) {
	d := pcsctest.Start(t)
	if r := run(t, "", "identify", "--card"); r.code != 1 || r.stderr != "certkiosk identify: no card in the card reader: insert the ID card\n" {
		t.Errorf("identify --card, readers empty: exit %d, stderr %q", r.code, r.stderr)
	}

	card, err := eidtest.New(eeHolder, eidtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := d.Insert(t, 0, pcsctest.EstEIDATR(), card)
	r := run(t, "", "identify", "--card", "--profile", "EE")
	want := `{"identifier":{"system":"urn:ee:personal-code","value":"38001085718"},"family_name":"JÕEORG","given_names":["JAAK-KRISTJAN"],"birth_date":"1980-01-08","document":{"type":"ID","number":"AB0000001","issuing_state":"EST","nationality":"EST","expiry":"2028-01-08"},"source":"card"}`
	if r.code != 0 || strings.TrimSpace(r.stdout) != want {
		t.Errorf("identify --card: exit %d, stdout\n%s\nwant\n%s\nstderr %q", r.code, r.stdout, want, r.stderr)
	}
	var p map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
		t.Errorf("identify --card printed %q: %v", r.stdout, err)
	}
	if r := run(t, "", "identify", "--card", "--profile", "RU-MOW"); r.code != 1 || !strings.Contains(r.stderr, "people are found here by") {
		t.Errorf("identify --card --profile RU-MOW: exit %d, stderr %q", r.code, r.stderr)
	}

	other, _ := eidtest.New(eeHolder, eidtest.Options{Layout: eid.LayoutThales})
	w := d.Insert(t, 1, pcsctest.EstEIDATR(), other)
	if r := run(t, "", "identify", "--card"); r.code != 1 || !strings.Contains(r.stderr, "cards in 2 readers (") || !strings.Contains(r.stderr, "leave one") {
		t.Errorf("identify --card, two cards: exit %d, stderr %q", r.code, r.stderr)
	}
	d.Remove(w, 1)

	// Pulled out part way: an error naming the removal, nobody printed.
	card.RemoveAfter(7)
	if r := run(t, "", "identify", "--card"); r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "card removed") {
		t.Errorf("identify --card, card pulled out: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	d.Remove(v, 0)

	// pcscd gone: the USB bus is asked, and this machine's has no reader.
	d.Stop()
	start := time.Now()
	if r := run(t, "", "identify", "--card"); r.code != 1 || !strings.Contains(r.stderr, "certkiosk identify: no card reader") {
		t.Errorf("identify --card, no pcscd: exit %d, stderr %q", r.code, r.stderr)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("identify --card without pcscd took %s", took)
	}
}
