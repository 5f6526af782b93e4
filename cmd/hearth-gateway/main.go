// Command hearth-gateway coordinates a home's Hearth pool: it pairs the
// devices' agents, queues jobs, hands out task leases and keeps results.
// This file is the binary's one wiring place: flags become a gateway.Config,
// and discovery and the --dev agent are put around the gateway here.
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

const usage = `hearth-gateway coordinates a Hearth pool: one per home.

Usage:
  hearth-gateway init [flags]   create the gateway's identity, join token and
                                admin credentials, print them, and exit
  hearth-gateway [flags]        run the gateway (initialises on first start)
  hearth-gateway --dev          run a gateway with an agent inside, on this
                                machine only, with no set-up at all
  hearth-gateway version        print the version

Examples:
  hearth-gateway init --advertise 192.168.1.10:7443
  hearth-gateway --data-dir /var/lib/hearth-gateway --listen :7443
  hearth-gateway --dev          # then: hearth job submit examples/vanity/job.yaml --wait
  hearth-gateway --chain-rpc https://RPC --beacon-api https://BEACON-1,https://BEACON-2 \
      --chain-key provider.json --market-contract 0x... --market-min-price 1000000000
                                # sell on a market, every chain read verified (docs/market.md, docs/chain.md)

Flags:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "run"
	if len(args) > 0 && (args[0] == "init" || args[0] == "version" || args[0] == "run") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "version" {
		fmt.Fprintln(stdout, "hearth-gateway", version)
		return 0
	}
	var o options
	fs := o.flags(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hearth-gateway: unexpected argument %q (see --help)\n", fs.Arg(0))
		return 2
	}
	if o.version {
		fmt.Fprintln(stdout, "hearth-gateway", version)
		return 0
	}
	if err := o.readSecrets(); err != nil {
		fmt.Fprintln(stderr, "hearth-gateway:", err)
		return 2
	}
	var err error
	switch {
	case cmd == "init":
		err = initCmd(o, stdout)
	case o.dev:
		err = runDev(ctx, o, stdout, stderr)
	default:
		err = serve(ctx, o, stdout, stderr)
	}
	if err != nil {
		fmt.Fprintln(stderr, "hearth-gateway:", err)
		return 1
	}
	return 0
}
