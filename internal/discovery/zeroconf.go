package discovery

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/grandcat/zeroconf"
)

// announcer answers queries for this node through a zeroconf server.
type announcer struct {
	d       *Discovery
	server  *zeroconf.Server
	started time.Time
}

// minServerLife is how long a zeroconf server lives at least. Its receive
// goroutines call WaitGroup.Add from inside themselves, so a Shutdown that
// follows RegisterProxy too closely races with them (the race detector
// reports it) and may leave them behind.
const minServerLife = 100 * time.Millisecond

// start registers with explicit addresses: zeroconf.Register would look up
// the host's addresses itself and fails where only loopback ones exist.
func (a *announcer) start(l links) error {
	self := a.d.self
	label := instanceLabel(self)
	ips := make([]string, len(l.addrs))
	for i, ip := range l.addrs {
		ips[i] = ip.String()
	}
	s, err := zeroconf.RegisterProxy(label, a.d.cfg.Service, a.d.cfg.Domain, self.Port, label, ips, self.txt(), l.ifaces)
	if err != nil {
		return fmt.Errorf("discovery: announcing on %v: %w", l.names(), err)
	}
	a.server, a.started = s, time.Now()
	a.d.log.Debug("discovery: announcing", "instance", label, "ifaces", l.names(), "addrs", ips)
	return nil
}

// stop sends goodbye packets and closes the server's sockets.
func (a *announcer) stop() {
	if a.server != nil {
		time.Sleep(minServerLife - time.Since(a.started))
		a.server.Shutdown()
		a.server = nil
	}
}

// labelSafe replaces every run of characters other than ASCII letters,
// digits and '-' with sep. (A loop rather than regexp, which would cost the
// agent binary a quarter megabyte on ARM.)
func labelSafe(s, sep string) string {
	var b strings.Builder
	run := false
	for _, c := range s {
		if c < 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			b.WriteRune(c)
			run = false
		} else if !run {
			b.WriteString(sep)
			run = true
		}
	}
	return b.String()
}

// instanceLabel names this process's service instance and host in DNS: a
// readable prefix and the instance ID, since two processes must never share
// a name. Only letters, digits and hyphens, so nobody has to escape it.
func instanceLabel(a Announcement) string {
	name := labelSafe(a.Name, "-")
	if name == "" || name == "-" {
		name = "hearth"
	}
	inst := labelSafe(a.Instance, "")
	return fmt.Sprintf("%.30s-%.24s", name, inst)
}

// browser runs browse rounds. zeroconf's resolver fails as a whole when it
// cannot join the group of both IP versions, so the browser falls back to
// one version and remembers what worked.
type browser struct {
	d       *Discovery
	traffic zeroconf.IPType // what worked on the links of key; 0: unknown
	key     string
}

var trafficChoices = []zeroconf.IPType{zeroconf.IPv4AndIPv6, zeroconf.IPv4, zeroconf.IPv6}

var ipTypeNames = map[zeroconf.IPType]string{zeroconf.IPv4AndIPv6: "v4+v6", zeroconf.IPv4: "v4", zeroconf.IPv6: "v6"}

// round starts one browse that lasts until ctx ends; wg tracks the
// goroutine that drains its results.
func (b *browser) round(ctx context.Context, l links, wg *sync.WaitGroup) {
	res, err := b.resolver(l)
	if err != nil {
		b.d.warn("discovery: cannot browse", err)
		return
	}
	entries := make(chan *zeroconf.ServiceEntry)
	wg.Add(1)
	go func() {
		defer wg.Done()
		// zeroconf closes entries once ctx ends, and blocks until each
		// entry is taken, so this loop must run to the end.
		for e := range entries {
			b.d.heard(e)
		}
	}()
	b.d.warn("discovery: browsing", res.Browse(ctx, b.d.cfg.Service, b.d.cfg.Domain, entries))
}

func (b *browser) resolver(l links) (*zeroconf.Resolver, error) {
	if k := l.key(); k != b.key {
		b.key, b.traffic = k, 0
	}
	choices := trafficChoices
	if b.traffic != 0 {
		choices = []zeroconf.IPType{b.traffic}
	}
	var errs []error
	for _, t := range choices {
		r, err := zeroconf.NewResolver(zeroconf.SelectIfaces(l.ifaces), zeroconf.SelectIPTraffic(t))
		if err == nil {
			if b.traffic != t {
				b.d.log.Debug("discovery: browsing", "ip", ipTypeNames[t], "ifaces", l.names(), "failed", errs)
			}
			b.traffic = t
			return r, nil
		}
		errs = append(errs, err)
	}
	b.traffic = 0
	return nil, fmt.Errorf("on %v: %v", l.names(), errs)
}

// heard turns a browse result into a peer and records it.
func (d *Discovery) heard(e *zeroconf.ServiceEntry) {
	p, bad, err := peerFromEntry(e)
	if bad > 0 {
		d.malformed.Add(uint64(bad))
		d.log.Debug("discovery: ignored malformed TXT strings", "instance", e.Instance, "count", bad, "txt", e.Text)
	}
	if err != nil {
		d.malformed.Add(1)
		d.log.Debug("discovery: ignored announcement", "instance", e.Instance, "err", err, "txt", e.Text)
		return
	}
	d.peers.observe(p, time.Now())
}

// peerFromEntry reads a zeroconf result. It trusts nothing in it.
func peerFromEntry(e *zeroconf.ServiceEntry) (Peer, int, error) {
	a, bad, err := parseTXT(e.Text)
	if err != nil {
		return Peer{}, bad, err
	}
	if e.Port < 1 || e.Port > 65535 {
		return Peer{}, bad, fmt.Errorf("port %d", e.Port)
	}
	a.Port = e.Port
	p := Peer{Announcement: a}
	for _, ip := range append(slices.Clone(e.AddrIPv4), e.AddrIPv6...) {
		addr, ok := netip.AddrFromSlice(ip)
		if !ok {
			continue
		}
		addr = addr.Unmap()
		if addr.IsUnspecified() || addr.IsMulticast() {
			continue
		}
		p.Addrs = append(p.Addrs, addr)
	}
	if len(p.Addrs) == 0 {
		return Peer{}, bad, fmt.Errorf("no usable address")
	}
	slices.SortFunc(p.Addrs, netip.Addr.Compare)
	p.Addrs = slices.Compact(p.Addrs)
	return p, bad, nil
}
