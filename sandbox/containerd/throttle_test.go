package containerd

import (
	"context"
	"testing"
	"time"

	"github.com/hearth-home/hearth/sandbox"
)

var _ sandbox.Throttler = (*Runtime)(nil)

// SetCPU holds a spinning container to its share of a core, and lifting
// the cap gives the whole core back; the task ends normally.
func TestSetCPU(t *testing.T) {
	rt := newRuntime(t, Config{})
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		cores  float64
		lo, hi float64
	}{
		{"quarter", 0.25, 0.12, 0.35},
		{"lifted", 5, 0.4, 1.05}, // what the machine has free, well above the cap
	} {
		task, err := rt.Start(ctx, sandbox.Spec{ID: "setcpu-" + c.name, App: hostApp(t),
			Args: []string{"spin", "1500ms"}, Limits: sandbox.Limits{CPU: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if err := rt.SetCPU(ctx, task.ID(), c.cores); err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		res, err := task.Wait(wctx)
		cancel()
		if err != nil || res.Failure != "" {
			t.Fatalf("%s: %+v, %v", c.name, res, err)
		}
		share := res.CPU.Seconds() / res.Wall.Seconds()
		t.Logf("%s: cpu %v wall %v: %.2f of a core", c.name, res.CPU, res.Wall, share)
		if share < c.lo || share > c.hi {
			t.Errorf("%s: the container used %.2f of a core, want %.2f-%.2f", c.name, share, c.lo, c.hi)
		}
		task.Delete(ctx)
	}
}
