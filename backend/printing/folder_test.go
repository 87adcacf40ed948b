package printing

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func newTestFolder(t *testing.T) *Folder {
	t.Helper()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	f, err := NewFolder(filepath.Join(t.TempDir(), "printed"), Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("NewFolder() = %v", err)
	}
	return f
}

func TestFolderPrint(t *testing.T) {
	ctx := context.Background()
	f := newTestFolder(t)
	if got, want := f.URI(), "folder://"+f.Dir(); got != want {
		t.Errorf("URI() = %q, want %q", got, want)
	}
	if st, err := f.Status(ctx); err != nil || st.State != StateReady || st.CheckedAt.IsZero() {
		t.Errorf("Status() = %+v, %v; want ready", st, err)
	}
	if _, _, found, err := f.FindJob(ctx, "cert-1"); found || err != nil {
		t.Errorf("FindJob(cert-1) before printing = %v, %v; want not found", found, err)
	}

	pdf := testPDF(t)
	ref, err := f.Print(ctx, Document{Key: "cert-1", PDF: pdf})
	if err != nil {
		t.Fatalf("Print() = %v", err)
	}
	path := filepath.Join(f.Dir(), "cert-1.pdf")
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("%s = %d bytes (%v), want the %d bytes printed", path, len(got), err, len(pdf))
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != folderPerm {
		t.Errorf("mode = %v, want %v", fi.Mode().Perm(), os.FileMode(folderPerm))
	}
	if js, err := f.Job(ctx, ref); err != nil || js.State != JobCompleted {
		t.Errorf("Job(%+v) = %+v, %v; want completed", ref, js, err)
	}
	found, st, ok, err := f.FindJob(ctx, "cert-1")
	if err != nil || !ok || found != ref || st.State != JobCompleted {
		t.Errorf("FindJob(cert-1) = %+v, %+v, %v, %v; want %+v completed", found, st, ok, err, ref)
	}

	// Printing the key again replaces the file: one document per key.
	again := append(bytes.Clone(pdf), "% reprint\n"...)
	if _, err := f.Print(ctx, Document{Key: "cert-1", PDF: again}); err != nil {
		t.Fatalf("Print(again) = %v", err)
	}
	if _, err := f.Print(ctx, Document{Key: "cert-2", PDF: pdf}); err != nil {
		t.Fatalf("Print(cert-2) = %v", err)
	}
	entries, _ := os.ReadDir(f.Dir())
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "cert-1.pdf cert-2.pdf" {
		t.Errorf("folder holds %v, want cert-1.pdf and cert-2.pdf only (no temporary or probe files)", names)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, again) {
		t.Errorf("reprinted file is not the new document")
	}

	// A file taken away: the job is no longer known.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Job(ctx, ref); !errors.Is(err, ErrJobNotFound) {
		t.Errorf("Job() after the file was removed = %v, want ErrJobNotFound", err)
	}
}

func TestFolderRefuses(t *testing.T) {
	ctx := context.Background()
	f := newTestFolder(t)
	pdf := testPDF(t)
	tests := []struct {
		name string
		doc  Document
	}{
		{"empty key", Document{Key: "", PDF: pdf}},
		{"path in key", Document{Key: "../x", PDF: pdf}},
		{"dot in key", Document{Key: "a.b", PDF: pdf}},
		{"space in key", Document{Key: "a b", PDF: pdf}},
		{"key too long", Document{Key: strings.Repeat("k", 65), PDF: pdf}},
		{"not a PDF", Document{Key: "k", PDF: []byte("<html>")}},
		{"no bytes", Document{Key: "k"}},
	}
	for _, tt := range tests {
		if _, err := f.Print(ctx, tt.doc); !errors.Is(err, ErrRejected) {
			t.Errorf("Print(%s) = %v, want ErrRejected", tt.name, err)
		}
	}
	if _, _, _, err := f.FindJob(ctx, "../../etc/passwd"); !errors.Is(err, ErrRejected) {
		t.Errorf("FindJob(path) = %v, want ErrRejected", err)
	}
	for _, uri := range []string{"file:///elsewhere/k.pdf", "file://" + f.Dir() + "/k.txt", "::", "file://" + f.Dir() + "/a.b.pdf"} {
		if _, err := f.Job(ctx, JobRef{URI: uri}); err == nil {
			t.Errorf("Job(%q) succeeded, want an error", uri)
		}
	}
	if entries, _ := os.ReadDir(f.Dir()); len(entries) != 0 {
		t.Errorf("folder holds %d entries after refusals, want none", len(entries))
	}
	if _, err := f.Print(ctx, Document{Key: strings.Repeat("k", 64), PDF: pdf}); err != nil {
		t.Errorf("Print(64-character key) = %v", err)
	}
}

