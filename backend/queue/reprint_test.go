package queue

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"certkiosk/backend/printing"
	"certkiosk/backend/registrysim"
)

// pdfText returns the text layer of a PDF, as pdftotext reads it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (Debian package poppler-utils)")
	}
	if len(pdf) == 0 {
		t.Fatal("no PDF to read")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// checkCopyMark fails the test unless the PDF says COPY in every language of the EE
// profile exactly when want is set.
func checkCopyMark(t *testing.T, what string, pdf []byte, want bool) {
	t.Helper()
	text := pdfText(t, pdf)
	if len(strings.Fields(text)) < 20 {
		t.Fatalf("%s: pdftotext read %q, want the document's text", what, text)
	}
	for _, w := range []string{"KOOPIA", "COPY", "КОПИЯ"} {
		if got := strings.Contains(text, w); got != want {
			t.Errorf("%s: text has %q = %v, want %v", what, w, got, want)
		}
	}
}

// TestReprint prints a request's certificate and refusal slip, then copies of them:
// by the request's id, by a copy's id and by the UVCI. Each copy is a new print job
// keyed -copy-N whose PDF says COPY where the original did not; the jobs of the
// request are deleted at once (no retention) while what renders the copies is kept
// for the window, and refused after it.
func TestReprint(t *testing.T) {
	ctx := context.Background()
	rig := newRig(t, Options{})
	p := person(t, "37001010885") // a certificate and a refusal slip
	req := mustAdd(t, rig.q, "R1", p)
	rig.runUntilEmpty(t)
	if n := len(jobsByKey(t, rig.q)); n != 0 {
		t.Fatalf("%d jobs left after the run, want all deleted (no retention)", n)
	}
	original := rig.printer.pdf("R1-c1")
	checkCopyMark(t, "R1-c1", original, false)
	checkCopyMark(t, "R1-slip", rig.printer.pdf("R1-slip"), false)

	// What is kept renders the originals byte for byte.
	rows, err := rig.q.reprintRows(ctx, "request = ?", req.ID)
	if err != nil || len(rows) != 2 {
		t.Fatalf("reprint rows of the request = %d, %v; want the certificate and the slip", len(rows), err)
	}
	svc, err := rig.w.Services.Service(p.Profile)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		plain, err := rig.q.openFor(reprintSealKey(r.key), r.data)
		if err != nil {
			t.Fatalf("open %s: %v", r.key, err)
		}
		var src copySource
		if err := json.Unmarshal(plain, &src); err != nil {
			t.Fatal(err)
		}
		var again []byte
		if c := src.Certificate; c != nil {
			c.Location = svc.Profile.Location()
			again, err = svc.Renderer.Render(*c)
		} else {
			src.Slip.Location = svc.Profile.Location()
			again, err = svc.Renderer.RenderRefusal(*src.Slip)
		}
		if err != nil || !bytes.Equal(again, rig.printer.pdf(r.key)) {
			t.Errorf("%s rendered again without the mark = %d bytes, %v; want the original's %d bytes",
				r.key, len(again), err, len(rig.printer.pdf(r.key)))
		}
	}

	rig.clock.Advance(23 * time.Hour)
	copies, err := rig.q.Reprint(ctx, rig.w.Services, req.ID, "")
	if err != nil {
		t.Fatalf("Reprint(request) = %v", err)
	}
	var keys []string
	for _, j := range copies {
		keys = append(keys, j.Key)
		if j.Kind != KindPrint || j.State != StatePending || j.CopyOf == 0 || j.Parent != 0 {
			t.Errorf("copy %s = %s %s, copy of %d, parent %d; want a pending print job, a copy, no parent",
				j.Key, j.Kind, j.State, j.CopyOf, j.Parent)
		}
	}
	if strings.Join(keys, " ") != "R1-c1-copy-1 R1-slip-copy-1" {
		t.Errorf("Reprint(request) = %v, want R1-c1-copy-1 R1-slip-copy-1", keys)
	}
	again, err := rig.q.Reprint(ctx, rig.w.Services, copies[0].ID, "")
	if err != nil || len(again) != 1 || again[0].Key != "R1-c1-copy-2" || again[0].CopyOf != copies[0].CopyOf {
		t.Errorf("Reprint(a copy) = %v, %v; want R1-c1-copy-2 of the same original", again, err)
	}
	uvci := rig.reporter.reports[0].Certificates[0]
	byUVCI, err := rig.q.ReprintUVCI(ctx, rig.w.Services, strings.ToLower(uvci), "")
	if err != nil || byUVCI.Key != "R1-c1-copy-3" || byUVCI.Document != DocCertificate {
		t.Errorf("ReprintUVCI() = %s, %v; want R1-c1-copy-3", byUVCI.Key, err)
	}
	rig.runUntilEmpty(t)
	printed := rig.printer.printed()
	for _, k := range []string{"R1-c1", "R1-slip", "R1-c1-copy-1", "R1-slip-copy-1", "R1-c1-copy-2", "R1-c1-copy-3"} {
		if printed[k] != 1 {
			t.Errorf("%s printed %d times, want 1", k, printed[k])
		}
	}
	checkCopyMark(t, "R1-c1-copy-1", rig.printer.pdf("R1-c1-copy-1"), true)
	checkCopyMark(t, "R1-slip-copy-1", rig.printer.pdf("R1-slip-copy-1"), true)
	checkCopyMark(t, "R1-c1-copy-3", rig.printer.pdf("R1-c1-copy-3"), true)

	// The window is counted from the print: 24 h after it, refused.
	rig.clock.Advance(time.Hour)
	_, err = rig.q.Reprint(ctx, rig.w.Services, req.ID, "")
	if !errors.Is(err, ErrReprintExpired) || !strings.Contains(err.Error(), "could be printed again until 2026-11-23T10:00:") {
		t.Errorf("Reprint() after the window = %v, want ErrReprintExpired saying until when", err)
	}
	if _, err := rig.q.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	var kept, tombs int
	rig.q.rdb.QueryRow("SELECT count(data), count(*) FROM reprint").Scan(&kept, &tombs)
	if kept != 0 || tombs != 2 {
		t.Errorf("after the window and a purge: %d rows with data of %d, want none, the rows kept to say why", kept, tombs)
	}
	if _, err := rig.q.ReprintUVCI(ctx, rig.w.Services, uvci, ""); !errors.Is(err, ErrReprintExpired) {
		t.Errorf("ReprintUVCI() after the window = %v, want ErrReprintExpired", err)
	}
	rig.clock.Advance(DefaultKeyMemory + time.Minute)
	if _, err := rig.q.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	rig.q.rdb.QueryRow("SELECT count(*) FROM reprint").Scan(&tombs)
	if _, err := rig.q.ReprintUVCI(ctx, rig.w.Services, uvci, ""); tombs != 0 || !errors.Is(err, ErrNotFound) {
		t.Errorf("after the key memory: %d rows, ReprintUVCI() = %v; want none, ErrNotFound", tombs, err)
	}
}

