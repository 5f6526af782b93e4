// Package agentsim runs many simulated devices in one process, to load a
// gateway as a pool of thousands would (issue 21, docs/scale.md). Each
// simulated device is the real agent (package agent): its own identity
// and data directory (bbolt), its own TLS sessions to the gateway,
// pairing by join token, heartbeats, lease polls, results and outbox.
// Only the sandbox is replaced, by Runtime: a task sleeps and writes a
// set number of bytes, as Nomad's nodesim replaces the alloc runner and
// kubemark's hollow kubelet the container runtime.
package agentsim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hearth-home/hearth/agent"
	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/power"
	"github.com/hearth-home/hearth/sandbox"
)

// Options shape a simulation.
type Options struct {
	// Gateway is the gateway's host:port; Token its join token.
	Gateway string
	Token   string
	// Dir holds one data directory per device.
	Dir string
	// Devices is how many to run.
	Devices int
	// Slots is how many tasks each runs at once. Default 1.
	Slots int
	// TaskTime is how long a task runs unless its args say otherwise
	// (sleep=DURATION); OutputBytes how much it writes to stdout unless
	// they say otherwise (out=N). Default 0 and 0.
	TaskTime    time.Duration
	OutputBytes int
	// Start spreads the devices' starts over this long (a pool does not
	// boot at one instant). Default: all at once.
	Start time.Duration
	// Power gives each device a power governor, as a real agent has by
	// default, so that its heartbeats carry a status and a sample a
	// second: a Raspberry Pi 4's model reading a still copy of this
	// host's /proc/stat (so idle), every governor stepped once a second
	// by one goroutine rather than a ticker each.
	Power bool
	// Logger receives every device's log, with a "device" attribute.
	// Default: discard.
	Logger *slog.Logger
}

// Sim is a running simulation.
type Sim struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	errs   []error
}

