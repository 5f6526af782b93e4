package main

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/hearth-home/hearth/gateway"
)

// devMetrics is where --dev serves its metrics unless --metrics says
// otherwise (a free port when that one is taken).
const devMetrics = "127.0.0.1:7390"

// startMetrics listens for Prometheus on --metrics (with --dev, by
// default on devMetrics) and returns the function that serves /metrics
// until ctx ends, with a line saying where for the banner and the log; a
// nil function when metrics are off.
func startMetrics(g *gateway.Gateway, o options) (func(context.Context) error, string, error) {
	addr := o.metrics
	if addr == "" && o.dev {
		addr = devMetrics
	}
	if addr == "" || addr == "off" {
		return nil, "off (--metrics 127.0.0.1:7390 serves them)", nil
	}
	ln, err := listenDefault(addr, o.metrics != "") // --dev's default may be taken
	if err != nil {
		return nil, "", fmt.Errorf("--metrics %s: %w", addr, err)
	}
	if a, ok := ln.Addr().(*net.TCPAddr); o.metricsToken == "" && (!ok || !a.IP.IsLoopback()) {
		ln.Close()
		return nil, "", fmt.Errorf("--metrics %s: an address other than loopback needs --metrics-token-file (the home's metrics would be open to the network)", addr)
	}
	where := "http://" + ln.Addr().String() + "/metrics (Prometheus)"
	if o.metricsToken != "" {
		where += ", bearer token from --metrics-token-file"
	}
	return func(ctx context.Context) error {
		err := g.ServeMetrics(ctx, ln, o.metricsToken)
		if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
			return nil
		}
		return err
	}, where, nil
}
