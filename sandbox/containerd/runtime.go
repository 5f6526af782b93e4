package containerd

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	containerd "github.com/containerd/containerd/v2/client"
	"github.com/containerd/containerd/v2/pkg/namespaces"
	"github.com/containerd/platforms"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sync/singleflight"

	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/ocitask"
)

// Runtime runs tasks as containers. It is safe for concurrent use.
type Runtime struct {
	cfg     Config
	log     *slog.Logger
	client  *containerd.Client
	matcher platforms.MatchComparer
	cgroups ocitask.Cgroups
	helper  string

	// ctx carries the namespace and lives until Close: task waits hang
	// off it.
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	images   map[string]*image  // by app digest
	flights  singleflight.Group // loads under way, by app digest
	tasks    map[string]*task   // by sandbox ID, from Start or Recover to Delete
	closed   bool
	watching sync.WaitGroup // task watchers
}

var (
	_ sandbox.Runtime   = (*Runtime)(nil)
	_ sandbox.Pauser    = (*Runtime)(nil)
	_ sandbox.Sweeper   = (*Runtime)(nil)
	_ sandbox.Throttler = (*Runtime)(nil)
	_ sandbox.Task      = (*task)(nil)
)

// New connects to containerd. It fails with ErrUnreachable when nothing
// answers on the socket within a few seconds.
func New(ctx context.Context, cfg Config) (*Runtime, error) {
	cfg = cfg.withDefaults()
	var specs []platforms.Platform
	for _, s := range cfg.Platforms {
		p, err := platforms.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("platform %q: %w", s, err)
		}
		specs = append(specs, platforms.Normalize(p))
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
	if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
		return nil, fmt.Errorf("containerd state dir: %w", err)
	}
	if _, err := os.Stat(cfg.Socket); err != nil {
		return nil, fmt.Errorf("%w at %s: %v", ErrUnreachable, cfg.Socket, err)
	}
	client, err := containerd.New(cfg.Socket,
		containerd.WithDefaultNamespace(cfg.Namespace),
		containerd.WithTimeout(5*time.Second))
	if err != nil {
		return nil, fmt.Errorf("%w at %s: %v", ErrUnreachable, cfg.Socket, err)
	}
	vctx, cancelV := context.WithTimeout(ctx, 5*time.Second)
	defer cancelV()
	if _, err := client.Version(vctx); err != nil {
		client.Close()
		return nil, fmt.Errorf("%w at %s: %v", ErrUnreachable, cfg.Socket, err)
	}
	rctx, cancel := context.WithCancel(namespaces.WithNamespace(context.Background(), cfg.Namespace))
	return &Runtime{
		cfg:     cfg,
		log:     cfg.Logger,
		client:  client,
		matcher: platforms.Ordered(specs...),
		cgroups: ocitask.DetectCgroups(),
		helper:  helper,
		ctx:     rctx,
		cancel:  cancel,
		images:  map[string]*image{},
		tasks:   map[string]*task{},
	}, nil
}

// Name is "oci".
func (rt *Runtime) Name() string { return "oci" }

// Platforms are the image platforms this runtime runs, best first.
func (rt *Runtime) Platforms() []string { return append([]string(nil), rt.cfg.Platforms...) }

// Close disconnects from containerd. Running containers are left to run:
// a later Runtime on the same namespace recovers them.
func (rt *Runtime) Close() error {
	rt.mu.Lock()
	if rt.closed {
		rt.mu.Unlock()
		return nil
	}
	rt.closed = true
	rt.mu.Unlock()
	rt.cancel()
	rt.watching.Wait()
	return rt.client.Close()
}

// nsctx gives ctx this runtime's namespace.
func (rt *Runtime) nsctx(ctx context.Context) context.Context {
	return namespaces.WithNamespace(ctx, rt.cfg.Namespace)
}

func (rt *Runtime) isClosed() bool {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.closed
}

// Pause freezes a running task (its cgroup's freezer).
func (rt *Runtime) Pause(ctx context.Context, id string) error {
	t, err := rt.task(id)
	if err != nil {
		return err
	}
	return t.ctask.Pause(rt.nsctx(ctx))
}

// Resume thaws a paused task.
func (rt *Runtime) Resume(ctx context.Context, id string) error {
	t, err := rt.task(id)
	if err != nil {
		return err
	}
	return t.ctask.Resume(rt.nsctx(ctx))
}

func (rt *Runtime) task(id string) (*task, error) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if t := rt.tasks[id]; t != nil {
		return t, nil
	}
	return nil, fmt.Errorf("%w: %s", sandbox.ErrNotFound, id)
}

// SetCPU implements sandbox.Throttler: it changes the CFS quota of the
// task's cgroup (runc update), never above the task's own limit. At 0 the
// task gets the kernel's least quota, 1 ms in each 100 ms; Pause freezes
// it outright.
func (rt *Runtime) SetCPU(ctx context.Context, id string, cores float64) error {
	t, err := rt.task(id)
	if err != nil {
		return err
	}
	quota := ocitask.CPUQuota(cores, t.limits.CPU)
	period := uint64(ocitask.CPUPeriod)
	return t.ctask.Update(rt.nsctx(ctx), containerd.WithResources(&specs.LinuxResources{
		CPU: &specs.LinuxCPU{Quota: &quota, Period: &period},
	}))
}

var _ sandbox.CPUMeter = (*Runtime)(nil)

// CPUUsage implements sandbox.CPUMeter from the container's cgroup.
func (rt *Runtime) CPUUsage(id string) (time.Duration, bool) {
	t, err := rt.task(id)
	if err != nil {
		return 0, false
	}
	return rt.cgroups.CPUUsage(rt.cgroupPath(t.cid))
}

// cgroupPath is the cgroup containerd's default spec gives a container.
func (rt *Runtime) cgroupPath(cid string) string {
	return filepath.Join("/", rt.cfg.Namespace, cid)
}
