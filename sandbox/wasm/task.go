package wasm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/hearth-home/hearth/internal/cpucap"
	"github.com/hearth-home/hearth/sandbox"
)

// Reasons for stopping a task early; they become Result.Reason.
var (
	errKilled  = errors.New("killed")
	errDeleted = errors.New("deleted while running")
)

// task is one instantiation of a compiled module, run by one goroutine.
type task struct {
	r       *Runtime
	id      string
	mod     *module
	config  wazero.ModuleConfig
	mem     *limiter
	timeout time.Duration
	stdout  *sandbox.BoundedBuffer
	stderr  *sandbox.BoundedBuffer
	begin   time.Time

	// ctx bounds the run: it ends at the timeout (if any), or with a cause
	// on Kill, Delete or Runtime.Close.
	ctx           context.Context
	stop          context.CancelCauseFunc
	cancelTimeout context.CancelFunc

	done   chan struct{}
	result sandbox.Result // set before done is closed

	// The CPU cap of the task's thread (Config.CPUCaps): capMu guards
	// cap, which the thread sets when it starts and clears when it ends,
	// and cores, the cap asked for (NaN: none), applied when the thread
	// joins if SetCPU came first.
	capMu  sync.Mutex
	tid    int           // the thread running the task; 0 before and after
	cpu0   time.Duration // its CPU time when the task began
	cap    *cpucap.Cap
	cores  float64
	paused bool
}

// Start implements sandbox.Runtime. The task's ID stays taken until
// Delete. A Spec naming directories that do not exist is an error; anything
// that goes wrong inside the sandbox is the task's Result.
func (r *Runtime) Start(ctx context.Context, spec sandbox.Spec) (sandbox.Task, error) {
	if spec.ID == "" {
		return nil, errors.New("wasm: a task needs an ID")
	}
	for _, dir := range []string{spec.InDir, spec.OutDir} {
		if dir == "" {
			continue
		}
		fi, err := os.Stat(dir)
		if err == nil && !fi.IsDir() {
			err = fmt.Errorf("%s is not a directory", dir)
		}
		if err != nil {
			return nil, fmt.Errorf("wasm task %q: %w", spec.ID, err)
		}
	}
	m, err := r.acquire(ctx, spec.App)
	if err != nil {
		return nil, err
	}
	t := newTask(r, spec, m)

	r.mu.Lock()
	if r.closed || r.tasks[spec.ID] != nil {
		closed := r.closed
		r.mu.Unlock()
		t.end()
		if closed {
			return nil, ErrClosed
		}
		return nil, fmt.Errorf("wasm task %q: %w", spec.ID, sandbox.ErrExists)
	}
	r.tasks[spec.ID] = t
	r.running.Add(1)
	r.mu.Unlock()

	go t.run()
	return t, nil
}

func newTask(r *Runtime, spec sandbox.Spec, m *module) *task {
	lim := spec.Limits.WithDefaults()
	t := &task{
		cores:   math.NaN(),
		r:       r,
		id:      spec.ID,
		mod:     m,
		mem:     newLimiter(lim.MemoryBytes),
		timeout: lim.Timeout,
		stdout:  &sandbox.BoundedBuffer{Limit: lim.OutputBytes},
		stderr:  &sandbox.BoundedBuffer{Limit: lim.OutputBytes},
		begin:   time.Now(),
		done:    make(chan struct{}),
	}
	base, stop := context.WithCancelCause(context.Background())
	t.ctx, t.cancelTimeout = base, func() {}
	if lim.Timeout > 0 {
		t.ctx, t.cancelTimeout = context.WithTimeout(base, lim.Timeout)
	}
	t.stop = stop
	var out io.Writer = t.stdout
	if spec.Stdout != nil {
		out = &stdout{t: t, w: spec.Stdout}
	}

	// Anonymous, so that any number of tasks instantiate one module; _start
	// is called by run, to tell a failed instantiation from the program's
	// own end.
	c := wazero.NewModuleConfig().
		WithName("").
		WithStartFunctions().
		WithArgs(append([]string{"app"}, spec.Args...)...).
		WithStdout(out).
		WithStderr(t.stderr).
		WithNanosleep(t.sleep)
	if !spec.Deterministic {
		c = c.WithSysWalltime().WithSysNanotime()
	}
	for _, k := range slices.Sorted(maps.Keys(spec.Env)) {
		c = c.WithEnv(k, spec.Env[k])
	}
	if fs := fsConfig(spec.InDir, spec.OutDir); fs != nil {
		c = c.WithFSConfig(fs)
	}
	if spec.Stdin != nil {
		c = c.WithStdin(&stdin{t: t, r: spec.Stdin})
	}
	t.config = c
	return t
}

// sleep is the guest's clock sleep (WASI poll_oneoff), cut short when the
// task is stopped so that a sleeping task is stopped as fast as a busy one.
func (t *task) sleep(ns int64) {
	timer := time.NewTimer(time.Duration(ns))
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-t.ctx.Done():
	}
}

