package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/hearth-home/hearth/agent/governor"
	"github.com/hearth-home/hearth/agent/node"
	"github.com/hearth-home/hearth/internal/discovery"
	"github.com/hearth-home/hearth/store"
)

// serve builds the agent from its parts (agent/node, as hearth-gateway
// --dev does) and runs it until ctx ends.
func serve(ctx context.Context, s setup) error {
	log := s.logger
	cfg := node.Config{Agent: s.cfg, Discovery: &discovery.Config{Interfaces: s.ifaces, Logger: log.With("part", "mdns")}}
	if cfg.Agent.Name == "" {
		cfg.Agent.Name = hostname()
	}
	gov, err := s.power.governor("/", log.With("part", "power"))
	if err != nil {
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
	if cfg.Containers, err = s.oci.containers(ctx, cfg.Agent.DataDir, log); err != nil {
		if cfg.CPUCaps != nil {
			cfg.CPUCaps.Remove()
		}
		return err
	}
	n, err := node.Build(cfg)
	if err != nil {
		return dataDirHint(cfg.Agent.DataDir, err)
	}
	defer n.Close()
	return n.Run(ctx)
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
