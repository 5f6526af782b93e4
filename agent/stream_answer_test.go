package agent

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-home/hearth/sandbox"
)

// The per-message timeout counts the instance's CPU time when the runtime
// can tell it: an instance held back by the power budget (little CPU used,
// a slow answer) is waited for; one that spins (CPU used past the timeout)
// is failed; without a meter the wall clock decides.
func TestAnswerTimeout(t *testing.T) {
	const timeout = 100 * time.Millisecond
	late := func(after time.Duration) <-chan outLine {
		lines := make(chan outLine, 2)
		go func() {
			time.Sleep(after)
			lines <- outLine{b: []byte(`{"payload":1}`)}
			lines <- outLine{b: []byte{}}
		}()
		return lines
	}
	ctx := context.Background()

	// Paused: 400 ms of wall time, 10 ms of CPU.
	slow := func() (time.Duration, bool) { return 10 * time.Millisecond, true }
	outs, fail, why, ended := answer(ctx, late(400*time.Millisecond), timeout, slow)
	if fail != "" || ended || len(outs) != 1 {
		t.Fatalf("a paused instance: outputs %v, failure %q (%s), ended %v; want its answer", outs, fail, why, ended)
	}

	// Asleep: no CPU, no answer: it fails once stallFactor timeouts of
	// wall time have gone.
	idle := func() (time.Duration, bool) { return 0, true }
	began0 := time.Now()
	_, fail, _, _ = answer(ctx, late(time.Hour), timeout, idle)
	if took := time.Since(began0); fail != sandbox.FailTimeout || took < stallFactor*timeout || took > stallFactor*timeout+time.Second {
		t.Fatalf("an instance that waits without computing: failure %q after %v; want a timeout after %v", fail, took, stallFactor*timeout)
	}

	// Spinning: its CPU time grows with the wall clock.
	start := time.Now()
	var calls atomic.Int32
	spin := func() (time.Duration, bool) { calls.Add(1); return time.Since(start), true }
	began := time.Now()
	_, fail, _, _ = answer(ctx, late(time.Hour), timeout, spin)
	if fail != sandbox.FailTimeout || time.Since(began) > 2*time.Second {
		t.Fatalf("a spinning instance: failure %q after %v; want a timeout soon after %v", fail, time.Since(began), timeout)
	}
	if calls.Load() < 2 {
		t.Errorf("the CPU meter was read %d times; want at the start and at the timeout", calls.Load())
	}

	// No meter: the wall clock.
	_, fail, _, _ = answer(ctx, late(400*time.Millisecond), timeout, nil)
	if fail != sandbox.FailTimeout {
		t.Fatalf("without a meter, a slow answer: failure %q; want a timeout", fail)
	}
	// A meter that cannot tell: the wall clock too.
	_, fail, _, _ = answer(ctx, late(400*time.Millisecond), timeout, func() (time.Duration, bool) { return 0, false })
	if fail != sandbox.FailTimeout {
		t.Fatalf("with a meter that cannot tell, a slow answer: failure %q; want a timeout", fail)
	}
}
