package wasm

import (
	"log/slog"

	"github.com/hearth-home/hearth/internal/cpucap"
)

// Config configures a Runtime. The zero value works.
type Config struct {
	// CacheDir keeps compiled modules on disk (wazero's compilation cache),
	// so that a restarted agent does not compile its apps again. It is
	// created if missing. Empty: compile in memory only.
	CacheDir string
	// MaxModules bounds how many compiled modules stay in memory; the least
	// recently used beyond it is released once no task runs it. Default 16.
	MaxModules int
	// CPUCaps, when set, puts each task's thread in a cgroup of its own
	// there, so that SetCPU and Pause can cap it (power budgets). Nil:
	// tasks run uncapped and SetCPU fails with sandbox.ErrUnsupported.
	CPUCaps *cpucap.Caps
	// Logger receives the runtime's logs. Default: discarded.
	Logger *slog.Logger
	// Interpreter runs modules with wazero's interpreter even where its
	// compiler works. False, the default: the compiler where wazero has one
	// (amd64 and arm64), the interpreter elsewhere (32-bit ARM). The
	// interpreter is two orders of magnitude slower (docs/containers.md);
	// it is here so that a fast machine can measure what a 32-bit ARM
	// device gets, not for running tasks.
	Interpreter bool
}

// DefaultMaxModules is the default of Config.MaxModules.
const DefaultMaxModules = 16

func (c Config) withDefaults() Config {
	if c.MaxModules <= 0 {
		c.MaxModules = DefaultMaxModules
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}
