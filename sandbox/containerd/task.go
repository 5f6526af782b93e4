package containerd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	containerd "github.com/containerd/containerd/v2/client"
	"github.com/containerd/containerd/v2/pkg/cio"
	"github.com/containerd/errdefs"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/ocitask"
)

// task is a container started by Start or found by Recover.
type task struct {
	rt        *Runtime
	id        string // sandbox ID
	cid       string // container ID
	app       string // app digest
	container containerd.Container
	ctask     containerd.Task
	dir       string // state: the logger's stream files
	limits    sandbox.Limits
	started   time.Time
	deadline  time.Time // zero: none (a negative Limits.Timeout)

	mu      sync.Mutex
	stop    sandbox.Failure // why we stopped it: timeout or killed
	deleted bool

	done chan struct{} // closed when res and err are set
	res  sandbox.Result
	err  error
}

func (t *task) ID() string { return t.id }

// Start creates the task's container and starts it.
func (rt *Runtime) Start(ctx context.Context, spec sandbox.Spec) (sandbox.Task, error) {
	rt.mu.Lock()
	if rt.closed {
		rt.mu.Unlock()
		return nil, ErrClosed
	}
	if rt.tasks[spec.ID] != nil {
		rt.mu.Unlock()
		return nil, fmt.Errorf("%w: %s", sandbox.ErrExists, spec.ID)
	}
	// Hold the ID while starting.
	rt.tasks[spec.ID] = &task{id: spec.ID, done: make(chan struct{})}
	rt.mu.Unlock()

	t, err := rt.start(rt.nsctx(ctx), spec)
	rt.mu.Lock()
	if err != nil {
		delete(rt.tasks, spec.ID)
	} else {
		rt.tasks[spec.ID] = t
	}
	rt.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return t, nil
}

func (rt *Runtime) start(ctx context.Context, spec sandbox.Spec) (_ *task, err error) {
	im, err := rt.prepare(ctx, spec.App, true)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			rt.release(im.digest)
		}
	}()
	lim, uid, gid, err := ocitask.Setup(spec)
	if err != nil {
		return nil, err
	}
	cid := ocitask.ContainerID(spec.ID)
	dir := filepath.Join(rt.cfg.StateDir, cid)
	if _, err := rt.client.LoadContainer(ctx, cid); err == nil {
		return nil, fmt.Errorf("%w: container %s exists", sandbox.ErrExists, cid)
	}
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	t := &task{rt: rt, id: spec.ID, cid: cid, app: im.digest, dir: dir, limits: lim, done: make(chan struct{})}
	created := time.Now()
	labels := map[string]string{
		labelID:       spec.ID,
		labelApp:      im.digest,
		labelStarted:  created.UTC().Format(time.RFC3339Nano),
		labelDeadline: noDeadline,
		labelMemory:   strconv.FormatInt(lim.MemoryBytes, 10),
		labelOutput:   strconv.Itoa(lim.OutputBytes),
	}
	if lim.Timeout > 0 {
		labels[labelDeadline] = created.Add(lim.Timeout).UTC().Format(time.RFC3339Nano)
	}
	c, err := rt.client.NewContainer(ctx, cid,
		containerd.WithContainerLabels(labels),
		containerd.WithSnapshotter(rt.cfg.Snapshotter),
		containerd.WithNewSnapshot(cid, im.img),
		containerd.WithRuntime(rt.cfg.Runtime, nil),
		containerd.WithNewSpec(rt.specOpts(im, spec, lim, uid, gid)...))
	if err != nil {
		os.RemoveAll(dir)
		if errdefs.IsAlreadyExists(err) {
			return nil, fmt.Errorf("%w: container %s exists", sandbox.ErrExists, cid)
		}
		return nil, fmt.Errorf("create container: %w", err)
	}
	t.container = c
	cleanup := func() {
		dctx, cancel := context.WithTimeout(rt.nsctx(context.Background()), 10*time.Second)
		defer cancel()
		if t.ctask != nil {
			t.ctask.Delete(dctx, containerd.WithProcessKill)
		}
		c.Delete(dctx, containerd.WithSnapshotCleanup)
		os.RemoveAll(dir)
	}
	ctask, err := c.NewTask(ctx, cio.BinaryIO(rt.helper, map[string]string{
		logFlag: dir, "--limit": strconv.Itoa(lim.OutputBytes),
	}))
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("create task: %w", err)
	}
	t.ctask = ctask
	exitC, err := ctask.Wait(rt.ctx)
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("wait for task: %w", err)
	}
	t.started = time.Now()
	if lim.Timeout > 0 {
		t.deadline = t.started.Add(lim.Timeout)
	}
	if err := ctask.Start(ctx); err != nil {
		cleanup()
		return nil, fmt.Errorf("start task: %w", err)
	}
	rt.watching.Add(1)
	go t.watch(exitC)
	return t, nil
}

