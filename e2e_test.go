//go:build linux

// e2e_test.go: the kiosk end to end: the real binary, built with Wails' development
// server, in an Xvfb display with a private session bus; the real frontend in headless
// Chromium on the page that server serves, so that every call the page makes reaches
// the Go façade; a real IPP printer. Each scenario has a kiosk of its own, with a
// fresh data folder; its browser side is a script under frontend/e2e, and the
// scenarios after the attract screen are in e2e_scenarios_test.go.
//
//	go test -run E2E -v .            # the scenarios
//	go test -run E2E -v . -update    # and keep their screenshots in build/screenshots

package main

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"certkiosk/backend/kiosk"
)

// e2eScenario is one scenario of the end-to-end test.
type e2eScenario struct {
	name string
	run  func(t *testing.T, e *e2e)
}

// e2eScenarios are the scenarios TestE2E runs, in order, each on a kiosk of its own.
var e2eScenarios = []e2eScenario{
	{"Attract", testE2EAttract},
	{"Certificate", testE2ECertificate},
	{"Refusal", testE2ERefusal},
	{"RegistryOutage", testE2ERegistryOutage},
	{"IdleTimeout", testE2EIdleTimeout},
	{"Commission", testE2ECommission},
}

// e2e is what the scenarios share: the application's binary and its display.
type e2e struct {
	bin string   // built by buildDevApp
	env []string // the display and session bus
}

// kioskSetup is how a scenario's kiosk differs from the demo default.
type kioskSetup struct {
	printer string        // the printer's URI; empty: the folder printer
	idle    time.Duration // the idle timeout; 0: the default
	profile string        // the jurisdiction profile; empty: the default
}

// startKiosk starts a kiosk with a fresh data folder for the test t (stopped when t
// ends) and returns it with a browser to drive it.
func (e *e2e) startKiosk(t *testing.T, setup kioskSetup) (*devKiosk, *browser) {
	t.Helper()
	dir := t.TempDir()
	k := startDevKiosk(t, e.bin, e.env, filepath.Join(dir, "data"), setup.args()...)
	return k, newBrowser(t, k, dir)
}

// args are the window's command-line flags for the setup.
func (s kioskSetup) args() []string {
	var args []string
	if s.printer != "" {
		args = append(args, "-printer", s.printer)
	}
	if s.idle != 0 {
		args = append(args, "-idle", s.idle.String())
	}
	if s.profile != "" {
		args = append(args, "-profile", s.profile)
	}
	return args
}

func TestE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real application under Xvfb and drives it from Chromium")
	}
	requireE2ETools(t)

	tmp := t.TempDir()
	e := &e2e{bin: buildDevApp(t, tmp)}
	display := startXvfb(t)
	bus := startSessionBus(t, tmp)
	e.env = windowEnv(t, tmp, display, bus)

	for _, s := range e2eScenarios {
		t.Run(s.name, func(t *testing.T) { s.run(t, e) })
	}
}

// testE2EAttract: the page shows the attract screen, its language buttons are what
// the Go side answered the page's Languages call with, and its polls of the State are
// answered by the backend.
func testE2EAttract(t *testing.T, e *e2e) {
	_, b := e.startKiosk(t, kioskSetup{})
	r := b.run(t, "attract.mjs")

	// The kiosk offers its profile's languages (EE's on the demo kiosk), each named as
	// the backend names it, in the backend's order.
	var answered, direct []kiosk.Language
	r.get(t, "languages", &answered)
	r.get(t, "direct", &direct)
	if !reflect.DeepEqual(direct, answered) {
		t.Errorf("Languages called from the page returned %s, but the page's own call was answered %s", mustJSON(direct), mustJSON(answered))
	}
	all := kiosk.AllLanguages()
	if len(answered) < 2 || answered[0].Code != "et" || !inOrder(answered, all) {
		t.Errorf("the backend answered the page's Languages call with %s, want Estonian first and then others of %s in that order",
			mustJSON(answered), mustJSON(all))
	}

	var labels, codes []string
	r.get(t, "labels", &labels)
	r.get(t, "codes", &codes)
	var wantLabels, wantCodes []string
	for _, l := range answered {
		wantLabels = append(wantLabels, l.Name)
		wantCodes = append(wantCodes, l.Code)
	}
	if !reflect.DeepEqual(labels, wantLabels) || !reflect.DeepEqual(codes, wantCodes) {
		t.Errorf("the language buttons are %q (lang %q), want %q (lang %q)", labels, codes, wantLabels, wantCodes)
	}

	var heading string
	r.get(t, "heading", &heading)
	if heading == "" {
		t.Error("the attract screen has no heading")
	}

	var polled []string
	r.get(t, "polled", &polled)
	if len(polled) == 0 || polled[0] != "attract" {
		t.Errorf("the page's polls were answered with the screens %q, want attract", polled)
	}
}

// inOrder tells whether every language of some is in all, with the same name, and in
// the same order.
func inOrder(some, all []kiosk.Language) bool {
	i := 0
	for _, l := range some {
		for i < len(all) && all[i] != l {
			i++
		}
		if i == len(all) {
			return false
		}
		i++
	}
	return true
}
