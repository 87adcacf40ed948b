package printing

import (
	"strings"
	"testing"
)

func TestPrinterState(t *testing.T) {
	tests := []struct {
		state     int
		reasons   string // comma-separated
		accepting bool
		want      State
	}{
		{printerIdle, "", true, StateReady},
		{printerIdle, "none", true, StateReady},
		{printerProcessing, "", true, StatePrinting},
		{printerStopped, "", true, StateStopped},
		{printerIdle, "media-empty-report", true, StateMediaEmpty},
		{printerProcessing, "media-empty-warning,media-needed-warning", true, StateMediaEmpty},
		{printerStopped, "media-empty-error", true, StateMediaEmpty},
		{printerStopped, "media-needed", true, StateMediaEmpty},
		{printerStopped, "media-jam-error", true, StateMediaJam},
		{printerStopped, "media-jam", true, StateMediaJam},
		{printerStopped, "media-empty-error,media-jam-error", true, StateMediaJam},
		{printerStopped, "offline-report", true, StateOffline},
		{printerIdle, "timed-out", true, StateOffline},
		{printerStopped, "connecting-to-device", true, StateOffline},
		{printerStopped, "shutdown", true, StateOffline},
		{printerStopped, "offline-error,media-jam-error", true, StateOffline},
		{printerStopped, "paused", true, StateStopped},
		{printerProcessing, "moving-to-paused", true, StateStopped},
		{printerIdle, "", false, StateStopped},
		{printerIdle, "door-open-error", true, StateError},
		{printerStopped, "cover-open-error,paused", true, StateStopped},
		{printerProcessing, "toner-low-warning", true, StatePrinting},
		{printerIdle, "toner-low-report,media-low-report", true, StateReady},
		{printerIdle, "media-low-warning", true, StateReady},
		{printerIdle, "marker-supply-empty-error", true, StateError},
		{printerIdle, "door-open", true, StateReady}, // no suffix: left to printer-state
		{7, "", true, StateError},                    // not a defined printer-state
	}
	for _, tt := range tests {
		var reasons []string
		if tt.reasons != "" {
			reasons = strings.Split(tt.reasons, ",")
		}
		if got := printerState(tt.state, cleanReasons(reasons), tt.accepting); got != tt.want {
			t.Errorf("printerState(%d, %q, accepting %v) = %s, want %s", tt.state, tt.reasons, tt.accepting, got, tt.want)
		}
	}
}

func TestSplitReason(t *testing.T) {
	tests := []struct{ in, base, severity string }{
		{"media-empty-error", "media-empty", "-error"},
		{"media-empty-warning", "media-empty", "-warning"},
		{"toner-low-report", "toner-low", "-report"},
		{"media-needed", "media-needed", ""},
		{"-error", "", "-error"},
	}
	for _, tt := range tests {
		if b, s := splitReason(tt.in); b != tt.base || s != tt.severity {
			t.Errorf("splitReason(%q) = %q, %q; want %q, %q", tt.in, b, s, tt.base, tt.severity)
		}
	}
}

func TestJobState(t *testing.T) {
	tests := []struct {
		v    int
		want JobState
		ok   bool
	}{
		{3, JobPending, true},
		{4, JobPending, true},
		{5, JobProcessing, true},
		{6, JobStopped, true},
		{7, JobCanceled, true},
		{8, JobAborted, true},
		{9, JobCompleted, true},
		{2, "", false},
		{10, "", false},
	}
	for _, tt := range tests {
		if got, ok := jobState(tt.v); got != tt.want || ok != tt.ok {
			t.Errorf("jobState(%d) = %q, %v; want %q, %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}
