//go:build !nocontainerd

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/hearth-home/hearth/agent/node"
	"github.com/hearth-home/hearth/internal/registry"
	"github.com/hearth-home/hearth/sandbox/containerd"
)

// ociOptions are the flags of the container runtime.
type ociOptions struct {
	socket     string // "", "off" or a path
	namespace  string
	diskBudget int64
	insecure   string
	explicit   bool // --containerd named a socket: not reaching it is an error
	runc       runcOptions
}

func (o *ociOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.socket, "containerd", "", "containerd's socket, for jobs with runtime: oci; \"off\" does without it (then\n--runc runs them, when runc is installed)\n(default: $"+containerd.SocketEnv+", else "+containerd.DefaultSocket+" when\ncontainerd answers there)")
	fs.StringVar(&o.namespace, "containerd-namespace", "", "the containerd namespace of this agent's images and containers (default:\nhearth- and a hash of --data-dir, so agents sharing a containerd stay apart)")
	fs.StringVar(&o.insecure, "insecure-registry", "", registry.InsecureFlag)
	fs.Int64Var(&o.diskBudget, "image-budget", 0, "bytes that container images may take before unused ones are removed,\nleast recently used first (default 4 GiB with containerd, 2 GiB with runc)")
	o.runc.register(fs)
}

func (o ociOptions) resolve(getenv func(string) string) (ociOptions, error) {
	if o.diskBudget < 0 {
		return o, fmt.Errorf("--image-budget: %d is negative; give bytes, or 0 for the default", o.diskBudget)
	}
	o.explicit = o.socket != "" && o.socket != "off"
	o.runc = o.runc.resolve()
	if o.socket == "" {
		o.socket = getenv(containerd.SocketEnv)
	}
	if o.socket == "" {
		o.socket = containerd.DefaultSocket
	}
	return o, nil
}

// containers connects to containerd as the options say, and runs
// containers through runc alone where containerd is off or not there: nil
// (no error) when neither is to be had.
func (o ociOptions) containers(ctx context.Context, dataDir string, log *slog.Logger) (node.ContainerRuntime, error) {
	rt, err := o.runtime(ctx, dataDir, log)
	if err != nil {
		return nil, err
	}
	if rt != nil { // a nil *Runtime must not become a non-nil interface
		return rt, nil
	}
	return o.runc.runtime(dataDir, o.diskBudget, log)
}

func (o ociOptions) runtime(ctx context.Context, dataDir string, log *slog.Logger) (*containerd.Runtime, error) {
	if o.socket == "off" {
		log.Info("containerd off")
		return nil, nil
	}
	ns := o.namespace
	if ns == "" {
		ns = namespace(dataDir)
	}
	rt, err := containerd.New(ctx, containerd.Config{
		Socket:     o.socket,
		Namespace:  ns,
		StateDir:   filepath.Join(dataDir, "containerd"),
		DiskBudget: o.diskBudget,
		Registry:   registry.Options{Insecure: registry.SplitHosts(o.insecure)},
		Logger:     log.With("part", "containerd"),
	})
	if errors.Is(err, containerd.ErrUnreachable) && !o.explicit {
		log.Info("no containerd here", "socket", o.socket)
		return nil, nil
	}
	if err != nil && !o.explicit {
		log.Warn("containerd answers but cannot be used", "socket", o.socket, "err", err)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("--containerd: %w; start containerd, or pass --containerd off to do without it", err)
	}
	log.Info("containerd connected: running oci tasks too", "socket", o.socket, "namespace", ns, "platforms", rt.Platforms())
	return rt, nil
}

// The agent binary is also each container's init and logger; containerd
// starts it in those roles (see containerd.Reexec).
func init() { containerd.Reexec() }
