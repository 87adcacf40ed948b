// Package config holds the kiosk's configuration file and where its state lives.
//
// The configuration is one TOML file (TOML v1.0.0), read by Load:
//
//	cfg, err := config.Load("/etc/certkiosk/certkiosk.toml")
//	if err != nil {
//		return err // names the file, the line and the key
//	}
//	iss, closer, err := signer.OpenToken(cfg.Signing.Key)
//	...
//	if err := cfg.RequireHardwareKey(iss); err != nil {
//		return err // outside demo mode a file key or a test certificate stops the kiosk
//	}
//
// Without a file the kiosk runs on Default: the demo mode, the demo signing key, the
// embedded demo registry and the folder printer in the data folder.
//
// # Why TOML
//
// The file is written by an administrator, by hand, on a kiosk with a text editor.
// TOML has comments (JSON has none, so a JSON file cannot say why a value was
// chosen), no indentation rules (YAML's cost the most support calls), one obvious
// spelling of each value, and sections that map onto the kiosk's parts. It is read
// with github.com/pelletier/go-toml/v2, pinned in go.mod: it has no dependencies of
// its own, reports the line and column of a syntax or type error, and refuses keys
// the kiosk does not know (a misspelt key is an error, never a silent default).
//
// # Strictness
//
// Load refuses: a file that is not TOML, a key the kiosk does not know, a value of
// the wrong type, a duration that time.ParseDuration does not read, and any value
// Validate refuses. Every error names the file, the line where the line is known,
// and the key (ErrInvalid, *Error). Outside demo mode Validate also refuses what is
// safe only for a demo: the demo signing key, the embedded registry, plain http,
// the queue's key in the data folder, and a folder printer that keeps what it
// prints forever.
//
// An example file, with every key and its default, is build/certkiosk.example.toml;
// `certkiosk config check FILE` checks a file and prints what the kiosk would use.
package config