// Start opens every device (their identities are made on the first run
// in Dir and kept) and runs them until Stop or ctx ends.
func Start(ctx context.Context, o Options) (*Sim, error) {
	if o.Devices <= 0 || o.Gateway == "" {
		return nil, errors.New("agentsim: Devices and Gateway are needed")
	}
	if o.Slots <= 0 {
		o.Slots = 1
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	// Each simulated device reports the same speed: measuring it would
	// cost each 0.6 s of CPU.
	speed := &api.Speed{WasmOps: 1e7, NativeOps: 2e7}
	var govs []*governor.Governor
	if o.Power {
		var err error
		if govs, err = governors(o.Dir, o.Devices); err != nil {
			return nil, err
		}
	}
	agents := make([]*agent.Agent, o.Devices)
	for i := range agents {
		var gov *governor.Governor
		if govs != nil {
			gov = govs[i]
		}
		a, err := agent.New(agent.Config{Governor: gov,
			DataDir: filepath.Join(o.Dir, fmt.Sprintf("device-%05d", i)), Name: fmt.Sprintf("sim-%05d", i),
			Gateway: o.Gateway, JoinToken: o.Token, Runtimes: []sandbox.Runtime{&Runtime{TaskTime: o.TaskTime, OutputBytes: o.OutputBytes}},
			Slots: o.Slots, MemoryBytes: 1 << 30, Speed: speed, Version: "sim", // stream requests as a real agent's (DefaultStreams)
			CacheBudget: -1, MinFreeDisk: -1, Logger: o.Logger.With("device", i),
			// One disk for thousands of devices: their fsyncs would load
			// it, not the gateway. Each real device has a disk of its own.
			NoSync: true,
		})
		if err != nil {
			for _, a := range agents[:i] {
				a.Close()
			}
			return nil, fmt.Errorf("agentsim: device %d: %w", i, err)
		}
		agents[i] = a
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Sim{cancel: cancel}
	if govs != nil {
		s.wg.Go(func() { stepAll(ctx, govs) })
	}
	for i, a := range agents {
		s.wg.Go(func() {
			defer a.Close()
			if o.Start > 0 && !sleep(ctx, o.Start*time.Duration(i)/time.Duration(len(agents))) {
				return
			}
			if err := a.Run(ctx); err != nil {
				s.mu.Lock()
				s.errs = append(s.errs, fmt.Errorf("device %d: %w", i, err))
				s.mu.Unlock()
			}
		})
	}
	return s, nil
}

// governors makes n governors for a Raspberry Pi 4 that read a still
// copy of /proc/stat under dir.
func governors(dir string, n int) ([]*governor.Governor, error) {
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		return nil, fmt.Errorf("agentsim: power: %w", err)
	}
	root := filepath.Join(dir, "sysroot")
	if err := os.MkdirAll(filepath.Join(root, "proc"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(root, "proc", "stat"), stat, 0o644); err != nil {
		return nil, err
	}
	prof, ok := power.Named("rpi4")
	if !ok {
		return nil, errors.New("agentsim: power: no rpi4 profile")
	}
	model, err := power.NewModel(prof, prof.Cores)
	if err != nil {
		return nil, err
	}
	govs := make([]*governor.Governor, n)
	for i := range govs {
		if govs[i], err = governor.New(governor.Config{Model: model, SysRoot: root}); err != nil {
			return nil, err
		}
	}
	return govs, nil
}

// stepAll steps every governor once a second until ctx ends.
func stepAll(ctx context.Context, govs []*governor.Governor) {
	tick := time.NewTicker(governor.DefaultInterval)
	defer tick.Stop()
	for {
		for _, g := range govs {
			g.Step(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Stop ends every device and waits for them; it returns their errors.
func (s *Sim) Stop() error {
	s.cancel()
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return errors.Join(s.errs...)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Runtime is a sandbox that runs nothing: a task sleeps, then exits with
// 0 and writes bytes to stdout. A task's args may say sleep=DURATION,
// out=BYTES and exit=CODE.
type Runtime struct {
	TaskTime    time.Duration
	OutputBytes int
}

func (r *Runtime) Name() string                                       { return "wasm" }
func (r *Runtime) Prepare(ctx context.Context, app sandbox.App) error { return nil }

func (r *Runtime) Recover(ctx context.Context, id string) (sandbox.Task, error) {
	return nil, sandbox.ErrNotFound // in-process: lost with the process
}

func (r *Runtime) Start(ctx context.Context, spec sandbox.Spec) (sandbox.Task, error) {
	t := &task{id: spec.ID, sleep: r.TaskTime, out: r.OutputBytes, done: make(chan struct{}), kill: make(chan struct{})}
	for _, a := range spec.Args {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "sleep":
			d, err := time.ParseDuration(v)
			if err != nil {
				return nil, fmt.Errorf("%w: sleep=%q", sandbox.ErrBadApp, v)
			}
			t.sleep = d
		case "out":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("%w: out=%q", sandbox.ErrBadApp, v)
			}
			t.out = n
		case "exit":
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("%w: exit=%q", sandbox.ErrBadApp, v)
			}
			t.exit = n
		}
	}
	t.start = time.Now()
	go t.run()
	return t, nil
}

type task struct {
	id    string
	sleep time.Duration
	out   int
	exit  int
	start time.Time
	once  sync.Once
	kill  chan struct{}
	done  chan struct{}
	res   sandbox.Result
}

func (t *task) run() {
	timer := time.NewTimer(t.sleep)
	defer timer.Stop()
	select {
	case <-timer.C:
		// A non-zero exit is a result with that code, not a Failure.
		t.res = sandbox.Result{ExitCode: t.exit, Stdout: []byte(strings.Repeat("x", t.out))}
	case <-t.kill:
		t.res = sandbox.Result{ExitCode: -1, Failure: sandbox.FailKilled, Reason: "killed"}
	}
	t.res.Wall = time.Since(t.start)
	t.res.CPU = 0
	close(t.done)
}

func (t *task) ID() string { return t.id }

func (t *task) Wait(ctx context.Context) (sandbox.Result, error) {
	select {
	case <-t.done:
		return t.res, nil
	case <-ctx.Done():
		return sandbox.Result{}, ctx.Err()
	}
}

func (t *task) Kill(ctx context.Context) error {
	t.once.Do(func() { close(t.kill) })
	return nil
}

func (t *task) Delete(ctx context.Context) error { return nil }
