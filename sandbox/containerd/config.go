package containerd

import (
	"log/slog"
	"os"
	"path/filepath"

	"github.com/hearth-home/hearth/internal/registry"
)

// Config configures a Runtime. The zero value works on a device whose
// containerd listens on its usual socket.
type Config struct {
	// Socket is containerd's gRPC socket. Default
	// /run/containerd/containerd.sock.
	Socket string
	// Namespace is the containerd namespace that holds this runtime's
	// images, containers and tasks; give each agent its own, so that
	// agents sharing a containerd never see each other's work. Default
	// "hearth".
	Namespace string
	// StateDir keeps each task's output streams and fifos, so that a
	// restarted agent loses none of what a task printed. It must survive
	// restarts of the agent (not of the device). Default: a directory under
	// the system's temporary directory.
	StateDir string
	// Platforms are the image platforms this device runs, best first, as
	// "os/arch[/variant]". Default: the host's own (see DefaultPlatforms).
	Platforms []string
	// Snapshotter names the containerd snapshotter for root filesystems.
	// Default "overlayfs".
	Snapshotter string
	// PidsLimit caps the processes and threads of one task, so that a fork
	// bomb stops at it. Default 128.
	PidsLimit int64
	// DiskBudget bounds the bytes that imported images may take; past it,
	// images that no task uses are removed, least recently used first.
	// Default 4 GiB; negative: no bound.
	DiskBudget int64
	// Helper is this program's own executable, which containerd runs as
	// each task's init and logger (see Reexec). It must be a static binary
	// that calls Reexec first thing. Default: os.Executable().
	Helper string
	// Runtime is containerd's runtime for tasks. Default
	// "io.containerd.runc.v2".
	Runtime string
	// Registry says how to reach registries, for apps given by reference
	// (sandbox.App.Ref). Default: HTTPS, plain HTTP on loopback.
	Registry registry.Options
	// Logger receives the runtime's logs. Default: discarded.
	Logger *slog.Logger
}

// Defaults for zero Config fields.
const (
	DefaultSocket      = "/run/containerd/containerd.sock"
	DefaultNamespace   = "hearth"
	DefaultSnapshotter = "overlayfs"
	DefaultPidsLimit   = 128
	DefaultDiskBudget  = 4 << 30
	DefaultRuntime     = "io.containerd.runc.v2"
)

// SocketEnv names the environment variable that tests, the demo and
// `hearth-gateway --dev` read the containerd socket from.
const SocketEnv = "HEARTH_CONTAINERD_SOCKET"

func (c Config) withDefaults() Config {
	if c.Socket == "" {
		c.Socket = DefaultSocket
	}
	if c.Namespace == "" {
		c.Namespace = DefaultNamespace
	}
	if c.StateDir == "" {
		c.StateDir = filepath.Join(os.TempDir(), "hearth-containerd-"+c.Namespace)
	}
	if len(c.Platforms) == 0 {
		c.Platforms = DefaultPlatforms()
	}
	if c.Snapshotter == "" {
		c.Snapshotter = DefaultSnapshotter
	}
	if c.PidsLimit <= 0 {
		c.PidsLimit = DefaultPidsLimit
	}
	if c.DiskBudget == 0 {
		c.DiskBudget = DefaultDiskBudget
	}
	if c.Runtime == "" {
		c.Runtime = DefaultRuntime
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}
