//go:build linux && e2epending

// e2e_pending_test.go: the end-to-end scenarios that wait for what they drive to be
// wired into the window: the window's -printer and -idle flags (kioskSetup.args) and
// the resident screens of the frontend. Run them with
//
//	go test -tags e2epending -run E2E -v .
//
// and, once they pass on the committed tree, move them into e2eScenarios.

package main

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func init() {
	e2eScenarios = append(e2eScenarios,
		e2eScenario{"Certificate", testE2ECertificate},
		e2eScenario{"Refusal", testE2ERefusal},
		e2eScenario{"RegistryOutage", testE2ERegistryOutage},
		e2eScenario{"IdleTimeout", testE2EIdleTimeout},
	)
}

// testE2ECertificate: a card inserted for a person vaccinated twice → results →
// preview → a certificate printed on a real IPP printer, whose QR code read back from
// the printed PDF is a valid HC1 with the UVCI the preview showed.
func testE2ECertificate(t *testing.T, e *e2e) {
	printer := startIPPPrinter(t, t.TempDir())
	k, b := e.startKiosk(t, kioskSetup{printer: printer.uri})
	mari := demoPerson(t, vaccinatedTwice)
	r := b.run(t, "certificate.mjs", "E2E_PERSON="+mari.Name, "E2E_FAULTS="+k.faultsURL(t))

	var person struct{ Name, BirthDate string }
	r.get(t, "person", &person)
	if person.Name != mari.Name || person.BirthDate != mari.BirthDate {
		t.Errorf("the results are for %+v, want %s born %s", person, mari.Name, mari.BirthDate)
	}
	var resultsText, uvci string
	r.get(t, "resultsText", &resultsText)
	r.get(t, "uvci", &uvci)
	if !strings.Contains(resultsText, mari.Name) {
		t.Errorf("the results screen does not name %s:\n%s", mari.Name, resultsText)
	}
	if !strings.HasPrefix(uvci, "URN:UVCI:01:EE:") {
		t.Errorf("the preview shows the UVCI %q, want an Estonian one", uvci)
	}
	var qrIsPNG bool
	r.get(t, "qrIsPNG", &qrIsPNG)
	if !qrIsPNG {
		t.Error("the preview's QR code is not a PNG data URL")
	}
	var jobs []printJob
	r.get(t, "jobs", &jobs)
	if got := jobsOf(jobs, "printed"); !reflect.DeepEqual(got, []string{"certificate"}) {
		t.Errorf("the done screen's jobs are %s, want one certificate printed", mustJSON(jobs))
	}

	docs := printer.waitDocuments(t, 1, 20*time.Second)
	time.Sleep(time.Second) // a second document would have arrived by now
	if docs = printer.documents(t); len(docs) != 1 {
		t.Fatalf("the printer received %d documents, want 1: %q", len(docs), docs)
	}
	hc1 := hc1Codes(t, docs[0])
	if len(hc1) != 1 {
		t.Fatalf("the printed certificate has %d HC1 QR codes, want 1 (all: %q)", len(hc1), qrCodes(t, docs[0]))
	}
	if _, got := verifyHC1(t, e, k, hc1[0]); got != uvci {
		t.Errorf("the printed QR code's UVCI is %q, the preview's %q", got, uvci)
	}
	if text := pdfText(t, docs[0]); !strings.Contains(text, uvci) {
		t.Errorf("the printed certificate does not show the UVCI %s:\n%s", uvci, text)
	}
}

// testE2ERefusal: a person who is ill now is refused with the reason and the next
// step on the results screen, and the refusal slip prints, without a QR code.
func testE2ERefusal(t *testing.T, e *e2e) {
	printer := startIPPPrinter(t, t.TempDir())
	_, b := e.startKiosk(t, kioskSetup{printer: printer.uri})
	kadri := demoPerson(t, illNow)
	r := b.run(t, "refusal.mjs", "E2E_PERSON="+kadri.Name)

	var offers []json.RawMessage
	var refusals []struct{ Kind, Reason, Text, NextStep string }
	var resultsText string
	r.get(t, "offers", &offers)
	r.get(t, "refusals", &refusals)
	r.get(t, "resultsText", &resultsText)
	if len(offers) != 0 {
		t.Errorf("%s is offered %d certificates, want none", kadri.Name, len(offers))
	}
	found := false
	for _, f := range refusals {
		if f.Reason != "ill-now" {
			continue
		}
		found = true
		if f.Text == "" || f.NextStep == "" {
			t.Errorf("the refusal %+v has no text or next step", f)
		}
		if !strings.Contains(resultsText, f.Text) || !strings.Contains(resultsText, f.NextStep) {
			t.Errorf("the results screen does not show the refusal's text %q and next step %q:\n%s", f.Text, f.NextStep, resultsText)
		}
	}
	if !found {
		t.Errorf("the refusals are %s, want one for ill-now", mustJSON(refusals))
	}

	docs := printer.waitDocuments(t, 1, 20*time.Second)
	if len(docs) != 1 {
		t.Fatalf("the printer received %d documents, want the slip alone: %q", len(docs), docs)
	}
	if codes := hc1Codes(t, docs[0]); len(codes) != 0 {
		t.Errorf("the refusal slip carries %d HC1 codes, want none", len(codes))
	}
	if text := pdfText(t, docs[0]); strings.TrimSpace(text) == "" {
		t.Error("the refusal slip has no text")
	}
}

