package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse, from the seeds in testdata/fuzz/FuzzParse
// (the example file, a minimal file, and broken ones). It must never panic; every
// error matches ErrInvalid; and what it accepts validates again on its own.
func FuzzParse(f *testing.F) {
	example, err := os.ReadFile(filepath.Join("..", "..", "build", "certkiosk.example.toml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	f.Add([]byte(minimal))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.toml")
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse = %v, want an error matching ErrInvalid", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted a configuration Validate refuses: %v", err)
		}
		if c.File != "fuzz.toml" || c.DataFolder == "" {
			t.Fatalf("Parse = %+v: no file name or data folder", c)
		}
	})
}
