package runc

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	gorunc "github.com/containerd/go-runc"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/ocitask"
)

// taskRecord is taskFile: what the monitor and a restarted agent need to
// know of a task.
type taskRecord struct {
	ID       string         `json:"id"`
	CID      string         `json:"cid"`
	App      string         `json:"app"`
	Runc     string         `json:"runc"`
	Root     string         `json:"root"`
	Cgroup   string         `json:"cgroup"`
	Started  time.Time      `json:"started"`
	Deadline time.Time      `json:"deadline"` // zero: none (a negative Limits.Timeout)
	Limits   sandbox.Limits `json:"limits"`
	NoPivot  bool           `json:"no_pivot,omitempty"` // runc run --no-pivot
}

// runc is go-runc's client as the monitor uses it, logging to the task's
// directory.
func (r taskRecord) runc(dir string) *gorunc.Runc {
	return &gorunc.Runc{Command: r.Runc, Root: r.Root, Log: filepath.Join(dir, runcLog), LogFormat: gorunc.JSON}
}

// task is a container started by Start or found by Recover.
type task struct {
	rt  *Runtime
	id  string
	cid string // "" while Start holds the ID
	dir string
	rec taskRecord
	// exited is closed when the monitor exits, for a task this process
	// started; nil for a recovered one.
	exited <-chan struct{}

	mu      sync.Mutex
	deleted bool

	done chan struct{} // closed when res and err are set
	res  sandbox.Result
	err  error
}

func (t *task) ID() string { return t.id }

// Start unpacks the app if need be, writes the task's bundle and starts
// its monitor, and returns once the container runs (or could not start).
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
	rt.tasks[spec.ID] = &task{id: spec.ID} // held while starting
	rt.mu.Unlock()

	t, err := rt.start(ctx, spec)
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
	dir := filepath.Join(rt.tasksDir(), cid)
	if _, err := os.Stat(filepath.Join(dir, taskFile)); err == nil {
		return nil, fmt.Errorf("%w: container %s exists", sandbox.ErrExists, cid)
	}
	os.RemoveAll(dir)
	if err := os.MkdirAll(filepath.Join(dir, bundleDir), 0o700); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			rt.client().Delete(context.Background(), cid, &gorunc.DeleteOpts{Force: true})
			os.RemoveAll(dir)
		}
	}()
	s := ocitask.Default(filepath.Join(im.dir, "rootfs"), rt.cgroupPath(cid))
	err = ocitask.Harden(s, ocitask.Params{
		Image: im.config, Spec: spec, Limits: lim, UID: uid, GID: gid,
		Helper: rt.helper, PidsLimit: rt.cfg.PidsLimit, CgroupV1: !rt.cgroups.V2(), Notify: true,
		KernelArch: rt.kernel,
	})
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, bundleDir, "config.json"), b, 0o600); err != nil {
		return nil, err
	}
	now := time.Now()
	rec := taskRecord{ID: spec.ID, CID: cid, App: im.digest, Runc: rt.runc, Root: rt.rootDir(), Cgroup: rt.cgroupPath(cid),
		Started: now.UTC(), Limits: lim, NoPivot: rt.cfg.NoPivot}
	if lim.Timeout > 0 {
		rec.Deadline = now.Add(lim.Timeout).UTC()
	}
	if b, err = json.Marshal(rec); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, taskFile), b); err != nil {
		return nil, err
	}
	m, err := rt.startMonitor(ctx, dir)
	if err != nil {
		return nil, err
	}
	t := &task{rt: rt, id: spec.ID, cid: cid, dir: dir, rec: rec, exited: m.exited, done: make(chan struct{})}
	rt.watches.Add(1)
	go t.watch(m.ended)
	return t, nil
}

// watch waits for the task's end, stopping it at its deadline (if it has
// one), and sets its result. ended is closed once the monitor has written
// the exit file; nil for a recovered task, whose monitor is not this
// process's child: the file is polled for then.
func (t *task) watch(ended <-chan struct{}) {
	defer t.rt.watches.Done()
	timer := time.NewTimer(time.Until(t.rec.Deadline))
	defer timer.Stop()
	deadline := timer.C
	if t.rec.Deadline.IsZero() {
		deadline = nil
	}
	var poll <-chan time.Time
	if ended == nil {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		poll = tick.C
	}
	for {
		select {
		case <-ended:
			t.finish(t.result())
			return
		case <-poll:
			if _, err := os.Stat(filepath.Join(t.dir, exitFile)); err == nil {
				t.finish(t.result())
				return
			}
			if !t.monitorAlive() {
				// It may have written the file and exited just now.
				if _, err := os.Stat(filepath.Join(t.dir, exitFile)); err == nil {
					t.finish(t.result())
					return
				}
				t.finish(sandbox.Result{}, fmt.Errorf("task %s: its monitor is gone and left no exit status", t.id))
				return
			}
		case <-deadline:
			if err := t.kill(sandbox.FailTimeout); err != nil {
				t.rt.log.Warn("stopping a task at its deadline", "task", t.id, "err", err)
				timer.Reset(time.Second)
			}
		case <-t.rt.closing:
			t.finish(sandbox.Result{}, ErrClosed)
			return
		}
	}
}

