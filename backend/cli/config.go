package cli

// config.go: certkiosk config check — read a configuration file as the kiosk would at
// start-up, and say what is wrong with it or what the kiosk would use.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strings"

	"certkiosk/backend/config"
)

const configUsage = "usage: certkiosk config check FILE   (run on the kiosk: the CA bundles and key files it names are read)"

func runConfig(ctx context.Context, env *Env, args []string) error {
	return runSubcommand(ctx, env, args, configUsage, map[string]command{"check": {run: runConfigCheck}})
}

// runConfigCheck prints each fault of the file on stderr, one a line, and fails; or
// prints what the kiosk would use, one setting a line. The files it names are checked
// as they are on this machine (config.CheckFiles).
func runConfigCheck(_ context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("certkiosk config check", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	if err := parseFlags(fs, args, 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("name the file to check (%s)", configUsage)
	}
	c, err := config.Load(fs.Arg(0))
	if err == nil {
		err = c.CheckFiles()
	}
	if err != nil {
		if !errors.Is(err, config.ErrInvalid) {
			return err
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(env.Stderr, line)
		}
		return errReported
	}
	mode := "production"
	if c.Demo {
		mode = "demo"
	}
	registry := c.Registry.URL
	if registry == "" {
		registry = "the embedded demo registry"
	}
	queueKey, err := c.QueueKeyPath()
	if err != nil {
		queueKey = c.Keys.Queue + " (from $CREDENTIALS_DIRECTORY when the kiosk runs as a systemd service)"
	}
	w := env.Stdout
	fmt.Fprintf(w, "%s: valid, %s mode\n", c.File, mode)
	fmt.Fprintf(w, "kiosk_id     %s\n", c.KioskID)
	fmt.Fprintf(w, "profile      %s (%s)\n", c.Profile, strings.Join(c.Languages, ", "))
	fmt.Fprintf(w, "data_folder  %s\n", c.DataFolder)
	fmt.Fprintf(w, "registry     %s\n", registry)
	if c.Registry.FederalURL != "" {
		fmt.Fprintf(w, "federal      %s\n", c.Registry.FederalURL)
	}
	fmt.Fprintf(w, "printer      %s\n", c.PrinterURI())
	fmt.Fprintf(w, "signing.key  %s\n", hidePIN(c.Signing.Key))
	fmt.Fprintf(w, "keys.queue   %s\n", queueKey)
	return nil
}

// pinValue finds a PIN written into a PKCS#11 URI (RFC 7512 §2.3, pin-value).
var pinValue = regexp.MustCompile(`(?i)(pin-value=)[^&;]*`)

// hidePIN replaces a pin-value in a PKCS#11 URI by ***.
func hidePIN(uri string) string { return pinValue.ReplaceAllString(uri, "${1}***") }
