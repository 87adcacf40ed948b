package certpdf

import (
	"encoding/json"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"certkiosk/backend/dcc/refdata"
	"github.com/makiuchi-d/gozxing"
	zxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// needTool fails the test, naming the Debian package, when a command-line tool the
// test needs is absent; in -short mode it skips instead.
func needTool(t *testing.T, bin, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(bin); err != nil {
		if testing.Short() {
			t.Skipf("%s not found (install the Debian package %s)", bin, pkg)
		}
		t.Fatalf("%s not found: install the Debian package %s (or run go test -short)", bin, pkg)
	}
}

// scanPage rasterises the PDF's page at 150 dpi, as a cheap printer would, and
// returns what zbarimg reads from it, sorted.
func scanPage(t *testing.T, pdf []byte) []string {
	t.Helper()
	needTool(t, "pdftoppm", "poppler-utils")
	needTool(t, "zbarimg", "zbar-tools")
	dir := t.TempDir()
	in := filepath.Join(dir, "page.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", "150", "-singlefile", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	cmd := exec.Command("zbarimg", "-q", "--raw", filepath.Join(dir, "page.png"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("zbarimg found no code: %v", err)
	}
	codes := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	slices.Sort(codes)
	return codes
}

// TestQRRoundTrip prints each fixture, scans the page and expects exactly the HC1
// string and the verification address back, byte for byte.
func TestQRRoundTrip(t *testing.T) {
	r := NewRenderer(mustFonts(t), testNames)
	for _, tc := range testCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // also exercises one Renderer used concurrently
			pdf, err := r.Render(tc.cert)
			if err != nil {
				t.Fatalf("Render(%s) = %v", tc.name, err)
			}
			got := scanPage(t, pdf)
			want := []string{tc.cert.HC1, tc.cert.VerifyURL}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("scan(Render(%s)) = %q, want %q", tc.name, got, want)
			}
		})
	}
}

// TestQRRoundTripVectors does the same with real HC1 strings from the public DCC
// test vectors (read in place): the shortest, the longest and some in between.
func TestQRRoundTripVectors(t *testing.T) {
	dir := refdata.Dir(t, "testvectors")
	var prefixes []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") || strings.Contains(path, "common") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var v struct{ PREFIX string }
		if json.Unmarshal(raw, &v) == nil && strings.HasPrefix(v.PREFIX, "HC1:") && isBase45(v.PREFIX[4:]) {
			prefixes = append(prefixes, v.PREFIX)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(prefixes) == 0 {
		t.Fatalf("no HC1 strings found under %s", dir)
	}
	slices.SortFunc(prefixes, func(a, b string) int { return len(a) - len(b) })
	n := len(prefixes)
	picks := []string{prefixes[0], prefixes[n/4], prefixes[n/2], prefixes[3*n/4], prefixes[n-1]}

	r := NewRenderer(mustFonts(t), testNames)
	base := testCases(t)[0].cert
	for _, hc1 := range picks {
		t.Run(strconv.Itoa(len(hc1))+"-chars", func(t *testing.T) {
			t.Parallel()
			c := base
			c.HC1 = hc1
			c.VerifyURL = ""
			pdf, err := r.Render(c)
			if err != nil {
				t.Fatalf("Render(HC1 of %d chars) = %v", len(hc1), err)
			}
			if got := scanPage(t, pdf); !slices.Equal(got, []string{hc1}) {
				t.Errorf("scan(Render(HC1 of %d chars)) = %q, want the HC1 string", len(hc1), got)
			}
		})
	}
}

func isBase45(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", r) {
			return false
		}
	}
	return true
}

// TestEncodeQRLevelQ decodes the symbol with an independent decoder (gozxing) and
// reads the error correction level from its format information.
func TestEncodeQRLevelQ(t *testing.T) {
	for _, content := range []string{syntheticHC1(600), "https://dcc.terviseamet.ee/verify"} {
		sym, err := encodeQR(content)
		if err != nil {
			t.Fatalf("encodeQR(%.20q) = %v", content, err)
		}
		img := symbolImage(sym, 4)
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		res, err := zxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
		if err != nil {
			t.Fatalf("decoding encodeQR(%.20q) = %v", content, err)
		}
		if got := res.GetText(); got != content {
			t.Errorf("decode(encodeQR(%.20q)) = %.20q, want the content", content, got)
		}
		if got := res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL]; got != "Q" {
			t.Errorf("encodeQR(%.20q) error correction level = %v, want Q", content, got)
		}
	}
}

// symbolImage draws sym with its quiet zone, px pixels a module.
func symbolImage(sym qrSymbol, px int) image.Image {
	side := (sym.size + 2*quietZone) * px
	img := image.NewGray(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			mx, my := x/px-quietZone, y/px-quietZone
			c := color.Gray{Y: 255}
			if mx >= 0 && my >= 0 && mx < sym.size && my < sym.size && sym.at(mx, my) {
				c = color.Gray{Y: 0}
			}
			img.SetGray(x, y, c)
		}
	}
	return img
}

func TestFillOps(t *testing.T) {
	// A 3×3 symbol: a full top row, a lone middle module, nothing below.
	sym := qrSymbol{size: 3, dark: []bool{
		true, true, true,
		false, true, false,
		false, false, false,
	}}
	got := sym.fillOps(1000, 5000, 150)
	want := "q 0 g\n10.00 48.50 4.50 1.50 re\n11.50 47.00 1.50 1.50 re\nf\nQ"
	if got != want {
		t.Errorf("fillOps(1000, 5000, 150) = %q, want %q", got, want)
	}
}

func TestHundredths(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0.00"}, {5, "0.05"}, {100, "1.00"}, {12345, "123.45"}, {-7, "-0.07"}, {-250, "-2.50"},
	}
	for _, tt := range tests {
		if got := hundredths(tt.in); got != tt.want {
			t.Errorf("hundredths(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkQR(b *testing.B) {
	hc1 := syntheticHC1(600)
	b.ReportAllocs()
	for b.Loop() {
		sym, err := encodeQR(hc1)
		if err != nil {
			b.Fatal(err)
		}
		_ = sym.fillOps(5000, 60000, 200)
	}
}
