package wasm

import (
	"context"
	"fmt"
	"time"

	"github.com/hearth-home/hearth/internal/cpucap"
	"github.com/hearth-home/hearth/sandbox"
)

var (
	_ sandbox.Throttler = (*Runtime)(nil)
	_ sandbox.Pauser    = (*Runtime)(nil)
)

// lookup is the running task of that ID, with caps configured.
func (r *Runtime) capped(id string) (*task, error) {
	if r.cfg.CPUCaps == nil {
		return nil, fmt.Errorf("wasm: CPU caps: %w (no cgroup for them: see cpucap.New)", sandbox.ErrUnsupported)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.tasks[id]
	if t == nil {
		return nil, fmt.Errorf("wasm task %q: %w", id, sandbox.ErrNotFound)
	}
	return t, nil
}

// SetCPU implements sandbox.Throttler: the kernel holds the task's thread
// to cores of a core in every 100 ms (CFS bandwidth control on the
// thread's own cgroup). A task never uses more than one core.
func (r *Runtime) SetCPU(ctx context.Context, id string, cores float64) error {
	t, err := r.capped(id)
	if err != nil {
		return err
	}
	t.capMu.Lock()
	defer t.capMu.Unlock()
	t.cores = cores
	return t.applyLocked()
}

// QuickThrottle implements sandbox.QuickThrottler: SetCPU is a write to
// the thread's cgroup.
func (r *Runtime) QuickThrottle() bool { return r.cfg.CPUCaps != nil }

// Pause implements sandbox.Pauser. A wasm task shares its process with the
// agent, whose Go runtime needs every thread to answer now and then (to
// collect garbage), so it cannot be frozen outright: it is held at the
// kernel's least quota, 1% of a core, until Resume.
func (r *Runtime) Pause(ctx context.Context, id string) error {
	return r.setPaused(id, true)
}

// Resume implements sandbox.Pauser: the task gets back the cap it had.
func (r *Runtime) Resume(ctx context.Context, id string) error {
	return r.setPaused(id, false)
}

func (r *Runtime) setPaused(id string, paused bool) error {
	t, err := r.capped(id)
	if err != nil {
		return err
	}
	t.capMu.Lock()
	defer t.capMu.Unlock()
	t.paused = paused
	return t.applyLocked()
}

var _ sandbox.CPUMeter = (*Runtime)(nil)

// CPUUsage implements sandbox.CPUMeter: the CPU time of the thread the
// task runs on, since it began; false before it runs and after it ends.
func (r *Runtime) CPUUsage(id string) (time.Duration, bool) {
	r.mu.Lock()
	t := r.tasks[id]
	r.mu.Unlock()
	if t == nil {
		return 0, false
	}
	t.capMu.Lock()
	defer t.capMu.Unlock()
	if t.tid == 0 {
		return 0, false
	}
	d, err := cpucap.ThreadCPU(t.tid)
	return d - t.cpu0, err == nil
}
