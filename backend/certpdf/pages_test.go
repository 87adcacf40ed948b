package certpdf

// Reading printed pages back in tests: the golden file a page is compared with,
// and the text layer as pdftotext extracts it.

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden PDFs in testdata/")

// checkGolden compares got, the PDF that call returned, with testdata/<name>.pdf;
// with -update it rewrites the file instead, after an intended layout change (then
// look at the page).
func checkGolden(t *testing.T, call, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", name+".pdf")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading golden file: %v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		out := filepath.Join(t.TempDir(), name+".pdf")
		_ = os.WriteFile(out, got, 0o644)
		t.Errorf("%s = %d bytes (written to %s), want the %d bytes of %s; if the change is intended, run go test -update",
			call, len(got), out, len(want), golden)
	}
}

// pdfText returns the text layer of pdf as pdftotext extracts it, given args
// (such as -raw, for drawing order) before the file.
func pdfText(t *testing.T, pdf []byte, args ...string) string {
	t.Helper()
	needTool(t, "pdftotext", "poppler-utils")
	path := filepath.Join(t.TempDir(), "page.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", append(args, "-enc", "UTF-8", path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// runningText is pdfText with every run of white space made one space: wrapped
// lines come out on lines of their own, and tests compare running text.
func runningText(t *testing.T, pdf []byte) string {
	t.Helper()
	return strings.Join(strings.Fields(pdfText(t, pdf)), " ")
}
