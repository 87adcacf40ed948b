//go:build linux

// e2e_helpers_test.go: what the end-to-end test needs besides xvfb_helpers_test.go's
// helpers: the application built with Wails' development server, a real IPP printer,
// the browser scenarios under frontend/e2e, and QR codes read back from printed PDFs.

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"certkiosk/backend/registrysim"
)

const (
	// resultPrefix starts the line on which a browser scenario reports its findings.
	resultPrefix = "E2E-RESULT "
	// scenarioTimeout bounds one browser scenario, browser start included.
	scenarioTimeout = 90 * time.Second
)

// requireE2ETools fails the test, naming what to install, when a program or a built
// part the end-to-end test needs is missing.
func requireE2ETools(t *testing.T) {
	t.Helper()
	requirePrograms(t, "the end-to-end test", slices.Concat(windowPrograms, []neededProgram{
		{"node", "nodejs"},
		{"chromium", "chromium"},
		{"ippeveprinter", "cups-ipp-utils"},
		{"pdftoppm", "poppler-utils"},
		{"pdftotext", "poppler-utils"},
		{"zbarimg", "zbar-tools"},
	}))
	requireFrontend(t)
	if _, err := os.Stat(filepath.Join("frontend", "node_modules", "playwright-core", "package.json")); err != nil {
		t.Fatalf("playwright-core is not installed (%v): run `npm ci` in frontend/", err)
	}
}

// buildDevApp builds the application with Wails' development server compiled in
// (the dev build tag) and returns the binary's path. Started with the variables
// devserver=HOST:PORT and assetdir=DIR, it opens its window as usual and also serves
// the frontend from DIR at http://HOST:PORT/, with the bound Go methods reached over a
// websocket: a browser on that page drives the real backend.
func buildDevApp(t *testing.T, dir string) string {
	t.Helper()
	return buildTagged(t, filepath.Join(dir, "certkiosk-dev"), "dev,webkit2_41")
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// devKiosk is the application running with its development server.
type devKiosk struct {
	url  string    // the page, http://127.0.0.1:PORT/
	data string    // its data folder
	log  *logWatch // its output
	proc *proc
}

// startDevKiosk starts bin (from buildDevApp) in env with the data folder data and the
// window's further args, serving frontend/dist, and returns once the window's page has
// loaded and the development server answers.
func startDevKiosk(t *testing.T, bin string, env []string, data string, args ...string) *devKiosk {
	t.Helper()
	dist, err := filepath.Abs(filepath.Join("frontend", "dist"))
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(t)))
	// Wails reads these before the window's own flags; given as flags they would stop
	// its parser at the first flag of the window's.
	env = append([]string{"devserver=" + addr, "assetdir=" + dist}, env...)
	k := &devKiosk{url: "http://" + addr + "/", data: data}
	started := time.Now()
	defer func() { t.Logf("certkiosk ready in %v", time.Since(started).Round(100*time.Millisecond)) }()
	k.proc, k.log = startReady(t, bin, env, append([]string{"--data", data}, args...)...)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(k.url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return k
			}
			err = errors.New(resp.Status)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the development server at %s does not answer: %v; certkiosk's output:\n%s", k.url, err, k.log)
		}
	}
}

// alive fails the test when the application has exited.
func (k *devKiosk) alive(t *testing.T) {
	t.Helper()
	select {
	case <-k.proc.done:
		t.Fatalf("certkiosk exited (%v); its output:\n%s", k.proc.err, k.log)
	default:
	}
}

// scenarioResult is what a browser scenario reported, by name.
type scenarioResult map[string]json.RawMessage

// get decodes the result's field name into v, failing the test when it is absent or
// of another shape.
func (r scenarioResult) get(t *testing.T, name string, v any) {
	t.Helper()
	raw, ok := r[name]
	if !ok {
		t.Fatalf("the scenario reported no %q (it reported %v)", name, r.names())
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("the scenario's %q = %s: %v", name, raw, err)
	}
}

func (r scenarioResult) names() []string {
	var names []string
	for name := range r {
		names = append(names, name)
	}
	return names
}

// browser runs the scenarios of frontend/e2e against one application.
type browser struct {
	kiosk *devKiosk
	tmp   string // the browser's temporary folder: its profile lives there
	shots string // where the scenarios save their screenshots
	env   []string
}

