// Package pdfqr reads the QR codes printed on a PDF's pages, the way a verifier's
// camera would: it rasterises every page with poppler's pdftoppm and decodes the
// images with zbar's zbarimg (Debian packages poppler-utils and zbar-tools).
package pdfqr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// DPI is the resolution pages are rasterised at: a little above what a phone camera
// resolves on a printed A4 page.
const DPI = 150

// Bounds on what a PDF may cost to read: pages read, the pixels of a page (an A4 page
// at 300 dpi; a page with a larger media box is cut), and the time taken.
const (
	maxPages    = 4
	maxWidthPx  = 2480
	maxHeightPx = 3508
	timeLimit   = 30 * time.Second
)

// ErrToolMissing is returned when pdftoppm or zbarimg is not installed.
var ErrToolMissing = errors.New("pdfqr: tool missing")

// Read returns the text of every QR code on the PDF's first pages, page by page, in
// the order zbarimg reports them.
func Read(ctx context.Context, pdf []byte) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeLimit)
	defer cancel()
	for _, tool := range []struct{ name, pkg string }{{"pdftoppm", "poppler-utils"}, {"zbarimg", "zbar-tools"}} {
		if _, err := exec.LookPath(tool.name); err != nil {
			return nil, fmt.Errorf("%w: %s (install the Debian package %s)", ErrToolMissing, tool.name, tool.pkg)
		}
	}
	dir, err := os.MkdirTemp("", "pdfqr-")
	if err != nil {
		return nil, fmt.Errorf("pdfqr: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return nil, fmt.Errorf("pdfqr: %w", err)
	}
	if out, err := exec.CommandContext(ctx, "pdftoppm", "-png", "-r", fmt.Sprint(DPI),
		"-f", "1", "-l", fmt.Sprint(maxPages), "-x", "0", "-y", "0", "-W", fmt.Sprint(maxWidthPx), "-H", fmt.Sprint(maxHeightPx),
		in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pdfqr: pdftoppm: %v: %s", err, strings.TrimSpace(string(out)))
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	sort.Strings(pages)
	var codes []string
	for _, page := range pages {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, "zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", page)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 4 {
			continue // zbarimg: no symbol found on this page
		}
		if err != nil {
			return nil, fmt.Errorf("pdfqr: zbarimg: %v: %s", err, strings.TrimSpace(stderr.String()))
		}
		for _, line := range strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n") {
			if line != "" {
				codes = append(codes, line)
			}
		}
	}
	return codes, nil
}
