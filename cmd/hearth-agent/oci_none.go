//go:build nocontainerd

package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/hearth-home/hearth/agent/node"
)

// ociOptions: this build (-tags nocontainerd, for the smallest plugs) has
// no container runtime; the flags exist so that a command line meant for
// the full build gets a clear answer.
type ociOptions struct {
	socket, namespace, insecure string
	diskBudget                  int64
}

func (o *ociOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.socket, "containerd", "", "not in this build (-tags nocontainerd): it runs wasm tasks only")
	fs.StringVar(&o.namespace, "containerd-namespace", "", "not in this build")
	fs.Int64Var(&o.diskBudget, "image-budget", 0, "not in this build")
	fs.StringVar(&o.insecure, "insecure-registry", "", "not in this build")
}

func (o ociOptions) resolve(func(string) string) (ociOptions, error) {
	if (o.socket != "" && o.socket != "off") || o.namespace != "" || o.diskBudget != 0 || o.insecure != "" {
		return o, fmt.Errorf("this hearth-agent was built without containerd (-tags nocontainerd) and runs wasm tasks only; use the default build for oci jobs")
	}
	return o, nil
}

// containers gives no container runtime: this build has none.
func (o ociOptions) containers(context.Context, string, *slog.Logger) (node.ContainerRuntime, error) {
	return nil, nil
}
