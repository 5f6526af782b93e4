// Command hearth-agent makes a device a member of a Hearth pool: it finds
// the home's gateway, pairs with it, and runs the tasks it leases. This file
// and its neighbours are the binary's one wiring place: flags become an
// agent.Config, and the wasm runtime and mDNS discovery are built here.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at link time by the Makefile.
var version = "dev"

const usage = `hearth-agent makes this device a member of a Hearth pool: it finds the
home's gateway on the LAN (mDNS), pairs with it, and runs the tasks it hands
out: WebAssembly modules in a wazero sandbox, and OCI containers through
containerd when this build has it and containerd answers (see --containerd).

Usage:
  hearth-agent [flags]

Pairing: start it with the join token that ` + "`hearth-gateway init`" + ` printed, and it
pairs by itself; without one it waits as pending until the owner runs
` + "`hearth pool approve <ID>`" + ` (the agent logs the command to type).

Examples:
  hearth-agent --token-file /boot/hearth-token          # pair by itself
  HEARTH_JOIN_TOKEN=hearth1.ABC...XYZ hearth-agent      # the same, from the environment
  hearth-agent                                          # wait for approval
  hearth-agent --join 192.168.1.10:7443 --token-file t  # where multicast is blocked
  hearth-agent --iface eth0 --slots 2 --log-level debug
  hearth-agent --containerd off                         # wasm tasks only

Flags:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the agent could not start or stopped on an error
	exitUsage = 2 // the command line is wrong
)

// run is the whole program minus the process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	var o options
	fs := o.flags(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hearth-agent: unexpected argument %q (flags start with --; see --help)\n", fs.Arg(0))
		return exitUsage
	}
	if o.version {
		fmt.Fprintln(stdout, "hearth-agent", version)
		return exitOK
	}
	s, err := o.resolve(getenv, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "hearth-agent:", err)
		return exitUsage
	}
	if err := serve(ctx, s); err != nil {
		fmt.Fprintln(stderr, "hearth-agent:", err)
		return exitFail
	}
	return exitOK
}
