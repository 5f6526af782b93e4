package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/hearth-home/hearth/agent"
	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/agent/node"
	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/internal/cpucap"
	"github.com/hearth-home/hearth/internal/mosquitto"
	"github.com/hearth-home/hearth/internal/registry"
	"github.com/hearth-home/hearth/power"
	"github.com/hearth-home/hearth/power/sensor"
	"github.com/hearth-home/hearth/sandbox/containerd"
	"github.com/hearth-home/hearth/sandbox/runc"
	"golang.org/x/sync/errgroup"
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
	broker, streamsNote := devBroker(&o, logger)
	if broker != nil {
		defer broker.Stop()
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
	// The agent is built as hearth-agent builds it (agent/node), without
	// mDNS: it knows the gateway's address.
	ncfg := node.Config{Agent: agent.Config{
		DataDir:   agentDir,
		Name:      hostname() + "-dev",
		Gateway:   g.Addr().String(),
		JoinToken: g.JoinToken().String(),
		Version:   version,
		Logger:    logger.With("part", "agent"),
	}}
	ncfg.Governor, ncfg.CPUCaps = devGovernor(logger.With("part", "power"))
	oci, ociNote := devContainerd(ctx, agentDir, cfg.Registry, logger)
	if oci != nil {
		ncfg.Containers = oci
	}
	a, err := node.Build(ncfg)
	if err != nil {
		g.Close()
		return err
	}
	defer a.Close()
	runMetrics, metricsNote, err := startMetrics(g, o)
	if err != nil {
		g.Close()
		return err
	}
	dash, err := startDashboard(g, o, o.dataDir, logger.With("part", "dashboard"))
	if err != nil {
		g.Close()
		return err
	}
	dashNote := dash.where
	if dash.login != nil {
		dashNote = dash.login() + "\n                (a one-time login, good for 15 minutes; `hearth dashboard` opens a new one)"
	}
	runStorage, storageNote, err := startStorage(g, o, o.dataDir, logger.With("part", "storage"))
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
  streams:      %s
  metrics:      %s
  dashboard:    %s
  backups:      %s
Try:  hearth job submit examples/vanity/job.yaml --wait
      hearth market order post --app examples/vanity/vanity.wasm --tasks 4 --price-per-task 1000000 --wait
Stop: Ctrl-C
`, g.Addr(), g.ID(), o.dataDir, creds, ociNote, marketNote, streamsNote, metricsNote, dashNote, storageNote)

	// One errgroup supervises the parts: the first that fails, or stops
	// before Ctrl-C, ends them all, and its error is returned.
	grp, gctx := errgroup.WithContext(ctx)
	run := func(name string, f func(context.Context) error) {
		grp.Go(func() error {
			err := f(gctx)
			if err == nil && gctx.Err() == nil {
				err = errors.New("stopped")
			}
			if err != nil && gctx.Err() == nil {
				logger.Error(name+" stopped", "err", err)
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		})
	}
	if len(o.interfaces()) > 0 && !o.noMDNS {
		run("mdns", announcer(g, o, logger).Run)
	}
	run("agent", a.Run)
	if runMarket != nil {
		run("market", runMarket)
	}
	if runMetrics != nil {
		run("metrics", runMetrics)
	}
	if dash.run != nil {
		run("dashboard", dash.run)
	}
	if runStorage != nil {
		run("storage", runStorage)
	}
	run("gateway", g.Run)
	return grp.Wait()
}

// devBroker starts a mosquitto of the dev gateway's own on a free loopback
// port, with its state under the data dir, unless --mqtt names a broker;
// it says what the streams have in the banner's words.
func devBroker(o *options, logger *slog.Logger) (*mosquitto.Broker, string) {
	if o.mqtt != "" {
		server, _, _, _ := gateway.ParseMQTT(o.mqtt)
		return nil, "the broker at " + server + " (try: hearth stream deploy examples/streams/alert/stream.yaml)"
	}
	v, err := mosquitto.Version()
	if err != nil {
		logger.Info("no mosquitto: streams get no messages", "err", err)
		return nil, "off (install mosquitto: apt-get install mosquitto; or give --mqtt mqtt://host:1883)"
	}
	b, err := mosquitto.Start(filepath.Join(o.dataDir, "mosquitto"), 0)
	if err != nil {
		logger.Warn("mosquitto did not start: streams get no messages", "err", err)
		return nil, "off (mosquitto " + v + " did not start: " + err.Error() + ")"
	}
	o.mqtt = b.URL()
	return b, fmt.Sprintf("mosquitto %s at %s (try: hearth stream deploy examples/streams/alert/stream.yaml,\n                then mosquitto_pub -p %s -t sensors/kitchen -m '{\"temperature\": 30}')",
		v, b.Addr(), b.Addr()[strings.LastIndexByte(b.Addr(), ':')+1:])
}

// devContainerd connects the embedded agent to containerd when its socket
// ($HEARTH_CONTAINERD_SOCKET, else the system's) answers, else runs
// containers through runc alone when it is installed (and this is root),
// and says which.
func devContainerd(ctx context.Context, agentDir string, reg registry.Options, logger *slog.Logger) (node.ContainerRuntime, string) {
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
		if os.Geteuid() != 0 {
			logger.Info("no containerd: the dev agent runs wasm tasks only", "err", err)
			return nil, fmt.Sprintf("off: no containerd at %s, and runc needs root (oci jobs need containerd or runc, and root; wasm jobs run)", socket)
		}
		rr, rerr := runc.New(runc.Config{Namespace: "hearth-dev", StateDir: filepath.Join(agentDir, "runc"), Logger: logger.With("part", "runc")})
		if rerr != nil {
			logger.Info("no containerd and no runc: the dev agent runs wasm tasks only", "containerd", err, "runc", rerr)
			return nil, fmt.Sprintf("off: no containerd at %s and no runc (apt-get install runc for oci jobs; wasm jobs run)", socket)
		}
		return rr, fmt.Sprintf("runc alone (no containerd at %s), platforms %s (oci jobs run too: examples/vanity/job-oci.yaml)",
			socket, strings.Join(rr.Platforms(), " "))
	}
	return rt, fmt.Sprintf("containerd at %s, platforms %s (oci jobs run too: examples/vanity/job-oci.yaml)",
		socket, strings.Join(rt.Platforms(), " "))
}

// The gateway binary is also the dev agent's container init and logger,
// and its runc task monitor (see containerd.Reexec, runc.Reexec).
func init() {
	containerd.Reexec()
	runc.Reexec()
}

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
