package wasm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tetratelabs/wazero"
	wasi "github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/hearth-home/hearth/sandbox"
)

// module is one compiled app, shared by every task that runs it.
type module struct {
	digest string
	// ready is closed once compiled, minMemory and err are set.
	ready     chan struct{}
	compiled  wazero.CompiledModule
	minMemory uint64 // bytes the module declares it starts with
	err       error

	// Guarded by Runtime.mu.
	refs    int    // callers and tasks using it; evicted only at zero
	lastUse uint64 // Runtime.useSeq at the last acquire
}

// acquire returns the app's compiled module, compiling it if no other
// caller has; the caller releases it when done.
func (r *Runtime) acquire(ctx context.Context, app sandbox.App) (*module, error) {
	digest, bin := app.Digest, []byte(nil)
	if digest == "" {
		var err error
		if bin, err = os.ReadFile(app.Path); err != nil {
			return nil, badApp(app.Path, err)
		}
		digest = sha256Digest(bin)
	}

	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, ErrClosed
	}
	m, found := r.modules[digest]
	if !found {
		m = &module{digest: digest, ready: make(chan struct{})}
		r.modules[digest] = m
	}
	m.refs++
	r.useSeq++
	m.lastUse = r.useSeq
	r.mu.Unlock()

	if !found {
		// Compiling cannot be cancelled; other callers may give up waiting.
		compiled, minMemory, err := r.compile(app, digest, bin)
		r.mu.Lock()
		m.compiled, m.minMemory, m.err = compiled, minMemory, err
		if err != nil {
			delete(r.modules, digest) // let a later Prepare try again
		}
		r.mu.Unlock()
		close(m.ready)
	}
	select {
	case <-m.ready:
	case <-ctx.Done():
		r.release(m)
		return nil, ctx.Err()
	}
	if m.err != nil {
		r.release(m)
		return nil, m.err
	}
	return m, nil
}

// release drops a reference taken by acquire, and releases the modules
// that are then beyond Config.MaxModules.
func (r *Runtime) release(m *module) {
	r.mu.Lock()
	m.refs--
	var evicted []*module
	for len(r.modules) > r.cfg.MaxModules {
		lru := r.leastRecentlyUsed()
		if lru == nil {
			break
		}
		delete(r.modules, lru.digest)
		evicted = append(evicted, lru)
	}
	r.mu.Unlock()
	for _, m := range evicted {
		m.compiled.Close(context.Background())
		r.log.Debug("released compiled module", "app", m.digest)
	}
}

// leastRecentlyUsed is the compiled module that nobody uses and that was
// used last the longest ago; nil when there is none. Runtime.mu is held.
func (r *Runtime) leastRecentlyUsed() *module {
	var lru *module
	for _, m := range r.modules {
		if m.refs > 0 || m.compiled == nil || (lru != nil && m.lastUse > lru.lastUse) {
			continue
		}
		lru = m
	}
	return lru
}

func (r *Runtime) compile(app sandbox.App, digest string, bin []byte) (wazero.CompiledModule, uint64, error) {
	if bin == nil {
		var err error
		if bin, err = os.ReadFile(app.Path); err != nil {
			return nil, 0, badApp(digest, err)
		}
		if got := sha256Digest(bin); !strings.EqualFold(got, digest) {
			return nil, 0, badApp(digest, fmt.Errorf("%s holds %s", app.Path, got))
		}
	}
	begin := time.Now()
	cm, err := r.wz.CompileModule(context.Background(), bin)
	if err != nil {
		return nil, 0, badApp(digest, err)
	}
	minMemory, err := r.check(cm)
	if err != nil {
		cm.Close(context.Background())
		return nil, 0, badApp(digest, err)
	}
	r.log.Info("compiled module", "app", digest, "bytes", len(bin), "took", time.Since(begin))
	return cm, minMemory, nil
}

// check makes sure that a module is a WASI command that needs nothing but
// WASI, so that a task can only fail by what it does, and returns the
// bytes of memory it starts with.
func (r *Runtime) check(cm wazero.CompiledModule) (uint64, error) {
	start, ok := cm.ExportedFunctions()["_start"]
	if !ok || len(start.ParamTypes()) != 0 || len(start.ResultTypes()) != 0 {
		return 0, errors.New(`no "_start" function: not a WASI command`)
	}
	for _, f := range cm.ImportedFunctions() {
		mod, name, _ := f.Import()
		host, ok := r.wasiFuncs[name]
		if mod != wasi.ModuleName || !ok {
			return 0, fmt.Errorf("imports %s.%s, which is not WASI preview1", mod, name)
		}
		if !slices.Equal(f.ParamTypes(), host.ParamTypes()) || !slices.Equal(f.ResultTypes(), host.ResultTypes()) {
			return 0, fmt.Errorf("imports %s.%s with the wrong signature", mod, name)
		}
	}
	if len(cm.ImportedMemories()) > 0 {
		return 0, errors.New("imports its memory")
	}
	mem, ok := cm.ExportedMemories()["memory"]
	if !ok {
		return 0, errors.New(`does not export its memory as "memory", as WASI requires`)
	}
	return uint64(mem.Min()) * pageSize, nil
}

func badApp(name string, err error) error {
	return fmt.Errorf("wasm app %s: %w: %w", name, sandbox.ErrBadApp, err)
}

func sha256Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