// monitorAlive reports whether the task's monitor still runs.
func (t *task) monitorAlive() bool {
	pid, err := readPid(filepath.Join(t.dir, monitorPidFile))
	if err != nil {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return err == nil && strings.Contains(string(b), "\x00"+monitorFlag+"\x00")
}

func (t *task) finish(res sandbox.Result, err error) {
	t.res, t.err = res, err
	close(t.done)
}

// result reads what the exited task left: its exit status, its cgroup's
// counters and its output, and then deletes the container (its cgroup
// with it).
func (t *task) result() (sandbox.Result, error) {
	b, err := os.ReadFile(filepath.Join(t.dir, exitFile))
	var ex exitRecord
	if err == nil {
		err = json.Unmarshal(b, &ex)
	}
	if err != nil {
		return sandbox.Result{}, fmt.Errorf("task %s: its exit status: %w", t.id, err)
	}
	if ex.Error != "" {
		return sandbox.Result{}, fmt.Errorf("task %s: %s", t.id, ex.Error)
	}
	res := sandbox.Result{Wall: ex.ExitedAt.Sub(t.rec.Started), CPU: ex.CPU}
	if res.Wall <= 0 {
		res.Wall = time.Since(t.rec.Started)
	}
	if !ex.CPUKnown {
		res.CPU = res.Wall
	}
	if err := ocitask.WaitStreams(t.dir, time.Second); err != nil {
		t.rt.log.Warn("reading a task's output", "task", t.id, "err", err)
	}
	if res.Stdout, res.StdoutTruncated, err = ocitask.ReadStream(t.dir, "stdout"); err != nil {
		t.rt.log.Warn("reading a task's stdout", "task", t.id, "err", err)
	}
	if res.Stderr, res.StderrTruncated, err = ocitask.ReadStream(t.dir, "stderr"); err != nil {
		t.rt.log.Warn("reading a task's stderr", "task", t.id, "err", err)
	}
	stop, _ := os.ReadFile(filepath.Join(t.dir, stopFile))
	ocitask.Classify(&res, ex.Code, sandbox.Failure(stop), ex.OOMKills, t.rec.Limits)
	return res, nil
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

// kill records why the task is stopped (in its directory, so that a
// restarted agent knows) and sends SIGKILL to all its processes. A
// timeout stays a timeout.
func (t *task) kill(why sandbox.Failure) error {
	stop := filepath.Join(t.dir, stopFile)
	if _, err := os.Stat(stop); os.IsNotExist(err) {
		if err := writeFile(stop, []byte(why)); err != nil {
			t.rt.log.Debug("recording why a task stopped", "task", t.id, "err", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := t.rt.client().Kill(ctx, t.cid, int(syscall.SIGKILL), &gorunc.KillOpts{All: true})
	if err != nil && (notExist(err) || notRunning(err)) {
		return nil // already gone
	}
	return err
}

// Delete kills the task if it still runs, then removes its container and
// its state files.
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
	// The monitor deletes the container once it has its counters; wait
	// for it to be done, and delete what it left if it died first.
	if err := t.monitorDone(ctx); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(t.rt.rootDir(), t.cid)); err == nil {
		if err := t.rt.client().Delete(ctx, t.cid, &gorunc.DeleteOpts{Force: true}); err != nil && !notExist(err) {
			return fmt.Errorf("delete container %s: %w", t.cid, err)
		}
	}
	os.RemoveAll(t.dir)
	t.mu.Lock()
	t.deleted = true
	t.mu.Unlock()
	t.rt.mu.Lock()
	if t.rt.tasks[t.id] == t {
		delete(t.rt.tasks, t.id)
	}
	idle := len(t.rt.tasks) == 0
	t.rt.mu.Unlock()
	t.rt.release(t.rec.App)
	if idle {
		t.rt.removeParentCgroup()
	}
	return nil
}

// monitorDone waits for the task's monitor to exit.
func (t *task) monitorDone(ctx context.Context) error {
	if t.exited != nil {
		select {
		case <-t.exited:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for t.monitorAlive() {
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// notExist tells runc's "container does not exist".
func notExist(err error) bool {
	return err != nil && strings.Contains(err.Error(), "does not exist")
}

// notRunning tells runc's refusal to signal a container that has stopped.
func notRunning(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "not running") || strings.Contains(err.Error(), "process already finished"))
}

// Recover finds a task that an earlier process of this agent started:
// running (its deadline still holds) or exited (its status is read). A
// task whose container never started, or whose record is gone, is
// sandbox.ErrNotFound.
func (rt *Runtime) Recover(ctx context.Context, id string) (sandbox.Task, error) {
	rt.mu.Lock()
	if rt.closed {
		rt.mu.Unlock()
		return nil, ErrClosed
	}
	if t := rt.tasks[id]; t != nil && t.cid != "" {
		rt.mu.Unlock()
		return t, nil
	}
	rt.mu.Unlock()
	cid := ocitask.ContainerID(id)
	dir := filepath.Join(rt.tasksDir(), cid)
	b, err := os.ReadFile(filepath.Join(dir, taskFile))
	if os.IsNotExist(err) {
		return nil, fmt.Errorf("%w: %s", sandbox.ErrNotFound, id)
	}
	var rec taskRecord
	if err == nil {
		err = json.Unmarshal(b, &rec)
	}
	if err != nil {
		return nil, fmt.Errorf("task %s: its record: %w", id, err)
	}
	if rec.ID != id {
		return nil, fmt.Errorf("%w: container %s belongs to task %q", sandbox.ErrNotFound, cid, rec.ID)
	}
	if b, err := os.ReadFile(filepath.Join(dir, exitFile)); err == nil {
		var ex exitRecord
		if json.Unmarshal(b, &ex) == nil && ex.Error != "" {
			rt.client().Delete(ctx, cid, &gorunc.DeleteOpts{Force: true})
			os.RemoveAll(dir)
			return nil, fmt.Errorf("%w: %s never started: %s", sandbox.ErrNotFound, id, ex.Error)
		}
	}
	t := &task{rt: rt, id: id, cid: cid, dir: dir, rec: rec, done: make(chan struct{})}
	rt.mu.Lock()
	if other := rt.tasks[id]; other != nil {
		rt.mu.Unlock()
		return nil, fmt.Errorf("%w: %s", sandbox.ErrExists, id)
	}
	rt.tasks[id] = t
	if im := rt.images[rec.App]; im != nil {
		im.users++
	}
	rt.watches.Add(1)
	rt.mu.Unlock()
	go t.watch(nil)
	return t, nil
}

// Sweep stops and removes the containers of this runtime that keep does
// not claim, and the state of tasks that never started.
func (rt *Runtime) Sweep(ctx context.Context, keep func(id string) bool) (int, error) {
	ents, err := os.ReadDir(rt.tasksDir())
	if err != nil {
		return 0, err
	}
	removed := 0
	known := map[string]bool{}
	for _, e := range ents {
		dir := filepath.Join(rt.tasksDir(), e.Name())
		known[e.Name()] = true
		var rec taskRecord
		b, err := os.ReadFile(filepath.Join(dir, taskFile))
		if err == nil {
			err = json.Unmarshal(b, &rec)
		}
		rt.mu.Lock()
		_, live := rt.tasks[rec.ID]
		rt.mu.Unlock()
		if err == nil && (live || keep(rec.ID)) {
			continue
		}
		rt.client().Kill(ctx, e.Name(), int(syscall.SIGKILL), &gorunc.KillOpts{All: true})
		if err := rt.client().Delete(ctx, e.Name(), &gorunc.DeleteOpts{Force: true}); err != nil && !notExist(err) {
			rt.log.Warn("sweeping a container", "container", e.Name(), "err", err)
			continue
		}
		os.RemoveAll(dir)
		removed++
	}
	// Containers runc knows with no directory: a crash between the two.
	if cs, err := rt.client().List(ctx); err == nil {
		for _, c := range cs {
			if known[c.ID] {
				continue
			}
			if err := rt.client().Delete(ctx, c.ID, &gorunc.DeleteOpts{Force: true}); err == nil {
				removed++
			}
		}
	}
	rt.removeParentCgroup()
	return removed, nil
}
