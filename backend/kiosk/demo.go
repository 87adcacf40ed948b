// demo.go: the demo people the simulated card reader and scanner can present.

package kiosk

import (
	"strconv"
	"strings"

	"certkiosk/drivers/sim"
)

// demoPeople lists the demo people of the profile's country.
func (a *App) demoPeople() []DemoPerson {
	out := []DemoPerson{}
	for i, h := range a.svc.demo {
		name := h.Row.Name
		if name == "" {
			name = displayName(h.Person.GivenNames, h.Person.FamilyName)
		}
		out = append(out, DemoPerson{ID: demoID(i, h), Name: name, Scenario: h.Row.Expected})
	}
	return out
}

// demoID is a demo person's stable key: their patient id in the demo registry, or
// for a person no registry knows, the profile and their place in the table.
func demoID(i int, h sim.DemoHolder) string {
	if h.Row.PatientID != "" {
		return h.Row.PatientID
	}
	return strings.ToLower(h.Row.Profile) + "-none-" + strconv.Itoa(i+1)
}

// demoHolder finds a demo person by their key, on a demo kiosk.
func (a *App) demoHolder(id string) (sim.DemoHolder, error) {
	if a.svc == nil {
		return sim.DemoHolder{}, ErrNotReady
	}
	if a.svc.sim == nil {
		return sim.DemoHolder{}, ErrNotDemo
	}
	for i, h := range a.svc.demo {
		if demoID(i, h) == id {
			return h, nil
		}
	}
	return sim.DemoHolder{}, ErrUnknown
}
