package config

import (
	"path/filepath"
	"testing"
)

func TestDefaultDataDir(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/srv/xdg")
	if got, err := DefaultDataDir(); err != nil || got != "/srv/xdg/certkiosk" {
		t.Errorf("DefaultDataDir() with XDG_DATA_HOME = %q, %v, want /srv/xdg/certkiosk", got, err)
	}
	// A relative XDG_DATA_HOME is invalid per the specification and ignored.
	t.Setenv("XDG_DATA_HOME", "relative")
	t.Setenv("HOME", "/home/kiosk")
	want := filepath.Join("/home/kiosk", ".local", "share", "certkiosk")
	if got, err := DefaultDataDir(); err != nil || got != want {
		t.Errorf("DefaultDataDir() = %q, %v, want %q", got, err, want)
	}
}