func (t *task) run() {
	defer t.r.running.Done()
	// Locked, the goroutine's thread CPU time is the task's.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t.joinCap()
	cpu0, cpuOK := threadCPU()

	res := t.execute()
	t.leaveCap()

	res.Wall = time.Since(t.begin)
	res.CPU = res.Wall
	if cpu1, ok := threadCPU(); ok && cpuOK {
		res.CPU = cpu1 - cpu0
	}
	res.Stdout, res.StdoutTruncated = t.stdout.Bytes()
	res.Stderr, res.StderrTruncated = t.stderr.Bytes()
	t.result = res
	t.end()
	close(t.done)
	t.r.log.Debug("task ended", "id", t.id, "app", t.mod.digest, "exit", res.ExitCode,
		"failure", res.Failure, "wall", res.Wall, "cpu", res.CPU)
}

// joinCap puts the task's thread in a CPU cap of its own, with the cap
// asked for already (if any). A task runs uncapped when that fails.
func (t *task) joinCap() {
	tid := cpucap.Gettid()
	cpu0, err := cpucap.ThreadCPU(tid)
	t.capMu.Lock()
	if err == nil {
		t.tid, t.cpu0 = tid, cpu0
	}
	t.capMu.Unlock()
	if t.r.cfg.CPUCaps == nil {
		return
	}
	c, err := t.r.cfg.CPUCaps.Thread(capName(t.id))
	if err != nil {
		t.r.log.Warn("running a task without a CPU cap", "id", t.id, "err", err)
		return
	}
	t.capMu.Lock()
	defer t.capMu.Unlock()
	t.cap = c
	if err := t.applyLocked(); err != nil {
		t.r.log.Warn("capping a task's CPU", "id", t.id, "err", err)
	}
}

// leaveCap moves the thread back before it serves other goroutines.
func (t *task) leaveCap() {
	t.capMu.Lock()
	defer t.capMu.Unlock()
	t.tid = 0
	if t.cap == nil {
		return
	}
	if err := t.cap.Release(); err != nil {
		t.r.log.Warn("releasing a task's CPU cap", "id", t.id, "err", err)
	}
	t.cap = nil
}

// applyLocked writes the cap asked for: held still when paused.
func (t *task) applyLocked() error {
	switch {
	case t.cap == nil:
		return nil
	case t.paused:
		return t.cap.SetCPU(0)
	default:
		return t.cap.SetCPU(t.cores)
	}
}

// capName makes a task ID a cgroup name.
func capName(id string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == 0 {
			return '_'
		}
		return r
	}, id)
}

// end releases what the run held.
func (t *task) end() {
	t.cancelTimeout()
	t.stop(nil)
	t.r.release(t.mod)
}

func (t *task) execute() (res sandbox.Result) {
	// wazero turns the guest's faults into errors; a panic here is a bug in
	// the host side, and must end this task, not the agent.
	defer func() {
		if p := recover(); p != nil {
			t.r.log.Error("wasm runtime panic", "id", t.id, "app", t.mod.digest, "panic", p,
				"stack", string(debug.Stack()))
			res = sandbox.Result{ExitCode: -1, Failure: sandbox.FailTrap, Reason: fmt.Sprintf("wasm runtime panic: %v", p)}
		}
	}()
	if t.mod.minMemory > t.mem.limit {
		return sandbox.Result{ExitCode: -1, Failure: sandbox.FailMemory, Reason: fmt.Sprintf(
			"the module starts with %s of memory: the limit is %s", mib(t.mod.minMemory), mib(t.mem.limit))}
	}
	ctx := experimental.WithMemoryAllocator(t.ctx, t.mem)
	defer t.mem.free() // last, after inst.Close
	inst, err := t.r.wz.InstantiateModule(ctx, t.mod.compiled, t.config)
	if err != nil {
		return t.outcome(err, sandbox.FailStart)
	}
	defer inst.Close(context.Background())
	_, err = inst.ExportedFunction("_start").Call(ctx)
	return t.outcome(err, sandbox.FailTrap)
}

// ID implements sandbox.Task.
func (t *task) ID() string { return t.id }

// Wait implements sandbox.Task.
func (t *task) Wait(ctx context.Context) (sandbox.Result, error) {
	select {
	case <-t.done:
		return t.result, nil
	case <-ctx.Done():
		return sandbox.Result{}, ctx.Err()
	}
}

// Kill implements sandbox.Task. The task stops at its next instruction
// check, or at once in a sleep or while it waits on Spec.Stdin or
// Spec.Stdout; Kill does not wait for that.
func (t *task) Kill(context.Context) error {
	t.stop(errKilled)
	return nil
}

// Delete implements sandbox.Task: it stops the task if it still runs,
// waits for it, and frees its ID.
func (t *task) Delete(ctx context.Context) error {
	t.stop(errDeleted)
	select {
	case <-t.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	t.r.mu.Lock()
	if t.r.tasks[t.id] == t {
		delete(t.r.tasks, t.id)
	}
	t.r.mu.Unlock()
	return nil
}
