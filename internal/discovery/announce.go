package discovery

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"

	"github.com/grandcat/zeroconf"
	"github.com/miekg/dns"
)

// maxAddrs bounds the addresses announced, so that an answer fits one
// Ethernet frame.
const maxAddrs = 16

// announcer answers for this node through zeroconf's server, and browses
// through its watcher.
type announcer struct {
	d                   *Discovery
	service, inst, host string // the PTR, SRV/TXT and A/AAAA owner names

	mu     sync.Mutex
	server *zeroconf.Server
	watch  *watcher
}

// start announces this node on l and starts watching l.
//
// zeroconf's server probes (two queries carrying its records, 0-250 ms
// apart), then announces twice, one and two seconds later (RFC 6762 8.3),
// and answers every query for the service, its instance or the DNS-SD
// meta-service, unless the query already lists its PTR.
func (a *announcer) start(l links) error {
	self, cfg := a.d.self, a.d.cfg
	label := instanceLabel(self)
	domain := strings.TrimSuffix(cfg.Domain, ".")
	a.service = dns.Fqdn(cfg.Service + "." + domain)
	a.inst = label + "." + a.service
	a.host = dns.Fqdn(label + "." + domain)
	addrs := l.addrs
	if len(addrs) > maxAddrs {
		a.d.log.Warn("discovery: announcing only some addresses", "announced", addrs[:maxAddrs], "left_out", len(addrs)-maxAddrs)
		addrs = addrs[:maxAddrs]
	}
	ips := make([]string, len(addrs))
	for i, ip := range addrs {
		ips[i] = ip.String()
	}
	txt := self.txt()
	for i := range txt {
		txt[i] = escapeTXT(txt[i])
	}

	w, err := newWatcher(a.d, a.service, l)
	if err != nil {
		return fmt.Errorf("discovery: listening on %v: %w", l.names(), err)
	}
	// The host name is this process's instance label, not the system's
	// host name: two nodes on one host (or in namespaces that share a
	// UTS name) must never answer for one name.
	srv, err := zeroconf.RegisterProxy(label, cfg.Service, domain, self.Port, label, ips, txt, l.ifaces)
	if err != nil {
		w.close()
		return fmt.Errorf("discovery: announcing on %v: %w", l.names(), err)
	}
	a.mu.Lock()
	a.server, a.watch = srv, w
	a.mu.Unlock()
	a.d.log.Debug("discovery: announcing", "instance", label, "addrs", addrs, "mdns", w.conn.families())
	return nil
}

// query sends one browse query on the watcher's socket.
func (a *announcer) query() error {
	a.mu.Lock()
	w := a.watch
	a.mu.Unlock()
	if w == nil {
		return nil
	}
	return w.query()
}

// stop says goodbye (zeroconf's server sends its records with TTL 0 as it
// shuts down) and closes the sockets.
func (a *announcer) stop() {
	a.mu.Lock()
	srv, w := a.server, a.watch
	a.server, a.watch = nil, nil
	a.mu.Unlock()
	if srv != nil {
		srv.Shutdown()
	}
	if w != nil {
		w.close()
	}
}

// addrOf turns an IP from a record into a netip.Addr.
func addrOf(ip []byte) (netip.Addr, bool) {
	a, ok := netip.AddrFromSlice(ip)
	return a.Unmap(), ok
}
