// Command hearth-sim runs many simulated devices against a gateway: each
// is the real agent with its own identity, TLS sessions, heartbeats,
// lease polls, results and outbox, its sandbox replaced by one that
// sleeps and writes a set number of bytes (package hearthtest/agentsim).
// It is the load of `make bench-scale` (docs/scale.md), not something to
// run against a home's gateway: each simulated device joins the pool.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/hearth-home/hearth/hearthtest/agentsim"
)

func main() {
	fs := flag.NewFlagSet("hearth-sim", flag.ContinueOnError)
	gw := fs.String("gateway", "", "the gateway's host:port (required)")
	token := fs.String("token", "", "the gateway's join token (required; the devices pair with it)")
	dir := fs.String("dir", "", "where the devices keep their identities and databases (required; kept for the next run)")
	n := fs.Int("devices", 100, "how many devices to simulate")
	slots := fs.Int("slots", 1, "tasks each device runs at once")
	taskTime := fs.Duration("task-time", time.Second, "how long a task runs, unless its args say sleep=DURATION")
	out := fs.Int("output-bytes", 100, "how many bytes a task writes to stdout, unless its args say out=N")
	spread := fs.Duration("start-over", 0, "spread the devices' starts over this long (default: all at once)")
	pow := fs.Bool("power", true, "give each device a power governor, as a real agent has by default: a status and a sample a second in each heartbeat (--power=false leaves them out)")
	cpuProfile := fs.String("cpuprofile", "", "write the simulator's own CPU profile to this file until it stops (go tool pprof FILE)")
	verbose := fs.Bool("v", false, "log every device's warnings and errors to stderr")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: hearth-sim --gateway HOST:PORT --token TOKEN --dir DIR [--devices N] [flags]\n\n"+
			"Runs N simulated devices (the real agent, a sandbox that only sleeps) against a gateway,\n"+
			"until interrupted: the load of `make bench-scale` (docs/scale.md).\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *gw == "" || *token == "" || *dir == "" {
		fmt.Fprintln(os.Stderr, "hearth-sim: --gateway, --token and --dir are required (--help)")
		os.Exit(2)
	}
	logger := slog.New(slog.DiscardHandler)
	if *verbose {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	stopProfile := func() {}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "hearth-sim: --cpuprofile:", err)
			os.Exit(2)
		}
		stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	sim, err := agentsim.Start(ctx, agentsim.Options{Gateway: *gw, Token: *token, Dir: *dir, Devices: *n, Slots: *slots,
		TaskTime: *taskTime, OutputBytes: *out, Start: *spread, Power: *pow, Logger: logger})
	if err != nil {
		fmt.Fprintln(os.Stderr, "hearth-sim:", err)
		os.Exit(1)
	}
	fmt.Printf("hearth-sim: %d devices running against %s (opened in %v); interrupt to stop\n", *n, *gw, time.Since(start).Round(time.Millisecond))
	<-ctx.Done()
	err = sim.Stop()
	stopProfile()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hearth-sim:", err)
		os.Exit(1)
	}
}
