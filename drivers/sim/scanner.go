package sim

// scanner.go: Scanner, the simulated barcode and document scanner. It gives the
// payloads a real scanner's driver gives (package scanner), so the kiosk
// classifies them the same way.

import (
	"context"
	"time"

	"certkiosk/drivers/scanner"
)

// ScanEvent is one scan of the simulated scanner.
type ScanEvent struct {
	Kind ScanKind
	// Data is the payload, as scanner.Scanner.Next gives it.
	Data []byte
	// At, Seq and Line are as for CardEvent.
	At   time.Time
	Seq  int
	Line int
}

// Scanner is the simulated scanner. Its methods are safe for concurrent use.
type Scanner struct {
	events *queue[ScanEvent]
}

var _ scanner.Scanner = (*Scanner)(nil)

func newScanner() *Scanner { return &Scanner{events: newQueue[ScanEvent]()} }

// Name describes the scanner for listings.
func (s *Scanner) Name() string { return "simulated scanner" }

// Next waits for the next scan and returns its payload. Once the script has been
// played and every scan taken it returns ErrScriptDone; after Close, ErrClosed.
func (s *Scanner) Next(ctx context.Context) ([]byte, error) {
	ev, err := s.NextEvent(ctx)
	return ev.Data, err
}

// NextEvent is Next with the scan's details.
func (s *Scanner) NextEvent(ctx context.Context) (ScanEvent, error) {
	return s.events.next(ctx)
}

// Close stops the scanner: Next returns ErrClosed.
func (s *Scanner) Close() error {
	s.events.close()
	return nil
}