// newBrowser prepares to run scenarios against k; their screenshots go to
// build/screenshots under -update, else into the test's temporary folder.
func newBrowser(t *testing.T, k *devKiosk, dir string) *browser {
	t.Helper()
	b := &browser{kiosk: k, tmp: filepath.Join(dir, "browser"), shots: filepath.Join(dir, "screenshots")}
	if *update {
		shots, err := filepath.Abs(filepath.Join("build", "screenshots"))
		if err != nil {
			t.Fatal(err)
		}
		b.shots = shots
	}
	for _, d := range []string{b.tmp, b.shots} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal(err)
	}
	// The browser's profile and its crash reporter's database go into its folder
	// (TMPDIR, HOME), not the user's home.
	b.env = append(os.Environ(),
		"E2E_URL="+k.url,
		"E2E_SHOTS="+b.shots,
		"E2E_CHROMIUM="+chromium,
		"TMPDIR="+b.tmp,
		"HOME="+b.tmp,
		"XDG_CONFIG_HOME="+filepath.Join(b.tmp, "config"),
	)
	// Anything still running from the browser's folder (its profile is there) is
	// stopped when the test ends, even after a scenario was cut short.
	t.Cleanup(func() { stopProcessesUsing(t, b.tmp) })
	return b
}

// run runs frontend/e2e/<script> with the extra variables and returns what it reported.
func (b *browser) run(t *testing.T, script string, extra ...string) scenarioResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), scenarioTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join("e2e", script))
	cmd.Dir = "frontend"
	cmd.Env = append(append([]string(nil), b.env...), extra...)
	// Should the test process die without its cleanups (a -timeout panic, an
	// interrupt), node is told to stop all the same.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	// On the time limit node is asked to stop first: playwright then closes the browser,
	// which runs in a process group of its own.
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	started := time.Now()
	err := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	t.Logf("%s: %v", script, time.Since(started).Round(100*time.Millisecond))
	if err != nil {
		b.kiosk.alive(t)
		t.Fatalf("scenario %s: %v\n%s%s\ncertkiosk's output:\n%s", script, err, &stderr, &stdout, b.kiosk.log)
	}
	var result scenarioResult
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), resultPrefix); ok {
			if err := json.Unmarshal([]byte(line), &result); err != nil {
				t.Fatalf("scenario %s reported %q: %v", script, line, err)
			}
		}
	}
	if result == nil {
		t.Fatalf("scenario %s reported nothing; its output:\n%s%s", script, &stdout, &stderr)
	}
	if marks, ok := result["marks"]; ok {
		t.Logf("%s: screens shown (ms after the page opened): %s", script, marks)
	}
	return result
}

// stopProcessesUsing kills every process whose command line names dir: what is left
// of a browser whose driver was killed.
func stopProcessesUsing(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(dir)) {
			continue
		}
		t.Logf("stopping process %d left behind: %s", pid, bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}))
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// ippPrinter is an ippeveprinter: a real IPP Everywhere printer that keeps each job's
// document in its spool folder.
type ippPrinter struct {
	uri   string // ipp://localhost:PORT/ipp/print
	spool string
	log   *logWatch
}

// startIPPPrinter starts an ippeveprinter accepting PDF, with a private bus of its own
// to stand for the system bus it insists on.
func startIPPPrinter(t *testing.T, dir string) *ippPrinter {
	t.Helper()
	busDir := filepath.Join(dir, "printer-bus")
	p := &ippPrinter{spool: filepath.Join(dir, "spool"), log: &logWatch{}}
	for _, d := range []string{busDir, p.spool} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	bus := startSessionBus(t, busDir)
	port := freePort(t)
	// Without a print command ippeveprinter spends 5 to 15 s on each job; this one
	// takes a second, long enough for the printing screen to be seen.
	command := filepath.Join(dir, "print-command.sh")
	if err := os.WriteFile(command, []byte("#!/bin/sh\nsleep 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	env := append([]string{"DBUS_SYSTEM_BUS_ADDRESS=" + bus}, os.Environ()...)
	cmd := exec.Command("ippeveprinter", "-r", "off", "-p", strconv.Itoa(port), "-n", "localhost",
		"-f", "application/pdf", "-d", p.spool, "-k", "-c", command, "CertKioskTest")
	pr := start(t, "ippeveprinter", cmd, env, p.log)
	addr := net.JoinHostPort("localhost", strconv.Itoa(port))
	pr.await(t, 10*time.Second, 100*time.Millisecond, "did not listen on "+addr, func() bool {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Close()
		}
		return err == nil
	})
	p.uri = "ipp://" + addr + "/ipp/print"
	return p
}

// documents returns the PDFs in the printer's spool folder, oldest job first.
func (p *ippPrinter) documents(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(p.spool, "*.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	// Jobs are named <id>-<job name>.pdf with ids counting up.
	id := func(f string) int {
		n, _ := strconv.Atoi(strings.SplitN(filepath.Base(f), "-", 2)[0])
		return n
	}
	for i := 1; i < len(files); i++ {
		for j := i; j > 0 && id(files[j]) < id(files[j-1]); j-- {
			files[j], files[j-1] = files[j-1], files[j]
		}
	}
	return files
}

// waitDocuments waits until the spool holds at least n documents and returns them.
func (p *ippPrinter) waitDocuments(t *testing.T, n int, within time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		docs := p.documents(t)
		if len(docs) >= n {
			return docs
		}
		if time.Now().After(deadline) {
			t.Fatalf("the printer received %d documents within %v, want %d; its output:\n%s", len(docs), within, n, p.log)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// qrCodes rasterises the first page of pdf and returns the text of every QR code on it.
func qrCodes(t *testing.T, pdf string) []string {
	t.Helper()
	dir := t.TempDir()
	page := filepath.Join(dir, "page")
	if out, err := exec.Command("pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile", pdf, page).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm %s: %v\n%s", pdf, err, out)
	}
	cmd := exec.Command("zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", page+".png")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 4) { // 4: no code found
		t.Fatalf("zbarimg %s: %v\n%s", pdf, err, &stderr)
	}
	var codes []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line != "" {
			codes = append(codes, line)
		}
	}
	return codes
}

// pdfText returns the text of pdf, for checks of what a printed document says.
func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	return string(out)
}