// testE2ERegistryOutage: with both registries down a card insert ends on the failed
// screen with a claim code, and a receipt prints; once the registry is back the
// queue completes the request, and the claim code with the date of birth prints the
// certificate.
func testE2ERegistryOutage(t *testing.T, e *e2e) {
	printer := startIPPPrinter(t, t.TempDir())
	k, b := e.startKiosk(t, kioskSetup{printer: printer.uri})
	mari := demoPerson(t, vaccinatedTwice)
	birth, err := time.Parse(time.DateOnly, mari.BirthDate)
	if err != nil {
		t.Fatal(err)
	}
	r := b.run(t, "outage.mjs", "E2E_PERSON="+mari.Name, "E2E_BIRTH_DIGITS="+birth.Format("02012006"),
		"E2E_FAULTS="+k.faultsURL(t))

	var queued, code, reason string
	var nameAfterFinish bool
	r.get(t, "queued", &queued)
	r.get(t, "code", &code)
	r.get(t, "reason", &reason)
	r.get(t, "nameAfterFinish", &nameAfterFinish)
	var attempts int
	r.get(t, "attempts", &attempts)
	t.Logf("claim code %s, accepted at the %d. attempt", code, attempts)
	if queued != "true" || reason != "registry-unreachable" || code == "" {
		t.Errorf("the failed screen says queued=%s, reason %q, claim code %q; want a queued request with a claim code", queued, reason, code)
	}
	if nameAfterFinish {
		t.Errorf("the page still holds %s after Finish", mari.Name)
	}
	var receiptJobs, jobs []printJob
	r.get(t, "receiptJobs", &receiptJobs)
	r.get(t, "jobs", &jobs)
	if got := jobsOf(receiptJobs, "printed"); !reflect.DeepEqual(got, []string{"receipt"}) {
		t.Errorf("the failed screen's jobs are %s, want one receipt printed", mustJSON(receiptJobs))
	}
	if got := jobsOf(jobs, "printed"); !reflect.DeepEqual(got, []string{"certificate"}) {
		t.Errorf("after the claim the jobs are %s, want one certificate printed", mustJSON(jobs))
	}

	docs := printer.waitDocuments(t, 2, 20*time.Second)
	if len(docs) != 2 {
		t.Fatalf("the printer received %d documents, want the receipt and the certificate: %q", len(docs), docs)
	}
	receipt, certificate := docs[0], docs[1]
	text := pdfText(t, receipt)
	if !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(code, " ", "")) {
		t.Errorf("the receipt does not show the claim code %s:\n%s", code, text)
	}
	for _, personal := range []string{mari.Name, mari.Value, mari.BirthDate} {
		if strings.Contains(text, personal) {
			t.Errorf("the receipt shows %q; it must carry no personal data", personal)
		}
	}
	if codes := hc1Codes(t, receipt); len(codes) != 0 {
		t.Errorf("the receipt carries %d HC1 codes, want none", len(codes))
	}
	hc1 := hc1Codes(t, certificate)
	if len(hc1) != 1 {
		t.Fatalf("the released certificate has %d HC1 QR codes, want 1", len(hc1))
	}
	verifyHC1(t, e, k, hc1[0])
}

// testE2EIdleTimeout: a resident leaves the results screen; after the idle timeout
// the attract screen shows and the page holds nothing of the person.
func testE2EIdleTimeout(t *testing.T, e *e2e) {
	const idle = 10 * time.Second
	_, b := e.startKiosk(t, kioskSetup{idle: idle})
	mari := demoPerson(t, vaccinatedTwice)
	r := b.run(t, "idle.mjs", "E2E_PERSON="+mari.Name, "E2E_IDLE_MS="+strconv.Itoa(int(idle.Milliseconds())))

	var nameBefore, nameAfter bool
	var waited int
	var page string
	var st struct {
		Screen   string            `json:"screen"`
		Person   *json.RawMessage  `json:"person"`
		Offers   []json.RawMessage `json:"offers"`
		Refusals []json.RawMessage `json:"refusals"`
		Preview  *json.RawMessage  `json:"preview"`
		Print    *json.RawMessage  `json:"print"`
		Failure  *json.RawMessage  `json:"failure"`
		Verify   *json.RawMessage  `json:"verify"`
		Staff    *json.RawMessage  `json:"staff"`
	}
	r.get(t, "nameBefore", &nameBefore)
	r.get(t, "nameAfter", &nameAfter)
	r.get(t, "waited", &waited)
	r.get(t, "page", &page)
	r.get(t, "state", &st)
	t.Logf("the results screen went after %d ms", waited)
	if !nameBefore {
		t.Fatalf("the results page did not name %s before the timeout", mari.Name)
	}
	if nameAfter {
		t.Errorf("after the idle timeout the page still holds %s", mari.Name)
	}
	for _, personal := range []string{mari.Value, mari.BirthDate, "15.03.1960", "Tamm"} {
		if strings.Contains(page, personal) {
			t.Errorf("after the idle timeout the page still holds %q", personal)
		}
	}
	if w := time.Duration(waited) * time.Millisecond; w < idle-5*time.Second || w > idle+5*time.Second {
		t.Errorf("the results screen went after %v, want about the idle timeout %v", w, idle)
	}
	if st.Screen != "attract" || st.Person != nil || len(st.Offers) != 0 || len(st.Refusals) != 0 ||
		st.Preview != nil || st.Print != nil || st.Failure != nil || st.Verify != nil || st.Staff != nil {
		t.Errorf("the backend's state after the idle timeout is %s, want the attract screen and nothing personal", mustJSON(st))
	}
}
