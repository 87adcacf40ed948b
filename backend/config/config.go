package config

// config.go: the configuration's fields, their defaults, and Load.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"certkiosk/backend/rules"

	toml "github.com/pelletier/go-toml/v2"
)

// Config is the kiosk's configuration. The TOML key of each field is in its tag;
// build/certkiosk.example.toml shows them all.
type Config struct {
	// KioskID names this kiosk in the audit log, in staff lock-outs and in reports:
	// 1 to 64 of A–Z a–z 0–9 . _ : -.
	KioskID string `toml:"kiosk_id"`
	// Profile is the jurisdiction profile: EE, RU-MOW, RU-KAM or AZ.
	Profile string `toml:"profile"`
	// Languages are the languages the screens offer, the first shown first; empty:
	// the profile's languages.
	Languages []string `toml:"languages"`
	// IdleTimeout returns an unattended resident session to the attract screen,
	// wiping it.
	IdleTimeout Duration `toml:"idle_timeout"`
	// DataFolder holds the queue, the audit log, the staff accounts and the demo
	// key; an absolute path.
	DataFolder string `toml:"data_folder"`
	// Demo is the demo mode: a file key, test certificates and the embedded registry
	// are allowed, and what they sign is marked SPECIMEN. A file must say it.
	Demo bool `toml:"demo"`

	Registry  Registry  `toml:"registry"`
	Printer   Printer   `toml:"printer"`
	Signing   Signing   `toml:"signing"`
	Keys      Keys      `toml:"keys"`
	Retention Retention `toml:"retention"`
	Staff     Staff     `toml:"staff"`

	// File is the file the configuration was read from; empty for Default.
	File string `toml:"-"`
}

// Registry is where the health records come from, and where reports and audit
// entries go.
type Registry struct {
	// URL is the local registry's FHIR R4 base URL; empty: the embedded demo
	// registry (demo mode only).
	URL string `toml:"url"`
	// CAFile is a PEM file of certificates trusted, besides the system's roots, to
	// sign the registries' certificates.
	CAFile string `toml:"ca_file"`
	// FederalURL is the federal registry, asked when the local one has no usable
	// record; empty: none (with the embedded registry: its federal half).
	FederalURL string `toml:"federal_url"`
	// Timeout bounds one look-up, retries included; ConnectTimeout one connection.
	Timeout        Duration `toml:"timeout"`
	ConnectTimeout Duration `toml:"connect_timeout"`
	// Retries is how many times a look-up that got no answer is tried again.
	Retries int `toml:"retries"`
}

// Printer is where documents are printed.
type Printer struct {
	// URI is ipp://host/path, ipps://host/path, usb://VID:PID[/serial] (usb:VID:PID
	// is read as that too), folder:///path or an absolute path (a folder); empty:
	// the folder "printed" in the data folder.
	URI string `toml:"uri"`
	// CAFile is a PEM file of certificates trusted to sign an ipps:// printer's.
	CAFile string `toml:"ca_file"`
}

// Signing is the key certificates are signed with.
type Signing struct {
	// Key is "demo" (the demo key in the data folder, demo mode only) or an RFC 7512
	// PKCS#11 URI of a key in a hardware token.
	Key string `toml:"key"`
}

// Keys says where the secrets that are not the signing key live. Each is a file
// path, "credential:NAME" (the file NAME in $CREDENTIALS_DIRECTORY: a systemd
// credential, LoadCredential= or LoadCredentialEncrypted=), or empty: a file in the
// data folder. Outside demo mode the queue's key must not be in the data folder.
type Keys struct {
	// Queue is the key personal data in the queue is sealed under (32 bytes).
	Queue string `toml:"queue"`
	// Audit is the key the audit log hashes identifiers with (32 bytes).
	Audit string `toml:"audit"`
	// UVCI is the key certificate identifiers are derived under (32 bytes).
	UVCI string `toml:"uvci"`
}

// Retention is how long what holds personal data is kept.
type Retention struct {
	// FinishedJobs is how long a finished job's rows and sealed data stay in the
	// queue; 0: deleted at the next purge (a minute).
	FinishedJobs Duration `toml:"finished_jobs"`
	// ReprintWindow is how long after printing staff can have a document printed
	// again; 0 keeps nothing for reprints.
	ReprintWindow Duration `toml:"reprint_window"`
	// Printed is how long a folder printer keeps the files it printed; 0: forever
	// (demo mode only).
	Printed Duration `toml:"printed"`
	// Waiting is how long a held certificate, a parked job or a request accepted
	// offline waits for its resident or staff before it is cancelled and its data
	// deleted; 0: no limit (demo mode only).
	Waiting Duration `toml:"waiting"`
}

