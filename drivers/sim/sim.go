package sim

// sim.go: Sim, which plays a script on a simulated card reader and scanner, by a
// clock that tests replace.

import (
	"bytes"
	"context"
	"sync"
	"time"
)

// Options adjust a simulation. The zero Options run on the real clock.
type Options struct {
	// Now tells the time events are stamped with; nil means time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx is done; nil means a timer. Tests make it
	// advance their own clock and return at once.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Sim is a simulation: a script, and the reader and scanner it plays on.
type Sim struct {
	script  *Script
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	reader  *Reader
	scanner *Scanner

	mu      sync.Mutex
	started bool
}

// New returns a simulation of script s. Nothing happens until Run.
func New(s *Script, o Options) *Sim {
	sim := &Sim{script: s, now: o.Now, sleep: o.Sleep, reader: newReader(), scanner: newScanner()}
	if sim.now == nil {
		sim.now = time.Now
	}
	if sim.sleep == nil {
		sim.sleep = sleepContext
	}
	return sim
}

// Default returns a simulation of DefaultScript: what `make run` uses when no
// card reader or scanner is attached.
func Default(o Options) *Sim { return New(DefaultScript(), o) }

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Script returns the script the simulation plays.
func (s *Sim) Script() *Script { return s.script }

// Reader returns the simulated card reader.
func (s *Sim) Reader() *Reader { return s.reader }

// Scanner returns the simulated scanner.
func (s *Sim) Scanner() *Scanner { return s.scanner }

// Run plays the script once, step by step, and returns when it has been played
// (nil) or ctx is done (ctx's error). Either way the devices then report
// ErrScriptDone once their events have been taken; a card still in stays in.
// Run may be called once.
func (s *Sim) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return ErrRunning
	}
	s.started = true
	s.mu.Unlock()
	defer s.reader.events.end()
	defer s.scanner.events.end()
	seq := 0
	for _, st := range s.script.Steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch st.Op {
		case OpWait:
			if err := s.sleep(ctx, st.Wait); err != nil {
				return err
			}
			continue
		case OpInsert:
			seq++
			if err := s.reader.insert(st.Holder, s.now(), seq, st.Line); err != nil {
				return err
			}
		case OpRemove:
			seq++
			s.reader.remove(s.now(), seq, st.Line)
		case OpScan:
			seq++
			s.scanner.events.push(ScanEvent{Kind: st.Kind, Data: bytes.Clone(st.Data), At: s.now(), Seq: seq, Line: st.Line})
		}
	}
	return nil
}
