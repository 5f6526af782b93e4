package wasm

import (
	"context"
	"log/slog"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hearth-home/hearth/sandbox/sandboxtest"

	"github.com/hearth-home/hearth/sandbox"
)

// trivialTaskUS is the last BenchmarkTrivialTask figure, printed once by
// TestMain as the BENCH line that `make bench` collects.
var trivialTaskUS float64

// BenchmarkTrivialTask is the dispatch cost of a prepared module: Start,
// Wait and Delete of a task that writes "ok" and returns.
func BenchmarkTrivialTask(b *testing.B) {
	rt := newRuntime(b, Config{Logger: slog.New(slog.DiscardHandler)})
	ctx := context.Background()
	app := writeApp(b, sandboxtest.TinyModule(1, true))
	if err := rt.Prepare(ctx, app); err != nil {
		b.Fatal(err)
	}
	var cpu time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		res := runTask(b, rt, sandbox.Spec{ID: strconv.Itoa(i), App: app})
		cpu += res.CPU
	}
	us := float64(b.Elapsed().Microseconds()) / float64(b.N)
	b.ReportMetric(us, "us/task")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/task")
	trivialTaskUS = us
}

// BenchmarkTrivialTaskParallel is the throughput of trivial tasks with
// one goroutine per core starting them.
func BenchmarkTrivialTaskParallel(b *testing.B) {
	rt := newRuntime(b, Config{Logger: slog.New(slog.DiscardHandler)})
	ctx := context.Background()
	app := writeApp(b, sandboxtest.TinyModule(1, true))
	if err := rt.Prepare(ctx, app); err != nil {
		b.Fatal(err)
	}
	var seq atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			runTask(b, rt, sandbox.Spec{ID: strconv.FormatInt(seq.Add(1), 10), App: app})
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
}

func runTask(b *testing.B, rt *Runtime, spec sandbox.Spec) sandbox.Result {
	ctx := context.Background()
	task, err := rt.Start(ctx, spec)
	if err != nil {
		b.Fatal(err)
	}
	res, err := task.Wait(ctx)
	if err != nil || res.ExitCode != 0 || res.Failure != "" {
		b.Fatalf("result %+v, %v", res, err)
	}
	if err := task.Delete(ctx); err != nil {
		b.Fatal(err)
	}
	return res
}
