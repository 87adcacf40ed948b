package certpdf

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"
)

func testReceipt() Receipt {
	return Receipt{
		ClaimCode: "K7Q4-M2XP",
		Languages: []string{"et", "en", "ru"},
		IssuedAt:  time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
		Specimen:  true,
	}
}

// TestRenderReceipt renders a receipt in every primary language and checks that the
// same receipt gives the same bytes.
func TestRenderReceipt(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	for _, langs := range [][]string{{"et", "en", "ru"}, {"ru", "en"}, {"az", "ru", "en"}, {"en"}} {
		rc := testReceipt()
		rc.Languages = langs
		a, err := r.RenderReceipt(rc)
		if err != nil {
			t.Fatalf("RenderReceipt(%v) = %v, want a PDF", langs, err)
		}
		b, err := r.RenderReceipt(rc)
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("RenderReceipt(%v) twice = different bytes (err %v), want the same", langs, err)
		}
		if !bytes.HasPrefix(a, []byte("%PDF-")) {
			t.Errorf("RenderReceipt(%v) = %q…, want a PDF", langs, a[:min(8, len(a))])
		}
		if out := os.Getenv("CERTKIOSK_RECEIPT_OUT"); out != "" && langs[0] == "et" {
			os.WriteFile(out, a, 0o644) // for a person to look at
		}
	}
}

func TestRenderReceiptInvalid(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	tests := []struct {
		name   string
		change func(*Receipt)
		want   error
	}{
		{"no time", func(rc *Receipt) { rc.IssuedAt = time.Time{} }, ErrInvalidReceipt},
		{"no code", func(rc *Receipt) { rc.ClaimCode = "" }, ErrInvalidReceipt},
		{"lower case code", func(rc *Receipt) { rc.ClaimCode = "k7q4-m2xp" }, ErrInvalidReceipt},
		{"no languages", func(rc *Receipt) { rc.Languages = nil }, ErrInvalidReceipt},
		{"unknown language", func(rc *Receipt) { rc.Languages = []string{"de"} }, ErrLanguage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := testReceipt()
			tt.change(&rc)
			if _, err := r.RenderReceipt(rc); !errors.Is(err, tt.want) {
				t.Errorf("RenderReceipt(%s) = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
}
