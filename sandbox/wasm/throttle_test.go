package wasm

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hearth-home/hearth/internal/cpucap"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/sandboxtest"
)

func cappedRuntime(t *testing.T) *Runtime {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("CPU caps need root")
	}
	caps, err := cpucap.New(fmt.Sprintf("hearth-wasm-test-%d", os.Getpid()))
	if errors.Is(err, cpucap.ErrUnsupported) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	rt := newRuntime(t, Config{CPUCaps: caps})
	t.Cleanup(func() {
		rt.Close()
		if err := caps.Remove(); err != nil {
			t.Errorf("a task's cgroup outlived it: %v", err)
		}
	})
	return rt
}

// SetCPU holds a spinning task to its share of a core, and Pause to 1%;
// the task finishes normally either way: a cap never kills.
func TestSetCPUAndPause(t *testing.T) {
	rt := cappedRuntime(t)
	app := sandboxtest.WasmTestApp(t)
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		act    func(id string) error
		lo, hi float64 // share of a core the task may have used
	}{
		// Uncapped, the task gets what the machine has free: other test
		// packages run beside it, so only a floor well above the cap.
		{"uncapped", func(string) error { return nil }, 0.4, 1.05},
		{"quarter", func(id string) error { return rt.SetCPU(ctx, id, 0.25) }, 0.15, 0.35},
		{"paused", func(id string) error { return rt.Pause(ctx, id) }, 0, 0},
	} {
		id := "cap-" + c.name
		task, err := rt.Start(ctx, sandbox.Spec{ID: id, App: app, Args: []string{"spin", "1500ms"}})
		if err != nil {
			t.Fatal(err)
		}
		defer task.Delete(ctx)
		if err := c.act(id); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var res sandbox.Result
		if c.name == "paused" {
			// Held, the task makes almost no progress; resumed, it ends.
			time.Sleep(time.Second)
			wctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
			_, err := task.Wait(wctx)
			cancel()
			if err == nil {
				t.Errorf("a paused task finished")
			}
			if err := rt.Resume(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		res, err = task.Wait(ctx)
		if err != nil || res.Failure != "" || res.ExitCode != 0 {
			t.Fatalf("%s: %+v, %v", c.name, res, err)
		}
		t.Logf("%s: cpu %v wall %v", c.name, res.CPU, res.Wall)
		if c.name == "paused" {
			// spin runs until its wall time is up: held for the first
			// second, it used CPU only after Resume.
			if held := res.Wall - res.CPU; held < 900*time.Millisecond {
				t.Errorf("paused for 1s, the task went without CPU for only %v", held)
			}
			continue
		}
		if share := res.CPU.Seconds() / res.Wall.Seconds(); share < c.lo || share > c.hi {
			t.Errorf("%s: the task used %.2f of a core, want %.2f-%.2f", c.name, share, c.lo, c.hi)
		}
	}
	if err := rt.SetCPU(ctx, "gone", 0.5); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("SetCPU of no task: %v", err)
	}
}
