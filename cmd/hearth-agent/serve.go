package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/agent/node"
	"github.com/hearth-home/hearth/internal/discovery"
	"github.com/hearth-home/hearth/sandbox"
	"github.com/hearth-home/hearth/store"
)

// serve builds the agent from its parts (agent/node, as hearth-gateway
// --dev does) and runs it until ctx ends.
func serve(ctx context.Context, s setup) error {
	log := s.logger
	cfg := node.Config{Agent: s.cfg, Discovery: &discovery.Config{Interfaces: s.ifaces, Logger: log.With("part", "mdns")}}
	if s.noMDNS {
		cfg.Discovery = nil
	}
	if cfg.Agent.Name == "" {
		cfg.Agent.Name = hostname()
	}
	var err error
	if cfg.Containers, err = s.oci.containers(ctx, cfg.Agent.DataDir, log); err != nil {
		return err
	}
	gov, err := s.power.governor("/", governorInterval(cfg.Containers), log.With("part", "power"))
	if err != nil {
		if cfg.Containers != nil {
			cfg.Containers.Close()
		}
		return err
	}
	if gov != nil {
		cfg.Governor = gov
		cfg.CPUCaps = wasmCaps(cfg.Agent.DataDir, log.With("part", "power"))
		if a := s.power.localAPI; a != "off" && a != "" {
			cfg.LocalAPI = func(ctx context.Context, g *governor.Governor) error {
				serveLocalAPI(ctx, a, g, log.With("part", "local-api"))
				return nil
			}
		}
	}
	n, err := node.Build(cfg)
	if err != nil {
		return dataDirHint(cfg.Agent.DataDir, err)
	}
	defer n.Close()
	return n.Run(ctx)
}

// governorInterval is how often the power governor acts: four times a
// second where changing a task's CPU cap is a cgroup write (wasm tasks,
// containers through runc alone), so that a burst of other work is followed
// within a quarter of a second; once a second where each change costs
// containerd a runc process (docs/power.md#benchmarks).
func governorInterval(containers node.ContainerRuntime) time.Duration {
	if q, ok := containers.(sandbox.QuickThrottler); containers == nil || ok && q.QuickThrottle() {
		return governor.QuickInterval
	}
	return governor.DefaultInterval
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
func hostname() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "hearth-agent"
	}
	return h
}
