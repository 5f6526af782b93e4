package runc

import (
	"log/slog"
	"os"
	"path/filepath"

	"github.com/hearth-home/hearth/internal/ociimage"
)

// Config configures a Runtime. The zero value works where runc is on the
// PATH.
type Config struct {
	// Runc is the runc binary. Default: "runc" from the PATH.
	Runc string
	// Namespace keeps this runtime's containers apart from other agents'
	// on the same device: it names runc's state directory and the
	// cgroup the tasks' cgroups are made under. Default "hearth".
	Namespace string
	// StateDir holds unpacked images and each task's bundle, output and
	// exit status. It must survive restarts of the agent. Default: a
	// directory under the system's temporary directory.
	StateDir string
	// Platforms are the image platforms this device runs, best first, as
	// "os/arch[/variant]". Default: the host's own, and those it runs.
	Platforms []string
	// PidsLimit caps the processes and threads of one task. Default 128.
	PidsLimit int64
	// DiskBudget bounds the bytes unpacked images may take; past it,
	// images that no task uses are removed, least recently used first.
	// Default 2 GiB; negative: no bound.
	DiskBudget int64
	// Helper is this program's own executable, which runs as each task's
	// init and monitor (see Reexec). It must be a static binary that calls
	// Reexec first thing. Default: os.Executable().
	Helper string
	// NoPivot enters containers with runc's --no-pivot (a move of the
	// root and a chroot) rather than pivot_root, which the kernel refuses
	// while the system's root is the initramfs, as on Hearth OS. New sets
	// it by itself there (see RootIsInitramfs).
	NoPivot bool
	// Logger receives the runtime's logs. Default: discarded.
	Logger *slog.Logger
}

// Defaults for zero Config fields.
const (
	DefaultNamespace  = "hearth"
	DefaultPidsLimit  = 128
	DefaultDiskBudget = 2 << 30
)

func (c Config) withDefaults() Config {
	if c.Runc == "" {
		c.Runc = "runc"
	}
	if c.Namespace == "" {
		c.Namespace = DefaultNamespace
	}
	if c.StateDir == "" {
		c.StateDir = filepath.Join(os.TempDir(), "hearth-runc-"+c.Namespace)
	}
	if len(c.Platforms) == 0 {
		for _, p := range ociimage.Compatible(ociimage.Host()) {
			c.Platforms = append(c.Platforms, p.String())
		}
	}
	if c.PidsLimit <= 0 {
		c.PidsLimit = DefaultPidsLimit
	}
	if c.DiskBudget == 0 {
		c.DiskBudget = DefaultDiskBudget
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}
