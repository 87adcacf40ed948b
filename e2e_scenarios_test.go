//go:build linux

// e2e_scenarios_test.go: the end-to-end scenarios after the attract screen: a
// certificate printed and verified at the kiosk, a refusal slip, a registry outage
// collected later with the claim code, the idle timeout, and the antibody commission.

package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os/exec"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/dcc"
)

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

	// The printed code scanned at the kiosk: green; with one character changed: red;
	// a genuine certificate the rules do not accept now: orange.
	v := b.run(t, "verify.mjs", "E2E_HC1="+hc1[0], "E2E_PERSON="+mari.Name)
	var goodColour string
	var goodNamed bool
	var good, bad struct{ Colour, Reason, Name, BirthDate string }
	v.get(t, "goodColour", &goodColour)
	v.get(t, "goodNamed", &goodNamed)
	v.get(t, "goodState", &good)
	v.get(t, "badState", &bad)
	if goodColour != "green" || good.Colour != "green" || good.Name != mari.Name || good.BirthDate != mari.BirthDate {
		t.Errorf("the printed certificate scanned shows %s (state %+v), want green for %s born %s", goodColour, good, mari.Name, mari.BirthDate)
	}
	if !goodNamed {
		t.Errorf("the verify screen does not name %s", mari.Name)
	}
	if bad.Colour != "red" || bad.Reason == "" || bad.Reason == "valid" {
		t.Errorf("a changed code scanned shows %+v, want red with a reason", bad)
	}
	var rules struct{ Colour, Reason string }
	v.get(t, "rulesState", &rules)
	if rules.Colour != "orange" || rules.Reason == "" || rules.Reason == "valid" {
		t.Errorf("the demo certificate the rules do not accept shows %+v, want orange with a reason", rules)
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
		t.Errorf("the page still holds %s outside the demo panel after Finish", mari.Name)
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
	var page, whole string
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
	r.get(t, "whole", &whole)
	r.get(t, "state", &st)
	t.Logf("the results screen went after %d ms", waited)
	if !nameBefore {
		t.Fatalf("the results page did not name %s before the timeout", mari.Name)
	}
	// The demo panel names every demo person on every screen; the rest of the page
	// must hold nothing of her, and no part of it her identifier or date of birth.
	if nameAfter {
		t.Errorf("after the idle timeout the page still holds %s outside the demo panel", mari.Name)
	}
	for _, personal := range []string{"Tamm", mari.Value, mari.BirthDate, "15.03.1960"} {
		if strings.Contains(page, personal) {
			t.Errorf("after the idle timeout the page still holds %q outside the demo panel", personal)
		}
	}
	for _, personal := range []string{mari.Value, mari.BirthDate, "15.03.1960"} {
		if strings.Contains(whole, personal) {
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

// The demo staff accounts a kiosk creates on its first start (id:PIN).
const (
	demoClerk   = "clerk:271828"
	demoMember1 = "member1:314159"
	demoMember2 = "member2:161803"
)

// testE2ECommission: on an RU-KAM kiosk the clerk, unlocked at the hidden corner,
// takes an application and prints its statement, records the payment and the lab
// result; one member decides, two approve; the clerk issues the antibody
// certificate, which prints as a DCC test entry of type 94504-8 signed by the kiosk.
func testE2ECommission(t *testing.T, e *e2e) {
	printer := startIPPPrinter(t, t.TempDir())
	k, b := e.startKiosk(t, kioskSetup{printer: printer.uri, profile: "RU-KAM"})
	const name, birth = "Ivan Petrov", "1970-04-12"
	sampled := time.Now().AddDate(0, 0, -3).Format(time.DateOnly)
	r := b.run(t, "clerk.mjs", "E2E_IDENTIFIER=11223344595", "E2E_NAME="+name, "E2E_BIRTH="+birth,
		"E2E_SAMPLED="+sampled, "E2E_CLERK="+demoClerk, "E2E_MEMBER1="+demoMember1, "E2E_MEMBER2="+demoMember2)

	var uvci string
	var staffAfterLock *json.RawMessage
	r.get(t, "uvci", &uvci)
	r.get(t, "staffAfterLock", &staffAfterLock)
	if !strings.HasPrefix(uvci, "URN:UVCI:") {
		t.Errorf("the issued case shows the UVCI %q", uvci)
	}
	if staffAfterLock != nil {
		t.Errorf("after the lock the state still has staff %s", *staffAfterLock)
	}

	docs := printer.waitDocuments(t, 2, 20*time.Second)
	if len(docs) != 2 {
		t.Fatalf("the printer received %d documents, want the statement and the certificate: %q", len(docs), docs)
	}
	statement, certificate := docs[0], docs[1]
	if codes := hc1Codes(t, statement); len(codes) != 0 {
		t.Errorf("the statement carries %d HC1 codes, want none", len(codes))
	}
	if text := pdfText(t, statement); !strings.Contains(text, "Petrov") {
		t.Errorf("the statement does not name the applicant:\n%s", text)
	}
	hc1 := hc1Codes(t, certificate)
	if len(hc1) != 1 {
		t.Fatalf("the antibody certificate has %d HC1 QR codes, want 1 (all: %q)", len(hc1), qrCodes(t, certificate))
	}
	res := dcc.NewVerifier(issuerCert(t, e, k)).Verify(hc1[0], time.Now())
	if !res.SignatureValid || res.Claims == nil {
		t.Fatalf("the antibody certificate's signature does not verify with the kiosk's issuer: %s %v", res.Reason, res.Err)
	}
	hc := res.Claims.Certificate
	if len(hc.Tests) != 1 || hc.Tests[0].Type != "94504-8" || len(hc.Vaccinations) != 0 || len(hc.Recoveries) != 0 {
		t.Errorf("the antibody certificate holds %s, want one test entry of type 94504-8", mustJSON(hc))
	}
	if hc.DateOfBirth != birth {
		t.Errorf("the antibody certificate's date of birth is %q, want %s", hc.DateOfBirth, birth)
	}
	if len(hc.Tests) == 1 && hc.Tests[0].ID != uvci {
		t.Errorf("the antibody certificate's UVCI is %q, the case shows %q", hc.Tests[0].ID, uvci)
	}
}

// issuerCert returns the kiosk's signing certificate, as `certkiosk issuer-cert` prints it.
func issuerCert(t *testing.T, e *e2e, k *devKiosk) *x509.Certificate {
	t.Helper()
	out, err := exec.Command(e.bin, "issuer-cert", "--data", k.data).Output()
	if err != nil {
		t.Fatalf("certkiosk issuer-cert: %v", err)
	}
	block, _ := pem.Decode(out)
	if block == nil {
		t.Fatalf("certkiosk issuer-cert printed no PEM: %q", out)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}
