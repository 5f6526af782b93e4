//go:build nocontainerd

package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/hearth-home/hearth/agent/node"
)

// ociOptions: this build (-tags nocontainerd, the small one for plugs and
// the oldest Pis) has no containerd client; it runs containers through
// runc alone. The containerd flags exist so that a command line meant for
// the default build gets a clear answer.
type ociOptions struct {
	socket, namespace, insecure string
	diskBudget                  int64
	runc                        runcOptions
}

func (o *ociOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.socket, "containerd", "", "not in this build (-tags nocontainerd): it runs containers through --runc")
	fs.StringVar(&o.namespace, "containerd-namespace", "", "not in this build")
	fs.Int64Var(&o.diskBudget, "image-budget", 0, "bytes that unpacked container images may take before unused ones are\nremoved, least recently used first (default 2 GiB)")
	fs.StringVar(&o.insecure, "insecure-registry", "", "not in this build: runc runs image archives, it pulls nothing")
	o.runc.register(fs)
}

func (o ociOptions) resolve(func(string) string) (ociOptions, error) {
	if (o.socket != "" && o.socket != "off") || o.namespace != "" || o.insecure != "" {
		return o, fmt.Errorf("this hearth-agent was built without containerd (-tags nocontainerd): it runs containers through runc (--runc); use the default build for containerd or registry pulls")
	}
	if o.diskBudget < 0 {
		return o, fmt.Errorf("--image-budget: %d is negative; give bytes, or 0 for the default", o.diskBudget)
	}
	o.runc = o.runc.resolve()
	return o, nil
}

// containers runs containers through runc when it is installed.
func (o ociOptions) containers(_ context.Context, dataDir string, log *slog.Logger) (node.ContainerRuntime, error) {
	return o.runc.runtime(dataDir, o.diskBudget, log)
}