// Staff are the staff functions' options.
type Staff struct {
	// Enabled allows staff logins at this kiosk (assisted and clerk modes).
	Enabled bool `toml:"enabled"`
	// IdleTimeout ends a staff session nobody used; MaxSession ends any session.
	IdleTimeout Duration `toml:"idle_timeout"`
	MaxSession  Duration `toml:"max_session"`
}

// DemoKey is Signing.Key for the demo key.
const DemoKey = "demo"

// The defaults of the fields a file leaves out.
const (
	DefaultKioskID         = "kiosk-1"
	DefaultProfile         = "EE"
	DefaultIdleTimeout     = 60 * time.Second
	DefaultRegistryTimeout = 15 * time.Second
	DefaultConnectTimeout  = 3 * time.Second
	DefaultRetries         = 3
	DefaultReprintWindow   = 24 * time.Hour
	DefaultPrinted         = 24 * time.Hour
	DefaultWaiting         = 30 * 24 * time.Hour
	DefaultStaffIdle       = 3 * time.Minute
	DefaultStaffMaxSession = 4 * time.Hour
)

// Default returns the configuration the kiosk runs on without a file: the demo
// mode, profile EE, the demo key, the embedded demo registry, the folder printer in
// the data folder (DefaultDataDir; empty when there is no home folder).
func Default() Config {
	c := defaults()
	c.Demo = true
	c.DataFolder, _ = DefaultDataDir()
	c.Languages = profileLanguages(c.Profile)
	return c
}

// defaults are the values of the fields a file leaves out; Demo is false, and the
// data folder empty until resolved.
func defaults() Config {
	return Config{
		KioskID:     DefaultKioskID,
		Profile:     DefaultProfile,
		IdleTimeout: Duration(DefaultIdleTimeout),
		Registry: Registry{
			Timeout:        Duration(DefaultRegistryTimeout),
			ConnectTimeout: Duration(DefaultConnectTimeout),
			Retries:        DefaultRetries,
		},
		Signing: Signing{Key: DemoKey},
		Retention: Retention{
			ReprintWindow: Duration(DefaultReprintWindow),
			Printed:       Duration(DefaultPrinted),
			Waiting:       Duration(DefaultWaiting),
		},
		Staff: Staff{
			Enabled:     true,
			IdleTimeout: Duration(DefaultStaffIdle),
			MaxSession:  Duration(DefaultStaffMaxSession),
		},
	}
}

// profileLanguages returns the languages of a profile, or none for an unknown one
// (which Validate refuses).
func profileLanguages(code string) []string {
	if !slices.Contains(rules.Codes(), code) {
		return nil
	}
	p, err := rules.Load(code)
	if err != nil {
		return nil
	}
	return slices.Clone(p.Languages)
}

// MaxFileSize caps the configuration file.
const MaxFileSize = 1 << 20

// Load reads the configuration file at path, fills in the defaults of what it
// leaves out, and validates it (Validate). Every error matches ErrInvalid, is a
// *Error naming the file, the line (when known) and the key, except a file that
// cannot be read.
func Load(path string) (Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return Config{}, fmt.Errorf("config: %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return Config{}, &Error{File: path, Msg: fmt.Sprintf("larger than %d bytes", MaxFileSize)}
	}
	return Parse(data, path)
}

// Parse reads a configuration from data as Load does; name is the file's name in
// errors and in Config.File.
func Parse(data []byte, name string) (Config, error) {
	c := defaults()
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, decodeError(name, err, keyLines(data))
	}
	lines := keyLines(data)
	// demo = false is a choice, not a default: a file must make it.
	if _, ok := lines["demo"]; !ok {
		return Config{}, &Error{File: name, Key: "demo", Msg: "missing: say demo = true (a demonstration kiosk) or demo = false"}
	}
	c.File = name
	if c.DataFolder == "" {
		dir, err := DefaultDataDir()
		if err != nil {
			return Config{}, &Error{File: name, Key: "data_folder", Msg: "missing, and there is no home folder to default to"}
		}
		c.DataFolder = dir
	}
	if len(c.Languages) == 0 {
		c.Languages = profileLanguages(c.Profile)
	}
	if err := c.validate(name, lines); err != nil {
		return Config{}, err
	}
	return c, nil
}

// typeMismatch is how the TOML library says a value has the wrong type.
var typeMismatch = regexp.MustCompile(`^cannot decode TOML (\S+) into (?:struct field \S+ of type |a Go value of type )?(\S+)$`)

