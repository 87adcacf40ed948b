package printing

// ippstate.go: IPP printer and job states (RFC 8011 §5.4.11, §5.4.12, §5.3.7) mapped
// to the plain States and JobStates the UI shows.

import (
	"slices"
	"strings"
)

// printer-state values, RFC 8011 §5.4.11.
const (
	printerIdle       = 3
	printerProcessing = 4
	printerStopped    = 5
)

// job-state values, RFC 8011 §5.3.7.
const (
	jobPending           = 3
	jobPendingHeld       = 4
	jobProcessing        = 5
	jobProcessingStopped = 6
	jobCanceled          = 7
	jobAborted           = 8
	jobCompleted         = 9
)

// reasonSeverities are the suffixes a printer-state-reasons keyword may carry (RFC
// 8011 §5.4.12): "-report" and "-warning" inform, "-error" stops printing.
func reasonSeverities() []string { return []string{"-report", "-warning", "-error"} }

// splitReason returns a printer-state-reasons keyword without its severity suffix,
// and the suffix ("" when it has none).
func splitReason(r string) (base, severity string) {
	for _, s := range reasonSeverities() {
		if b, ok := strings.CutSuffix(r, s); ok {
			return b, s
		}
	}
	return r, ""
}

// printerState maps what an IPP printer says about itself to a State. The first rule
// that matches wins, so that the state shown is the one staff can act on first:
//
//	reason offline, timed-out, connecting-to-device, shutdown  → offline
//	reason media-jam…                                           → media-jam
//	reason media-empty…, media-needed                           → media-empty
//	reason paused, moving-to-paused; not accepting jobs         → stopped
//	any other reason with the suffix -error                     → error
//	printer-state stopped                                       → stopped
//	printer-state processing                                    → printing
//	printer-state idle                                          → ready
//
// A reason matches whatever its suffix: ippeveprinter, like many printers, reports
// media-empty as media-empty-warning while it holds a job and as media-empty-report
// when idle, yet in both cases nothing prints until paper is loaded. Reasons other
// than these with the suffixes -report or -warning (toner-low-warning, say) do not
// stop printing and leave the state to printer-state.
func printerState(state int, reasons []string, accepting bool) State {
	has := func(match func(base string) bool) bool {
		return slices.ContainsFunc(reasons, func(r string) bool {
			b, _ := splitReason(r)
			return match(b)
		})
	}
	switch {
	case has(func(b string) bool {
		return b == "offline" || b == "timed-out" || b == "connecting-to-device" || b == "shutdown"
	}):
		return StateOffline
	case has(func(b string) bool { return strings.HasPrefix(b, "media-jam") }):
		return StateMediaJam
	case has(func(b string) bool { return strings.HasPrefix(b, "media-empty") || b == "media-needed" }):
		return StateMediaEmpty
	case !accepting || has(func(b string) bool { return b == "paused" || b == "moving-to-paused" }):
		return StateStopped
	case slices.ContainsFunc(reasons, func(r string) bool { _, s := splitReason(r); return s == "-error" }):
		return StateError
	}
	switch state {
	case printerStopped:
		return StateStopped
	case printerProcessing:
		return StatePrinting
	case printerIdle:
		return StateReady
	}
	return StateError
}

// jobState maps an IPP job-state to a JobState; ok is false for a value RFC 8011
// does not define.
func jobState(v int) (s JobState, ok bool) {
	switch v {
	case jobPending, jobPendingHeld:
		return JobPending, true
	case jobProcessing:
		return JobProcessing, true
	case jobProcessingStopped:
		return JobStopped, true
	case jobCanceled:
		return JobCanceled, true
	case jobAborted:
		return JobAborted, true
	case jobCompleted:
		return JobCompleted, true
	}
	return "", false
}

// cleanReasons drops the keyword "none", which stands for an empty list.
func cleanReasons(reasons []string) []string {
	return slices.DeleteFunc(reasons, func(r string) bool { return r == "none" })
}
