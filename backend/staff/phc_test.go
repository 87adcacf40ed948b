package staff

import (
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// TestPHCVectors verifies the reference implementation's vectors, and refuses each
// with a wrong PIN and with its tag changed; the must-fail strings do not parse.
func TestPHCVectors(t *testing.T) {
	for _, v := range readVectors(t) {
		h, err := ParsePHC(v.phc)
		if !v.ok {
			if !errors.Is(err, ErrPHC) {
				t.Errorf("line %d: ParsePHC(%q) = %v, want ErrPHC", v.line, v.phc, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("line %d: ParsePHC(%q) = %v", v.line, v.phc, err)
			continue
		}
		if got := h.String(); got != v.phc {
			t.Errorf("line %d: ParsePHC(%q).String() = %q, want it unchanged", v.line, v.phc, got)
		}
		if !h.Verify([]byte(v.pin)) {
			t.Errorf("line %d: Verify(%q) = false, want true", v.line, v.pin)
		}
		if h.Verify([]byte(v.pin + "x")) {
			t.Errorf("line %d: Verify(wrong PIN) = true", v.line)
		}
		h.Key[len(h.Key)-1] ^= 1
		if h.Verify([]byte(v.pin)) {
			t.Errorf("line %d: Verify with a tag changed in its last bit = true", v.line)
		}
	}
}

func TestHashPIN(t *testing.T) {
	pin := []byte("482916")
	h1, err := HashPIN(pin, cheap(), nil)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := HashPIN(pin, cheap(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(h1.Salt, h2.Salt) || h1.String() == h2.String() {
		t.Errorf("two hashes of one PIN share a salt: %s, %s", h1, h2)
	}
	for _, h := range []Hash{h1, h2} {
		parsed, err := ParsePHC(h.String())
		if err != nil {
			t.Fatalf("ParsePHC(HashPIN().String()) = %v", err)
		}
		if !parsed.Verify(pin) || parsed.Verify([]byte("482917")) {
			t.Errorf("round trip through %s: right PIN %v, wrong PIN %v; want true, false", h, parsed.Verify(pin), parsed.Verify([]byte("482917")))
		}
		if strings.Contains(h.String(), string(pin)) {
			t.Errorf("hash %s holds the PIN", h)
		}
	}
	if _, err := HashPIN(pin, cheap(), iotest.ErrReader(errors.New("no entropy"))); err == nil {
		t.Error("HashPIN with a failing random source = nil error")
	}
	if _, err := HashPIN(pin, Params{Time: 1, Memory: 64, Threads: 1, SaltLen: 4, KeyLen: 32}, nil); !errors.Is(err, ErrPHC) {
		t.Errorf("HashPIN with a 4-byte salt = %v, want ErrPHC", err)
	}
}

// TestDefaultParams hashes once with the parameters new PINs get, RFC 9106 §4's
// second recommended option.
func TestDefaultParams(t *testing.T) {
	h, err := HashPIN([]byte("482916"), DefaultParams(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := h.String()
	if !strings.HasPrefix(s, "$argon2id$v=19$m=65536,t=3,p=4$") || len(h.Salt) != 16 || len(h.Key) != 32 {
		t.Errorf("HashPIN(DefaultParams) = %s (salt %d bytes, tag %d), want m=65536,t=3,p=4, 16 and 32 bytes", s, len(h.Salt), len(h.Key))
	}
	if !h.Verify([]byte("482916")) {
		t.Error("Verify(right PIN) = false")
	}
}

// TestVerifyComparesInConstantTime reads the package's source: Hash.Verify compares
// the tags with subtle.ConstantTimeCompare, and no other file of the package compares
// bytes with bytes.Equal, whose time depends on where the first difference is.
func TestVerifyComparesInConstantTime(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	constantTime := false
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if fn, ok := n.(*ast.FuncDecl); ok && fn.Name.Name == "Verify" && fn.Recv != nil {
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					if isCall(n, "subtle", "ConstantTimeCompare") {
						constantTime = true
					}
					return true
				})
			}
			if isCall(n, "bytes", "Equal") {
				t.Errorf("%s: bytes.Equal; compare secrets with subtle.ConstantTimeCompare", fset.Position(n.Pos()))
			}
			return true
		})
	}
	if !constantTime {
		t.Error("Hash.Verify does not call subtle.ConstantTimeCompare")
	}
}

// isCall reports whether n calls pkg.fn.
func isCall(n ast.Node, pkg, fn string) bool {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == pkg && sel.Sel.Name == fn
}

// FuzzParsePHC: ParsePHC never panics; what it accepts is within the bounds and
// prints back exactly as given, so each hash has one spelling.
func FuzzParsePHC(f *testing.F) {
	for _, v := range readVectors(f) {
		f.Add(v.phc)
	}
	f.Add("$argon2id$v=19$m=65536,t=3,p=4$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParsePHC(s)
		if err != nil {
			if !errors.Is(err, ErrPHC) {
				t.Fatalf("ParsePHC(%q) = %v, want an ErrPHC", s, err)
			}
			return
		}
		if got := h.String(); got != s {
			t.Fatalf("ParsePHC(%q).String() = %q, want the input", s, got)
		}
		if err := h.Params.check(); err != nil {
			t.Fatalf("ParsePHC(%q) accepted parameters out of bounds: %v", s, err)
		}
		if int(h.Params.SaltLen) != len(h.Salt) || int(h.Params.KeyLen) != len(h.Key) {
			t.Fatalf("ParsePHC(%q): lengths %d/%d, salt %d, tag %d", s, h.Params.SaltLen, h.Params.KeyLen, len(h.Salt), len(h.Key))
		}
	})
}
