// Package kiosk is the façade the kiosk window binds: the one object whose exported
// methods the frontend calls (through the bindings Wails generates into
// frontend/wailsjs) and whose lifecycle hooks the window runs.
//
// It translates between the UI and the domain packages and decides nothing itself:
// the registries answer, package rules (through issuance) decides, the queue prints.
// The frontend renders one State and calls methods; Poll is its long poll.
//
//	cfg, err := config.Load(path) // config.Default() without a file
//	if err != nil {
//		return err
//	}
//	setup, err := kiosk.SetupFrom(cfg, log)
//	if err != nil {
//		return err
//	}
//	app, err := kiosk.Open(ctx, setup)
//	if err != nil {
//		return err
//	}
//	defer app.Shutdown(ctx)
//	// bind app to the window; the page calls app.Poll(seq) in a loop
//
// # The configuration
//
// SetupFrom makes the configuration file (package config) a Setup, field by field;
// Open honours it. Outside demo mode Open refuses to start unless the signing key is
// in a hardware token with a certificate a CA issued (signer.RequireHardware), and
// the card reader is a real one: the reader the PC/SC service owns when pcscd runs
// and lists one (PCSCReader), else the USB CCID reader on the bus (CCIDReader), else
// none, which the device list says. The queue's, the audit log's and the UVCIs' keys
// are the files the configuration names; the queue keeps what holds personal data
// for the configured retention and a folder printer deletes what it printed after
// its own; the queue's worker ships the audit log to the registry as AuditEvents
// naming the kiosk; staff logins follow the staff options.
//
// # The session
//
//	attract ─Start─▶ language ─ChooseLanguage─▶ identify ─card, scan, staff─▶ fetching
//	fetching ─▶ results ─ShowPreview─▶ preview ─ClosePreview─▶ results
//	results, preview ─PrintCertificates─▶ printing ─all printed─▶ done
//	fetching ─registry unreachable─▶ failed (queued, claim code, receipt printing)
//	identify ─OpenClaim─▶ claim ─Claim─▶ printing
//	any scan of an HC1 ─▶ verify (on a demo kiosk ScanDemoCertificate scans one)
//	any screen but attract ─idle timeout or Finish─▶ attract, everything wiped
//
// A card or a document starts a session: the card is read through the reader's
// driver (for the simulated reader of a demo kiosk, the simulated chip through
// drivers/eid), the person is looked up in the local registry and, when the
// profile needs it, the federal one, and issuance decides, signs and renders while
// the resident waits. What the resident chooses to print goes into the durable
// queue (queue.AddIssued) and the queue's worker, run by Open beside the window,
// prints it; the printing screen follows the jobs. When the registry cannot be
// reached the request goes into the queue instead: the worker accepts it offline,
// draws a claim code and prints a receipt, and when the registry answers again it
// issues the certificates and holds them until the resident comes back with the
// same card or with the claim code and their date of birth.
//
// Everything personal — the person, the record, the certificates and their PDFs in
// memory, the preview, the verify result — belongs to the session and is dropped
// when it ends: Finish, the idle timeout (on the injected clock), Shutdown. Staff
// are locked out at the same time. Nothing personal is logged. While the idle timer
// runs, State.idleRemainingSeconds tells how long is left, so the page can ask the
// resident whether they are still there before it ends.
//
// # Staff
//
// Staff unlock with their id and PIN (package staff); every staff method checks the
// role in the backend (staff.Authenticator.Authorize) and records what it did in
// the audit log where the log has the action. A demo kiosk creates the demo
// accounts on its first start.
//
// # Errors
//
// A method's error is an Error whose message is a stable code the frontend maps
// through its catalogue: not-ready, not-demo, busy, unknown, invalid-identifier,
// nothing-to-print, wrong-pin, locked-out, try-later, no-session, forbidden,
// claim-mismatch, claim-locked, invalid-claim-code, not-ready-yet, nothing-held,
// job-state, reprint-expired, nothing-printed, internal. StaffUnlock's try-later is a
// *WaitError whose message adds the seconds the back-off has left: "try-later: 30".
//
// Files: app.go (App, New, Setup, the lifecycle), setup.go (SetupFrom: the
// configuration), open.go (Open: the services), cards.go (the PC/SC and USB card
// readers), devices.go (the reader and scanner watched), state.go (the State and
// its views), session.go (the session, Poll, idle), resident.go (the resident's
// methods), printview.go (print jobs and devices), staff.go (the staff's methods),
// demo.go (the demo people), democert.go (the demo's certificates to scan),
// language.go.
package kiosk
