package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/hearth-home/hearth/agent"
	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/internal/cpucap"
	"github.com/hearth-home/hearth/internal/registry"
	"github.com/hearth-home/hearth/power"
	"github.com/hearth-home/hearth/power/sensor"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/containerd"
	"github.com/hearth-home/hearth/sandbox/wasm"
)

// runDev runs the embedded default: a gateway on loopback with an agent in
// the same process, state under the user's state dir, and the credentials
// where the CLI looks for them. No mDNS unless --iface names interfaces,
// because announcing a development box on the LAN is a surprise.
func runDev(ctx context.Context, o options, stdout, stderr io.Writer) error {
	logger, err := o.logger(stderr)
	if err != nil {
		return err
	}
	if o.dataDir == "" {
		o.dataDir = stateDir("dev")
	}
	if o.listen == "" {
		o.listen = "127.0.0.1:7443"
	}
	cfg := o.config(logger.With("part", "gateway"))
	g, err := gateway.New(cfg)
	if err != nil {
		return err
	}
	creds, err := g.WriteCredentials()
	if err != nil {
		g.Close()
		return err
	}
	agentDir := filepath.Join(o.dataDir, "agent")
	gov, caps := devGovernor(logger.With("part", "power"))
	if caps != nil {
		defer caps.Remove()
		// A capped wasm task's thread holds a Go processor while the
		// kernel holds it back: one more per slot (as hearth-agent does).
		runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + runtime.NumCPU())
	}
	rt, err := wasm.New(wasm.Config{CacheDir: filepath.Join(agentDir, "wasm-cache"), Logger: logger.With("part", "wasm"), CPUCaps: caps})
	if err != nil {
		g.Close()
		return err
	}
	runtimes := []sandbox.Runtime{rt}
	oci, ociNote := devContainerd(ctx, agentDir, cfg.Registry, logger)
	if oci != nil {
		defer oci.Close()
		runtimes = append(runtimes, oci)
	}
	a, err := agent.New(agent.Config{
		DataDir:   agentDir,
		Name:      hostname() + "-dev",
		Gateway:   g.Addr().String(),
		JoinToken: g.JoinToken().String(),
		Runtimes:  runtimes,
		Governor:  gov,
		Version:   version,
		Logger:    logger.With("part", "agent"),
	})
	if err != nil {
		g.Close()
		return err
	}
	runMarket, marketNote, err := startMarket(ctx, g, o, logger.With("part", "market"))
	if err != nil {
		g.Close()
		return fmt.Errorf("dev market: %w (--no-market runs without it)", err)
	}
	if runMarket == nil {
		marketNote = "off"
	}
	fmt.Fprintf(stdout, `Hearth dev gateway on %s with one agent inside.
  gateway ID:   %s
  data:         %s
  credentials:  %s (the hearth CLI finds them by itself)
  containers:   %s
  market:       %s
Try:  hearth job submit examples/vanity/job.yaml --wait
      hearth market order post --app examples/vanity/vanity.wasm --tasks 4 --price-per-task 1000000 --wait
Stop: Ctrl-C
`, g.Addr(), g.ID(), o.dataDir, creds, ociNote, marketNote)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	run := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil {
				logger.Error(name+" stopped", "err", err)
			}
			cancel() // one part ending ends the whole
		}()
	}
	if len(o.interfaces()) > 0 && !o.noMDNS {
		run("mdns", announcer(g, o, logger).Run)
	}
	if gov != nil {
		wg.Add(1)
		go func() { defer wg.Done(); gov.Run(ctx) }()
	}
	run("agent", a.Run)
	if runMarket != nil {
		run("market", runMarket)
	}
	err = g.Run(ctx)
	cancel()
	wg.Wait()
	return err
}

// devContainerd connects the embedded agent to containerd when its socket
// ($HEARTH_CONTAINERD_SOCKET, else the system's) answers, and says which.
func devContainerd(ctx context.Context, agentDir string, reg registry.Options, logger *slog.Logger) (*containerd.Runtime, string) {
	socket := os.Getenv(containerd.SocketEnv)
	if socket == "" {
		socket = containerd.DefaultSocket
	}
	rt, err := containerd.New(ctx, containerd.Config{
		Socket:    socket,
		Namespace: "hearth-dev",
		StateDir:  filepath.Join(agentDir, "containerd"),
		Registry:  reg,
		Logger:    logger.With("part", "containerd"),
	})
	if err != nil {
		logger.Info("no containerd: the dev agent runs wasm tasks only", "err", err)
		return nil, fmt.Sprintf("off: no containerd at %s (oci jobs need containerd and root; wasm jobs run)", socket)
	}
	return rt, fmt.Sprintf("containerd at %s, platforms %s (oci jobs run too: examples/vanity/job-oci.yaml)",
		socket, strings.Join(rt.Platforms(), " "))
}

// The gateway binary is also the dev agent's container init and logger
// (see containerd.Reexec).
func init() { containerd.Reexec() }

// devGovernor is the dev agent's power governor: this machine's board
// profile (generic on a PC), no budget until the owner sets one with
// `hearth pool budget`, and CPU caps for wasm tasks where the system
// allows them (root, cgroup cpu controller). Nil when no model fits.
func devGovernor(log *slog.Logger) (*governor.Governor, *cpucap.Caps) {
	model, err := power.NewModel(power.ForModel(sensor.BoardModel("/")), runtime.NumCPU())
	if err != nil {
		log.Warn("no power governor in the dev agent", "err", err)
		return nil, nil
	}
	meters, _ := sensor.Meters("/", sensor.Options{})
	g, err := governor.New(governor.Config{Model: model, Meters: meters, Logger: log})
	if err != nil {
		log.Warn("no power governor in the dev agent", "err", err)
		return nil, nil
	}
	caps, err := cpucap.New(fmt.Sprintf("hearth-wasm-dev-%d", os.Getpid()))
	if err != nil {
		log.Info("wasm tasks of the dev agent run without CPU caps: power budgets hold them back by leasing less", "err", err)
		caps = nil
	}
	return g, caps
}
