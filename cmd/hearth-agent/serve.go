package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/hearth-home/hearth/agent"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/discovery"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/sandbox/wasm"
	"github.com/hearth-home/hearth/store"
)

// announcePort is the port in the agent's mDNS announcement. The agent
// listens on nothing, but DNS-SD records need a port; 9 is the discard
// service, where nothing answers. Browsers tell agents by their role.
const announcePort = 9

// serve builds the agent from its parts and runs it until ctx ends.
func serve(ctx context.Context, s setup) error {
	log := s.logger
	cfg := s.cfg
	gov, err := s.power.governor("/", log.With("part", "power"))
	if err != nil {
		return err
	}
	cfg.Governor = gov
	wcfg := wasm.Config{CacheDir: filepath.Join(cfg.DataDir, "wasm-cache"), Logger: log.With("part", "wasm")}
	if gov != nil {
		wcfg.CPUCaps = wasmCaps(cfg.DataDir, log.With("part", "power"))
	}
	rt, err := wasm.New(wcfg)
	if err != nil {
		return dataDirHint(cfg.DataDir, err)
	}
	defer rt.Close()
	if wcfg.CPUCaps != nil {
		defer wcfg.CPUCaps.Remove()
		// Each wasm task runs on a locked thread that holds one of Go's
		// processors even while the kernel holds the thread back for its
		// cap: one more processor per slot keeps the agent's own work
		// (heartbeats, the governor, the local API) from waiting on them.
		slots := cfg.Slots
		if slots <= 0 {
			slots = runtime.NumCPU()
		}
		runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + slots)
	}
	cfg.Runtimes = []sandbox.Runtime{rt}
	oci, err := s.oci.runtime(ctx, cfg.DataDir, log)
	if err != nil {
		return err
	}
	if oci != nil {
		defer oci.Close()
		cfg.Runtimes = append(cfg.Runtimes, oci)
	}

	// The agent's ID names it in the announcement, and the discovery hook
	// needs the Discovery: d is set before Run calls the hook.
	var d *discovery.Discovery
	if cfg.Gateway == "" {
		find := gatewayFinder(func() *discovery.Discovery { return d }, log)
		cfg.Discover = find
	}
	a, err := agent.New(cfg)
	if err != nil {
		return dataDirHint(cfg.DataDir, err)
	}
	defer a.Close()
	name := cfg.Name
	if name == "" {
		name = hostname()
	}
	d = discovery.New(discovery.Config{Interfaces: s.ifaces, Logger: log.With("part", "mdns")}, discovery.Announcement{
		ID: a.ID().String(), Role: discovery.RoleAgent, Arch: agent.Arch(), Proto: api.ProtocolVersion,
		Name: truncate(name, 100), Port: announcePort,
	})

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	if gov != nil {
		wg.Add(1)
		go func() { defer wg.Done(); gov.Run(ctx) }()
		if a := s.power.localAPI; a != "off" && a != "" {
			wg.Add(1)
			go func() { defer wg.Done(); serveLocalAPI(ctx, s.power.localAPI, gov, log.With("part", "local-api")) }()
		}
	}
	var discoveryErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		err := d.Run(ctx)
		if err == nil {
			return
		}
		if cfg.Gateway != "" {
			log.Warn("mDNS unavailable; the agent does not announce itself, and reaches the gateway through --join only", "err", err)
			return
		}
		discoveryErr = err
		cancel() // without mDNS and without --join the gateway cannot be found
	}()
	err = a.Run(ctx)
	cancel()
	wg.Wait()
	if discoveryErr != nil {
		return fmt.Errorf("cannot look for the gateway: %w", discoveryErr)
	}
	return err
}

// dataDirHint explains the usual reasons an agent cannot open its state.
func dataDirHint(dir string, err error) error {
	switch {
	case errors.Is(err, store.ErrLocked):
		return fmt.Errorf("%w: another hearth-agent uses %s; stop it, or give this one its own --data-dir", err, dir)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%w: run as a user who may write %s, or choose a directory you own with --data-dir", err, dir)
	}
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n-- // do not cut a UTF-8 sequence
	}
	return s[:n]
}
