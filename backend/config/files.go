package config

// files.go: the checks of the files a configuration names, which Validate leaves to
// start-up and to `certkiosk config check` because they read the disk.

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// maxCAFile caps a CA bundle read by CheckFiles.
const maxCAFile = 4 << 20

// CheckFiles checks the files c names as they are on this machine: each CA bundle
// must be readable and hold at least one PEM certificate, and each key file that
// exists must be the kiosk user's alone (mode 0600 or 0400). A key file that does
// not exist yet is no fault: the kiosk creates it on first use. Errors are *Error,
// naming the key.
func (c Config) CheckFiles() error {
	var errs []error
	fail := func(key, format string, args ...any) {
		errs = append(errs, &Error{File: c.File, Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	for _, ca := range []struct{ key, path string }{
		{"registry.ca_file", c.Registry.CAFile},
		{"printer.ca_file", c.Printer.CAFile},
	} {
		if ca.path == "" {
			continue
		}
		if err := checkCAFile(ca.path); err != nil {
			fail(ca.key, "%v", err)
		}
	}
	for _, k := range []struct {
		key  string
		path func() (string, error)
		ref  string
	}{
		{"keys.queue", c.QueueKeyPath, c.Keys.Queue},
		{"keys.audit", c.AuditKeyPath, c.Keys.Audit},
		{"keys.uvci", c.UVCIKeyPath, c.Keys.UVCI},
	} {
		path, err := k.path()
		if err != nil {
			if !strings.HasPrefix(k.ref, credentialPrefix) {
				fail(k.key, "%v", err)
			}
			continue // a credential exists only inside the service
		}
		fi, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			fail(k.key, "%v", err)
		case !fi.Mode().IsRegular():
			fail(k.key, "%s is not a file", path)
		case fi.Mode().Perm()&0o077 != 0:
			fail(k.key, "%s has mode %04o, which lets others read it; want 0600", path, fi.Mode().Perm())
		}
	}
	return errors.Join(errs...)
}

// checkCAFile reads a PEM bundle and refuses one without a certificate.
func checkCAFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCAFile+1))
	if err != nil {
		return err
	}
	if len(data) > maxCAFile {
		return fmt.Errorf("%s is larger than %d bytes", path, maxCAFile)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(data) {
		return fmt.Errorf("%s holds no PEM certificate", path)
	}
	return nil
}
