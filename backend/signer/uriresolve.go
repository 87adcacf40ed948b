package signer

// uriresolve.go: the PKCS#11 library and the PIN that a PKCS#11 URI names.

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// maxPINFile caps a pin-source file: a PIN is a few characters.
const maxPINFile = 1 << 10

// moduleSearch is where a module-name is looked up.
type moduleSearch struct {
	// configDirs hold p11-kit module files, <name>.module, whose "module:" line
	// names the library (p11-kit's pkcs11.conf(5)); a relative name there is taken
	// from libDir.
	configDirs []string
	libDir     string
	// libDirs are searched for lib<name>.so and <name>.so when no module file
	// names the library.
	libDirs []string
}

// defaultModuleSearch is the search of a Debian-style system: the p11-kit module
// files, then the multiarch and plain library folders.
func defaultModuleSearch() moduleSearch {
	triplet := map[string]string{
		"amd64":   "x86_64-linux-gnu",
		"arm64":   "aarch64-linux-gnu",
		"386":     "i386-linux-gnu",
		"arm":     "arm-linux-gnueabihf",
		"riscv64": "riscv64-linux-gnu",
		"ppc64le": "powerpc64le-linux-gnu",
		"s390x":   "s390x-linux-gnu",
	}[runtime.GOARCH]
	var libDirs []string
	if triplet != "" {
		libDirs = append(libDirs, "/usr/lib/"+triplet+"/pkcs11", "/usr/lib/"+triplet)
	}
	libDirs = append(libDirs, "/usr/lib/pkcs11", "/usr/lib", "/usr/local/lib/pkcs11", "/usr/local/lib")
	libDir := "/usr/lib/pkcs11"
	if triplet != "" {
		libDir = "/usr/lib/" + triplet + "/pkcs11"
	}
	return moduleSearch{
		configDirs: []string{"/etc/pkcs11/modules", "/usr/share/p11-kit/modules"},
		libDir:     libDir,
		libDirs:    libDirs,
	}
}

// modulePath returns the PKCS#11 library the URI names: module-path, which must be
// absolute (a relative one would load whatever the working folder holds), or else
// module-name looked up in search.
func (u *PKCS11URI) modulePath(search moduleSearch) (string, error) {
	if u.ModulePath != "" {
		if !filepath.IsAbs(u.ModulePath) {
			return "", uriErrorf("module-path", "%q is not an absolute path", printable(u.ModulePath))
		}
		if _, err := os.Stat(u.ModulePath); err != nil {
			return "", fmt.Errorf("%w: module-path %s: %w", ErrModule, u.ModulePath, err)
		}
		return u.ModulePath, nil
	}
	if u.ModuleName == "" {
		return "", uriErrorf("module-path", "missing: name the PKCS#11 library with module-path (or module-name)")
	}
	name := u.ModuleName
	if strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return "", uriErrorf("module-name", "%q is a path; give it as module-path", printable(name))
	}
	for _, dir := range search.configDirs {
		lib, err := moduleFromConfig(filepath.Join(dir, name+".module"))
		if err != nil {
			return "", fmt.Errorf("%w: module-name %s: %w", ErrModule, name, err)
		}
		if lib == "" {
			continue
		}
		if !filepath.IsAbs(lib) {
			lib = filepath.Join(search.libDir, lib)
		}
		return lib, nil
	}
	for _, dir := range search.libDirs {
		for _, file := range []string{"lib" + name + ".so", name + ".so"} {
			path := filepath.Join(dir, file)
			if _, err := os.Stat(path); err == nil {
				return path, nil
			}
		}
	}
	return "", fmt.Errorf("%w: module-name %s: no %s.module file in %s and no lib%s.so in %s",
		ErrModule, name, name, strings.Join(search.configDirs, ", "), name, strings.Join(search.libDirs, ", "))
}

// moduleFromConfig reads the "module:" line of a p11-kit module file; "" when the
// file does not exist or names no module.
func moduleFromConfig(path string) (string, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 64<<10))
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(key) == "module" {
			return strings.TrimSpace(value), nil
		}
	}
	return "", sc.Err()
}

// pin returns the PIN the URI gives: read from pin-source, or pin-value.
func (u *PKCS11URI) pin() (string, error) {
	switch {
	case u.PINSource != "":
		return readPINSource(u.PINSource)
	case u.PINValue != "":
		return u.PINValue, nil
	}
	return "", uriErrorf("pin-source", "missing: give the PIN with pin-source=file:/path/to/pin-file (or pin-value)")
}

// readPINSource reads a PIN from a pin-source: a file: URI (RFC 8089) or an absolute
// path. The file holds the PIN, optionally followed by one line ending. A program
// ("|command") is not run.
func readPINSource(src string) (string, error) {
	path := src
	switch {
	case strings.HasPrefix(src, "|"):
		return "", uriErrorf("pin-source", "running a program for the PIN is not supported; give a file")
	case strings.HasPrefix(strings.ToLower(src), "file:"):
		path = src[len("file:"):]
		if rest, ok := strings.CutPrefix(path, "//"); ok {
			host, p, _ := strings.Cut(rest, "/")
			if host != "" && !strings.EqualFold(host, "localhost") {
				return "", uriErrorf("pin-source", "file on another host %q", printable(host))
			}
			path = "/" + p
		}
	case strings.Contains(src, ":") && !filepath.IsAbs(src):
		return "", uriErrorf("pin-source", "only file: sources are supported")
	}
	if !filepath.IsAbs(path) {
		return "", uriErrorf("pin-source", "%q is not an absolute path", printable(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return "", &URIError{Attr: "pin-source", Reason: "cannot open the PIN file", Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPINFile+1))
	if err != nil {
		return "", &URIError{Attr: "pin-source", Reason: "cannot read the PIN file", Err: err}
	}
	if len(data) > maxPINFile {
		return "", uriErrorf("pin-source", "%s is larger than %d bytes; it should hold only the PIN", path, maxPINFile)
	}
	data = bytes.TrimSuffix(data, []byte("\n"))
	data = bytes.TrimSuffix(data, []byte("\r"))
	if len(data) == 0 {
		return "", uriErrorf("pin-source", "%s is empty", path)
	}
	return string(data), nil
}
