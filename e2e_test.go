//go:build linux

// e2e_test.go: the kiosk end to end: the real binary, built with Wails' development
// server, in an Xvfb display with a private session bus; the real frontend in headless
// Chromium on the page that server serves, so that every call the page makes reaches
// the Go façade; a real IPP printer. The browser side of each scenario is a script
// under frontend/e2e.
//
//	go test -run E2E -v .            # the scenarios
//	go test -run E2E -v . -update    # and keep their screenshots in build/screenshots

package main

import (
	"path/filepath"
	"reflect"
	"testing"

	"certkiosk/backend/kiosk"
)

// e2eScenario is one scenario of the end-to-end test.
type e2eScenario struct {
	name string
	run  func(t *testing.T, e *e2e)
}

// e2eScenarios are the scenarios TestE2E runs, in order, against one application.
var e2eScenarios = []e2eScenario{
	{"Attract", testE2EAttract},
}

// e2e is what the scenarios share: the running application and the browser.
type e2e struct {
	kiosk   *devKiosk
	browser *browser
}

func TestE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real application under Xvfb and drives it from Chromium")
	}
	requireE2ETools(t)

	tmp := t.TempDir()
	bin := buildDevApp(t, tmp)
	display := startXvfb(t)
	bus := startSessionBus(t, tmp)
	env := windowEnv(t, tmp, display, bus)
	k := startDevKiosk(t, bin, env, filepath.Join(tmp, "data"))
	e := &e2e{kiosk: k, browser: newBrowser(t, k, tmp)}

	for _, s := range e2eScenarios {
		if !t.Run(s.name, func(t *testing.T) { s.run(t, e) }) {
			break // later scenarios start where this one left the kiosk
		}
		k.alive(t)
	}
}

// testE2EAttract: the page shows the attract screen, and its language buttons are what
// the Go side answered the page's Languages call with.
func testE2EAttract(t *testing.T, e *e2e) {
	r := e.browser.run(t, "attract.mjs")

	want := kiosk.AllLanguages()
	var answered, direct []kiosk.Language
	r.get(t, "languages", &answered)
	r.get(t, "direct", &direct)
	if !reflect.DeepEqual(answered, want) {
		t.Errorf("the backend answered the page's Languages call with %s, want %s", mustJSON(answered), mustJSON(want))
	}
	if !reflect.DeepEqual(direct, want) {
		t.Errorf("Languages called from the page returned %s, want %s", mustJSON(direct), mustJSON(want))
	}

	var labels, codes []string
	r.get(t, "labels", &labels)
	r.get(t, "codes", &codes)
	var wantLabels, wantCodes []string
	for _, l := range want {
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
}