// TestFolderGone: the folder disappears (a removable disk is unplugged), then a file
// stands where it was: the printer is offline and cannot say which jobs it printed.
func TestFolderGone(t *testing.T) {
	ctx := context.Background()
	f := newTestFolder(t)
	if err := os.Remove(f.Dir()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, reason string }{{"removed", "folder-missing"}, {"file instead", "folder-not-writable"}} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "file instead" {
				if err := os.WriteFile(f.Dir(), []byte("x"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			st, err := f.Status(ctx)
			if st.State != StateOffline || !errors.Is(err, ErrUnavailable) || len(st.Reasons) != 1 || st.Reasons[0] != tt.reason {
				t.Errorf("Status() = %+v, %v; want offline (%s), ErrUnavailable", st, err, tt.reason)
			}
			if _, err := f.Print(ctx, Document{Key: "k", PDF: testPDF(t)}); !errors.Is(err, ErrUnavailable) {
				t.Errorf("Print() = %v, want ErrUnavailable", err)
			}
			if _, _, found, err := f.FindJob(ctx, "k"); found || !errors.Is(err, ErrUnavailable) {
				t.Errorf("FindJob() = %v, %v; want ErrUnavailable, not a plain 'not found'", found, err)
			}
		})
	}
}

func TestFolderCancelled(t *testing.T) {
	f := newTestFolder(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Print(ctx, Document{Key: "k", PDF: testPDF(t)}); !errors.Is(err, context.Canceled) {
		t.Errorf("Print(cancelled) = %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(f.Dir()); len(entries) != 0 {
		t.Errorf("folder holds %d entries after a cancelled print, want none", len(entries))
	}
}

// TestFolderRetention: with a retention, what the folder printer printed is deleted
// once it is that old — on the next Print, Status or Sweep — and nothing else in the
// folder is touched; without one, nothing is deleted (PRIVACY.md, finding 1).
func TestFolderRetention(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	dir := filepath.Join(t.TempDir(), "printed")
	f, err := NewFolder(dir, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	f.WithRetention(time.Hour)
	if f.Retention() != time.Hour {
		t.Fatalf("Retention() = %v, want 1h", f.Retention())
	}
	pdf := testPDF(t)
	if _, err := f.Print(ctx, Document{Key: "old", PDF: pdf}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("kept"), 0o600)
	os.WriteFile(filepath.Join(dir, ".torn.pdf.123"), []byte("%PDF"), 0o600) // an interrupted print
	os.Chtimes(filepath.Join(dir, ".torn.pdf.123"), now, now)
	os.Chtimes(filepath.Join(dir, "notes.txt"), now, now)

	now = now.Add(59 * time.Minute)
	if _, err := f.Print(ctx, Document{Key: "new", PDF: pdf}); err != nil {
		t.Fatal(err)
	}
	if _, _, found, _ := f.FindJob(ctx, "old"); !found {
		t.Errorf("old.pdf is gone before its retention passed")
	}

	now = now.Add(2 * time.Minute) // old is 61 minutes old, new 2
	if st, err := f.Status(ctx); err != nil || st.State != StateReady || len(st.Reasons) != 0 {
		t.Errorf("Status() = %+v, %v; want ready", st, err)
	}
	names := folderNames(t, dir)
	if names != "new.pdf notes.txt" {
		t.Errorf("after the retention the folder holds %q, want new.pdf notes.txt", names)
	}
	if _, _, found, err := f.FindJob(ctx, "old"); found || err != nil {
		t.Errorf("FindJob(old) after its retention = %v, %v; want not found", found, err)
	}

	now = now.Add(time.Hour)
	if n, err := f.Sweep(ctx); n != 1 || err != nil {
		t.Errorf("Sweep() = %d, %v; want new.pdf deleted", n, err)
	}
	if names := folderNames(t, dir); names != "notes.txt" {
		t.Errorf("the folder holds %q, want notes.txt only", names)
	}

	// Without a retention nothing is deleted, however old.
	forever, _ := NewFolder(dir, Options{Now: clock})
	forever.Print(ctx, Document{Key: "kept", PDF: pdf})
	now = now.Add(1000 * time.Hour)
	if n, err := forever.Sweep(ctx); n != 0 || err != nil {
		t.Errorf("Sweep() without a retention = %d, %v; want 0", n, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "kept.pdf")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("kept.pdf = %v, %v; want mode 0600", fi, err)
	}
}

func folderNames(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}
