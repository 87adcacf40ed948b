package sim

// queue.go: queue, the unbounded, ordered hand-over of events from the script to
// a simulated device, so that playing the script never waits for the kiosk.

import (
	"context"
	"sync"
)

type queue[T any] struct {
	mu     sync.Mutex
	items  []T
	wake   chan struct{} // closed and replaced when something changes
	ended  bool          // the script has been played to its end
	closed bool
}

func newQueue[T any]() *queue[T] { return &queue[T]{wake: make(chan struct{})} }

// signal wakes the waiters. Called with q.mu held.
func (q *queue[T]) signal() {
	close(q.wake)
	q.wake = make(chan struct{})
}

func (q *queue[T]) push(v T) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.items = append(q.items, v)
	q.signal()
}

// end says no more events will come.
func (q *queue[T]) end() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ended = true
	q.signal()
}

func (q *queue[T]) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.items = nil
	q.signal()
}

// next waits for the next event: ErrClosed after close, ErrScriptDone once the
// script has ended and every event was taken.
func (q *queue[T]) next(ctx context.Context) (T, error) {
	var zero T
	for {
		q.mu.Lock()
		switch {
		case q.closed:
			q.mu.Unlock()
			return zero, ErrClosed
		case len(q.items) > 0:
			v := q.items[0]
			q.items = q.items[1:]
			q.mu.Unlock()
			return v, nil
		case q.ended:
			q.mu.Unlock()
			return zero, ErrScriptDone
		}
		wake := q.wake
		q.mu.Unlock()
		select {
		case <-ctx.Done():
			return zero, ctx.Err()
		case <-wake:
		}
	}
}
