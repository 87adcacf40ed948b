package cli

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"certkiosk/backend/printing/printingtest"
)

// testPDF writes a small PDF into a temporary folder and returns its path and bytes.
func testPDF(t *testing.T) (string, []byte) {
	t.Helper()
	pdf, err := os.ReadFile(filepath.Join("..", "printing", "testdata", "hello.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "Mari Tamm vaccination.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, pdf
}

// TestPrintIPP prints on ippeveprinter through the command, end to end.
func TestPrintIPP(t *testing.T) {
	e := printingtest.StartIPPEve(t, printingtest.Options{})
	file, pdf := testPDF(t)
	r := run(t, "", "print", "--data", t.TempDir(), "--printer", e.URI, "--key", "cert-cli-1", file)
	if r.code != 0 {
		t.Fatalf("print exit %d: %s", r.code, r.stderr)
	}
	lines := decodeLines[printed](t, r.stdout)
	if len(lines) != 1 || lines[0] != (printed{Printer: e.URI, Job: 1, State: "completed"}) {
		t.Errorf("print wrote %+v, want one line {%s 1 completed}", lines, e.URI)
	}
	spooled := e.Spooled(t)
	if len(spooled) != 1 || spooled[0].Name != "cert-cli-1" {
		t.Fatalf("spool = %+v, want job 1 named cert-cli-1", spooled)
	}
	if got, _ := os.ReadFile(spooled[0].Path); !bytes.Equal(got, pdf) {
		t.Errorf("spooled file differs from the file printed")
	}

	// Without --key the job name comes from the content, not from the file name.
	r = run(t, "", "print", "--data", t.TempDir(), "--printer", e.URI, file)
	if r.code != 0 {
		t.Fatalf("print exit %d: %s", r.code, r.stderr)
	}
	spooled = e.Spooled(t)
	if len(spooled) != 2 || !strings.HasPrefix(spooled[1].Name, "print-") || strings.Contains(spooled[1].Name, "mari") {
		t.Errorf("spool = %+v, want a second job named print-<hash>", spooled)
	}
}

// TestPrintOutOfPaper: the job does not print within --timeout because the printer
// is out of paper; the one-line error says so.
func TestPrintOutOfPaper(t *testing.T) {
	e := printingtest.StartIPPEve(t, printingtest.Options{Command: printingtest.OutOfPaperUntil("paper")})
	t.Cleanup(func() { e.Release(t, "paper") })
	file, _ := testPDF(t)
	r := run(t, "", "print", "--printer", e.URI, "--timeout", "2s", file)
	if r.code != 1 {
		t.Fatalf("print exit %d, want 1: %s", r.code, r.stderr)
	}
	msg := strings.TrimSpace(r.stderr)
	for _, want := range []string{"certkiosk print: ", "job 1 not printed within 2s", "printer media-empty", "media-empty-warning"} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr = %q, want it to say %q", msg, want)
		}
	}
	if strings.Count(msg, "\n") != 0 || r.stdout != "" {
		t.Errorf("print wrote stdout %q and stderr %q, want one error line only", r.stdout, r.stderr)
	}
}

// TestPrintFolder prints into the default folder printer and into a named one.
func TestPrintFolder(t *testing.T) {
	file, pdf := testPDF(t)
	data := t.TempDir()
	r := run(t, "", "print", "--data", data, "--key", "cert-f", file)
	if r.code != 0 {
		t.Fatalf("print exit %d: %s", r.code, r.stderr)
	}
	dir := filepath.Join(data, "printed")
	lines := decodeLines[printed](t, r.stdout)
	if len(lines) != 1 || lines[0] != (printed{Printer: "folder://" + dir, Job: 0, State: "completed"}) {
		t.Errorf("print wrote %+v, want the folder printer, completed", lines)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "cert-f.pdf")); !bytes.Equal(got, pdf) {
		t.Errorf("%s/cert-f.pdf differs from the file printed", dir)
	}
	other := t.TempDir()
	if r := run(t, "", "print", "--printer", "folder://"+other, "--key", "cert-g", file); r.code != 0 {
		t.Fatalf("print exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(other, "cert-g.pdf")); err != nil {
		t.Error(err)
	}
}

func TestPrintErrors(t *testing.T) {
	file, _ := testPDF(t)
	notPDF := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(notPDF, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	offline := "ipp://127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port) + "/ipp/print"
	l.Close()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no file", []string{"--printer", "folder:///tmp"}, 2, "want the PDF FILE"},
		{"two files", []string{"--printer", "folder:///tmp", file, file}, 2, "unexpected argument"},
		{"bad timeout", []string{"--printer", "folder:///tmp", "--timeout", "0s", file}, 2, "--timeout"},
		{"no printer, no data", []string{"--data", "", file}, 2, "--printer URI or --data DIR"},
		{"bad scheme", []string{"--printer", "lpd://host/q", file}, 1, "bad printer URI"},
		{"missing file", []string{"--printer", "folder:///tmp", filepath.Join(t.TempDir(), "none.pdf")}, 1, "no such file"},
		{"not a PDF", []string{"--printer", "folder://" + t.TempDir(), notPDF}, 1, "not a PDF"},
		{"bad key", []string{"--printer", "folder://" + t.TempDir(), "--key", "a/b", file}, 1, "document key"},
		{"offline", []string{"--printer", offline, "--timeout", "5s", file}, 1, "printer offline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "", append([]string{"print"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("print %v = exit %d, %q; want exit %d saying %q", tt.args, r.code, r.stderr, tt.code, tt.want)
			}
			if r.code == 1 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Errorf("print %v wrote %q, want one line", tt.args, r.stderr)
			}
		})
	}
}
