// Package sim holds the simulated twins of the kiosk's card reader and scanner,
// used when no device is attached (`make run` on a machine without them) and in
// tests and demos. A Sim plays a script — waits, cards going in and out, scans —
// on a simulated Reader and Scanner.
//
// The scanner gives the payloads the real scanner driver gives (it is a
// scanner.Scanner). The reader gives what a real reader gives: for an Estonian ID
// card a simulated chip (package eidtest) that package eid reads as it reads a
// real card; for the card of a holder from another country, whose chip is not
// simulated, the holder as an identity.Person. The holders are the demo
// registry's people (registrysim.People), so a simulated card leads to that
// person's records.
//
// # A map of the package
//
//   - script.go: Script and ParseScript, the script format; DefaultScript.
//   - default.script: the demo `make run` plays.
//   - people.go: finding the demo people a script names.
//   - sim.go: Sim, Options (the clock) and Run.
//   - reader.go: Reader and CardEvent.
//   - scanner.go: Scanner and ScanEvent.
//   - queue.go: the hand-over of events from the script to the devices.
//   - errors.go: sentinel errors.
//
// # Example
//
//	script, err := sim.ReadScript("demo.script") // or sim.DefaultScript()
//	if err != nil { ... }                         // a *sim.ScriptError names the line
//	s := sim.New(script, sim.Options{})
//	go s.Run(ctx)
//	ev, err := s.Reader().Next(ctx)               // a card went in
//	person, err := s.Reader().ReadPerson(ctx)     // through package eid for an EE ID card
//	payload, err := s.Scanner().Next(ctx)         // later: a scan, for identity.ClassifyScan
package sim
