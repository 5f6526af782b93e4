package speed

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/hearth-home/hearth/gateway/api"
)

// DefaultBudget is how long Measure runs when given no budget: short
// enough for a Pi Zero's start, long enough for a few dozen timed chunks.
const DefaultBudget = 600 * time.Millisecond

// minChunk is how long one timed run of the kernel should last at least,
// so that the cost of a call and of reading the clock stays negligible.
const minChunk = 5 * time.Millisecond

// Measure runs the kernel in wasm for two thirds of budget, then natively
// for the rest, and returns how many iterations per second each managed.
// Compiling the module comes on top (a few milliseconds; more with the
// interpreter on a slow board, still well under a second).
func Measure(ctx context.Context, budget time.Duration) (api.Speed, error) {
	if budget <= 0 {
		budget = DefaultBudget
	}
	// The agent's wasm runtime makes the same choice of engine: wazero's
	// default, the compiler where it has one. The interrupt checks that
	// WithCloseOnContextDone compiles in are there too.
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCloseOnContextDone(true))
	defer rt.Close(context.Background())
	mod, err := rt.Instantiate(ctx, module())
	if err != nil {
		return api.Speed{}, fmt.Errorf("speed: kernel module: %w", err)
	}
	fn := mod.ExportedFunction("mix")
	// Agreeing with the Go kernel makes sure both did the same work.
	if out, err := fn.Call(ctx, 1000, 1); err != nil || uint32(out[0]) != mix(1000, 1) {
		return api.Speed{}, fmt.Errorf("speed: the wasm kernel disagrees with the Go one (%v, err %v)", out, err)
	}
	wasmOps, err := rate(ctx, budget*2/3, func(n, x uint32) (uint32, error) {
		out, err := fn.Call(ctx, uint64(n), uint64(x))
		if err != nil {
			return 0, err
		}
		return uint32(out[0]), nil
	})
	if err != nil {
		return api.Speed{}, fmt.Errorf("speed: wasm: %w", err)
	}
	nativeOps, err := rate(ctx, budget/3, func(n, x uint32) (uint32, error) { return mix(n, x), nil })
	if err != nil {
		return api.Speed{}, fmt.Errorf("speed: native: %w", err)
	}
	return api.Speed{WasmOps: wasmOps, NativeOps: nativeOps}, nil
}

// sink keeps the native kernel's result alive, so that the compiler
// cannot drop the loop.
var sink atomic.Uint32

// rate runs kernel in chunks, doubling a chunk's size until one lasts
// minChunk, for about d, and returns iterations per second over the
// chunks that were timed at full size.
func rate(ctx context.Context, d time.Duration, kernel func(n, x uint32) (uint32, error)) (float64, error) {
	n, x := uint32(256), uint32(1)
	var iters float64
	var spent time.Duration
	start := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		t0 := time.Now()
		out, err := kernel(n, x)
		took := time.Since(t0)
		if err != nil {
			return 0, err
		}
		x = out | 1
		if took < minChunk && n < 1<<30 {
			n *= 2
		} else {
			iters += float64(n)
			spent += took
		}
		if time.Since(start) >= d && spent > 0 {
			break
		}
	}
	sink.Store(x) // atomic: agents measure at once in one test process
	return iters / spent.Seconds(), nil
}
