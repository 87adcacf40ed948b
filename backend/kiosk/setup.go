// setup.go: SetupFrom, the kiosk's configuration file (backend/config) made into
// the Setup that Open assembles the kiosk from.

package kiosk

import (
	"fmt"
	"io"
	"log/slog"
	"slices"

	"certkiosk/backend/config"
	"certkiosk/backend/registry"
)

// SetupFrom returns the Setup of a kiosk configured by cfg: its data folder,
// profile, languages, idle timeout and mode; the registries with their CA, time
// limits and retries; the printer with its CA; the signing key; the files of the
// queue's, the audit log's and the UVCIs' keys; the retention of what holds
// personal data; the staff options; and the kiosk's id. Outside demo mode it finds
// the card reader to watch (Setup.Cards): the PC/SC service's when pcscd runs and
// lists one, else the USB CCID reader on the bus, else none.
//
// cfg is checked first as the kiosk reads it at start-up (Config.Validate and
// Config.CheckFiles), and an error names the key. log becomes Setup.Log.
//
//	cfg, err := config.Load(path) // or config.Default()
//	...
//	setup, err := kiosk.SetupFrom(cfg, log)
//	...
//	app, err := kiosk.Open(ctx, setup) // refuses the demo key outside demo mode
func SetupFrom(cfg config.Config, log *slog.Logger) (Setup, error) {
	return setupFrom(cfg, log, systemReaders)
}

func setupFrom(cfg config.Config, log *slog.Logger, probe readerProbe) (Setup, error) {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := cfg.Validate(); err != nil {
		return Setup{}, err
	}
	if err := cfg.CheckFiles(); err != nil {
		return Setup{}, err
	}
	var keys [3]string
	for i, path := range []func() (string, error){cfg.QueueKeyPath, cfg.AuditKeyPath, cfg.UVCIKeyPath} {
		p, err := path()
		if err != nil {
			return Setup{}, fmt.Errorf("kiosk: %w", err)
		}
		keys[i] = p
	}
	keyURI := cfg.Signing.Key
	if keyURI == config.DemoKey {
		keyURI = ""
	}
	retries := cfg.Registry.Retries
	if retries == 0 {
		retries = -1 // registry.Options: 0 is its default, a negative number none
	}
	s := Setup{
		DataDir:     cfg.DataFolder,
		Profile:     cfg.Profile,
		Languages:   slices.Clone(cfg.Languages),
		IdleTimeout: cfg.IdleTimeout.Std(),
		Demo:        cfg.Demo,
		RegistryURL: cfg.Registry.URL,
		FederalURL:  cfg.Registry.FederalURL,
		Registry: registry.Options{
			CAFile:         cfg.Registry.CAFile,
			Timeout:        cfg.Registry.Timeout.Std(),
			ConnectTimeout: cfg.Registry.ConnectTimeout.Std(),
			Retries:        retries,
		},
		PrinterURI:    cfg.PrinterURI(),
		PrinterCAFile: cfg.Printer.CAFile,
		KeyURI:        keyURI,
		QueueKeyFile:  keys[0],
		AuditKeyFile:  keys[1],
		UVCIKeyFile:   keys[2],
		Retention: &Retention{
			FinishedJobs:  cfg.Retention.FinishedJobs.Std(),
			ReprintWindow: cfg.Retention.ReprintWindow.Std(),
			Printed:       cfg.Retention.Printed.Std(),
			Waiting:       cfg.Retention.Waiting.Std(),
		},
		Staff: StaffOptions{
			Disabled:    !cfg.Staff.Enabled,
			IdleTimeout: cfg.Staff.IdleTimeout.Std(),
			MaxSession:  cfg.Staff.MaxSession.Std(),
		},
		KioskID: cfg.KioskID,
		Log:     log,
	}
	if !cfg.Demo {
		s.Cards = findCardReader(log, probe)
	}
	return s, nil
}
