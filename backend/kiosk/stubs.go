package kiosk

import (
	"errors"
	"time"
)

var errNotYet = errors.New("internal")

// Poll returns the state once its seq is above after, or after at most a second.
func (a *App) Poll(after uint64) State {
	return State{Offers: []Offer{}, Refusals: []Refusal{}, Devices: []Device{}, DemoPeople: []DemoPerson{}}
}

// Touch records resident activity.
func (a *App) Touch() {}

// LastHeartbeat is when the page last polled.
func (a *App) LastHeartbeat() time.Time { return time.Time{} }

// Start leaves the attract screen.
func (a *App) Start() {}

// ChooseLanguage switches the session's language.
func (a *App) ChooseLanguage(code string) error { return errNotYet }

// InsertDemoCard presents a demo person's card to the simulated reader.
func (a *App) InsertDemoCard(personID string) error { return errNotYet }

// ScanDemoDocument presents a demo person's document to the simulated scanner.
func (a *App) ScanDemoDocument(personID string) error { return errNotYet }

// SimulateScan passes a raw scanner payload.
func (a *App) SimulateScan(text string) error { return errNotYet }

// Cancel goes back to identify.
func (a *App) Cancel() {}

// ShowPreview shows one offer.
func (a *App) ShowPreview(offerID string) error { return errNotYet }

// ClosePreview goes back to results.
func (a *App) ClosePreview() {}

// PrintCertificates prints offers.
func (a *App) PrintCertificates(offerIDs []string) error { return errNotYet }

// PrintRefusalSlip prints the refusal slip.
func (a *App) PrintRefusalSlip() error { return errNotYet }

// OpenClaim opens the claim screen.
func (a *App) OpenClaim() {}

// Claim releases held certificates.
func (a *App) Claim(code, birthDate string) error { return errNotYet }

// Finish ends the session.
func (a *App) Finish() {}

// StaffUnlock unlocks staff mode.
func (a *App) StaffUnlock(staffID, pin string) error { return errNotYet }

// StaffLock locks staff mode.
func (a *App) StaffLock() {}

// CheckIdentifier checks an identifier as typed.
func (a *App) CheckIdentifier(system, value string) IdentifierCheck { return IdentifierCheck{} }

// StaffIdentify fetches for a visitor.
func (a *App) StaffIdentify(system, value string) error { return errNotYet }

// QueueJobs lists the queue.
func (a *App) QueueJobs() ([]JobView, error) { return nil, errNotYet }

// RetryJob retries a job.
func (a *App) RetryJob(id string) error { return errNotYet }

// CancelJob cancels a job.
func (a *App) CancelJob(id string) error { return errNotYet }

// MoveJob moves a print job.
func (a *App) MoveJob(id, printer string) error { return errNotYet }

// ReprintJob reprints a job stamped COPY.
func (a *App) ReprintJob(id string) error { return errNotYet }

// ReleaseHeld releases held certificates by claim code.
func (a *App) ReleaseHeld(claimCode string) error { return errNotYet }

// Printers lists printers.
func (a *App) Printers() []Device { return []Device{} }
