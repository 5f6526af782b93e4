package hearthinit

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/dhcpv4/nclient4"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// DHCP keeps a DHCPv4 lease on one link: it asks for one until it gets it,
// applies address, default route and name servers, renews at T1 and starts
// over when the lease runs out or the cable was unplugged and plugged in
// again (maybe into another network).
type DHCP struct {
	Net  *Net
	Link netlink.Link
	// Hostname is sent to the server, so that the router lists the device
	// by name.
	Hostname string
	// DNS, when set, replaces the name servers the server offers.
	DNS []netip.Addr
	// OnLease is called with the address each time a lease is applied.
	OnLease func(netip.Prefix)
	// Timeout is how long one exchange waits for an answer (default 3 s).
	Timeout time.Duration
	// CarrierEvery is how often the cable is looked at (default 2 s).
	CarrierEvery time.Duration

	lost bool          // the carrier was seen down
	kick chan struct{} // Kick's: ask anew, as when the cable comes back
}

// Kick makes Run ask for a lease anew, as when the cable comes back: a
// Wi-Fi connection made again, which the carrier may not show when it was
// quick. It does nothing on a DHCP that ConfigureAddress did not make.
func (d *DHCP) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run keeps the lease until ctx ends, and leaves it configured then: the
// role may still be saying goodbye to the gateway while the device shuts
// down.
func (d *DHCP) Run(ctx context.Context) error {
	name := d.Link.Attrs().Name
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	c, err := nclient4.New(name, nclient4.WithTimeout(timeout), nclient4.WithRetry(2))
	if err != nil {
		return fmt.Errorf("dhcp on %s: %w", name, err)
	}
	defer c.Close()
	var mods []dhcpv4.Modifier
	if d.Hostname != "" {
		mods = append(mods, dhcpv4.WithOption(dhcpv4.OptHostName(d.Hostname)))
	}
	log := d.Net.Log.With("iface", name)
	backoff := 2 * time.Second
	for ctx.Err() == nil {
		lease, err := c.Request(ctx, mods...)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			log.Warn("no DHCP lease yet; asking again", "err", err, "in", backoff)
			if d.wait(ctx, backoff) == waitDone {
				break
			}
			backoff = min(2*backoff, 30*time.Second)
			continue
		}
		backoff = 2 * time.Second
		cur, err := d.apply(lease, netip.Prefix{})
		if err != nil {
			log.Error("applying the DHCP lease", "err", err)
		}
		d.hold(ctx, c, lease, cur, mods)
	}
	return nil
}

// hold renews the lease at T1, and on failure at half the time left until
// it ends. It returns when ctx ends, or after dropping the address when the
// lease ran out or the cable came back.
func (d *DHCP) hold(ctx context.Context, c *nclient4.Client, lease *nclient4.Lease, cur netip.Prefix, mods []dhcpv4.Modifier) {
	log := d.Net.Log.With("iface", d.Link.Attrs().Name)
	for {
		leaseTime := lease.ACK.IPAddressLeaseTime(time.Hour)
		end := lease.CreationTime.Add(leaseTime)
		next := lease.CreationTime.Add(lease.ACK.IPAddressRenewalTime(leaseTime / 2))
		var renewed *nclient4.Lease
		for renewed == nil {
			switch d.wait(ctx, time.Until(next)) {
			case waitDone:
				return
			case waitReplug:
				log.Info("the cable is back; asking for a lease anew")
				d.drop(cur)
				return
			case waitKicked:
				log.Info("connected again; asking for a lease anew")
				d.drop(cur)
				return
			}
			nl, err := c.Renew(ctx, lease, mods...)
			if err == nil {
				renewed = nl
				break
			}
			left := time.Until(end)
			if left <= time.Second {
				log.Warn("the DHCP lease ran out; asking for a new one", "addr", cur)
				d.drop(cur)
				return
			}
			log.Warn("renewing the DHCP lease", "err", err, "lease_left", left.Round(time.Second))
			next = time.Now().Add(max(left/2, time.Second))
		}
		lease = renewed
		var err error
		if cur, err = d.apply(lease, cur); err != nil {
			log.Error("applying the renewed DHCP lease", "err", err)
		}
	}
}

type waitResult int

const (
	waitTimeout waitResult = iota // dur passed
	waitDone                      // ctx ended
	waitReplug                    // the carrier came back after it was lost
	waitKicked                    // Kick was called
)

// wait waits for dur, looking at the link's carrier every CarrierEvery.
func (d *DHCP) wait(ctx context.Context, dur time.Duration) waitResult {
	every := d.CarrierEvery
	if every <= 0 {
		every = 2 * time.Second
	}
	deadline := time.Now().Add(dur)
	for {
		step := min(time.Until(deadline), every)
		if step <= 0 {
			return waitTimeout
		}
		t := time.NewTimer(step)
		select {
		case <-ctx.Done():
			t.Stop()
			return waitDone
		case <-d.kick:
			t.Stop()
			d.lost = false
			return waitKicked
		case <-t.C:
		}
		l, err := d.Net.H.LinkByIndex(d.Link.Attrs().Index)
		if err != nil {
			continue
		}
		if l.Attrs().RawFlags&unix.IFF_LOWER_UP == 0 {
			d.lost = true
		} else if d.lost {
			d.lost = false
			return waitReplug
		}
	}
}

// apply configures the lease and returns the address it set; prev, when
// valid and different, is removed.
func (d *DHCP) apply(lease *nclient4.Lease, prev netip.Prefix) (netip.Prefix, error) {
	ack := lease.ACK
	ip, ok := netip.AddrFromSlice(ack.YourIPAddr.To4())
	if !ok {
		return prev, fmt.Errorf("lease without an address")
	}
	bits := 24
	if m := ack.SubnetMask(); m != nil {
		bits, _ = m.Size()
	}
	p := netip.PrefixFrom(ip, bits)
	if prev.IsValid() && prev != p {
		d.drop(prev)
	}
	if err := d.Net.H.AddrReplace(d.Link, &netlink.Addr{IPNet: ipNet(p)}); err != nil {
		return prev, fmt.Errorf("address %s: %w", p, err)
	}
	var router net.IP
	if r := ack.Router(); len(r) > 0 {
		router = r[0]
		if err := d.Net.H.RouteReplace(&netlink.Route{LinkIndex: d.Link.Attrs().Index, Gw: router}); err != nil {
			return p, fmt.Errorf("default route via %s: %w", router, err)
		}
	}
	dns := d.DNS
	if len(dns) == 0 {
		for _, s := range ack.DNS() {
			if a, ok := netip.AddrFromSlice(s.To4()); ok {
				dns = append(dns, a)
			}
		}
	}
	if len(dns) > 0 {
		if err := d.Net.WriteResolvConf(dns, ack.DomainName()); err != nil {
			return p, err
		}
	}
	if prev != p {
		d.Net.Log.Info("network up", "iface", d.Link.Attrs().Name, "addr", p, "router", router, "dns", fmt.Sprint(dns),
			"lease", ack.IPAddressLeaseTime(time.Hour))
	}
	if d.OnLease != nil {
		d.OnLease(p)
	}
	return p, nil
}

func (d *DHCP) drop(p netip.Prefix) {
	if p.IsValid() {
		d.Net.H.AddrDel(d.Link, &netlink.Addr{IPNet: ipNet(p)})
	}
}

// sleep waits for d or ctx; false when ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