// watch waits for the task's end, stopping it at its deadline (if it has
// one), and sets its result.
func (t *task) watch(exitC <-chan containerd.ExitStatus) {
	defer t.rt.watching.Done()
	timer := time.NewTimer(time.Until(t.deadline))
	defer timer.Stop()
	deadline := timer.C
	if t.deadline.IsZero() {
		deadline = nil
	}
	for {
		select {
		case st := <-exitC:
			if st.Error() != nil {
				if t.rt.ctx.Err() != nil {
					t.finish(sandbox.Result{}, ErrClosed)
					return
				}
				// containerd restarted, or the connection broke: wait again.
				t.rt.log.Warn("waiting for a container", "task", t.id, "err", st.Error())
				time.Sleep(time.Second)
				c, err := t.ctask.Wait(t.rt.ctx)
				if err != nil {
					t.finish(sandbox.Result{}, fmt.Errorf("wait for task: %w", err))
					return
				}
				exitC = c
				continue
			}
			t.finish(t.result(st), nil)
			return
		case <-deadline:
			if err := t.kill(sandbox.FailTimeout); err != nil {
				t.rt.log.Warn("stopping a task at its deadline", "task", t.id, "err", err)
				timer.Reset(time.Second)
			}
		}
	}
}

func (t *task) finish(res sandbox.Result, err error) {
	t.res, t.err = res, err
	close(t.done)
}

// result reads what the exited task left: exit status, cgroup counters
// (the cgroup lives until the task is deleted) and its output.
func (t *task) result(st containerd.ExitStatus) sandbox.Result {
	code, exitedAt, _ := st.Result()
	res := sandbox.Result{ExitCode: int(code), Wall: exitedAt.Sub(t.started)}
	if res.Wall <= 0 {
		res.Wall = time.Since(t.started)
	}
	cg := t.rt.cgroupPath(t.cid)
	res.CPU = res.Wall
	if cpu, ok := t.rt.cgroups.CPUUsage(cg); ok {
		res.CPU = cpu
	}
	ooms := t.rt.cgroups.OOMKills(cg)

	// The shim closes the logger's pipes only when the task is deleted;
	// the logger then finishes its files. The container stays until
	// Delete: a restarted agent that finds it without a task reports the
	// attempt lost.
	dctx, cancel := context.WithTimeout(t.rt.nsctx(context.Background()), 30*time.Second)
	if _, err := t.ctask.Delete(dctx); err != nil && !errdefs.IsNotFound(err) {
		t.rt.log.Warn("deleting an exited task", "task", t.id, "err", err)
	}
	cancel()
	if err := ocitask.WaitStreams(t.dir, 5*time.Second); err != nil {
		t.rt.log.Warn("reading a task's output", "task", t.id, "err", err)
	}
	var err error
	if res.Stdout, res.StdoutTruncated, err = ocitask.ReadStream(t.dir, "stdout"); err != nil {
		t.rt.log.Warn("reading a task's stdout", "task", t.id, "err", err)
	}
	if res.Stderr, res.StderrTruncated, err = ocitask.ReadStream(t.dir, "stderr"); err != nil {
		t.rt.log.Warn("reading a task's stderr", "task", t.id, "err", err)
	}

	t.mu.Lock()
	stop := t.stop
	t.mu.Unlock()
	ocitask.Classify(&res, int(code), stop, ooms, t.limits)
	return res
}

// Wait returns the task's result once it has ended.
func (t *task) Wait(ctx context.Context) (sandbox.Result, error) {
	select {
	case <-t.done:
		return t.res, t.err
	case <-ctx.Done():
		return sandbox.Result{}, ctx.Err()
	}
}

// Kill stops the task; killing a finished task does nothing.
func (t *task) Kill(ctx context.Context) error {
	select {
	case <-t.done:
		return nil
	default:
	}
	return t.kill(sandbox.FailKilled)
}

// kill records why the task is stopped (on the container too, so that a
// restarted agent knows) and sends SIGKILL. A timeout stays a timeout.
func (t *task) kill(why sandbox.Failure) error {
	ctx, cancel := context.WithTimeout(t.rt.nsctx(context.Background()), 10*time.Second)
	defer cancel()
	t.mu.Lock()
	first := t.stop == ""
	if first {
		t.stop = why
	}
	t.mu.Unlock()
	if first {
		if _, err := t.container.SetLabels(ctx, map[string]string{labelStop: string(why)}); err != nil {
			t.rt.log.Debug("recording why a task stopped", "task", t.id, "err", err)
		}
	}
	err := t.ctask.Kill(ctx, syscall.SIGKILL)
	if err != nil && (errdefs.IsNotFound(err) || errdefs.IsFailedPrecondition(err)) {
		return nil // already gone
	}
	return err
}

// Delete kills the task if it still runs, then removes its containerd
// task, container, snapshot and state files.
func (t *task) Delete(ctx context.Context) error {
	t.mu.Lock()
	if t.deleted {
		t.mu.Unlock()
		return nil
	}
	t.mu.Unlock()
	select {
	case <-t.done:
	default:
		if err := t.Kill(ctx); err != nil {
			return err
		}
		select {
		case <-t.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	ctx = t.rt.nsctx(ctx)
	if _, err := t.ctask.Delete(ctx, containerd.WithProcessKill); err != nil && !errdefs.IsNotFound(err) {
		return fmt.Errorf("delete task %s: %w", t.cid, err)
	}
	if err := t.container.Delete(ctx, containerd.WithSnapshotCleanup); err != nil && !errdefs.IsNotFound(err) {
		return fmt.Errorf("delete container %s: %w", t.cid, err)
	}
	os.RemoveAll(t.dir)
	t.mu.Lock()
	t.deleted = true
	t.mu.Unlock()
	t.rt.mu.Lock()
	if t.rt.tasks[t.id] == t {
		delete(t.rt.tasks, t.id)
	}
	t.rt.mu.Unlock()
	t.rt.release(t.app)
	return nil
}
