package agent

import (
	"context"
	"sync"
	"time"
)

// beats tells a session's lease loop when its heartbeats go, so that a
// request for work waits at the gateway only between two of them. The
// agent's client then sends the heartbeat on the connection that the
// request has just left, and an idle device holds one connection to the
// gateway instead of two: at thousands of devices, connections are most
// of the gateway's memory (docs/scale.md, fix 19).
type beats struct {
	every time.Duration

	mu       sync.Mutex
	next     time.Time     // when the next heartbeat goes; zero before the first
	answered chan struct{} // closed when the heartbeat in flight is over
	asking   int           // requests for work out
	asked    chan struct{} // closed when none is out
}

func newBeats(every time.Duration) *beats {
	b := &beats{every: every, answered: make(chan struct{}), asked: make(chan struct{})}
	close(b.asked)
	return b
}

// ask marks a request for work out until the function it returns is called.
func (b *beats) ask() (done func()) {
	b.mu.Lock()
	if b.asking++; b.asking == 1 {
		b.asked = make(chan struct{})
	}
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		if b.asking--; b.asking == 0 {
			close(b.asked)
		}
		b.mu.Unlock()
	}
}

// due waits, before a heartbeat, until the requests for work are
// answered, at most an interval. They are due back just before it, and a
// heartbeat sent meanwhile would open a connection of its own, which then
// stays in use. When the gateway is late with those answers, it is busy (a
// job of thousands of tasks has just come), and thousands of TLS
// handshakes would make it later still: a heartbeat up to an interval late
// is still two intervals before the device is suspect.
func (b *beats) due(ctx context.Context) {
	b.mu.Lock()
	asked := b.asked
	b.mu.Unlock()
	t := time.NewTimer(b.every)
	defer t.Stop()
	select {
	case <-asked:
	case <-ctx.Done():
	case <-t.C:
	}
}

// sent records that the heartbeat due at due is over, answered or not.
func (b *beats) sent(due time.Time) {
	b.mu.Lock()
	b.next = due.Add(b.every)
	close(b.answered)
	b.answered = make(chan struct{})
	b.mu.Unlock()
}

// margin is how long before the next heartbeat a request for work must be
// answered: enough for the gateway's timer and the answer's way back.
func (b *beats) margin() time.Duration { return min(100*time.Millisecond, b.every/10) }

// window returns how long a request for work sent now may wait at the
// gateway, at most longest. When the next heartbeat is too close, it first
// waits for that heartbeat to be over, at most one interval (a heartbeat
// that hangs must not stop the requests for work).
func (b *beats) window(ctx context.Context, longest time.Duration) time.Duration {
	left, over := b.left()
	if left < b.every/4 {
		t := time.NewTimer(b.every)
		select {
		case <-over:
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
		if left, _ = b.left(); left < b.every/4 {
			return longest // late heartbeats: a connection of its own, as before
		}
	}
	return min(longest, left)
}

// left returns the time until the next heartbeat, less the margin, and the
// channel closed when the heartbeat in flight is over.
func (b *beats) left() (time.Duration, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.next.IsZero() {
		return 0, b.answered
	}
	return time.Until(b.next) - b.margin(), b.answered
}
