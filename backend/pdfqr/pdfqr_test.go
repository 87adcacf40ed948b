package pdfqr

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

func TestReadPageWithoutCodes(t *testing.T) {
	doc := fpdf.New("P", "mm", "A4", "")
	doc.AddPage()
	doc.SetFont("Helvetica", "", 12)
	doc.Text(20, 20, "no code here")
	var pdf bytes.Buffer
	if err := doc.Output(&pdf); err != nil {
		t.Fatal(err)
	}
	codes, err := Read(context.Background(), pdf.Bytes())
	if errors.Is(err, ErrToolMissing) {
		t.Fatal(err)
	}
	if err != nil || len(codes) != 0 {
		t.Errorf("Read(page without codes) = %q, %v, want none and no error", codes, err)
	}
}

func TestReadNotAPDF(t *testing.T) {
	_, err := Read(context.Background(), []byte("GIF89a, not a PDF"))
	if err == nil || errors.Is(err, ErrToolMissing) {
		t.Errorf("Read(not a PDF) = %v, want a pdftoppm error", err)
	}
}
