// Package node builds a Hearth device from its parts, in one place for
// both hearth-agent and the agent inside hearth-gateway --dev: the agent,
// its wasm runtime (with CPU caps when the power governor has them), a
// container runtime when one is given, the power governor, the local API
// and mDNS discovery, and runs them under one errgroup.
package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"path/filepath"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/hearth-home/hearth/agent"
	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/cpucap"
	"github.com/hearth-home/hearth/internal/discovery"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/wasm"
)

// AnnouncePort is the port in an agent's mDNS announcement. The agent
// listens on nothing, but DNS-SD records need a port; 9 is the discard
// service, where nothing answers. Browsers tell agents by their role.
const AnnouncePort = 9

// ContainerRuntime is a container runtime the node closes when it closes.
type ContainerRuntime interface {
	sandbox.Runtime
	io.Closer
}

// Config names a node's parts. Only Agent is required.
type Config struct {
	// Agent configures the agent; Build sets its Runtimes, Governor and
	// (with Discovery and no Agent.Gateway) Discover.
	Agent agent.Config

	// Governor manages the device's power; nil: none.
	Governor *governor.Governor

	// CPUCaps caps the threads of wasm tasks for the governor; nil: the
	// governor holds them back by leasing less. Close removes them.
	CPUCaps *cpucap.Caps

	// Containers is a container runtime, or nil for wasm only. Close
	// closes it.
	Containers ContainerRuntime

	// Discovery, when not nil, announces the agent over mDNS and, when
	// Agent.Gateway is empty, finds the gateway there.
	Discovery *discovery.Config

	// LocalAPI serves programs on the device while the node runs (with
	// the governor); nil: none. It returns nil when ctx ends, and an error
	// only for what must stop the node.
	LocalAPI func(ctx context.Context, g *governor.Governor) error
}

// Node is a built device.
type Node struct {
	*agent.Agent
	cfg   Config
	wasm  *wasm.Runtime
	disc  *discovery.Discovery
	log   *slog.Logger
	close []func() error
}

// Build makes the node's parts: the wasm runtime (its compile cache in the
// data directory), the agent, and the discovery. On error what was made is
// closed, and the error says what to do where it can.
func Build(cfg Config) (n *Node, err error) {
	acfg := cfg.Agent
	log := acfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if acfg.DataDir == "" {
		acfg.DataDir = agent.DefaultDataDir()
	}
	n = &Node{cfg: cfg, log: log}
	defer func() {
		if err != nil {
			n.Close()
		}
	}()
	if cfg.Containers != nil {
		n.close = append(n.close, cfg.Containers.Close)
	}
	if cfg.CPUCaps != nil {
		n.close = append(n.close, cfg.CPUCaps.Remove)
		// Each wasm task runs on a locked thread that holds one of Go's
		// processors even while the kernel holds the thread back for its
		// cap: one more processor per slot keeps the agent's own work
		// (heartbeats, the governor, the local API) from waiting on them.
		slots := acfg.Slots
		if slots <= 0 {
			slots = runtime.NumCPU()
		}
		runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + slots)
	}
	n.wasm, err = wasm.New(wasm.Config{
		CacheDir: filepath.Join(acfg.DataDir, "wasm-cache"), Logger: log.With("part", "wasm"), CPUCaps: cfg.CPUCaps})
	if err != nil {
		return nil, err
	}
	n.close = append(n.close, n.wasm.Close)
	acfg.Runtimes = []sandbox.Runtime{n.wasm}
	if cfg.Containers != nil {
		acfg.Runtimes = append(acfg.Runtimes, cfg.Containers)
	}
	acfg.Governor = cfg.Governor
	if cfg.Discovery != nil && acfg.Gateway == "" {
		// The finder needs the Discovery, which needs the agent's ID:
		// n.disc is set before the agent runs and calls it.
		acfg.Discover = GatewayFinder(func() *discovery.Discovery { return n.disc }, log)
	}
	if n.Agent, err = agent.New(acfg); err != nil {
		return nil, err
	}
	n.close = append(n.close, n.Agent.Close)
	if cfg.Discovery != nil {
		dcfg := *cfg.Discovery
		if dcfg.Logger == nil {
			dcfg.Logger = log.With("part", "mdns")
		}
		n.disc = discovery.New(dcfg, discovery.Announcement{
			ID: n.ID().String(), Role: discovery.RoleAgent, Arch: agent.Arch(), Proto: api.ProtocolVersion,
			Name: truncate(acfg.Name, 100), Port: AnnouncePort,
		})
	}
	return n, nil
}

