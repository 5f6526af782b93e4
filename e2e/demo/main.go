// Command demo is `make demo`: a simulated home on one machine, each node a
// real process in its own network namespace on a bridge.
//
// With a containerd (HEARTH_CONTAINERD_SOCKET, which `make demo` sets through
// scripts/containerd.sh) and qemu-arm-static, the home is mixed: a gateway,
// two amd64 agents that run containers as well as wasm, and a linux/arm/v6
// agent (the small build) emulated by qemu-user, which runs wasm and, where
// runc is installed, containers through runc alone. It runs the vanity
// search as an OCI image, as a wasm module, which every agent takes, and as
// an image with only an arm/v6 build, which only the emulated device runs;
// it prints where and how long each task ran, verifies the keys found,
// checks the placement, and removes everything it made, containerd
// namespaces included.
//
// Without them it says what is missing and runs the all-wasm home of three
// amd64 agents instead.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/hearth-home/hearth/hearthtest/netnstest"
)

func main() {
	var o options
	flag.IntVar(&o.agents, "agents", 3, "number of agents in the all-wasm home")
	flag.StringVar(&o.job, "job", "examples/vanity/job.yaml", "wasm job spec to run")
	flag.StringVar(&o.ociJob, "oci-job", "examples/vanity/job-oci.yaml", "oci job spec to run in the mixed home")
	flag.StringVar(&o.bin, "bin", "bin", "directory with the built binaries")
	flag.BoolVar(&o.wasmOnly, "wasm-only", false, "run the all-wasm home even when containerd and qemu are here")
	flag.IntVar(&o.armTries, "arm-tries", defaultArmTries, "in the mixed home, candidates per wasm task: the wasm job's search is recut\ninto tasks this small so that the emulated arm/v6 agent finishes one within\nthe recut job's timeout ("+armTimeout.String()+")")
	flag.BoolVar(&o.verbose, "v", false, "show every process's log")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		if ctx.Err() != nil {
			err = errors.New("interrupted")
		}
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

type options struct {
	agents      int
	job, ociJob string
	bin         string
	wasmOnly    bool
	armTries    int
	verbose     bool
}

func run(ctx context.Context, o options) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf(`the demo builds a simulated home out of network namespaces, which needs root.
Run it as root (sudo make demo), or try Hearth without root on this machine:
  bin/hearth-gateway --dev &
  bin/hearth job submit examples/vanity/job.yaml --wait`)
	}
	if err := netnstest.Supported(); err != nil {
		return fmt.Errorf("%w (is iproute2 installed?); try `hearth-gateway --dev` instead", err)
	}
	o.bin, _ = filepath.Abs(o.bin)
	start := time.Now()
	var err error
	if o.wasmOnly {
		err = runWasmHome(ctx, o, start)
	} else if missing := checkMixed(); len(missing) > 0 {
		explainMissing(missing)
		err = runWasmHome(ctx, o, start)
	} else {
		err = runMixedHome(ctx, o, start)
	}
	if err == nil {
		fmt.Printf("Demo done in %.1fs.\n", time.Since(start).Seconds())
	}
	return err
}
