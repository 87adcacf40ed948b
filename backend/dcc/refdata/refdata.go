// Package refdata locates the public EU DCC reference data (schema, value sets,
// CertLogic test suite, test vectors) that tests read in place. The data is not part of
// the repository: it lives in ../shared/dcc beside the checkout, or wherever
// CERTKIOSK_DCC_DATA points.
package refdata

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names the environment variable that overrides the reference data's location.
const EnvVar = "CERTKIOSK_DCC_DATA"

// Find returns the reference data folder, or "" when there is none: the folder named
// by CERTKIOSK_DCC_DATA, else the first ../shared/dcc found walking up from the
// working directory.
func Find() string {
	if dir := os.Getenv(EnvVar); dir != "" {
		if isDir(dir) {
			return dir
		}
		return ""
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		candidate := filepath.Join(dir, "..", "shared", "dcc")
		if isDir(filepath.Join(candidate, "schema")) {
			return filepath.Clean(candidate)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// RequireVar names the environment variable that makes absent reference data a test
// failure instead of a skip; CI sets it, so that no conformance test is silently left
// out there.
const RequireVar = "CERTKIOSK_REQUIRE_DCC_DATA"

// Dir returns the reference data folder joined with elem. When the data is absent it
// skips the test, saying why, or fails it when CERTKIOSK_REQUIRE_DCC_DATA is set.
func Dir(t testing.TB, elem ...string) string {
	t.Helper()
	dir := Find()
	if dir == "" {
		msg := fmt.Sprintf("EU DCC reference data not found: set %s or place it at ../shared/dcc", EnvVar)
		if os.Getenv(RequireVar) != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return filepath.Join(append([]string{dir}, elem...)...)
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
