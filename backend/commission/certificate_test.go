package commission

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"certkiosk/backend/certlogic"
	"certkiosk/backend/dcc"
	"certkiosk/backend/dcc/refdata"
)

// tool fails the test, naming the Debian package, when a command it needs is absent.
func tool(t *testing.T, bin, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(bin); err != nil {
		t.Fatalf("%s not found: install the Debian package %s", bin, pkg)
	}
}

// writePDF writes pdf to a temporary file and returns its path.
func writePDF(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "form.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// readCodes prints the PDF's page to an image at 150 dpi and returns the QR codes
// zbarimg reads from it.
func readCodes(t *testing.T, pdf []byte) []string {
	t.Helper()
	tool(t, "pdftoppm", "poppler-utils")
	tool(t, "zbarimg", "zbar-tools")
	in := writePDF(t, pdf)
	img := filepath.Join(filepath.Dir(in), "page")
	if out, err := exec.Command("pdftoppm", "-png", "-r", "150", "-singlefile", in, img).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	out, err := exec.Command("zbarimg", "-q", "--raw", img+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg read no code: %v", err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// textOf returns the PDF's text as one line of words.
func textOf(t *testing.T, pdf []byte) string {
	t.Helper()
	tool(t, "pdftotext", "poppler-utils")
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", writePDF(t, pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestCertificateCode reads the QR code back from the printed certificate, verifies
// the HC1 against the issuer's certificate, and checks that the payload is the
// national antibody entry that EU validation turns down.
func TestCertificateCode(t *testing.T) {
	for _, d := range []Decision{DecisionPresent, DecisionAbsent} {
		t.Run(string(d), func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			c := e.toStage(t, StageResult)
			must[Case](t, "Decide")(e.svc.Decide(ctx, member1, c.ID, d))
			must[Case](t, "Approve")(e.svc.Approve(ctx, member2, c.ID))
			must[Case](t, "Approve")(e.svc.Approve(ctx, member3, c.ID))
			is := must[Issued](t, "Issue")(e.svc.Issue(ctx, clerk, c.ID))

			var hc1 string
			for _, code := range readCodes(t, is.PDF) {
				if strings.HasPrefix(code, "HC1:") {
					hc1 = code
				}
			}
			if hc1 != is.HC1 {
				t.Fatalf("the printed code = %.40q…, want the issued HC1 %.40q…", hc1, is.HC1)
			}
			res := dcc.NewVerifier(e.issuer.Certificate).Verify(hc1, e.now)
			if !res.SignatureValid || !res.Valid {
				t.Fatalf("Verify(printed HC1) = signature %v, valid %v, reason %q: %v", res.SignatureValid, res.Valid, res.Reason, res.Err)
			}
			if res.Claims.Issuer != "RU" || !res.Claims.Expires.Equal(mustDate(t, "2027-05-19")) {
				t.Errorf("claims iss %q exp %s, want RU and the end of 2027-05-18 in Kamchatka", res.Claims.Issuer, res.Claims.Expires)
			}
			var payload struct {
				Nam map[string]string   `json:"nam"`
				Dob string              `json:"dob"`
				T   []map[string]string `json:"t"`
			}
			if err := json.Unmarshal(res.Payload, &payload); err != nil {
				t.Fatalf("payload: %v", err)
			}
			wantResult := "260373001"
			if d == DecisionAbsent {
				wantResult = "260415000"
			}
			if len(payload.T) != 1 || payload.T[0]["tt"] != "94504-8" || payload.T[0]["tr"] != wantResult ||
				payload.T[0]["ci"] != is.UVCI || payload.T[0]["tc"] != testLab || payload.T[0]["co"] != "RU" ||
				payload.T[0]["sc"] != "2026-11-18T00:00:00+12:00" {
				t.Errorf("payload t = %v, want one antibody entry tt 94504-8, tr %s", payload.T, wantResult)
			}
			if payload.Nam["fn"] != "Петрова" || payload.Nam["fnt"] != "PETROVA" || payload.Nam["gn"] != "Анна Сергеевна" || payload.Dob != testBirth {
				t.Errorf("payload nam %v dob %s", payload.Nam, payload.Dob)
			}
			if err := dcc.CheckUVCI(is.UVCI); err != nil {
				t.Errorf("CheckUVCI(%s) = %v", is.UVCI, err)
			}

			// EU validation: the test type is not in the EU value set — not in the
			// kiosk's table of it, not in the published file — and a test
			// acceptance rule checking tt against that set fails.
			tt := payload.T[0]["tt"]
			if dcc.Known(dcc.ValueSetTestType, tt) {
				t.Errorf("dcc.Known(test-type, %s) = true, want the antibody code outside the EU value set", tt)
			}
			euTypes := euTestTypes(t)
			if slices.Contains(euTypes, tt) || len(euTypes) == 0 {
				t.Errorf("EU test-type value set %v holds %s", euTypes, tt)
			}
			rule := json.RawMessage(`{"if": [{"var": "payload.t.0"},
				{"in": [{"var": "payload.t.0.tt"}, {"var": "external.valueSets.covid-19-lab-test-type"}]}, true]}`)
			var doc any
			if err := json.Unmarshal(res.Payload, &doc); err != nil {
				t.Fatal(err)
			}
			data := func(hcert any) map[string]any {
				sets := make([]any, len(euTypes))
				for i, s := range euTypes {
					sets[i] = s
				}
				return map[string]any{"payload": hcert, "external": map[string]any{
					"valueSets": map[string]any{"covid-19-lab-test-type": sets}}}
			}
			if ok, err := certlogic.IsTrue(rule, data(doc)); err != nil || ok {
				t.Errorf("EU test-type rule on the antibody certificate = %v, %v, want false", ok, err)
			}
			// The same rule accepts a PCR entry: it is the code, not the rule, that
			// keeps the certificate national.
			doc.(map[string]any)["t"].([]any)[0].(map[string]any)["tt"] = dcc.TestTypeNAAT
			if ok, err := certlogic.IsTrue(rule, data(doc)); err != nil || !ok {
				t.Errorf("EU test-type rule on a PCR entry = %v, %v, want true", ok, err)
			}

			// The page says what it is, in both languages.
			text := textOf(t, is.PDF)
			decision := "SARS-CoV-2 antibodies present"
			if d == DecisionAbsent {
				decision = "SARS-CoV-2 antibodies absent"
			}
			for _, w := range []string{"Сертификат комиссии по антителам", "Certificate of the antibody commission",
				decision, "74.2 BAU/mL (0 – 7.1 BAU/mL)", "LOINC 94762-2", "решение: member1; утвердили: member2, member3",
				"Valid only in Kamchatka Krai (RU-KAM); not an EU Digital COVID Certificate.", is.UVCI, c.ID,
				"2027-05-18", "SPECIMEN"} {
				if !strings.Contains(text, w) {
					t.Errorf("certificate text lacks %q", w)
				}
			}

			// A copy carries the same code and says COPY.
			cp := must[[]byte](t, "Reprint")(e.svc.Reprint(ctx, clerk, c.ID))
			if codes := readCodes(t, cp); !slices.Contains(codes, is.HC1) {
				t.Errorf("Reprint() codes do not hold the issued HC1")
			}
			if !strings.Contains(textOf(t, cp), "COPY") {
				t.Error("Reprint() does not say COPY")
			}
		})
	}
}

// euTestTypes reads the codes of the EU test-type value set from the public
// reference data.
func euTestTypes(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(refdata.Dir(t, "valuesets", "test-type.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vs struct {
		Values map[string]json.RawMessage `json:"valueSetValues"`
	}
	if err := json.Unmarshal(raw, &vs); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for c := range vs.Values {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}

// TestStatement prints the statement of a new case: the applicant's data as typed,
// the identifier as on the card, the case number.
func TestStatement(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := must[Case](t, "Apply")(e.svc.Apply(ctx, clerk, Application{
		System: "snils", Identifier: testSNILSRaw, Name: "  Петрова   Анна Сергеевна ", BirthDate: testBirth}))
	pdf := must[[]byte](t, "PrintStatement")(e.svc.PrintStatement(ctx, clerk, c.ID))
	text := textOf(t, pdf)
	for _, w := range []string{"Заявление", "Application", testName, testBirth, "СНИЛС", testSNILS, c.ID,
		"Подпись заявителя", "Applicant's signature", "2026-11-22 13:00 (UTC+12:00)"} {
		if !strings.Contains(text, w) {
			t.Errorf("statement text lacks %q", w)
		}
	}
	again := must[[]byte](t, "PrintStatement")(e.svc.PrintStatement(ctx, clerk, c.ID))
	if string(again) != string(pdf) {
		t.Error("PrintStatement() twice gave different bytes")
	}
}
