package kiosk

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"strings"
	"testing"
)

func TestLifecycleLogs(t *testing.T) {
	var buf bytes.Buffer
	app := New(Options{Log: slog.New(slog.NewTextHandler(&buf, nil)), DataDir: "/var/lib/certkiosk"})
	ctx := context.Background()

	app.Startup(ctx)
	app.DomReady(ctx)
	app.Shutdown(ctx)

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := []string{`msg=starting data=/var/lib/certkiosk`, `msg="window ready"`, `msg="shutting down"`}
	if len(lines) != len(want) {
		t.Fatalf("lifecycle logged %d lines, want %d:\n%s", len(lines), len(want), buf.String())
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d = %q, want it to contain %q", i, lines[i], w)
		}
	}
}

func TestNilLogDiscards(t *testing.T) {
	app := New(Options{})
	app.Startup(context.Background())
	app.DomReady(context.Background())
	app.Shutdown(context.Background())
}

func TestLanguages(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"default", Options{}, []string{"et", "en", "ru", "az"}},
		{"profile", Options{Languages: []Language{{"az", "Azərbaycan"}, {"ru", "Русский"}, {"en", "English"}}}, []string{"az", "ru", "en"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range New(tt.opts).Languages() {
				got = append(got, l.Code)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Languages() codes = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLanguagesOwnNames(t *testing.T) {
	want := map[string]string{"et": "Eesti", "en": "English", "ru": "Русский", "az": "Azərbaycan"}
	for _, l := range New(Options{}).Languages() {
		if l.Name != want[l.Code] {
			t.Errorf("Languages() name of %q = %q, want %q", l.Code, l.Name, want[l.Code])
		}
	}
}

func TestLanguagesIsACopy(t *testing.T) {
	opts := Options{Languages: AllLanguages()}
	app := New(opts)
	opts.Languages[0].Name = "changed by the caller"
	got := app.Languages()
	got[1].Name = "changed by the frontend side"
	if again := app.Languages(); !reflect.DeepEqual(again, AllLanguages()) {
		t.Errorf("Languages() after outside changes = %v, want %v", again, AllLanguages())
	}
}

// The frontend reads the fields by these names (frontend/src/backend.ts).
func TestLanguageJSON(t *testing.T) {
	b, err := json.Marshal(Language{Code: "et", Name: "Eesti"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"code":"et","name":"Eesti"}`; got != want {
		t.Errorf("json.Marshal(Language) = %s, want %s", got, want)
	}
}

// A call from the page (through the bindings) carries no context: it must not stop
// the kiosk.
func TestShutdownFromThePageIgnored(t *testing.T) {
	app, _ := openDemo(t, "EE")
	app.Shutdown(nil) //lint:ignore SA1012 what a call from the page gives
	if err := app.InsertDemoCard("ee-1001"); err != nil {
		t.Fatal(err)
	}
	st := waitFor(t, app, "results", onScreen(ScreenResults))
	if err := app.PrintCertificates(nil); err != nil {
		t.Fatal(err)
	}
	if st = waitFor(t, app, "done", onScreen(ScreenDone)); !st.Print.Done {
		t.Fatalf("print = %+v after a Shutdown(nil)", st.Print)
	}
}