// ErrNoDiscovery wraps the discovery's error when mDNS cannot run and
// nothing else says where the gateway is.
var ErrNoDiscovery = errors.New("cannot look for the gateway")

// Run runs every part until ctx ends or one fails, and returns the first
// failure (nil after ctx ended). Discovery that cannot run is logged and
// left out when the agent knows its gateway's address, and otherwise ends
// the node with ErrNoDiscovery.
func (n *Node) Run(parent context.Context) error {
	g, ctx := errgroup.WithContext(parent)
	if gov := n.cfg.Governor; gov != nil {
		g.Go(func() error { return gov.Run(ctx) })
		if n.cfg.LocalAPI != nil {
			g.Go(func() error { return n.cfg.LocalAPI(ctx, gov) })
		}
	}
	if n.disc != nil {
		g.Go(func() error {
			err := n.disc.Run(ctx)
			switch {
			case err == nil:
				return nil
			case n.cfg.Agent.Gateway != "":
				n.log.Warn("mDNS unavailable; the agent does not announce itself, and reaches the gateway through --join only", "err", err)
				return nil
			}
			return fmt.Errorf("%w: %w", ErrNoDiscovery, err)
		})
	}
	g.Go(func() error {
		err := n.Agent.Run(ctx)
		if err == nil && ctx.Err() == nil {
			err = errors.New("the agent stopped")
		}
		return err
	})
	err := g.Wait()
	if errors.Is(err, context.Canceled) && parent.Err() != nil {
		return nil
	}
	return err
}

// Discovery is the node's, or nil without mDNS.
func (n *Node) Discovery() *discovery.Discovery { return n.disc }

// Close closes the parts in the reverse order of their making.
func (n *Node) Close() error {
	var errs []error
	for i := len(n.close) - 1; i >= 0; i-- {
		errs = append(errs, n.close[i]())
	}
	n.close = nil
	return errors.Join(errs...)
}

// GatewayFinder is the agent's Discover hook: it waits for a gateway
// announced over mDNS, the pinned one when a pin is known (an announced ID is
// only a hint; the TLS handshake proves it), and returns one of its
// addresses. Each call moves on to the next address, so that an address
// that proves unreachable is not tried forever.
func GatewayFinder(d func() *discovery.Discovery, log *slog.Logger) func(context.Context, identity.NodeID) (string, error) {
	var turn atomic.Uint64
	return func(ctx context.Context, want identity.NodeID) (string, error) {
		p, err := d().Wait(ctx, func(p discovery.Peer) bool {
			if p.Role != discovery.RoleGateway {
				return false
			}
			if want.IsZero() {
				return true
			}
			id, err := identity.ParseNodeID(p.ID)
			return err == nil && id == want
		})
		if err != nil {
			return "", err
		}
		addrs := Dialable(p.Addrs)
		if len(addrs) == 0 {
			return "", fmt.Errorf("gateway %s announced no address this agent can dial", p.ID)
		}
		a := addrs[int(turn.Add(1)-1)%len(addrs)]
		addr := netip.AddrPortFrom(a, uint16(p.Port)).String()
		log.Debug("gateway found over mDNS", "id", p.ID, "name", p.Name, "addr", addr)
		return addr, nil
	}
}

// Dialable drops IPv6 link-local addresses, which cannot be dialled without
// knowing their interface (mDNS records do not say).
func Dialable(addrs []netip.Addr) []netip.Addr {
	var out []netip.Addr
	for _, a := range addrs {
		if a.Is6() && a.IsLinkLocalUnicast() && a.Zone() == "" {
			continue
		}
		out = append(out, a)
	}
	return out
}

// truncate cuts s to at most n bytes, not inside a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
