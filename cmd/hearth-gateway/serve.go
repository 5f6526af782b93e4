package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"strconv"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/discovery"
	"golang.org/x/sync/errgroup"
)

func initCmd(o options, stdout io.Writer) error {
	logger, err := o.logger(io.Discard)
	if err != nil {
		return err
	}
	cfg := o.config(logger)
	creds, token, path, err := gateway.Init(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, `Gateway ID:   %s
Join token:   %s
Credentials:  %s (mode 0600: whoever holds it owns the pool)

Next:
  start the gateway:  hearth-gateway --data-dir %s
  on each device:     hearth-agent --token %s
  (or start agents without a token and approve them: hearth pool approve <ID>)
  use the CLI here:   mkdir -p ~/.config/hearth && cp %s ~/.config/hearth/credentials.json
`, creds.GatewayID, token, path, cfg.DataDir, token, path)
	return nil
}

// serve runs a gateway and announces it over mDNS.
func serve(ctx context.Context, o options, stdout, stderr io.Writer) error {
	logger, err := o.logger(stderr)
	if err != nil {
		return err
	}
	g, err := gateway.New(o.config(logger))
	if err != nil {
		return err
	}
	path, err := g.WriteCredentials()
	if err != nil {
		g.Close()
		return err
	}
	logger.Info("gateway ready", "id", g.ID().String(), "join_token", g.JoinToken().String(), "credentials", path)
	// Metrics first: they fail (a port taken) without anything to undo;
	// the market may have started a chain by then.
	runMetrics, metricsNote, err := startMetrics(g, o)
	if err != nil {
		g.Close()
		return err
	}
	runProfiler, err := startProfiler(o.pprof)
	if err != nil {
		g.Close()
		return err
	}
	dash, err := startDashboard(g, o, o.config(logger).DataDir, logger.With("part", "dashboard"))
	if err != nil {
		g.Close()
		return err
	}
	runStorage, storageNote, err := startStorage(g, o, o.config(logger).DataDir, logger.With("part", "storage"))
	if err != nil {
		g.Close()
		return err
	}
	runMarket, note, err := startMarket(ctx, g, o, logger.With("part", "market"))
	if err != nil {
		g.Close()
		return err
	}
	// One errgroup supervises the parts. The gateway is the product: its
	// end ends the others. mDNS and the market failing are logged and the
	// gateway goes on (agents can --join; the pool works off the market).
	grp, gctx := errgroup.WithContext(ctx)
	if !o.noMDNS {
		d := announcer(g, o, logger)
		grp.Go(func() error {
			if err := d.Run(gctx); err != nil {
				logger.Error("mDNS discovery stopped; agents need --join "+g.Addr().String(), "err", err)
			}
			return nil
		})
	}
	if runMetrics != nil {
		logger.Info("metrics", "where", metricsNote)
		grp.Go(func() error {
			if err := runMetrics(gctx); err != nil {
				logger.Error("metrics stopped", "err", err)
			}
			return nil
		})
	}
	if runProfiler != nil {
		logger.Info("profiler", "where", "http://"+o.pprof+"/debug/pprof/")
		grp.Go(func() error { return runProfiler(gctx) })
	}
	logger.Info("dashboard", "where", dash.where)
	logger.Info("backup storage", "where", storageNote)
	if runStorage != nil {
		grp.Go(func() error {
			if err := runStorage(gctx); err != nil {
				logger.Error("backup storage stopped", "err", err)
			}
			return nil
		})
	}
	if dash.run != nil {
		grp.Go(func() error {
			if err := dash.run(gctx); err != nil {
				logger.Error("dashboard stopped", "err", err)
			}
			return nil
		})
	}
	if runMarket != nil {
		logger.Info("market", "where", note)
		grp.Go(func() error {
			if err := runMarket(gctx); err != nil {
				logger.Error("market stopped", "err", err)
			}
			return nil
		})
	}
	grp.Go(func() error {
		err := g.Run(gctx)
		if err == nil {
			err = errGatewayStopped // ends the others; Wait's caller sees nil below
		}
		return err
	})
	if err := grp.Wait(); err != errGatewayStopped {
		return err
	}
	return nil
}

// errGatewayStopped ends serve's other parts when the gateway's Run
// returns without an error.
var errGatewayStopped = errors.New("gateway stopped")

// announcer announces the gateway over mDNS (and browses, as every node
// does, so that neighbours show up in the logs).
func announcer(g *gateway.Gateway, o options, logger *slog.Logger) *discovery.Discovery {
	_, port, _ := net.SplitHostPort(g.Addr().String())
	p, _ := strconv.Atoi(port)
	self := discovery.Announcement{ID: g.ID().String(), Role: discovery.RoleGateway, Arch: runtime.GOARCH,
		Proto: api.ProtocolVersion, Name: hostname(), Port: p}
	return discovery.New(discovery.Config{Interfaces: o.interfaces(), Logger: logger.With("part", "mdns")}, self)
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "gateway"
	}
	return h
}
