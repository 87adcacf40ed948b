// Package refdata locates the public EU DCC reference data (schema, value sets,
// CertLogic test suite, test vectors) that tests read in place. The data is not part of
// the repository: it lives in ../shared/dcc beside the checkout, or wherever
// CERTKIOSK_DCC_DATA points.
package refdata

import (
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

// Dir returns the reference data folder joined with elem, and skips the test, saying
// why, when the data is absent.
func Dir(t testing.TB, elem ...string) string {
	t.Helper()
	dir := Find()
	if dir == "" {
		t.Skipf("EU DCC reference data not found: set %s or place it at ../shared/dcc", EnvVar)
	}
	return filepath.Join(append([]string{dir}, elem...)...)
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
