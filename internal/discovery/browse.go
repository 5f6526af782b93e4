package discovery

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/grandcat/zeroconf"
)

// browser runs zeroconf's resolver in rounds. A resolver reports each
// instance once (and stops reporting one that said goodbye without telling),
// so a round lasts one Interval and the next one starts with a fresh
// resolver, whose first query every live node answers: that is how peers
// are heard again. Rounds overlap briefly, so that no answer falls between
// two of them.
type browser struct {
	d      *Discovery
	cancel context.CancelFunc // ends the running round
	done   chan struct{}      // closed when its entries are all handled
}

// round starts a new browse round on l and ends the previous one.
func (b *browser) round(ctx context.Context, l links) error {
	r, err := newResolver(l.ifaces)
	if err != nil {
		return err
	}
	rctx, cancel := context.WithCancel(ctx)
	ch := make(chan *zeroconf.ServiceEntry)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for z := range ch { // closed by the resolver when rctx ends
			b.d.heard(fromZeroconf(z))
		}
	}()
	domain := strings.TrimSuffix(b.d.cfg.Domain, ".")
	if err := r.Browse(rctx, b.d.cfg.Service, domain, ch); err != nil {
		cancel()
		<-done
		return fmt.Errorf("discovery: browsing: %w", err)
	}
	b.stop()
	b.cancel, b.done = cancel, done
	return nil
}

// stop ends the running round, if any, and waits until its entries are
// handled.
func (b *browser) stop() {
	if b.cancel != nil {
		b.cancel()
		<-b.done
		b.cancel, b.done = nil, nil
	}
}

// newResolver opens a resolver on ifaces, over IPv4 and IPv6, or over the
// one that can join its group when the other cannot (IPv6 disabled, say).
func newResolver(ifaces []net.Interface) (*zeroconf.Resolver, error) {
	var errs []error
	for _, t := range []zeroconf.IPType{zeroconf.IPv4AndIPv6, zeroconf.IPv4, zeroconf.IPv6} {
		r, err := zeroconf.NewResolver(zeroconf.SelectIfaces(ifaces), zeroconf.SelectIPTraffic(t))
		if err == nil {
			return r, nil
		}
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("discovery: browsing: %w", errors.Join(errs...))
}

// fromZeroconf reads an entry reported by zeroconf's resolver: it had a
// PTR, SRV and TXT record and at least one address.
func fromZeroconf(z *zeroconf.ServiceEntry) entry {
	e := entry{instance: z.Instance, host: z.HostName, port: z.Port, complete: true}
	for _, s := range z.Text {
		e.text = append(e.text, unescapeTXT(s))
	}
	for _, ip := range append(append([]net.IP(nil), z.AddrIPv4...), z.AddrIPv6...) {
		if a, ok := addrOf(ip); ok {
			e.addrs = append(e.addrs, a)
		}
	}
	return e
}
