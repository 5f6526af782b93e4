package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/gateway/dashboard"
)

func dashboardCmd() *command {
	return &command{
		name:    "dashboard",
		summary: "open the household's web dashboard in a browser",
		help: `Open the pool's web dashboard (devices, power over time, energy, jobs, market,
streams, updated live) in this computer's browser. The page is served here, on
loopback, and its calls go to the gateway over this CLI's pinned channel: no
certificate warning, no token to type. The address it opens carries a one-time
login, good for a minute, that becomes a session cookie; the admin token never
reaches the browser. It serves until Ctrl-C.

--no-open only prints that address. --lan prints a login link to the gateway's
own dashboard listener instead (for a phone: start the gateway with
--dashboard :7380; the browser asks once to accept its certificate, whose
fingerprint the link's line shows). --viewer prints the reusable, read-only link
of a wall display (remove dashboard-viewer.token from the gateway's data
directory and restart it to revoke it). docs/dashboard.md.`,
		example: "hearth dashboard\nhearth dashboard --no-open --listen 127.0.0.1:7381\nhearth dashboard --lan\nhearth dashboard --viewer",
		bind: func(c *cli, fs *flag.FlagSet) action {
			noOpen := fs.Bool("no-open", false, "print the address with its one-time login instead of opening a browser, and keep serving")
			listen := fs.String("listen", "127.0.0.1:0", "where to serve the page on this computer (loopback)")
			lan := fs.Bool("lan", false, "print a one-time login link to the gateway's own dashboard listener, and exit")
			viewer := fs.Bool("viewer", false, "print the gateway dashboard's reusable read-only link (a wall display), and exit")
			return func(ctx context.Context, _ []string) error {
				cl, err := c.client()
				if err != nil {
					return err
				}
				defer cl.Close()
				if *lan || *viewer {
					role := dashboard.RoleAdmin
					if *viewer {
						role = dashboard.RoleViewer
					}
					return c.dashboardLink(ctx, cl, role)
				}
				return c.dashboardServe(ctx, cl, *listen, !*noOpen)
			}
		},
	}
}

// dashboardServe serves the dashboard on this computer, its API calls
// forwarded to the gateway, and opens the browser on a one-time login.
func (c *cli) dashboardServe(ctx context.Context, cl *api.Admin, listen string, open bool) error {
	st, err := cl.Status(ctx) // fail here, not in the browser, when the gateway is away
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", listen, err)
	}
	if a, ok := ln.Addr().(*net.TCPAddr); !ok || !a.IP.IsLoopback() {
		ln.Close()
		return usageErrorf("--listen %s: the page serves the owner's rights without a password beyond its one-time login: it listens on loopback only (for other machines, start the gateway with --dashboard and use --lan)", listen)
	}
	srv := dashboard.New(dashboard.Config{API: dashboard.Forward(cl), Gateway: st.ID, Version: st.Version})
	url := "http://" + ln.Addr().String() + dashboard.LoginPath(srv.Ticket(dashboard.RoleAdmin))
	fmt.Fprintf(c.stdout, "Dashboard of gateway %s at %s\n%s\n(one-time login, good for a minute; Ctrl-C stops)\n", shortNode(st.ID), cl.Addr(), url)
	if open {
		if err := openBrowser(url); err != nil {
			fmt.Fprintf(c.stderr, "could not open a browser (%v): open the address above\n", err)
		}
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// dashboardLink prints a login link to the gateway's own listener, by the
// host this CLI reaches the gateway at.
func (c *cli) dashboardLink(ctx context.Context, cl *api.Admin, role string) error {
	link, err := cl.DashboardLogin(ctx, api.DashboardLoginRequest{Role: role})
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(cl.Addr())
	if err != nil {
		host = cl.Addr()
	}
	url := fmt.Sprintf("%s://%s%s", link.Scheme, net.JoinHostPort(host, fmt.Sprint(link.Port)), link.Path)
	fmt.Fprintln(c.stdout, url)
	switch {
	case link.Loopback && !isLoopbackHost(host):
		fmt.Fprintf(c.stderr, "note: the gateway's dashboard listens on %s, loopback only: the link works on the gateway's machine; start it with --dashboard :%d for the LAN, or run `hearth dashboard` without --lan\n", link.Listen, link.Port)
	case role == dashboard.RoleViewer:
		fmt.Fprintln(c.stderr, "(read-only and reusable: anyone with it sees the pool until the token is revoked)")
	default:
		fmt.Fprintln(c.stderr, "(one-time login, good for a minute)")
	}
	if link.Fingerprint != "" {
		fmt.Fprintf(c.stderr, "the browser asks once to accept the dashboard's certificate: check that its SHA-256 fingerprint is\n  %s\n", link.Fingerprint)
	}
	return nil
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// openBrowser opens url in the desktop's browser.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}
