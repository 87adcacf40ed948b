package signer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestModulePath(t *testing.T) {
	root := t.TempDir()
	conf := filepath.Join(root, "modules")
	libDir := filepath.Join(root, "lib", "pkcs11")
	other := filepath.Join(root, "lib")
	for _, d := range []string{conf, libDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		filepath.Join(conf, "relative.module"): "# comment\nmodule: librelative.so\ncritical: yes\n",
		filepath.Join(conf, "absolute.module"): "module:/opt/hsm/libabsolute.so\n",
		filepath.Join(conf, "nomodule.module"): "enable-in: p11-kit-proxy\n",
		filepath.Join(other, "libplain.so"):    "",
		filepath.Join(other, "bare.so"):        "",
		filepath.Join(root, "libreal.so"):      "",
	}
	for path, text := range files {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	search := moduleSearch{configDirs: []string{conf}, libDir: libDir, libDirs: []string{libDir, other}}
	tests := []struct {
		name string
		u    PKCS11URI
		want string
		err  error
		attr string
	}{
		{"module-path", PKCS11URI{ModulePath: filepath.Join(root, "libreal.so"), ModuleName: "ignored"}, filepath.Join(root, "libreal.so"), nil, ""},
		{"relative module-path", PKCS11URI{ModulePath: "libreal.so"}, "", ErrURI, "module-path"},
		{"missing module-path", PKCS11URI{ModulePath: filepath.Join(root, "nope.so")}, "", ErrModule, ""},
		{"module file, relative", PKCS11URI{ModuleName: "relative"}, filepath.Join(libDir, "librelative.so"), nil, ""},
		{"module file, absolute", PKCS11URI{ModuleName: "absolute"}, "/opt/hsm/libabsolute.so", nil, ""},
		{"lib<name>.so", PKCS11URI{ModuleName: "plain"}, filepath.Join(other, "libplain.so"), nil, ""},
		{"<name>.so", PKCS11URI{ModuleName: "bare"}, filepath.Join(other, "bare.so"), nil, ""},
		{"nowhere", PKCS11URI{ModuleName: "nomodule"}, "", ErrModule, ""},
		{"path as a name", PKCS11URI{ModuleName: "../libreal"}, "", ErrURI, "module-name"},
		{"neither", PKCS11URI{}, "", ErrURI, "module-path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.u.modulePath(search)
			if tt.err == nil {
				if err != nil || got != tt.want {
					t.Errorf("modulePath(%s) = %q, %v; want %q", tt.name, got, err, tt.want)
				}
				return
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("modulePath(%s) = %q, %v; want %v", tt.name, got, err, tt.err)
			}
			var ue *URIError
			if tt.attr != "" && (!errors.As(err, &ue) || ue.Attr != tt.attr) {
				t.Errorf("modulePath(%s) = %v, want a URIError naming %s", tt.name, err, tt.attr)
			}
		})
	}
}

func TestReadPINSource(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	lf := write("lf", "1234\n")
	crlf := write("crlf", "1234\r\n")
	bare := write("bare", "12 34")
	empty := write("empty", "\n")
	big := write("big", strings.Repeat("1", maxPINFile+1))
	tests := []struct {
		src  string
		want string // "" for an error
	}{
		{"file:" + lf, "1234"},
		{"file://" + lf, "1234"},
		{"file://localhost" + lf, "1234"},
		{lf, "1234"},
		{crlf, "1234"},
		{bare, "12 34"},
		{empty, ""},
		{big, ""},
		{"file://otherhost" + lf, ""},
		{"|/usr/bin/pin-prompt", ""},
		{"https://example.com/pin", ""},
		{"relative/pin", ""},
		{"file:" + filepath.Join(dir, "missing"), ""},
	}
	for _, tt := range tests {
		got, err := readPINSource(tt.src)
		if tt.want == "" {
			var ue *URIError
			if !errors.As(err, &ue) || ue.Attr != "pin-source" {
				t.Errorf("readPINSource(%q) = %q, %v; want a URIError naming pin-source", tt.src, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("readPINSource(%q) = %q, %v; want %q", tt.src, got, err, tt.want)
		}
	}
}
