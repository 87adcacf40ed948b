package sim

// errors.go: sentinel errors.

import "errors"

// Errors; match them with errors.Is.
var (
	// ErrScript: a script that cannot be played. The error is a *ScriptError
	// naming the line.
	ErrScript = errors.New("sim: bad script")
	// ErrScriptDone: the script has been played to its end and every event it
	// made has been taken; a simulated device has nothing more to say.
	ErrScriptDone = errors.New("sim: script played to its end")
	// ErrClosed: the simulated device was used after Close.
	ErrClosed = errors.New("sim: closed")
	// ErrNoCard: the simulated reader holds no card.
	ErrNoCard = errors.New("sim: no card in the reader")
	// ErrRunning: Run was called on a simulation that had already started.
	ErrRunning = errors.New("sim: already running")
)
