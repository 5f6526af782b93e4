package agent

import (
	"context"
	"math/rand/v2"
	"time"
)

// backoff grows a delay from min to max, doubling, with some jitter so that
// agents cut off together do not come back in lockstep.
type backoff struct {
	min, max time.Duration
	cur      time.Duration
}

func (b *backoff) next() time.Duration {
	switch {
	case b.cur == 0:
		b.cur = b.min
	case b.cur < b.max:
		b.cur = min(2*b.cur, b.max)
	}
	return b.cur - time.Duration(rand.Int64N(int64(b.cur)/4+1))
}

func (b *backoff) reset() { b.cur = 0 }

// sleep waits d or until ctx ends, and reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
