package sandboxtest

import (
	"time"

	"github.com/hearth-home/hearth/sandbox"
)

// stopped checks a task stopped from outside: it did not exit on its own.
func (h *harness) stopped(res sandbox.Result, f sandbox.Failure) {
	h.t.Helper()
	h.failed(res, f)
	if res.ExitCode != -1 {
		h.t.Errorf("exit code %d, want -1 for a task that did not exit", res.ExitCode)
	}
}

func (h *harness) timesOut(mode string) {
	const timeout = 500 * time.Millisecond
	spec := h.spec(mode)
	spec.Limits.Timeout = timeout
	// Timed from the end of Start: how long starting takes is the
	// runtime's business (and its benchmarks'), not the deadline's.
	task := h.start(spec)
	begin := time.Now()
	res := h.wait(task)
	took := time.Since(begin)
	h.stopped(res, sandbox.FailTimeout)
	if took > timeout+slack {
		h.t.Errorf("a task with timeout %v ended after %v", timeout, took)
	}
	if res.Wall < timeout || res.Wall > timeout+slack {
		h.t.Errorf("Wall = %v, want about %v", res.Wall, timeout)
	}
}

func testTimeout(h *harness)              { h.timesOut("loop") }
func testTimeoutWhileSleeping(h *harness) { h.timesOut("sleep") }

func (h *harness) killed(mode string) {
	h.prepare()
	begin := time.Now()
	task := h.start(h.spec(mode))
	if took := time.Since(begin); took > slack {
		h.t.Errorf("Start waited %v: it must not wait for the task", took)
	}
	time.Sleep(200 * time.Millisecond) // let it get going
	if err := task.Kill(h.ctx()); err != nil {
		h.t.Fatalf("Kill: %v", err)
	}
	killed := time.Now()
	res := h.wait(task)
	if took := time.Since(killed); took > slack {
		h.t.Errorf("the task ended %v after Kill", took)
	}
	h.stopped(res, sandbox.FailKilled)
	if err := task.Kill(h.ctx()); err != nil {
		h.t.Errorf("second Kill: %v", err)
	}
}

func testKill(h *harness)              { h.killed("loop") }
func testKillWhileSleeping(h *harness) { h.killed("sleep") }

// Killing a finished task is not an error and does not change its result.
func testKillFinished(h *harness) {
	task := h.start(h.spec("exit", "5"))
	h.exited(h.wait(task), 5)
	if err := task.Kill(h.ctx()); err != nil {
		h.t.Fatalf("Kill after the end: %v", err)
	}
	h.exited(h.wait(task), 5)
}

func testMemory(h *harness) {
	spec := h.spec("hog")
	spec.Limits.MemoryBytes = 48 << 20
	begin := time.Now()
	res := h.run(spec)
	h.failed(res, sandbox.FailMemory)
	h.t.Logf("hog stopped after %v: %s", time.Since(begin), res.Reason)
}

func testTrap(h *harness) {
	res := h.run(h.spec("trap"))
	h.stopped(res, sandbox.FailTrap)
	h.t.Logf("trap: %.200s", res.Reason)
}

// Wall covers the run; CPU is what the task used (or Wall where the
// runtime cannot tell).
func testWallAndCPU(h *harness) {
	const busy = 300 * time.Millisecond
	res := h.run(h.spec("spin", busy.String()))
	h.exited(res, 0)
	if res.Wall < busy || res.Wall > 20*busy {
		h.t.Errorf("Wall = %v for a task busy for %v", res.Wall, busy)
	}
	if res.CPU <= 0 {
		h.t.Errorf("CPU = %v, want > 0", res.CPU)
	}
	h.t.Logf("wall %v, cpu %v", res.Wall, res.CPU)
}
