// Package kiosk is the façade the kiosk window binds: the one object whose exported
// methods the frontend calls (through the bindings Wails generates into
// frontend/wailsjs) and whose lifecycle hooks the window runs.
//
// It translates between the UI and the domain packages and holds no domain logic of its
// own. For now it reports the window's lifecycle and offers the languages of the
// attract screen; the session state machine (idle → identify → records → choose →
// print → done) grows here.
package kiosk