// mustJSON is v as JSON, for messages.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// The demo people the scenarios use, by their identifier (backend/registrysim/people.go).
const (
	vaccinatedTwice = "46003150224" // Mari Tamm: vaccinated twice
	illNow          = "49912310774" // Kadri Põld: ill now, refused
)

// demoPerson returns the demo registry's person with the identifier value.
func demoPerson(t *testing.T, value string) registrysim.Person {
	t.Helper()
	for _, p := range registrysim.People() {
		if p.Value == value {
			return p
		}
	}
	t.Fatalf("the demo registry has nobody with the identifier %s", value)
	return registrysim.Person{}
}

// printJob is a job of the State's print view.
type printJob struct {
	ID           string `json:"id"`
	What         string `json:"what"`
	State        string `json:"state"`
	PrinterState string `json:"printerState"`
}

// jobsOf returns the kinds of documents of jobs that are in state.
func jobsOf(jobs []printJob, state string) []string {
	var what []string
	for _, j := range jobs {
		if j.State == state {
			what = append(what, j.What)
		}
	}
	return what
}

// demoRegistryLine is how the kiosk logs the demo registry's address.
var demoRegistryLine = regexp.MustCompile(`msg="demo registry" local=(http://[^ /]+)/`)

// faultsURL returns the demo registry's fault switches, found in the kiosk's log.
func (k *devKiosk) faultsURL(t *testing.T) string {
	t.Helper()
	m := demoRegistryLine.FindStringSubmatch(k.log.String())
	if m == nil {
		t.Fatalf("the kiosk's log names no demo registry; its output:\n%s", k.log)
	}
	return m[1] + "/admin/faults"
}

// verifyHC1 checks hc1 with the kiosk's own `certkiosk verify` against the issuer
// certificate in its data folder, and returns what it found.
func verifyHC1(t *testing.T, e *e2e, k *devKiosk, hc1 string) (valid bool, uvci string) {
	t.Helper()
	cmd := exec.Command(e.bin, "verify", "--data", k.data)
	cmd.Stdin = strings.NewReader(hc1 + "\n")
	out, err := cmd.Output()
	var v struct {
		Valid  bool   `json:"valid"`
		Reason string `json:"reason"`
		UVCI   string `json:"uvci"`
	}
	if jerr := json.Unmarshal(out, &v); jerr != nil {
		t.Fatalf("certkiosk verify: %v, %v; its output: %s", err, jerr, out)
	}
	if !v.Valid {
		t.Errorf("certkiosk verify: not valid (%s): %s", v.Reason, out)
	}
	return v.Valid, v.UVCI
}

// hc1Codes returns the QR codes of pdf that are EU DCCs.
func hc1Codes(t *testing.T, pdf string) []string {
	t.Helper()
	var hc1 []string
	for _, c := range qrCodes(t, pdf) {
		if strings.HasPrefix(c, "HC1:") {
			hc1 = append(hc1, c)
		}
	}
	return hc1
}
