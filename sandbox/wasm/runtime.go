package wasm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	wasi "github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/hearth-home/hearth/sandbox"
)

// Runtime runs WASI modules. It is safe for concurrent use.
//
// All tasks share one wazero runtime, so a module is compiled once
// whatever the tasks' limits: memory is capped per task by an allocator
// handed to each instantiation, not by the wazero runtime.
type Runtime struct {
	cfg   Config
	log   *slog.Logger
	wz    wazero.Runtime
	cache wazero.CompilationCache // nil without CacheDir
	// wasiFuncs are the host functions a module may import.
	wasiFuncs map[string]api.FunctionDefinition

	mu      sync.Mutex
	modules map[string]*module // by digest
	useSeq  uint64             // orders modules by last use
	tasks   map[string]*task   // by ID, from Start to Delete
	closed  bool
	running sync.WaitGroup // task goroutines
}

var (
	_ sandbox.Runtime = (*Runtime)(nil)
	_ sandbox.Task    = (*task)(nil)
)

// ErrClosed is returned by Prepare and Start after Close; it is also the
// Result.Reason of the tasks that Close stopped.
var ErrClosed = errors.New("wasm runtime closed")

// New makes a Runtime. Close it to release its compiled modules.
func New(cfg Config) (*Runtime, error) {
	cfg = cfg.withDefaults()
	ctx := context.Background()
	// The interrupt checks that WithCloseOnContextDone compiles in are what
	// lets Timeout and Kill stop a module that never calls the host.
	rc := wazero.NewRuntimeConfig()
	if cfg.Interpreter {
		rc = wazero.NewRuntimeConfigInterpreter()
	}
	rc = rc.WithCloseOnContextDone(true)
	var cache wazero.CompilationCache
	if cfg.CacheDir != "" {
		if err := os.MkdirAll(cfg.CacheDir, 0o755); err != nil {
			return nil, fmt.Errorf("wasm cache dir: %w", err)
		}
		c, err := wazero.NewCompilationCacheWithDir(cfg.CacheDir)
		if err != nil {
			return nil, fmt.Errorf("wasm cache dir: %w", err)
		}
		cache = c
		rc = rc.WithCompilationCache(cache)
	}
	wz := wazero.NewRuntimeWithConfig(ctx, rc)
	if _, err := wasi.Instantiate(ctx, wz); err != nil {
		wz.Close(ctx)
		if cache != nil {
			cache.Close(ctx)
		}
		return nil, fmt.Errorf("wasi: %w", err)
	}
	return &Runtime{
		cfg:       cfg,
		log:       cfg.Logger,
		wz:        wz,
		cache:     cache,
		wasiFuncs: wz.Module(wasi.ModuleName).ExportedFunctionDefinitions(),
		modules:   map[string]*module{},
		tasks:     map[string]*task{},
	}, nil
}

// Name implements sandbox.Runtime.
func (r *Runtime) Name() string { return "wasm" }

// Prepare implements sandbox.Runtime: it compiles the module once per
// digest, checks that it is a WASI command this runtime can run, and keeps
// it for Start. Concurrent calls for one app compile it once.
func (r *Runtime) Prepare(ctx context.Context, app sandbox.App) error {
	m, err := r.acquire(ctx, app)
	if err != nil {
		return err
	}
	r.release(m)
	return nil
}

// Recover implements sandbox.Runtime. Tasks live in the process that
// started them, so there is never one to find again.
func (r *Runtime) Recover(ctx context.Context, id string) (sandbox.Task, error) {
	return nil, fmt.Errorf("wasm task %q: %w (wasm tasks end with their process)", id, sandbox.ErrNotFound)
}

// Close stops every running task (they end with FailKilled), waits for
// them, and releases the compiled modules. Tasks already started can still
// be waited for.
// InProcess implements sandbox.InProcess: wasm tasks run on threads of
// the agent's own process.
func (r *Runtime) InProcess() bool { return true }

func (r *Runtime) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	for _, t := range r.tasks {
		t.stop(ErrClosed)
	}
	r.mu.Unlock()
	r.running.Wait()

	ctx := context.Background()
	err := r.wz.Close(ctx)
	if r.cache != nil {
		err = errors.Join(err, r.cache.Close(ctx))
	}
	return err
}
