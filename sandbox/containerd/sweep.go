package containerd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	containerd "github.com/containerd/containerd/v2/client"
	"github.com/containerd/errdefs"
)

// Sweep kills and removes the containers of this namespace that keep does
// not claim and that no task of this Runtime holds: what an agent that
// died between creating a container and recording its task left behind.
func (rt *Runtime) Sweep(ctx context.Context, keep func(id string) bool) (int, error) {
	ctx = rt.nsctx(ctx)
	cs, err := rt.client.Containers(ctx)
	if err != nil {
		return 0, fmt.Errorf("list containers: %w", err)
	}
	removed := 0
	var errs []error
	for _, c := range cs {
		labels, err := c.Labels(ctx)
		if err != nil {
			continue
		}
		id, ours := labels[labelID]
		if !ours || keep(id) {
			continue
		}
		rt.mu.Lock()
		held := rt.tasks[id] != nil
		rt.mu.Unlock()
		if held {
			continue
		}
		if t, err := c.Task(ctx, nil); err == nil {
			t.Kill(ctx, syscall.SIGKILL)
			if _, err := t.Delete(ctx, containerd.WithProcessKill); err != nil && !errdefs.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("delete task %s: %w", c.ID(), err))
				continue
			}
		}
		if err := c.Delete(ctx, containerd.WithSnapshotCleanup); err != nil && !errdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("delete container %s: %w", c.ID(), err))
			continue
		}
		os.RemoveAll(filepath.Join(rt.cfg.StateDir, c.ID()))
		rt.log.Info("removed a container no task owns", "container", c.ID(), "task", id)
		removed++
	}
	return removed, errors.Join(errs...)
}
