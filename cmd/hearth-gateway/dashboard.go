package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/dashboard"
	"github.com/hearth-home/hearth/internal/atomicfile"
	"github.com/hearth-home/hearth/internal/webcert"
)

// defaultDashboard is where the dashboard listens unless --dashboard says
// otherwise: loopback, plain HTTP. When that port is taken (a second
// gateway on the machine), a free loopback port is used and said.
const defaultDashboard = "127.0.0.1:7380"

// devTicketTTL is how long the login link of --dev's banner is good for.
const devTicketTTL = 15 * time.Minute

// dashboardRun is a started dashboard: run serves it until ctx ends; where
// says where for the banner and the log; login is a one-time login link
// for the banner of --dev.
type dashboardRun struct {
	run   func(context.Context) error
	where string
	login func() string
}

// startDashboard listens for the dashboard on --dashboard (default
// defaultDashboard): plain HTTP on loopback, TLS with a P-256 certificate
// of its own on any other address. It wires POST /v1/dashboard/login
// (hearth dashboard --lan, --viewer) to it. "off" turns it off.
func startDashboard(g *gateway.Gateway, o options, dataDir string, logger *slog.Logger) (*dashboardRun, error) {
	addr := o.dashboard
	if addr == "off" {
		return &dashboardRun{where: "off (--dashboard 127.0.0.1:7380 serves it)"}, nil
	}
	if addr == "" {
		addr = defaultDashboard
	}
	ln, err := listenDefault(addr, o.dashboard != "")
	if err != nil {
		return nil, fmt.Errorf("--dashboard %s: %w (\"off\" turns the dashboard off)", addr, err)
	}
	tcp := ln.Addr().(*net.TCPAddr)
	extra := o.dashboardHosts()
	if h, _, err := net.SplitHostPort(o.advertise); err == nil && h != "" {
		extra = append(extra, h) // the name the CLI reaches the gateway by
	}
	hosts := dashboardHosts(tcp, extra)
	viewer, err := viewerToken(filepath.Join(dataDir, "dashboard-viewer.token"))
	if err != nil {
		ln.Close()
		return nil, err
	}
	cfg := dashboard.Config{API: g.OwnerAPI(), Hosts: hosts, ViewerToken: viewer, Gateway: g.ID().String(),
		Version: version, Logger: logger}
	scheme, fp := "http", ""
	if !tcp.IP.IsLoopback() {
		cert, f, err := webcert.Certificate(dataDir, hosts)
		if err != nil {
			ln.Close()
			return nil, err
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		scheme, fp, cfg.Secure = "https", f, true
	}
	srv := dashboard.New(cfg)
	port := tcp.Port
	base := fmt.Sprintf("%s://%s", scheme, net.JoinHostPort(urlHost(tcp), fmt.Sprint(port)))
	g.SetDashboardLogin(func(role string) (api.DashboardLink, error) {
		link := api.DashboardLink{Scheme: scheme, Listen: ln.Addr().String(), Port: port, Loopback: tcp.IP.IsLoopback(), Fingerprint: fp}
		if role == dashboard.RoleViewer {
			link.Path = "/login?viewer=" + viewer
		} else {
			link.Path = dashboard.LoginPath(srv.Ticket(dashboard.RoleAdmin))
		}
		return link, nil
	})
	where := base + " (`hearth dashboard` opens it)"
	if fp != "" {
		where = base + " (TLS certificate SHA-256 " + fp + ")"
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelDebug)}
	return &dashboardRun{
		where: where,
		login: func() string { return base + dashboard.LoginPath(srv.TicketFor(dashboard.RoleAdmin, devTicketTTL)) },
		// Live views stay open at shutdown: closed after 2 s.
		run: func(ctx context.Context) error { return serveUntil(ctx, hs, ln, 2*time.Second) },
	}, nil
}

// urlHost is the host a link to the listener names: loopback for a
// loopback or unspecified address, else the address.
func urlHost(a *net.TCPAddr) string {
	if a.IP.IsUnspecified() {
		return "127.0.0.1"
	}
	return a.IP.String()
}

// dashboardHosts are the names a request's Host may carry and the TLS
// certificate names: the listen address (every address of the machine
// when it is unspecified), the host name and its .local name, and
// --dashboard-host.
func dashboardHosts(a *net.TCPAddr, extra []string) []string {
	var hosts []string
	if a.IP.IsUnspecified() {
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, ad := range addrs {
				if ipn, ok := ad.(*net.IPNet); ok && !ipn.IP.IsLoopback() && !ipn.IP.IsLinkLocalUnicast() {
					hosts = append(hosts, ipn.IP.String())
				}
			}
		}
	} else if !a.IP.IsLoopback() {
		hosts = append(hosts, a.IP.String())
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		hosts = append(hosts, strings.ToLower(h), strings.ToLower(h)+".local")
	}
	return append(hosts, extra...)
}

// viewerToken reads the dashboard's viewer token from path, or makes one:
// the reusable read-only login of a wall display. Removing the file and
// restarting the gateway revokes it.
func viewerToken(path string) (string, error) {
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return strings.TrimSpace(string(b)), nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("dashboard viewer token: %w", err)
	}
	tok := dashboard.NewToken()
	if err := atomicfile.WriteFile(path, []byte(tok+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("dashboard viewer token: %w", err)
	}
	return tok, nil
}
