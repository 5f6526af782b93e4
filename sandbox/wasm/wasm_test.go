package wasm

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

// sharedCache is a compilation cache dir for the tests' runtimes: the test
// app takes a second to compile, ten with the race detector.
var sharedCache string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hearth-wasm-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sharedCache = dir
	code := m.Run()
	os.RemoveAll(dir)
	if trivialTaskUS > 0 {
		fmt.Printf("BENCH sandbox.wasm_trivial_task_us %.1f us\n", trivialTaskUS)
	}
	os.Exit(code)
}

func TestSuite(t *testing.T) {
	apps := sandboxtest.Apps{TestApp: sandboxtest.WasmTestApp(t), Bad: sandboxtest.GarbageApp(t)}
	// Compile once before the parallel subtests, each with its own runtime,
	// would all compile at once.
	if err := newRuntime(t, Config{CacheDir: sharedCache}).Prepare(context.Background(), apps.TestApp); err != nil {
		t.Fatal(err)
	}
	sandboxtest.Run(t, func(t *testing.T) sandbox.Runtime {
		return newRuntime(t, Config{CacheDir: sharedCache})
	}, apps)
}

// newRuntime makes a Runtime that logs to the test and closes with it.
func newRuntime(t testing.TB, cfg Config) *Runtime {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	rt, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := rt.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return rt
}