// goTypeNames says the Go types of Config's fields in an administrator's words.
var goTypeNames = map[string]string{
	"int":              "a whole number",
	"bool":             "true or false",
	"string":           "a string in quotes",
	"[]string":         "a list of strings",
	"config.Duration":  "a duration in quotes (\"90s\")",
	"config.Registry":  "a table [registry]",
	"config.Printer":   "a table [printer]",
	"config.Signing":   "a table [signing]",
	"config.Keys":      "a table [keys]",
	"config.Retention": "a table [retention]",
	"config.Staff":     "a table [staff]",
	"*config.Config":   "a table",
	"config.Config":    "a table",
}

// decodeError turns the TOML library's error into an *Error with the line and key;
// lines names the key written on a line when the library does not.
func decodeError(name string, err error, lines map[string]int) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) && len(strict.Errors) > 0 {
		var errs []error
		for _, e := range strict.Errors {
			line, _ := e.Position()
			errs = append(errs, &Error{File: name, Line: line, Key: strings.Join(e.Key(), "."), Msg: "unknown key"})
		}
		return errors.Join(errs...)
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, _ := de.Position()
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		if m := typeMismatch.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("a TOML %s where the kiosk wants %s", m[1], goTypeNames[m[2]])
			if goTypeNames[m[2]] == "" {
				msg = fmt.Sprintf("a TOML %s is not what the kiosk wants here", m[1])
			}
		}
		key := strings.Join(de.Key(), ".")
		if key == "" {
			for k, l := range lines {
				if l == line && len(k) > len(key) {
					key = k
				}
			}
		}
		return &Error{File: name, Line: line, Key: key, Msg: msg}
	}
	return &Error{File: name, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
}

// Duration is a time.Duration written as a string time.ParseDuration reads:
// "90s", "3m", "24h", "720h".
type Duration time.Duration

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String writes d as time.Duration does.
func (d Duration) String() string { return time.Duration(d).String() }

// UnmarshalText reads a duration; a negative one is refused.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration (like \"90s\", \"3m\", \"24h\")", printable(string(b)))
	}
	if v < 0 {
		return fmt.Errorf("%q is negative", string(b))
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes d as UnmarshalText reads it.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Resolve returns the file a Keys entry names: a path, "credential:NAME" looked up
// in $CREDENTIALS_DIRECTORY, or, when ref is empty, def in the data folder.
func (c Config) Resolve(ref, def string) (string, error) {
	switch {
	case ref == "":
		return filepath.Join(c.DataFolder, def), nil
	case strings.HasPrefix(ref, credentialPrefix):
		dir := os.Getenv("CREDENTIALS_DIRECTORY")
		if dir == "" {
			return "", fmt.Errorf("config: %s: $CREDENTIALS_DIRECTORY is not set (run the kiosk as a systemd service with LoadCredential=)", ref)
		}
		return filepath.Join(dir, strings.TrimPrefix(ref, credentialPrefix)), nil
	}
	return ref, nil
}

// credentialPrefix marks a Keys entry that names a systemd credential.
const credentialPrefix = "credential:"

// The key files' names in the data folder when Keys leaves them out.
const (
	QueueKeyName = "queue.key"
	AuditKeyName = "audit.key"
	UVCIKeyName  = "uvci.key"
)

// QueueKeyPath returns the queue's key file.
func (c Config) QueueKeyPath() (string, error) { return c.Resolve(c.Keys.Queue, QueueKeyName) }

// AuditKeyPath returns the audit log's key file.
func (c Config) AuditKeyPath() (string, error) { return c.Resolve(c.Keys.Audit, AuditKeyName) }

// UVCIKeyPath returns the file of the key UVCIs are derived under.
func (c Config) UVCIKeyPath() (string, error) { return c.Resolve(c.Keys.UVCI, UVCIKeyName) }

// PrinterURI returns the printer's URI in the form printing.Open reads:
// usb:VID:PID becomes usb://VID:PID, a path becomes folder:///path, and no printer
// the folder "printed" in the data folder.
func (c Config) PrinterURI() string {
	u := strings.TrimSpace(c.Printer.URI)
	switch {
	case u == "":
		return "folder://" + filepath.ToSlash(filepath.Join(c.DataFolder, "printed"))
	case strings.HasPrefix(u, "/"):
		return "folder://" + filepath.ToSlash(filepath.Clean(u))
	case len(u) > 4 && strings.EqualFold(u[:4], "usb:") && !strings.HasPrefix(u[4:], "//"):
		return "usb://" + u[4:]
	}
	return u
}
