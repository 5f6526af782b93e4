package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/hearth-home/hearth/agent/node"
	"github.com/hearth-home/hearth/sandbox/runc"
)

// runcOptions are the flags of the runc runtime, which both builds have:
// the small one runs containers only through it, the default one when it
// does not use containerd.
type runcOptions struct {
	path     string // "", "off" or a binary
	explicit bool   // --runc named a binary: not finding it is an error
}

func (o *runcOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.path, "runc", "", "runc, to run jobs with runtime: oci without containerd (for devices too small\nfor it; Debian: apt install runc); \"off\" runs no containers through it\n(default: runc from the PATH when it is installed)")
}

func (o runcOptions) resolve() runcOptions {
	o.explicit = o.path != "" && o.path != "off"
	return o
}

// namespace keeps the containers of agents that share a device apart: a
// hash of the data dir.
func namespace(dataDir string) string {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	sum := sha256.Sum256([]byte(abs))
	return "hearth-" + hex.EncodeToString(sum[:5])
}

// runtime makes the runc runtime: nil (no error) when it is off, or not
// named and not installed.
func (o runcOptions) runtime(dataDir string, diskBudget int64, log *slog.Logger) (node.ContainerRuntime, error) {
	if o.path == "off" {
		return nil, nil
	}
	rt, err := runc.New(runc.Config{
		Runc:       o.path,
		Namespace:  namespace(dataDir),
		StateDir:   filepath.Join(dataDir, "runc"),
		DiskBudget: diskBudget,
		Logger:     log.With("part", "runc"),
	})
	switch {
	case errors.Is(err, runc.ErrNoRunc) && !o.explicit:
		log.Info("no runc here: running wasm tasks only (apt install runc to run oci tasks too)")
		return nil, nil
	case err != nil && !o.explicit:
		log.Warn("runc is installed but cannot be used: running wasm tasks only", "err", err)
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("--runc: %w; install runc, or pass --runc off to run wasm tasks only", err)
	}
	log.Info("runc found: running oci tasks too, without containerd", "platforms", rt.Platforms())
	return rt, nil
}

// The agent binary is also each runc container's init and monitor (see
// runc.Reexec).
func init() { runc.Reexec() }