// TestReprintRefused: only a certificate or a slip that printed is printed again;
// the window opens when it printed, not when it was issued.
func TestReprintRefused(t *testing.T) {
	ctx := context.Background()
	rig := newRig(t, Options{Retention: time.Hour, ReprintWindow: time.Hour})
	req := mustAdd(t, rig.q, "R1", person(t, "46003150224"))
	rig.sim.Registry.SetFaults(registrysim.Local, registrysim.Faults{Down: true, Times: 1})
	rig.runUntilEmpty(t) // a claim receipt, then the certificate held
	jobs := jobsByKey(t, rig.q)
	if jobs["R1-c1"].State != StateHeld {
		t.Fatalf("R1-c1 = %s, want held", jobs["R1-c1"].State)
	}
	refused := []struct {
		name string
		id   int64
		want error
	}{
		{"held certificate", jobs["R1-c1"].ID, ErrState},
		{"its request", req.ID, ErrState},
		{"claim receipt", jobs["R1-receipt"].ID, ErrState},
		{"report", jobs["R1-report"].ID, ErrState},
		{"unknown", 999, ErrNotFound},
	}
	for _, tt := range refused {
		if _, err := rig.q.Reprint(ctx, rig.w.Services, tt.id, ""); !errors.Is(err, tt.want) {
			t.Errorf("Reprint(%s) = %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := rig.q.Reprint(ctx, rig.w.Services, jobs["R1-c1"].ID, ""); err == nil ||
		!strings.Contains(err.Error(), "release it instead") {
		t.Errorf("Reprint(held) = %v, want a hint to release it", err)
	}
	if _, err := rig.q.ReprintUVCI(ctx, rig.w.Services, "URN:UVCI:01:EE:NOTHING#X", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReprintUVCI(unknown) = %v, want ErrNotFound", err)
	}
	// The resident comes back two hours later: the window opens now.
	rig.clock.Advance(2 * time.Hour)
	if _, err := rig.q.Release(ctx, req.ID); err != nil {
		t.Fatal(err)
	}
	rig.runUntilEmpty(t)
	if _, err := rig.q.Reprint(ctx, rig.w.Services, jobs["R1-c1"].ID, ""); err != nil {
		t.Errorf("Reprint() just after the print = %v, want a copy", err)
	}

	// Reprints off: nothing is kept, and what was kept goes at the next purge.
	q := openAt(t, rig.dir, rig.clock, Options{NoReprint: true, Retention: time.Hour})
	if _, err := q.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	var kept int
	q.rdb.QueryRow("SELECT count(data) FROM reprint").Scan(&kept)
	if _, err := q.Reprint(ctx, rig.w.Services, jobs["R1-c1"].ID, ""); kept != 0 || !errors.Is(err, ErrReprintExpired) {
		t.Errorf("with NoReprint: %d rows with data, Reprint() = %v; want none, ErrReprintExpired", kept, err)
	}
}

// TestReprintPrinter: a copy prints where its original printed (after a move), or on
// the printer staff name.
func TestReprintPrinter(t *testing.T) {
	ctx := context.Background()
	rig := newRig(t, Options{Retention: time.Hour})
	other := newFakePrinter()
	rig.w.Printers = func(uri string) (printing.Printer, error) {
		if uri == "fake://other" {
			return other, nil
		}
		return rig.printer, nil
	}
	mustAdd(t, rig.q, "R1", person(t, "46003150224"))
	rig.printer.setState(printing.StateMediaEmpty)
	rig.runSome(t, 3)
	c1 := jobsByKey(t, rig.q)["R1-c1"]
	if _, err := rig.q.Move(ctx, c1.ID, "fake://other"); err != nil {
		t.Fatal(err)
	}
	rig.runUntilEmpty(t)
	copies, err := rig.q.Reprint(ctx, rig.w.Services, c1.ID, "")
	if err != nil || copies[0].Printer != "fake://other" {
		t.Fatalf("Reprint() = %v, %v; want a copy on fake://other, where the original printed", copies, err)
	}
	copies, err = rig.q.Reprint(ctx, rig.w.Services, c1.ID, "fake://printer")
	if err != nil || copies[0].Printer != "fake://printer" {
		t.Fatalf("Reprint(on fake://printer) = %v, %v", copies, err)
	}
	rig.printer.setState(printing.StateReady)
	rig.runUntilEmpty(t)
	if other.printed()["R1-c1-copy-1"] != 1 || rig.printer.printed()["R1-c1-copy-2"] != 1 {
		t.Errorf("copies printed: other %v, main %v; want copy-1 on other, copy-2 on main", other.printed(), rig.printer.printed())
	}
}

// TestMigrateVersion1 opens a file of the first layout (no copies, reprints or
// printer states): its jobs are kept and the new layout added.
func TestMigrateVersion1(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	q, dir := openTest(t, clock, Options{})
	j := mustAdd(t, q, "R1", person(t, "46003150224"))
	for _, s := range []string{"ALTER TABLE job DROP COLUMN copy_of", "DROP TABLE reprint", "DROP TABLE printer",
		"PRAGMA user_version = 1"} {
		if _, err := q.wdb.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	q.Close()
	q = openAt(t, dir, clock, Options{})
	if got, err := q.Get(ctx, j.ID); err != nil || got.Key != "R1" || got.CopyOf != 0 {
		t.Errorf("Get() after the migration = %+v, %v", got, err)
	}
	var v int
	q.rdb.QueryRow("PRAGMA user_version").Scan(&v)
	if v != schemaVersion {
		t.Errorf("user_version = %d, want %d", v, schemaVersion)
	}
	if _, err := q.PrinterStatus(ctx); err != nil {
		t.Errorf("PrinterStatus() after the migration = %v", err)
	}
	if _, err := q.wdb.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	q.Close()
	_, err := Open(ctx, filepath.Join(dir, FileName), Options{Keys: testKey()})
	if err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("Open(a file of version 99) = %v, want refused", err)
	}
}
