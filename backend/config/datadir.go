package config

// datadir.go: where the kiosk keeps its state when no configuration says.

import (
	"fmt"
	"os"
	"path/filepath"
)

// DefaultDataDir is the kiosk's data folder when none is given: the configuration, the
// demo issuer key and the database live there. It follows the XDG base directory
// specification: $XDG_DATA_HOME/certkiosk, else ~/.local/share/certkiosk.
func DefaultDataDir() (string, error) {
	if dir := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "certkiosk"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("config: no data folder: %w (give one with --data)", err)
	}
	return filepath.Join(home, ".local", "share", "certkiosk"), nil
}
