package config

// validate.go: what a configuration may say, checked without touching the disk or
// the network, and the start-up check of the signing key.

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"certkiosk/backend/rules"
	"certkiosk/backend/signer"
)

// Validate checks c as Load does; its errors name the keys (and the file when c
// was read from one), not the lines.
func (c Config) Validate() error { return c.validate(c.File, nil) }

// RequireHardwareKey returns nil when iss may sign in c's mode: in demo mode any
// issuer; otherwise only a key in a hardware token or a remote signer with a
// certificate that is not a test certificate (signer.RequireHardware). Start-up
// calls it once the key is open, and refuses to start on an error.
func (c Config) RequireHardwareKey(iss *signer.Issuer) error {
	if err := signer.RequireHardware(iss, c.Demo); err != nil {
		return fmt.Errorf("config: signing.key: %w", err)
	}
	return nil
}

// bounds of the durations, so that a slip of the unit ("60" for "60s", "3h" for
// "3m") is caught.
type bound struct{ min, max time.Duration }

var (
	idleBounds    = bound{10 * time.Second, 30 * time.Minute}
	timeoutBounds = bound{time.Second, 5 * time.Minute}
	sessionBounds = bound{30 * time.Second, 12 * time.Hour}
	retainBounds  = bound{0, 366 * 24 * time.Hour}
	maxRetries    = 10
	minPrinted    = time.Minute
	maxKioskIDLen = 64
	usbIDLen      = 4
)

func (c Config) validate(file string, lines map[string]int) error {
	var errs []error
	fail := func(key, format string, args ...any) {
		errs = append(errs, &Error{File: file, Line: lines[key], Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	demoOnly := func(key, what string) {
		fail(key, "%s is for demo mode only (demo = false)", what)
	}

	if !isID(c.KioskID) {
		fail("kiosk_id", "%q is not 1 to %d of A-Z a-z 0-9 . _ : -", printable(c.KioskID), maxKioskIDLen)
	}
	if !slices.Contains(rules.Codes(), c.Profile) {
		fail("profile", "%q is not one of %s", printable(c.Profile), strings.Join(rules.Codes(), ", "))
	}
	for i, lang := range c.Languages {
		if !slices.Contains(rules.Languages(), lang) || slices.Index(c.Languages, lang) != i {
			fail("languages", "%q is not one of %s, or repeats", printable(lang), strings.Join(rules.Languages(), ", "))
		}
	}
	checkDuration(fail, "idle_timeout", c.IdleTimeout, idleBounds)
	if !filepath.IsAbs(c.DataFolder) {
		fail("data_folder", "%q is not an absolute path", printable(c.DataFolder))
	}

	// The registry.
	if c.Registry.URL == "" {
		if !c.Demo {
			demoOnly("registry.url", "no registry (the embedded demo registry)")
		}
		if c.Registry.FederalURL != "" {
			fail("registry.federal_url", "set without registry.url")
		}
	}
	checkURL(fail, "registry.url", c.Registry.URL, c.Demo)
	checkURL(fail, "registry.federal_url", c.Registry.FederalURL, c.Demo)
	checkPath(fail, "registry.ca_file", c.Registry.CAFile)
	checkDuration(fail, "registry.timeout", c.Registry.Timeout, timeoutBounds)
	checkDuration(fail, "registry.connect_timeout", c.Registry.ConnectTimeout, timeoutBounds)
	if c.Registry.ConnectTimeout > c.Registry.Timeout {
		fail("registry.connect_timeout", "%v is longer than registry.timeout (%v)", c.Registry.ConnectTimeout, c.Registry.Timeout)
	}
	if c.Registry.Retries < 0 || c.Registry.Retries > maxRetries {
		fail("registry.retries", "%d is not 0 to %d", c.Registry.Retries, maxRetries)
	}

	// The printer.
	folder, err := checkPrinter(c.PrinterURI())
	if err != nil {
		fail("printer.uri", "%v", err)
	}
	if folder && !c.Demo && c.Retention.Printed == 0 {
		fail("retention.printed", "0 keeps every document a folder printer prints, forever: demo mode only; give how long the files may stay (e.g. \"24h\")")
	}
	checkPath(fail, "printer.ca_file", c.Printer.CAFile)

	// The signing key.
	switch {
	case c.Signing.Key == DemoKey:
		if !c.Demo {
			demoOnly("signing.key", "the demo key (a file, with a test certificate)")
		}
	case strings.HasPrefix(c.Signing.Key, "pkcs11:"):
		if _, err := signer.ParsePKCS11URI(c.Signing.Key); err != nil {
			fail("signing.key", "%v", err)
		}
	default:
		fail("signing.key", "want %q or a PKCS#11 URI (pkcs11:token=…;object=…?module-path=…&pin-source=file:…)", DemoKey)
	}

	// The keys.
	for _, k := range []struct{ key, ref, def string }{
		{"keys.queue", c.Keys.Queue, QueueKeyName},
		{"keys.audit", c.Keys.Audit, AuditKeyName},
		{"keys.uvci", c.Keys.UVCI, UVCIKeyName},
	} {
		if name, ok := strings.CutPrefix(k.ref, credentialPrefix); ok {
			if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
				fail(k.key, "credential %q is not a file name", printable(name))
			}
			continue
		}
		checkPath(fail, k.key, k.ref)
	}
	if !c.Demo && filepath.IsAbs(c.DataFolder) {
		queueKey, _ := c.QueueKeyPath()
		if c.Keys.Queue == "" || within(c.DataFolder, queueKey) {
			fail("keys.queue", "the queue's key lies in the data folder, so a copy of the folder opens the queue; "+
				"give a file elsewhere (e.g. /etc/certkiosk/queue.key) or a systemd credential (credential:queue.key)")
		}
	}

	// Retention and staff.
	checkDuration(fail, "retention.finished_jobs", c.Retention.FinishedJobs, retainBounds)
	checkDuration(fail, "retention.reprint_window", c.Retention.ReprintWindow, retainBounds)
	checkDuration(fail, "retention.printed", c.Retention.Printed, retainBounds)
	if p := c.Retention.Printed.Std(); p > 0 && p < minPrinted {
		fail("retention.printed", "%v is shorter than %v: a document must stay until the queue has seen it printed", p, minPrinted)
	}
	checkDuration(fail, "retention.waiting", c.Retention.Waiting, retainBounds)
	if !c.Demo && c.Retention.Waiting == 0 {
		fail("retention.waiting", "0 lets held certificates and their data wait forever: demo mode only; give how long (e.g. \"720h\")")
	}
	checkDuration(fail, "staff.idle_timeout", c.Staff.IdleTimeout, sessionBounds)
	checkDuration(fail, "staff.max_session", c.Staff.MaxSession, sessionBounds)
	if c.Staff.IdleTimeout > c.Staff.MaxSession {
		fail("staff.idle_timeout", "%v is longer than staff.max_session (%v)", c.Staff.IdleTimeout, c.Staff.MaxSession)
	}
	return errors.Join(errs...)
}

func checkDuration(fail func(string, string, ...any), key string, d Duration, b bound) {
	if d.Std() < b.min || d.Std() > b.max {
		fail(key, "%v is not between %v and %v", d, b.min, b.max)
	}
}

// checkURL refuses a registry URL that is not http(s) with a host, or that is
// plain http outside demo mode.
func checkURL(fail func(string, string, ...any), key, s string, demo bool) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || u.Scheme != "https" && u.Scheme != "http":
		fail(key, "%q is not an https:// URL", printable(s))
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		fail(key, "%q: no user, query or fragment (the FHIR base URL only)", printable(s))
	case u.Scheme == "http" && !demo:
		fail(key, "plain http is for demo mode only: %q", printable(s))
	}
}

