package containerd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	containerd "github.com/containerd/containerd/v2/client"
	"github.com/containerd/errdefs"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/ocitask"
)

// Recover finds a task that an earlier process started in this namespace:
// running (its deadline still holds) or exited (its status is collected).
// A container whose task never started, or is gone, is removed and
// reported as sandbox.ErrNotFound.
func (rt *Runtime) Recover(ctx context.Context, id string) (sandbox.Task, error) {
	rt.mu.Lock()
	if rt.closed {
		rt.mu.Unlock()
		return nil, ErrClosed
	}
	if t := rt.tasks[id]; t != nil && t.ctask != nil {
		rt.mu.Unlock()
		return t, nil
	}
	rt.mu.Unlock()

	ctx = rt.nsctx(ctx)
	cid := ocitask.ContainerID(id)
	c, err := rt.client.LoadContainer(ctx, cid)
	if errdefs.IsNotFound(err) {
		return nil, fmt.Errorf("%w: %s", sandbox.ErrNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("load container %s: %w", cid, err)
	}
	labels, err := c.Labels(ctx)
	if err != nil {
		return nil, fmt.Errorf("container %s labels: %w", cid, err)
	}
	if labels[labelID] != id {
		return nil, fmt.Errorf("%w: container %s belongs to task %q", sandbox.ErrNotFound, cid, labels[labelID])
	}
	dir := filepath.Join(rt.cfg.StateDir, cid)
	t := &task{rt: rt, id: id, cid: cid, app: labels[labelApp], container: c, dir: dir, done: make(chan struct{})}
	t.limits = sandbox.Limits{
		MemoryBytes: atoi(labels[labelMemory]),
		OutputBytes: int(atoi(labels[labelOutput])),
	}.WithDefaults()
	t.started = parseTime(labels[labelStarted])
	t.limits.Timeout = sandbox.NoTimeout
	if d := labels[labelDeadline]; d != noDeadline {
		t.deadline = parseTime(d)
		t.limits.Timeout = t.deadline.Sub(t.started)
	}
	t.stop = sandbox.Failure(labels[labelStop])

	// The task's logger went on writing its streams meanwhile: nothing to
	// reattach.
	ctask, err := c.Task(ctx, nil)
	if errdefs.IsNotFound(err) {
		// Created but never started, or its task deleted: nothing to
		// collect.
		c.Delete(ctx, containerd.WithSnapshotCleanup)
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w: container %s has no task", sandbox.ErrNotFound, cid)
	}
	if err != nil {
		return nil, fmt.Errorf("load task %s: %w", cid, err)
	}
	t.ctask = ctask
	exitC, err := ctask.Wait(rt.ctx)
	if err != nil {
		return nil, fmt.Errorf("wait for task %s: %w", cid, err)
	}

	rt.mu.Lock()
	if other := rt.tasks[id]; other != nil {
		rt.mu.Unlock()
		return nil, fmt.Errorf("%w: %s", sandbox.ErrExists, id)
	}
	rt.tasks[id] = t
	if im := rt.images[t.app]; im != nil {
		im.users++
	} else {
		t.app = "" // not ours to release
	}
	rt.watching.Add(1)
	rt.mu.Unlock()
	deadline := "none"
	if !t.deadline.IsZero() {
		deadline = t.deadline.Format(time.RFC3339)
	}
	rt.log.Info("task recovered", "task", id, "container", cid, "deadline", deadline)
	go t.watch(exitC)
	return t, nil
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Now()
	}
	return t
}
