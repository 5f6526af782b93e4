package runc

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	gorunc "github.com/containerd/go-runc"
	"golang.org/x/sync/singleflight"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/ocitask"
)

// Runtime runs tasks as containers through runc. It is safe for
// concurrent use.
type Runtime struct {
	cfg     Config
	log     *slog.Logger
	runc    string // the binary's path
	kernel  string // the kernel's GOARCH, as runc's binary tells it
	helper  string
	cgroups ocitask.Cgroups

	mu      sync.Mutex
	images  map[string]*image  // by app digest
	flights singleflight.Group // loads under way, by app digest
	tasks   map[string]*task   // by sandbox ID, from Start or Recover to Delete
	closed  bool
	closing chan struct{}
	// spare is a monitor started ahead for the next task (see spare.go).
	spare     *monitor
	refilling bool
	watches   sync.WaitGroup
}

var (
	_ sandbox.Runtime        = (*Runtime)(nil)
	_ sandbox.Pauser         = (*Runtime)(nil)
	_ sandbox.Throttler      = (*Runtime)(nil)
	_ sandbox.CPUMeter       = (*Runtime)(nil)
	_ sandbox.Sweeper        = (*Runtime)(nil)
	_ sandbox.Platformer     = (*Runtime)(nil)
	_ sandbox.QuickThrottler = (*Runtime)(nil)
)

// New checks that runc runs and that the helper can be every task's
// init, and finds the images and tasks an earlier process left. It fails
// with ErrNoRunc when there is no runc to run.
func New(cfg Config) (*Runtime, error) {
	cfg = cfg.withDefaults()
	path, err := exec.LookPath(cfg.Runc)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoRunc, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, path, "--version").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%w: %s --version: %v %s", ErrNoRunc, path, err, out)
	}
	helper := cfg.Helper
	if helper == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("finding this program for the task init: %w", err)
		}
		helper = exe
	}
	if err := ocitask.CheckStatic(helper); err != nil {
		return nil, err
	}
	if err := checkMonitor(ctx, helper); err != nil {
		return nil, err
	}
	// runc runs natively; this program may be emulated (qemu-user).
	kernel, err := ocitask.ELFArch(path)
	if err != nil {
		kernel = ""
	}
	if !cfg.NoPivot && RootIsInitramfs() {
		cfg.NoPivot = true
		cfg.Logger.Info("the root file system is the initramfs: containers are entered with runc --no-pivot")
	}
	if kernel != "" && kernel != runtime.GOARCH {
		cfg.Logger.Info("this agent is emulated: its containers get the seccomp rules of the kernel's architecture too", "agent", runtime.GOARCH, "kernel", kernel)
	}
	rt := &Runtime{
		cfg: cfg, log: cfg.Logger, runc: path, kernel: kernel, helper: helper, cgroups: ocitask.DetectCgroups(),
		images: map[string]*image{}, tasks: map[string]*task{},
		closing: make(chan struct{}),
	}
	for _, d := range []string{rt.imagesDir(), rt.tasksDir(), rt.rootDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("runc state dir: %w", err)
		}
	}
	rt.loadImages()
	return rt, nil
}

// checkMonitor makes sure the helper starts as a task monitor: an agent
// emulated by qemu-user cannot start itself again unless the kernel runs
// its architecture's programs through qemu (binfmt_misc).
func checkMonitor(ctx context.Context, helper string) error {
	null, err := os.Open(os.DevNull)
	if err != nil {
		return err
	}
	defer null.Close()
	cmd := exec.CommandContext(ctx, helper, monitorFlag, "-")
	// No ready or done pipe, and no task on fd 5: it exits at once.
	cmd.ExtraFiles = []*os.File{null, null, null}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s cannot start again as a task monitor: %v %s(an emulated agent needs binfmt_misc to run its own architecture's programs)", helper, err, out)
	}
	return nil
}

// Name is the runtime's name in job specs: a container is an "oci" task
// whichever runtime runs it.
func (rt *Runtime) Name() string { return "oci" }

// Platforms are the image platforms this runtime runs, best first.
func (rt *Runtime) Platforms() []string { return append([]string(nil), rt.cfg.Platforms...) }

// Close stops watching tasks; they go on running, and a new Runtime on
// the same StateDir recovers them.
func (rt *Runtime) Close() error {
	rt.mu.Lock()
	if rt.closed {
		rt.mu.Unlock()
		return nil
	}
	rt.closed = true
	close(rt.closing)
	rt.mu.Unlock()
	rt.dropSpare()
	rt.watches.Wait()
	rt.removeParentCgroup() // where no task outlives this process
	return nil
}

func (rt *Runtime) tasksDir() string { return filepath.Join(rt.cfg.StateDir, "tasks") }

// rootDir is runc's own state (its --root).
func (rt *Runtime) rootDir() string { return filepath.Join(rt.cfg.StateDir, "runc") }

// removeParentCgroup removes the cgroup the tasks' cgroups are made under
// where it is empty (no task runs): runc makes it, and leaves it.
func (rt *Runtime) removeParentCgroup() {
	rt.cgroups.RemoveEmpty(filepath.Dir(rt.cgroupPath("x")))
}

// cgroupPath is the cgroup of a task's container.
func (rt *Runtime) cgroupPath(cid string) string {
	return filepath.Join("/", "hearth-runc-"+rt.cfg.Namespace, cid)
}

// client is go-runc's client on this runtime's runc and state.
func (rt *Runtime) client() *gorunc.Runc {
	return &gorunc.Runc{Command: rt.runc, Root: rt.rootDir()}
}

func (rt *Runtime) task(id string) (*task, error) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if t := rt.tasks[id]; t != nil && t.cid != "" {
		return t, nil
	}
	return nil, fmt.Errorf("%w: %s", sandbox.ErrNotFound, id)
}

// Pause freezes a running task (runc pause: its cgroup's freezer).
func (rt *Runtime) Pause(ctx context.Context, id string) error {
	t, err := rt.task(id)
	if err != nil {
		return err
	}
	return rt.client().Pause(ctx, t.cid)
}

// Resume thaws a paused task.
func (rt *Runtime) Resume(ctx context.Context, id string) error {
	t, err := rt.task(id)
	if err != nil {
		return err
	}
	return rt.client().Resume(ctx, t.cid)
}

// SetCPU implements sandbox.Throttler: it writes the CFS quota of the
// task's cgroup, never above the task's own limit, as `runc update` does
// but without a process per change. At 0 the task gets the kernel's least
// quota, 1 ms in each 100 ms; Pause freezes it outright.
func (rt *Runtime) SetCPU(ctx context.Context, id string, cores float64) error {
	t, err := rt.task(id)
	if err != nil {
		return err
	}
	quota := ocitask.CPUQuota(cores, t.rec.Limits.CPU)
	return rt.cgroups.SetCPUQuota(rt.cgroupPath(t.cid), quota, ocitask.CPUPeriod)
}

// QuickThrottle implements sandbox.QuickThrottler: SetCPU is a cgroup
// write.
func (rt *Runtime) QuickThrottle() bool { return true }

// CPUUsage implements sandbox.CPUMeter from the container's cgroup.
func (rt *Runtime) CPUUsage(id string) (time.Duration, bool) {
	t, err := rt.task(id)
	if err != nil {
		return 0, false
	}
	return rt.cgroups.CPUUsage(rt.cgroupPath(t.cid))
}