// checkPath refuses a path that is given but not absolute.
func checkPath(fail func(string, string, ...any), key, s string) {
	if s != "" && !filepath.IsAbs(s) {
		fail(key, "%q is not an absolute path", printable(s))
	}
}

// checkPrinter checks a printer URI in PrinterURI's form and reports whether it
// is a folder printer.
func checkPrinter(s string) (folder bool, err error) {
	scheme, rest, _ := strings.Cut(s, ":")
	switch strings.ToLower(scheme) {
	case "usb":
		ids, serial, _ := strings.Cut(strings.TrimPrefix(rest, "//"), "/")
		vid, pid, ok := strings.Cut(ids, ":")
		if !ok || !isHex(vid) || !isHex(pid) {
			return false, fmt.Errorf("%q: want usb://VID:PID[/serial] with 4 hex digits each", printable(s))
		}
		if strings.ContainsAny(serial, "/?#") {
			return false, fmt.Errorf("%q: the serial holds / ? or #", printable(s))
		}
		return false, nil
	case "ipp", "ipps", "folder":
	default:
		return false, fmt.Errorf("%q: want ipp://, ipps://, usb://VID:PID, folder:///path or an absolute path", printable(s))
	}
	u, err := url.Parse(s)
	if err != nil {
		return false, fmt.Errorf("%q is not a URI", printable(s))
	}
	if u.User != nil || u.Fragment != "" {
		return false, fmt.Errorf("%q: no user or fragment", printable(s))
	}
	if strings.EqualFold(u.Scheme, "folder") {
		if u.Host != "" && u.Host != "localhost" || u.RawQuery != "" || !filepath.IsAbs(u.Path) {
			return true, fmt.Errorf("%q: want folder:///absolute/path", printable(s))
		}
		return true, nil
	}
	if u.Hostname() == "" {
		return false, fmt.Errorf("%q has no host", printable(s))
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return false, fmt.Errorf("%q: port %q", printable(s), printable(p))
		}
	}
	return false, nil
}

func isHex(s string) bool {
	if len(s) != usbIDLen {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// isID reports whether s is an id: 1 to maxKioskIDLen of A-Z a-z 0-9 . _ : -, as
// the audit log takes for an actor id.
func isID(s string) bool {
	if s == "" || len(s) > maxKioskIDLen {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("._:-", c)) {
			return false
		}
	}
	return true
}

// within reports whether path lies in dir (or is dir).
func within(dir, path string) bool {
	rel, err := filepath.Rel(filepath.Clean(dir), filepath.Clean(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
