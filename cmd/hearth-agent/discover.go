package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"sync/atomic"

	"github.com/hearth-home/hearth/internal/discovery"
	"github.com/hearth-home/hearth/internal/identity"
)

// gatewayFinder is the agent's Discover hook: it waits for a gateway
// announced over mDNS, the pinned one when a pin is known (an announced ID is
// only a hint; the TLS handshake proves it), and returns one of its
// addresses. Each call moves on to the next address, so that an address
// that proves unreachable is not tried forever.
func gatewayFinder(d func() *discovery.Discovery, log *slog.Logger) func(context.Context, identity.NodeID) (string, error) {
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
		addrs := dialable(p.Addrs)
		if len(addrs) == 0 {
			return "", fmt.Errorf("gateway %s announced no address this agent can dial", p.ID)
		}
		a := addrs[int(turn.Add(1)-1)%len(addrs)]
		addr := netip.AddrPortFrom(a, uint16(p.Port)).String()
		log.Debug("gateway found over mDNS", "id", p.ID, "name", p.Name, "addr", addr)
		return addr, nil
	}
}

// dialable drops IPv6 link-local addresses, which cannot be dialled without
// knowing their interface (mDNS records do not say).
func dialable(addrs []netip.Addr) []netip.Addr {
	var out []netip.Addr
	for _, a := range addrs {
		if a.Is6() && a.IsLinkLocalUnicast() && a.Zone() == "" {
			continue
		}
		out = append(out, a)
	}
	return out
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "hearth-agent"
	}
	return h
}
